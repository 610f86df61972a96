// imchat::core connection lifecycle: the socket's state, heartbeat counters,
// the reconnect backoff, and what each close code means (a table, not a switch).
#pragma once
#include <cstdint>

#include "core/backoff.hpp"
#include "protocol/codes.hpp"

namespace imchat::core {

enum class Conn { Idle, Connecting, Online, Backoff, Offline, Kicked };
const char* to_string(Conn c);

// What the session does when the server closes the socket with a code.
enum class CloseAction {
    ReRegister,   // our token is gone: drop it (a guest registers again)
    Kicked,       // logged in elsewhere (unless our own login did it)
    Disabled,     // the account is disabled: stay offline, show the reason
    Backoff,      // anything else: reconnect after a backoff
};
struct CloseRule { int code; CloseAction action; };
inline constexpr CloseRule kCloseRules[] = {
    {protocol::kCloseTokenInvalid,      CloseAction::ReRegister},
    {protocol::kCloseLoggedInElsewhere, CloseAction::Kicked},
    {protocol::kCloseDisabled,          CloseAction::Disabled},
};
CloseAction close_action(int code);   // codes not in the table: Backoff

struct Connection {
    Conn    state = Conn::Idle;
    int     missed_pongs = 0;
    int64_t retry_at = 0;             // Backoff: when the socket reopens (the UI counts down)
    bool    network_offline = false;  // the browser says so; we keep trying
    Backoff backoff;                  // shared with bootstrap retries

    bool socket_up() const { return state == Conn::Connecting || state == Conn::Online; }
    Conn shown() const;               // Offline also while the browser has no network
};

}  // namespace imchat::core
