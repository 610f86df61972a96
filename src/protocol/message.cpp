#include "protocol/message.hpp"

namespace imchat::protocol {

const char* to_string(SendStatus s) {
    switch (s) {
        case SendStatus::Sent:    return "sent";
        case SendStatus::Pending: return "pending";
        case SendStatus::Failed:  return "failed";
    }
    return "sent";
}

Json to_json(const Message& m) {
    Json j{
        {"id", m.id},           {"seq", m.seq},
        {"from_id", m.from_id}, {"from_name", m.from_name}, {"from_avatar", m.from_avatar},
        {"to_id", m.to_id},     {"to_name", m.to_name},     {"to_avatar", m.to_avatar},
        {"chatType", m.chat_type}, {"type", m.type},        {"data", m.data},
        {"options", m.options}, {"create_time", m.create_time}, {"isremove", m.isremove},
        {"client_msg_id", m.client_msg_id}, {"sendUUid", m.client_msg_id},
    };
    // Reference clients read the group of a group message from `group` (not read back here).
    if (m.chat_type == "group") j["group"] = Json{{"id", m.to_id}, {"name", m.to_name}, {"avatar", m.to_avatar}};
    return j;
}

namespace {
// Strings only: a number where text belongs is a malformed message, not text.
std::string text(const Json& j, const char* key, const char* def = "") {
    auto it = j.find(key);   // callers pass objects only
    return it != j.end() && it->is_string() ? it->get_ref<const std::string&>() : std::string(def);
}
}  // namespace

Message message_from_json(const Json& j) {
    Message m;
    if (!j.is_object()) return m;
    m.id          = read_int(j, "id");
    m.seq         = read_int(j, "seq");
    m.from_id     = read_int(j, "from_id");
    m.from_name   = text(j, "from_name");
    m.from_avatar = text(j, "from_avatar");
    m.to_id       = read_int(j, "to_id");
    m.to_name     = text(j, "to_name");
    m.to_avatar   = text(j, "to_avatar");
    m.chat_type   = text(j, "chatType", "group");
    m.type        = text(j, "type", "text");
    m.data        = text(j, "data");
    m.options     = text(j, "options");
    m.create_time = read_int(j, "create_time");
    m.isremove    = static_cast<int>(read_int(j, "isremove"));
    m.client_msg_id = text(j, "client_msg_id");
    if (m.client_msg_id.empty()) m.client_msg_id = text(j, "sendUUid");
    m.action_type = text(j, "actionType");
    // A recall in the reference's shape is a systemNotice; imchat's push also names the
    // recalled message's own type, which is what the message is.
    if (m.action_type == "revoke" && !text(j, "original_type").empty()) m.type = text(j, "original_type");
    return m;
}

ConversationKey conversation_of(const Message& m, int64_t me) {
    if (m.chat_type == "group") return {"group", m.to_id};
    return {"single", m.from_id == me ? m.to_id : m.from_id};
}

}  // namespace imchat::protocol
