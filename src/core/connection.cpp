#include "core/connection.hpp"

namespace imchat::core {

const char* to_string(Conn c) {
    switch (c) {
        case Conn::Idle:       return "idle";
        case Conn::Connecting: return "connecting";
        case Conn::Online:     return "online";
        case Conn::Backoff:    return "backoff";
        case Conn::Offline:    return "offline";
        case Conn::Kicked:     return "kicked";
    }
    return "idle";
}

CloseAction close_action(int code) {
    for (const auto& r : kCloseRules)
        if (r.code == code) return r.action;
    return CloseAction::Backoff;
}

Conn Connection::shown() const {
    if (network_offline && (state == Conn::Backoff || state == Conn::Connecting)) return Conn::Offline;
    return state;
}

}  // namespace imchat::core
