#include "server/api/api.hpp"

#include <sodium.h>

#include <charconv>
#include <regex>

#include "core/url.hpp"

namespace imchat::server {

using core::Json;

namespace {
// Error texts (Chinese, shown to the user as they are; reference wording where it exists).
constexpr std::string_view kErrNoRoute       = "接口不存在";
constexpr std::string_view kErrBadJson       = "请求数据格式错误";
constexpr std::string_view kErrDeviceId      = "设备id不合法";
constexpr std::string_view kErrTooMany       = "请求太频繁，请稍后再试";
constexpr std::string_view kErrNotMember     = "您不在群里，无法发消息";
constexpr std::string_view kErrGroupClosed   = "群不存在或者已解散或者被封禁，无法发消息";
constexpr std::string_view kErrNotInGroup    = "您不是该群成员";
constexpr std::string_view kErrNeedApproval  = "加入该群需要群主同意";
constexpr std::string_view kErrEmptyMessage  = "消息内容不能为空";
constexpr std::string_view kErrTooLong       = "消息内容太长";
constexpr std::string_view kErrMsgType       = "暂不支持该消息类型";
constexpr std::string_view kErrChatType      = "暂不支持该会话类型";
constexpr std::string_view kErrBadParam      = "参数错误";
constexpr std::string_view kErrInviteOthers  = "暂不支持邀请他人";
constexpr std::string_view kErrUsername      = "用户名长度为4到20个字符";
constexpr std::string_view kErrPassword      = "密码长度为6到20个字符";
constexpr std::string_view kErrRepassword    = "两次输入的密码不一致";
constexpr std::string_view kErrUserExists    = "用户名已存在";
constexpr std::string_view kErrLogin         = "用户名或密码错误";

std::optional<int64_t> to_int(std::string_view s) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

int64_t json_int(const Json& j, const char* key, int64_t def = 0) {
    auto it = j.find(key);
    if (it == j.end()) return def;
    if (it->is_number()) return it->get<int64_t>();
    if (it->is_string()) return to_int(it->get<std::string>()).value_or(def);
    return def;
}

std::string json_str(const Json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::vector<std::string_view> split_path(std::string_view p) {
    std::vector<std::string_view> out;
    size_t i = 0;
    while (i < p.size()) {
        while (i < p.size() && p[i] == '/') ++i;
        size_t j = p.find('/', i);
        if (j == std::string_view::npos) j = p.size();
        if (j > i) out.push_back(p.substr(i, j - i));
        i = j;
    }
    return out;
}

std::string sha256_hex(std::string_view s) {
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(s.data()), s.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    return hex;
}

Json user_json(const UserRow& u) {
    return Json{{"id", u.id}, {"username", u.username}, {"nickname", u.nickname},
                {"avatar", u.avatar}, {"role", u.role}, {"status", u.status}};
}

bool valid_utf8(std::string_view s) {
    try { (void)Json(std::string(s)).dump(); return true; } catch (const Json::exception&) { return false; }
}
}  // namespace

Response ok(const Json& data) { return {200, Json{{"msg", "ok"}, {"data", data}}.dump()}; }
Response fail(std::string_view reason, int status) {
    return {status, Json{{"msg", "fail"}, {"data", reason}}.dump()};
}

Api::Api(Store& store, Bus& bus, Clock clock, ApiConfig cfg)
    : store_(store), bus_(bus), clock_(std::move(clock)), cfg_(std::move(cfg)) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

// ---- auth -------------------------------------------------------------------

std::string Api::issue_token(int64_t user_id) {
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    char hex[sizeof raw * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    store_.set_token_hash(user_id, sha256_hex(hex));   // only the hash is kept
    return hex;
}

std::optional<UserRow> Api::authenticate(std::string_view token) {
    if (token.size() != 64) return std::nullopt;
    auto u = store_.user_by_token_hash(sha256_hex(token));
    if (!u || u->status != 1) return std::nullopt;
    return u;
}

// ---- routing ------------------------------------------------------------------

std::optional<Response> Api::handle(const Request& r) {
    const auto seg = split_path(r.path);
    if (seg.empty() || seg[0] != "api") return std::nullopt;
    try {
        if (r.method == "POST" && seg.size() == 2 && seg[1] == "visitorRegister") return visitor_register(r);

        Json body;
        if (r.method == "POST") {
            body = Json::parse(r.body.empty() ? std::string("{}") : r.body, nullptr, false);
            if (body.is_discarded() || !body.is_object()) return fail(kErrBadJson);
        }
        if (r.method == "POST" && seg.size() == 2 && seg[1] == "regChat") return reg_chat(body);
        if (r.method == "POST" && seg.size() == 2 && seg[1] == "loginChat") return login_chat(r, body);

        auto user = authenticate(r.token);
        if (!user) return fail(core::kErrTokenInvalid);
        if (seg.size() >= 3 && seg[1] == "chat") {
            const auto name = seg[2];
            if (r.method == "GET" && name == "grouplist" && seg.size() <= 4)
                return group_list(*user, seg.size() == 4 ? seg[3] : "1", r);
            if (r.method == "GET" && name == "groupinfo" && seg.size() == 4) return group_info(*user, seg[3]);
            if (r.method == "GET" && name == "history" && seg.size() == 5)
                return history(*user, seg[3], seg[4], r);
            if (r.method == "POST" && name == "groupInviteUser" && seg.size() == 3)
                return group_invite_user(*user, body);
            if (r.method == "POST" && name == "socket" && seg.size() == 4 && seg[3] == "sendmessage")
                return send_message(*user, body);
            if (r.method == "POST" && name == "logout" && seg.size() == 3) return logout(*user);
            if (r.method == "POST" && name == "chatGetmessageOffLine" && seg.size() == 3)
                return offline_messages(*user, body);
        }
        return fail(kErrNoRoute, 404);
    } catch (const std::exception& e) {
        return fail(std::string("服务器错误: ") + e.what(), 500);
    }
}

// ---- identity -------------------------------------------------------------------

Response Api::visitor_register(const Request& r) {
    Json body = Json::parse(r.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) return fail(kErrBadJson);
    const std::string device = json_str(body, "deviceId");
    static const std::regex kDevice("^[\\w-]{36}$");
    if (!std::regex_match(device, kDevice)) return fail(kErrDeviceId);
    const int64_t now = clock_();
    constexpr int64_t kHour = 3600 * 1000;
    if (!register_limits_.allow("ip:" + r.remote, cfg_.register_per_ip_hour, kHour, now) ||
        !register_limits_.allow("dev:" + device, cfg_.register_per_device_hour, kHour, now))
        return fail(kErrTooMany, 429);
    UserRow u = store_.visitor_for_device(device, now);
    if (u.status != 1) return fail("账号已被禁用", 403);
    Json j = user_json(u);
    j["token"] = issue_token(u.id);   // a new token: the device's older sessions end
    bus_.kick(u.id, 0);
    return ok(j);
}

Response Api::reg_chat(const Json& body) {
    const std::string username = json_str(body, "username"), password = json_str(body, "password");
    const std::string repassword = body.contains("repassword") ? json_str(body, "repassword") : password;
    if (username.size() < 4 || username.size() > 20 || !valid_utf8(username)) return fail(kErrUsername);
    if (username.rfind("VIS", 0) == 0) return fail(kErrUserExists);   // guest names are reserved
    if (password.size() < 6 || password.size() > 20) return fail(kErrPassword);
    if (password != repassword) return fail(kErrRepassword);
    if (store_.credentials(username)) return fail(kErrUserExists);
    char hash[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(hash, password.c_str(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return fail("服务器内存不足", 500);
    UserRow u;
    try {
        u = store_.create_user(username, "", "user", clock_());
    } catch (const std::exception&) {
        return fail(kErrUserExists);   // lost a race for the same name
    }
    store_.set_password_hash(u.id, hash);
    return ok(user_json(u));
}

Response Api::login_chat(const Request& r, const Json& body) {
    const std::string username = json_str(body, "username"), password = json_str(body, "password");
    if (!login_limits_.allow("ip:" + r.remote, 30, 10 * 60 * 1000, clock_()) ||
        !login_limits_.allow("user:" + username, 10, 10 * 60 * 1000, clock_()))
        return fail(kErrTooMany, 429);
    auto cred = store_.credentials(username);
    if (!cred || cred->second.empty() ||
        crypto_pwhash_str_verify(cred->second.c_str(), password.c_str(), password.size()) != 0)
        return fail(kErrLogin);
    if (cred->first.status != 1) return fail("账号已被禁用", 403);
    Json j = user_json(cred->first);
    j["token"] = issue_token(cred->first.id);   // one session per account: older ones end
    bus_.kick(cred->first.id, 0);               // their sockets close with 4001
    return ok(j);
}

Response Api::logout(const UserRow& u) {
    store_.set_token_hash(u.id, "");
    return ok("ok");
}

// ---- groups -----------------------------------------------------------------------

Json Api::group_json(const GroupRow& g, bool with_members) {
    Json j{{"id", g.id}, {"uuid", g.uuid}, {"user_id", g.owner_id}, {"name", g.name},
           {"avatar", g.avatar}, {"invite_confirm", g.invite_confirm}, {"status", g.status},
           {"create_time", g.create_time}};
    auto members = store_.members(g.id);
    j["member_count"] = std::count_if(members.begin(), members.end(), [](auto& m) { return m.status != 2; });
    if (with_members) {
        j["remark"] = g.remark;
        Json list = Json::array();
        for (const auto& m : members) {
            list.push_back({{"user_id", m.user_id}, {"nickname", m.nickname}, {"avatar", m.user.avatar},
                            {"status", m.status}, {"user", user_json(m.user)}});
        }
        j["group_users"] = list;
    }
    return j;
}

Response Api::group_list(const UserRow& u, std::string_view page_s, const Request& r) {
    const int64_t page = std::max<int64_t>(1, to_int(page_s).value_or(1));
    const int64_t limit = std::clamp<int64_t>(
        to_int(core::query_param(r.query, "limit").value_or("30")).value_or(30), 1, 100);
    Json list = Json::array();
    for (const auto& g : store_.groups_of_user(u.id, static_cast<int>((page - 1) * limit), static_cast<int>(limit))) {
        Json j = group_json(g, false);
        j["last_seq"] = store_.last_seq(conv_key("group", g.id));   // clients sync from here
        list.push_back(std::move(j));
    }
    return ok(list);
}

Response Api::group_info(const UserRow& u, std::string_view id_s) {
    auto id = to_int(id_s);
    if (!id) return fail(core::kErrGroupNotFound);
    auto g = store_.group_by_id(*id);
    if (!g || g->status != 1) return fail(core::kErrGroupNotFound);
    auto m = store_.member(g->id, u.id);
    // A non-member (someone who scanned the QR code) sees the public card only.
    return ok(group_json(*g, m && m->status != 2));
}

Response Api::group_invite_user(const UserRow& u, const Json& body) {
    const int64_t gid = json_int(body, "group_id");
    const int64_t joiner = json_int(body, "user_id", u.id);
    const int64_t inviter = json_int(body, "inviteuser_id", -1);
    if (inviter > 0 || joiner != u.id) return fail(kErrInviteOthers);
    auto g = store_.group_by_id(gid);
    if (!g || g->status != 1) return fail(core::kErrGroupNotFound);
    if (auto m = store_.member(gid, u.id); m && m->status != 2) return ok(group_json(*g, true));
    if (g->invite_confirm != 0) return fail(kErrNeedApproval);
    if (store_.add_member(gid, u.id, 1, clock_())) {
        const std::string who = u.nickname.empty() ? u.username : u.nickname;
        post_system_notice(*g, who + " 加入了群聊");
    }
    return ok(group_json(*g, true));
}

// ---- messages -----------------------------------------------------------------------

void Api::fan_out(const GroupRow& g, const core::Message& m, int64_t except_user) {
    std::vector<int64_t> to;
    for (const auto& mem : store_.members(g.id))
        if (mem.user_id != except_user && mem.status != 2) to.push_back(mem.user_id);
    auto frame = std::make_shared<const std::string>(core::make_frame("singleChat", core::to_json(m), clock_()));
    bus_.publish(to, frame);
}

void Api::post_system_notice(const GroupRow& g, const std::string& text) {
    core::Message m;
    m.from_id = 0;
    m.from_name = "system";
    m.to_id = g.id;
    m.to_name = g.name;
    m.to_avatar = g.avatar;
    m.chat_type = "group";
    m.type = "systemNotice";
    m.data = text;
    m.create_time = clock_();
    auto res = store_.append_message(conv_key("group", g.id), m);
    fan_out(g, res.message, 0);
}

Response Api::send_message(const UserRow& u, const Json& body) {
    const std::string chat_type = json_str(body, "chatType");
    const std::string type = json_str(body, "type").empty() ? "text" : json_str(body, "type");
    const std::string data = json_str(body, "data");
    const int64_t to = json_int(body, "sendto_id");
    std::string cmid = json_str(body, "client_msg_id");
    if (cmid.empty()) cmid = json_str(body, "sendUUid");
    if (cmid.size() > 64) return fail(kErrBadParam);
    if (chat_type != "group") return fail(kErrChatType);
    if (type != "text") return fail(kErrMsgType);
    if (data.empty()) return fail(kErrEmptyMessage);
    if (data.size() > cfg_.max_text_bytes) return fail(kErrTooLong);
    if (!valid_utf8(data)) return fail(kErrBadParam);

    auto g = store_.group_by_id(to);
    if (!g || g->status != 1) return fail(kErrGroupClosed);
    auto mem = store_.member(g->id, u.id);
    if (!mem || mem->status != 1) return fail(kErrNotMember);

    core::Message m;
    m.from_id = u.id;
    m.from_name = mem->nickname.empty() ? (u.nickname.empty() ? u.username : u.nickname) : mem->nickname;
    m.from_avatar = u.avatar;
    m.to_id = g->id;
    m.to_name = g->name;
    m.to_avatar = g->avatar;
    m.chat_type = "group";
    m.type = type;
    m.data = data;
    m.options = json_str(body, "options");
    m.create_time = clock_();
    m.client_msg_id = cmid;
    auto res = store_.append_message(conv_key("group", g->id), m);
    if (res.created) fan_out(*g, res.message, u.id);   // after commit; a retried send is not fanned out twice
    return ok(core::to_json(res.message));
}

Response Api::history(const UserRow& u, std::string_view chat_type, std::string_view id_s, const Request& r) {
    auto id = to_int(id_s);
    if (chat_type != "group" || !id) return fail(kErrChatType);
    auto g = store_.group_by_id(*id);
    if (!g) return fail(core::kErrGroupNotFound);
    auto mem = store_.member(g->id, u.id);
    if (!mem || mem->status == 2) return fail(kErrNotInGroup, 403);
    const int limit = static_cast<int>(std::clamp<int64_t>(
        to_int(core::query_param(r.query, "limit").value_or("50")).value_or(50), 1, 200));
    const std::string conv = conv_key("group", g->id);
    std::vector<core::Message> msgs;
    const auto after = to_int(core::query_param(r.query, "after_seq").value_or(""));
    const auto before = to_int(core::query_param(r.query, "before_seq").value_or(""));
    if (after)
        msgs = store_.messages_after(conv, *after, limit);
    else if (before)
        msgs = store_.messages_before(conv, *before, limit);
    else
        msgs = store_.messages_latest(conv, limit);
    Json list = Json::array();
    for (const auto& m : msgs) list.push_back(core::to_json(m));
    return ok(Json{{"list", list}});
}

// Reference route, done safely: the missing messages (after the user's ack cursor in
// each of its groups) are answered in `data` and pushed over the socket, and nothing
// is deleted. The client acknowledges with {ack:[{chatType,id,seq}]} (here or on its
// next call); only then do those messages stop coming back.
Response Api::offline_messages(const UserRow& u, const Json& body) {
    constexpr int kPerConversation = 100, kTotal = 500;
    if (auto acks = body.find("ack"); acks != body.end() && acks->is_array()) {
        for (const auto& a : *acks) {
            const int64_t gid = json_int(a, "id"), seq = json_int(a, "seq");
            if (json_str(a, "chatType") != "group" || seq <= 0) continue;
            auto mem = store_.member(gid, u.id);
            if (!mem || mem->status == 2) continue;   // only conversations the user belongs to
            const std::string conv = conv_key("group", gid);
            store_.advance_ack_cursor(u.id, conv, std::min(seq, store_.last_seq(conv)));
        }
    }
    Json list = Json::array();
    std::vector<int64_t> me{u.id};
    for (const auto& g : store_.groups_of_user(u.id, 0, 1000)) {
        const std::string conv = conv_key("group", g.id);
        for (const auto& m : store_.messages_after(conv, store_.ack_cursor(u.id, conv), kPerConversation)) {
            if (static_cast<int>(list.size()) >= kTotal) break;
            list.push_back(core::to_json(m));
            bus_.publish(me, std::make_shared<const std::string>(core::make_frame("singleChat", list.back(), clock_())));
        }
    }
    return ok(list);
}

// ---- socket frames ----------------------------------------------------------------------

std::string Api::welcome_frame() const {
    return core::make_frame("system", "连接成功", clock_());
}

std::optional<std::string> Api::socket_text(const UserRow& u, std::string_view text) {
    (void)u;
    Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return core::make_frame("error", "invalid JSON", clock_());
    const std::string type = json_str(j, "type");
    if (type == "ping") return Json{{"type", "pong"}, {"timestamp", clock_()}}.dump();
    return core::make_frame("error", "unknown frame type", clock_());
}

// ---- setup --------------------------------------------------------------------------

GroupRow Api::ensure_demo_group() {
    if (store_.group_count() > 0) {
        for (int64_t id = 1; id < 1000; ++id)
            if (auto g = store_.group_by_id(id); g && g->status == 1) return *g;
    }
    UserRow owner = store_.create_user("imchat", "imchat", "user", clock_());
    GroupRow g = store_.create_group(owner.id, "imchat 演示群", 0, clock_());
    post_system_notice(g, "欢迎来到 imchat 演示群 / Welcome to the imchat demo group");
    return g;
}

std::string Api::join_url(int64_t group_id) const {
    std::string base = cfg_.public_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/?group=" + std::to_string(group_id);
}

}  // namespace imchat::server
