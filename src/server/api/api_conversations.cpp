// Server-side conversations (issue 9): the caller's list (groups and 1:1, last message
// preview, unread from a server-side read cursor, newest activity first), marking read,
// and hiding one until its next message. State lives in the Store's per user and
// conversation rows (store.hpp, "Per user and conversation state").
#include "server/api/api.hpp"
#include "server/api/api_internal.hpp"

namespace imchat::server {

using namespace detail;

namespace {

// The first `n` code points of UTF-8 text.
std::string cut_chars(const std::string& s, size_t n) {
    size_t chars = 0, i = 0;
    for (; i < s.size(); ++i) {
        if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
            if (chars == n) break;
            ++chars;
        }
    }
    return s.substr(0, i);
}

// The short text a conversation list shows for a message.
std::string message_preview(const protocol::Message& m) {
    if (m.isremove) return "[消息已撤回]";
    if (m.type == "image") return "[图片]";
    if (m.type == "audio") return "[语音]";
    if (m.type == "video") return "[视频]";
    if (m.type == "file") return "[文件]";
    if (m.type == "systemNotice") return m.data;
    return cut_chars(m.data, 60);
}

}  // namespace

Response Api::conversation_list(Ctx& c) {
    Json list = Json::array();
    for (const auto& row : store_.conversations_of_user(c.user.id)) {
        Json j{{"chatType", row.chat_type}, {"id", row.id}, {"update_time", row.update_time},
               {"unread", row.unread}, {"last_seq", row.last_seq}, {"read_seq", row.read_seq}};
        j["last"] = nullptr;
        if (row.last)
            j["last"] = Json{{"id", row.last->id}, {"seq", row.last->seq}, {"from_id", row.last->from_id},
                             {"from_name", row.last->from_name}, {"type", row.last->type},
                             {"text", message_preview(*row.last)}, {"time", row.last->create_time}};
        if (row.chat_type == "group") {
            auto g = store_.group_by_id(row.id);
            if (!g) continue;
            j["name"] = g->name;
            j["avatar"] = g->avatar;
            int64_t members = 0, pending = 0;
            for (const auto& m : store_.members(g->id)) (m.status == kPending ? pending : members)++;
            j["member_count"] = members;
            j["status"] = g->status;
            j["my_status"] = row.my_status;
            j["owner_id"] = g->owner_id;
            j["pending_count"] = g->owner_id == c.user.id ? pending : 0;
        } else {
            auto peer = store_.user_by_id(row.id);
            j["name"] = peer ? display_name(*peer) : std::string();
            j["avatar"] = peer ? peer->avatar : std::string();
        }
        list.push_back(std::move(j));
    }
    return ok(list);
}

// The conversation `chatType`/`id` of the body if the caller belongs to it (not pending).
std::optional<Response> Api::own_conversation(const Ctx& c, std::string& conv) {
    const std::string type = read_str(c.body, "chatType");
    const int64_t id = read_int(c.body, "id");
    if (type == "group") {
        auto mem = store_.member(id, c.user.id);
        if (!mem || mem->status == kPending) return fail(kErrNotInGroup);
        conv = conv_key("group", id);
        return std::nullopt;
    }
    if (type != "single" || id <= 0 || id == c.user.id) return fail(kErrBadParam);
    conv = conv_key("single", c.user.id, id);
    if (!store_.in_conversation(c.user.id, conv)) return fail(kErrBadParam);
    return std::nullopt;
}

Response Api::conversation_read(Ctx& c) {
    std::string conv;
    if (auto bad = own_conversation(c, conv)) return *bad;
    const int64_t read = store_.advance_read_cursor(c.user.id, conv, read_int(c.body, "seq"));
    return ok(Json{{"read_seq", read}, {"unread", store_.unread_count(c.user.id, conv)}});
}

Response Api::conversation_hide(Ctx& c) {
    std::string conv;
    if (auto bad = own_conversation(c, conv)) return *bad;
    store_.hide_conversation(c.user.id, conv);
    return ok(Json{{"hidden", true}});
}

}  // namespace imchat::server
