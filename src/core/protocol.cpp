#include "core/protocol.hpp"

namespace imchat::core {

const char* to_string(SendStatus s) {
    switch (s) {
        case SendStatus::Sent:    return "sent";
        case SendStatus::Pending: return "pending";
        case SendStatus::Failed:  return "failed";
    }
    return "sent";
}

Json to_json(const Message& m) {
    return Json{
        {"id", m.id},           {"seq", m.seq},
        {"from_id", m.from_id}, {"from_name", m.from_name}, {"from_avatar", m.from_avatar},
        {"to_id", m.to_id},     {"to_name", m.to_name},     {"to_avatar", m.to_avatar},
        {"chatType", m.chat_type}, {"type", m.type},        {"data", m.data},
        {"options", m.options}, {"create_time", m.create_time}, {"isremove", m.isremove},
        {"client_msg_id", m.client_msg_id}, {"sendUUid", m.client_msg_id},
    };
}

namespace {
template <class T>
T get_or(const Json& j, const char* key, T def) {
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return def;
    try { return it->get<T>(); } catch (const Json::exception&) { return def; }
}
// Numbers sometimes arrive as strings from hand-written clients.
int64_t get_int(const Json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end()) return 0;
    if (it->is_number_integer()) return it->get<int64_t>();
    if (it->is_number()) return static_cast<int64_t>(it->get<double>());
    if (it->is_string()) {
        try { return std::stoll(it->get<std::string>()); } catch (...) { return 0; }
    }
    return 0;
}
}  // namespace

Message message_from_json(const Json& j) {
    Message m;
    if (!j.is_object()) return m;
    m.id          = get_int(j, "id");
    m.seq         = get_int(j, "seq");
    m.from_id     = get_int(j, "from_id");
    m.from_name   = get_or<std::string>(j, "from_name", "");
    m.from_avatar = get_or<std::string>(j, "from_avatar", "");
    m.to_id       = get_int(j, "to_id");
    m.to_name     = get_or<std::string>(j, "to_name", "");
    m.to_avatar   = get_or<std::string>(j, "to_avatar", "");
    m.chat_type   = get_or<std::string>(j, "chatType", "group");
    m.type        = get_or<std::string>(j, "type", "text");
    m.data        = get_or<std::string>(j, "data", "");
    m.options     = get_or<std::string>(j, "options", "");
    m.create_time = get_int(j, "create_time");
    m.isremove    = static_cast<int>(get_int(j, "isremove"));
    m.client_msg_id = get_or<std::string>(j, "client_msg_id", "");
    if (m.client_msg_id.empty()) m.client_msg_id = get_or<std::string>(j, "sendUUid", "");
    m.action_type = get_or<std::string>(j, "actionType", "");
    return m;
}

ConversationKey conversation_of(const Message& m, int64_t me) {
    if (m.chat_type == "group") return {"group", m.to_id};
    return {"single", m.from_id == me ? m.to_id : m.from_id};
}

std::optional<ServerFrame> parse_server_frame(std::string_view text) {
    Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object()) return std::nullopt;
    ServerFrame f;
    f.timestamp = get_int(j, "timestamp");
    if (j.contains("msg") && get_or<std::string>(j, "msg", "") == "fail") {
        f.kind = ServerFrame::Kind::Fail;
        f.text = get_or<std::string>(j, "data", "");
        return f;
    }
    const std::string type = get_or<std::string>(j, "type", "");
    if (type == "system") {
        f.kind = ServerFrame::Kind::System;
        f.text = get_or<std::string>(j, "data", "");
    } else if (type == "singleChat") {
        f.kind = ServerFrame::Kind::Chat;
        auto it = j.find("data");
        if (it == j.end() || !it->is_object()) return std::nullopt;
        f.message = message_from_json(*it);
    } else if (type == "pong") {
        f.kind = ServerFrame::Kind::Pong;
    } else if (type == "ping") {
        f.kind = ServerFrame::Kind::Ping;
    } else if (type == "error") {
        f.kind = ServerFrame::Kind::Error;
        f.text = get_or<std::string>(j, "data", "");
    }
    return f;
}

std::string make_ping(std::string_view token, int64_t now_ms) {
    return Json{{"type", "ping"}, {"token", token}, {"timestamp", now_ms}}.dump();
}

std::string make_frame(std::string_view type, const Json& data, int64_t now_ms) {
    return Json{{"type", type}, {"data", data}, {"timestamp", now_ms}}.dump();
}

std::string ApiResult::reason() const {
    if (ok) return {};
    return data.is_string() ? data.get<std::string>() : data.dump();
}

ApiResult parse_api_result(int http_status, std::string_view body) {
    ApiResult r;
    Json j = Json::parse(body, nullptr, false);
    if (j.is_discarded() || !j.is_object()) {
        r.data = http_status == 0 ? "network error" : "HTTP " + std::to_string(http_status);
        return r;
    }
    r.ok = http_status == 200 && get_or<std::string>(j, "msg", "") == "ok";
    r.data = j.contains("data") ? j["data"] : Json();
    if (!r.ok && !r.data.is_string()) r.data = "HTTP " + std::to_string(http_status);
    return r;
}

}  // namespace imchat::core
