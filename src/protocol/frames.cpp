#include "protocol/frames.hpp"

namespace imchat::protocol {

std::optional<ServerFrame> parse_server_frame(std::string_view text) {
    const Json j = parse_json(text);
    if (!j.is_object()) return std::nullopt;
    ServerFrame f;
    f.timestamp = read_int(j, "timestamp");
    if (read_str(j, "msg") == "fail") {
        f.kind = ServerFrame::Kind::Fail;
        f.text = read_str(j, "data");
        return f;
    }
    const std::string type = read_str(j, "type");
    if (type == "system") {
        f.kind = ServerFrame::Kind::System;
        f.text = read_str(j, "data");
    } else if (type == "singleChat") {
        f.kind = ServerFrame::Kind::Chat;
        const Json& data = read_obj(j, "data");
        if (data.empty()) return std::nullopt;   // absent, or not an object
        f.message = message_from_json(data);
    } else if (type == "pong") {
        f.kind = ServerFrame::Kind::Pong;
    } else if (type == "ping") {
        f.kind = ServerFrame::Kind::Ping;
    } else if (type == "error") {
        f.kind = ServerFrame::Kind::Error;
        f.text = read_str(j, "data");
    }
    return f;
}

std::string make_ping(std::string_view token, int64_t now_ms) {
    return Json{{"type", "ping"}, {"token", token}, {"timestamp", now_ms}}.dump();
}

std::string make_frame(std::string_view type, const Json& data, int64_t now_ms) {
    return Json{{"type", type}, {"data", data}, {"timestamp", now_ms}}.dump();
}

}  // namespace imchat::protocol
