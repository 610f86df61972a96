#include "core/api_client.hpp"

#include <algorithm>

namespace imchat::core::api {

using protocol::Json;
using protocol::read_int;
using protocol::read_str;

namespace {
act::Http get(std::string path) { return act::Http{0, "GET", std::move(path), "", ""}; }
act::Http post(std::string path, const Json& body = nullptr) {
    return act::Http{0, "POST", std::move(path), "", body.is_null() ? std::string() : body.dump()};
}
Json credentials(const std::string& username, const std::string& password, bool repeat) {
    Json j{{"username", username}, {"password", password}};
    if (repeat) j["repassword"] = password;
    return j;
}
}  // namespace

act::Http visitor_register(const std::string& device_id, int64_t now) {
    return post("/api/visitorRegister", Json{{"deviceId", device_id}, {"timestamp", now}});
}
act::Http visitor_register(const std::string& device_id, int64_t now, int64_t join_group_id, int latest) {
    Json body{{"deviceId", device_id}, {"timestamp", now}};
    if (join_group_id > 0) body["join_group_id"] = join_group_id;
    if (join_group_id > 0 && latest > 0) body["latest"] = latest;
    return post("/api/visitorRegister", body);
}
act::Http sign_up(const std::string& u, const std::string& p) { return post("/api/regChat", credentials(u, p, true)); }
act::Http sign_in(const std::string& u, const std::string& p) { return post("/api/loginChat", credentials(u, p, false)); }
act::Http guest_upgrade(const std::string& u, const std::string& p, bool create) {
    return post(create ? "/api/visitorregChat" : "/api/visitorloginChat", credentials(u, p, true));
}
act::Http logout() { return post("/api/chat/logout"); }

act::Http group_list() { return get("/api/chat/grouplist/1"); }
act::Http conversation_list() { return get("/api/chat/conversationList"); }
act::Http conversation_read(const ConversationKey& k, int64_t seq) {
    return post("/api/chat/conversationRead", Json{{"chatType", k.chat_type}, {"id", k.id}, {"seq", seq}});
}
act::Http conversation_hide(const ConversationKey& k) {
    return post("/api/chat/conversationHide", Json{{"chatType", k.chat_type}, {"id", k.id}});
}

act::Http history(const ConversationKey& k, int limit, int64_t after_seq, int64_t before_seq) {
    std::string path = "/api/chat/history/" + k.chat_type + "/" + std::to_string(k.id) + "?limit=" + std::to_string(limit);
    if (before_seq > 0) path += "&before_seq=" + std::to_string(before_seq);
    else if (after_seq >= 0) path += "&after_seq=" + std::to_string(after_seq);
    return get(std::move(path));
}

act::Http send_message(const protocol::Message& m) {
    return post("/api/chat/socket/sendmessage",
                Json{{"sendto_id", m.to_id}, {"chatType", m.chat_type}, {"type", m.type},
                     {"data", m.data}, {"options", m.options}, {"client_msg_id", m.client_msg_id}});
}

act::Http recall(const ConversationKey& k, int64_t id, int64_t create_time) {
    return post("/api/chat/revokeMessage",
                Json{{"to_id", k.id}, {"chatType", k.chat_type}, {"id", id}, {"create_time", create_time}});
}

act::Http upload(int blob) {
    act::Http h = post("/api/chat/upload");
    h.blob = blob;
    return h;
}

act::Http group_info(int64_t id, int latest) {
    return get("/api/chat/groupinfo/" + std::to_string(id) + (latest > 0 ? "?latest=" + std::to_string(latest) : ""));
}
act::Http group_qr(int64_t id) { return get("/api/chat/groupQrcode/" + std::to_string(id) + "?type=H5&format=matrix"); }
act::Http join(int64_t gid, int64_t uid, const std::string& reason, int latest) {
    Json body{{"group_id", gid}, {"user_id", uid}, {"inviteuser_id", -1}, {"addGroupDesc", reason}};
    if (latest > 0) body["latest"] = latest;
    return post("/api/chat/groupInviteUser", body);
}
act::Http invite_candidates(int64_t gid) { return get("/api/chat/groupInviteCandidates/" + std::to_string(gid)); }
act::Http invite(int64_t gid, int64_t uid) {
    return post("/api/chat/groupInviteUser", Json{{"group_id", gid}, {"inviteuser_id", uid}});
}
act::Http create_group(const std::string& name) {
    return post("/api/chat/group/create", Json{{"name", name}, {"userIds", Json::array()}});
}

act::Http group_action(int64_t gid, const std::string& a, int64_t uid, const std::string& text, int value) {
    Json body;
    std::string route;
    if (a == "rename") { route = "groupUpdateName"; body = {{"id", gid}, {"name", text}}; }
    else if (a == "remark") { route = "groupremark"; body = {{"id", gid}, {"remark", text}}; }
    else if (a == "nickname") { route = "groupnickname"; body = {{"id", gid}, {"nickname", text}}; }
    else if (a == "policy") { route = "groupAddUserSet"; body = {{"group_id", gid}, {"addGroupSet", value}}; }
    else if (a == "mute" || a == "unmute") {
        route = "groupMuteUser";
        body = {{"group_id", gid}, {"user_id", uid}, {"mute", a == "mute" ? 1 : 0}};
    }
    else if (a == "remove") { route = "groupDeleteUser"; body = {{"group_id", gid}, {"user_id", uid}}; }
    else if (a == "approve" || a == "reject") {
        route = "groupAgreeOrNo";
        body = {{"group_id", gid}, {"user_id", uid}, {"type", a == "approve" ? "agree" : "no"}};
    }
    else if (a == "quit") { route = "groupDeleteOrQuit"; body = {{"id", gid}}; }
    else return act::Http{};
    return post("/api/chat/" + route, body);
}

act::Http contact_info(const std::string& code) { return get("/api/chat/contactInfo/" + code); }
act::Http add_contact(const std::string& code) { return post("/api/chat/addContact", Json{{"code", code}}); }

act::Http user_settings() { return get("/api/chat/userset"); }
act::Http save_send_count(int n) {
    const Json set{{"chatset", {{"visitor", {{"sendCount", n}, {"needFollow", false}}}}}};
    return post("/api/chat/userset", Json{{"userset", set.dump()}});
}
act::Http update_nickname(const std::string& nickname) {
    return post("/api/chat/updateUserinfo", Json{{"nickname", nickname}});
}
act::Http update_avatar(const std::string& url, const std::string& nickname) {
    return post("/api/chat/updateUserinfo", Json{{"avatar", url}, {"nickname", nickname}});
}
act::Http my_qr() { return get("/api/chat/userQrcode?format=matrix"); }

std::optional<std::vector<protocol::Message>> read_history(const Json& data) {
    const Json* list = &data;
    if (data.is_object())
        if (auto it = data.find("list"); it != data.end()) list = &*it;
    if (!list->is_array()) return std::nullopt;
    std::vector<protocol::Message> out;
    for (const auto& j : *list) out.push_back(protocol::message_from_json(j));
    return out;
}
std::optional<std::vector<protocol::Message>> read_latest(const Json& data) {
    if (!data.is_object()) return std::nullopt;
    const auto it = data.find("latest");
    if (it == data.end()) return std::nullopt;
    return read_history(*it);
}
JoinAnswer read_join(const Json& data) {
    JoinAnswer a;
    a.pending = protocol::read_bool(data, "pending");
    if (data.is_object()) {
        if (auto gu = data.find("group_users"); gu != data.end() && gu->is_array()) a.members = static_cast<int>(gu->size());
        else if (const int64_t n = read_int(data, "member_count", -1); n >= 0) a.members = static_cast<int>(n);   // big groups: the card only
    }
    return a;
}

Qr read_qr(const Json& data) {
    Qr q{read_str(data, "url"), static_cast<int>(read_int(data, "size")), {}};
    for (const auto& row : protocol::read_arr(data, "rows"))
        if (row.is_string()) q.rows.push_back(row.get_ref<const std::string&>());
    return q;
}

int read_send_count(const Json& data, int def) {
    const Json& visitor = protocol::read_obj(protocol::read_obj(data, "chatset"), "visitor");
    return static_cast<int>(read_int(visitor, "sendCount", def));
}

Uploaded read_upload(const Json& data) { return Uploaded{read_str(data, "url"), read_str(data, "kind")}; }

std::vector<Candidate> read_candidates(const Json& data) {
    std::vector<Candidate> out;
    if (!data.is_array()) return out;
    for (const auto& j : data) {
        Candidate c{read_int(j, "id"), read_str(j, "name"), read_str(j, "avatar"), {}};
        if (c.id > 0) out.push_back(std::move(c));
    }
    return out;
}

bool has_nickname(const Json& data) { return data.is_object() && data.contains("nickname"); }

std::optional<std::vector<ConversationItem>> read_conversation_list(const Json& data) {
    if (!data.is_array()) return std::nullopt;
    std::vector<ConversationItem> out;
    for (const auto& j : data) {
        ConversationItem c;
        c.key = ConversationKey{read_str(j, "chatType"), read_int(j, "id")};
        if ((c.key.chat_type != "group" && c.key.chat_type != "single") || c.key.id <= 0) continue;
        c.name = read_str(j, "name");
        c.avatar = read_str(j, "avatar");
        c.update_time = read_int(j, "update_time");
        c.last_seq = read_int(j, "last_seq");
        c.read_seq = read_int(j, "read_seq");
        c.unread = static_cast<int>(std::max<int64_t>(0, read_int(j, "unread")));
        if (const Json& l = protocol::read_obj(j, "last"); l.is_object() && !l.empty())
            c.last = LastMessage{read_int(l, "seq"), read_str(l, "from_name"), read_str(l, "type"),
                                 read_str(l, "text"), read_int(l, "time")};
        c.member_count = static_cast<int>(read_int(j, "member_count"));
        c.status = static_cast<int>(read_int(j, "status", 1));
        c.my_status = static_cast<int>(read_int(j, "my_status", 1));
        c.owner_id = read_int(j, "owner_id");
        c.pending_count = static_cast<int>(std::max<int64_t>(0, read_int(j, "pending_count")));
        out.push_back(std::move(c));
    }
    return out;
}

ReadAnswer read_conversation_read(const Json& data) {
    return ReadAnswer{read_int(data, "read_seq"), static_cast<int>(read_int(data, "unread"))};
}

}  // namespace imchat::core::api
