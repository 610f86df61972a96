// imchat::protocol socket frames.
// Server -> client: {type:"system"|"singleChat"|"pong"|"error", data, timestamp}
// or, before closing on a bad token, {msg:"fail", data:"<reason>"}.
// Client -> server: {type:"ping", token, timestamp}.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/json_read.hpp"
#include "protocol/message.hpp"

namespace imchat::protocol {

struct ServerFrame {
    enum class Kind { System, Chat, Pong, Ping, Fail, Error, Unknown };
    Kind        kind = Kind::Unknown;
    std::string text;        // System/Fail/Error: the text
    Message     message;     // Chat
    int64_t     timestamp = 0;
};
std::optional<ServerFrame> parse_server_frame(std::string_view text);   // nullopt: not a frame

std::string make_ping(std::string_view token, int64_t now_ms);
std::string make_frame(std::string_view type, const Json& data, int64_t now_ms);

}  // namespace imchat::protocol
