// imchat::core URL helpers: what a scanned QR link asks for, and where the
// server's socket lives. Pure string work, no browser types.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace imchat::core {

struct JoinTarget {
    std::string chat_type = "group";   // "group" (?group=ID) or "single" (a personal QR: ?user=CODE)
    int64_t     id = 0;                // group id; for "single" 1 when the code is well-formed
    std::string code;                  // personal invite code
    bool operator==(const JoinTarget&) const = default;
};

// Accepts `?group=ID`, `?user=CODE` (a personal QR code) and the reference form
// `#/pages/setpageInfo/setpageInfo?action=autoAddGroup&id=ID&chatType=group`.
// A present but malformed id yields a target with id = -1 ("not found" screen).
std::optional<JoinTarget> parse_join_target(std::string_view href);

// Value of `key` in a query string ("a=1&b=2"), percent-decoded; nullopt if absent.
std::optional<std::string> query_param(std::string_view query, std::string_view key);

// "http://h:8080/x" -> "ws://h:8080", "https://h" -> "wss://h".
std::string websocket_origin(std::string_view http_origin);

std::string percent_decode(std::string_view s);
std::string percent_encode(std::string_view s);

}  // namespace imchat::core
