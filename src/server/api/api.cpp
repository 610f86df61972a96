// Routing, identity (guests, users, upgrades), settings and socket frames.
#include "server/api/api.hpp"

#include <sodium.h>

#include <regex>

#include "core/url.hpp"
#include "server/api/api_internal.hpp"

namespace imchat::server {

using namespace detail;

Response ok(const Json& data) { return {200, Json{{"msg", "ok"}, {"data", data}}.dump()}; }
Response fail(std::string_view reason, int status) {
    return {status, Json{{"msg", "fail"}, {"data", reason}}.dump()};
}

namespace {
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

constexpr int64_t kHour = 3600 * 1000;
}  // namespace

Api::Api(Store& store, Bus& bus, Clock clock, ApiConfig cfg, BlobStore* blobs)
    : store_(store), bus_(bus), blobs_(blobs), clock_(std::move(clock)), cfg_(std::move(cfg)) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
}

// ---- routing ------------------------------------------------------------------------
// guests: a visitor may call it (the reference's allow-list); needs_user: a token is required.

const std::vector<Api::Route>& Api::routes() {
    static const std::vector<Route> r = {
        {"POST", "/api/visitorRegister",              true,  false, &Api::visitor_register},
        {"POST", "/api/regChat",                      true,  false, &Api::reg_chat},
        {"POST", "/api/loginChat",                    true,  false, &Api::login_chat},
        {"POST", "/api/visitorregChat",               true,  true,  &Api::visitor_reg_chat},
        {"POST", "/api/visitorloginChat",             true,  true,  &Api::visitor_login_chat},
        {"POST", "/api/chat/logout",                  true,  true,  &Api::logout},
        {"GET",  "/api/chat/userset",                 true,  true,  &Api::get_userset},
        {"POST", "/api/chat/userset",                 true,  true,  &Api::set_userset},
        {"POST", "/api/chat/updateUserinfo",          true,  true,  &Api::update_userinfo},
        {"GET",  "/api/chat/grouplist/:page",         true,  true,  &Api::group_list},
        {"GET",  "/api/chat/grouplist",               true,  true,  &Api::group_list},
        {"GET",  "/api/chat/groupinfo/:id",           true,  true,  &Api::group_info},
        {"GET",  "/api/chat/groupQrcode/:id",         true,  true,  &Api::group_qrcode},
        {"GET",  "/api/chat/userQrcode",              true,  true,  &Api::user_qrcode},
        {"GET",  "/api/chat/contactInfo/:code",       true,  true,  &Api::contact_info},
        {"POST", "/api/chat/addContact",              true,  true,  &Api::add_contact},
        {"POST", "/api/chat/group/create",            false, true,  &Api::group_create},
        {"POST", "/api/chat/groupUpdateName",         false, true,  &Api::group_rename},
        {"POST", "/api/chat/groupremark",             false, true,  &Api::group_remark},
        {"POST", "/api/chat/groupnickname",           true,  true,  &Api::group_nickname},
        {"POST", "/api/chat/groupDeleteOrQuit",       true,  true,  &Api::group_delete_or_quit},
        {"POST", "/api/chat/groupDeleteUser",         false, true,  &Api::group_delete_user},
        {"POST", "/api/chat/groupMuteUser",           false, true,  &Api::group_mute_user},
        {"POST", "/api/chat/groupAddUserSet",         false, true,  &Api::group_policy},
        {"POST", "/api/chat/groupInviteUser",         true,  true,  &Api::group_invite_user},
        {"POST", "/api/chat/groupAgreeOrNo",          false, true,  &Api::group_agree_or_no},
        {"POST", "/api/chat/socket/sendmessage",      true,  true,  &Api::send_message},
        {"GET",  "/api/chat/history/:type/:id",       true,  true,  &Api::history},
        {"POST", "/api/chat/chatGetmessageOffLine",   true,  true,  &Api::offline_messages},
        {"POST", "/api/chat/revokeMessage",           true,  true,  &Api::revoke_message},
        {"POST", "/api/chat/upload",                  true,  true,  &Api::upload},
    };
    return r;
}

std::optional<Response> Api::handle(const Request& r) {
    const auto seg = split_path(r.path);
    if (seg.empty() || seg[0] != "api") return std::nullopt;
    try {
        const Route* route = nullptr;
        std::vector<std::string_view> params;
        for (const auto& rt : routes()) {
            const auto pat = split_path(rt.pattern);
            if (pat.size() != seg.size()) continue;
            std::vector<std::string_view> got;
            bool match = true;
            for (size_t i = 0; i < pat.size() && match; ++i) {
                if (pat[i][0] == ':') got.push_back(seg[i]);
                else match = pat[i] == seg[i];
            }
            if (!match) continue;
            if (r.method != rt.method) continue;
            route = &rt;
            params = std::move(got);
            break;
        }
        if (!route) return fail(kErrNoRoute, 404);

        Ctx c{r, UserRow{}, Json(), std::move(params)};
        if (r.method == "POST" && route->fn != &Api::upload) {
            c.body = Json::parse(r.body.empty() ? std::string("{}") : r.body, nullptr, false);
            if (c.body.is_discarded() || !c.body.is_object()) return fail(kErrBadJson);
        }
        if (route->needs_user) {
            auto u = authenticate(r.token);
            if (!u) return fail(protocol::kErrTokenInvalid);
            if (u->role == "visitor" && !route->guests) return fail(kErrGuest, 403);
            c.user = *u;
        }
        return (this->*(route->fn))(c);
    } catch (const std::exception& e) {
        return fail(std::string("服务器错误: ") + e.what(), 500);
    }
}

// ---- auth ---------------------------------------------------------------------------------

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

std::string Api::display_name(const UserRow& u) const { return u.nickname.empty() ? u.username : u.nickname; }

// ---- identity -----------------------------------------------------------------------------

Response Api::visitor_register(Ctx& c) {
    Json body = Json::parse(c.r.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) return fail(kErrBadJson);
    const std::string device = json_str(body, "deviceId");
    static const std::regex kDevice("^[\\w-]{36}$");
    if (!std::regex_match(device, kDevice)) return fail(kErrDeviceId);
    const int64_t now = clock_();
    if (!register_limits_.allow("ip:" + c.r.remote, cfg_.register_per_ip_hour, kHour, now) ||
        !register_limits_.allow("dev:" + device, cfg_.register_per_device_hour, kHour, now))
        return fail(kErrTooMany, 429);
    UserRow u = store_.visitor_for_device(device, now);
    if (u.status != 1) return fail(kErrDisabled, 403);
    Json j = user_json(u);
    j["token"] = issue_token(u.id);   // a new token: the device's older sessions end
    bus_.kick(u.id, 0);
    return ok(j);
}

std::optional<Response> Api::new_account_fields(const Json& body, std::string& username, std::string& hash) {
    username = json_str(body, "username");
    const std::string password = json_str(body, "password");
    const std::string repassword = body.contains("repassword") ? json_str(body, "repassword") : password;
    if (username.size() < 4 || username.size() > 20 || !valid_utf8(username)) return fail(kErrUsername);
    if (username.rfind("VIS", 0) == 0 || store_.credentials(username)) return fail(kErrUserExists);
    if (password.size() < 6 || password.size() > 20) return fail(kErrPassword);
    if (password != repassword) return fail(kErrRepassword);
    char buf[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(buf, password.c_str(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return fail("服务器内存不足", 500);
    hash = buf;
    return std::nullopt;
}

Response Api::reg_chat(Ctx& c) {
    std::string username, hash;
    if (auto bad = new_account_fields(c.body, username, hash)) return *bad;
    UserRow u;
    try {
        u = store_.create_user(username, "", "user", clock_());
    } catch (const std::exception&) {
        return fail(kErrUserExists);   // lost a race for the same name
    }
    store_.set_password_hash(u.id, hash);
    return ok(user_json(u));
}

std::optional<Response> Api::check_password(const Ctx& c, UserRow& out) {
    const std::string username = json_str(c.body, "username"), password = json_str(c.body, "password");
    if (!login_limits_.allow("ip:" + c.r.remote, 30, 10 * 60 * 1000, clock_()) ||
        !login_limits_.allow("user:" + username, 10, 10 * 60 * 1000, clock_()))
        return fail(kErrTooMany, 429);
    auto cred = store_.credentials(username);
    if (!cred || cred->second.empty() ||
        crypto_pwhash_str_verify(cred->second.c_str(), password.c_str(), password.size()) != 0)
        return fail(kErrLogin);
    if (cred->first.status != 1) return fail(kErrDisabled, 403);
    out = cred->first;
    return std::nullopt;
}

Response Api::login_chat(Ctx& c) {
    UserRow u;
    if (auto bad = check_password(c, u)) return *bad;
    Json j = user_json(u);
    j["token"] = issue_token(u.id);   // one session per account: older ones end
    bus_.kick(u.id, 0);               // and their sockets close with 4001
    return ok(j);
}

// The guest registers in place: same id, so its groups and history stay its own.
Response Api::visitor_reg_chat(Ctx& c) {
    if (c.user.role != "visitor") return fail(kErrBadParam);
    if (!register_limits_.allow("ip:" + c.r.remote, cfg_.register_per_ip_hour, kHour, clock_()))
        return fail(kErrTooMany, 429);
    std::string username, hash;
    if (auto bad = new_account_fields(c.body, username, hash)) return *bad;
    if (!store_.upgrade_visitor(c.user.id, username, hash)) return fail(kErrUserExists);
    Json j = user_json(*store_.user_by_id(c.user.id));
    // A new token; the guest's socket is not kicked: it is this same person, whose
    // client reconnects with the new token (a 4001 here would read "logged in elsewhere").
    j["token"] = issue_token(c.user.id);
    return ok(j);
}

// The guest logs into an existing account: the account joins the guest's groups.
Response Api::visitor_login_chat(Ctx& c) {
    if (c.user.role != "visitor") return fail(kErrBadParam);
    UserRow u;
    if (auto bad = check_password(c, u)) return *bad;
    for (int64_t gid : store_.copy_memberships(c.user.id, u.id, clock_()))
        if (auto g = store_.group_by_id(gid); g && g->status == 1) post_system_notice(*g, display_name(u) + " 加入了群聊");
    store_.set_token_hash(c.user.id, "");   // the guest session ends (its client moves to the account)
    Json j = user_json(u);
    j["token"] = issue_token(u.id);
    bus_.kick(u.id, 0);                      // the account's sessions elsewhere end
    return ok(j);
}

Response Api::logout(Ctx& c) {
    store_.set_token_hash(c.user.id, "");
    return ok("ok");
}

// ---- settings -------------------------------------------------------------------------------
// userset: {"chatset":{"visitor":{"sendCount":0|1|2,"needFollow":bool},"user":{...}}};
// sendCount: may guests message me: never / one message / unlimited (default 1).

Response Api::get_userset(Ctx& c) {
    Json j = Json::parse(store_.userset(c.user.id), nullptr, false);
    if (j.is_discarded() || !j.is_object()) j = Json{{"chatset", {{"visitor", {{"sendCount", 1}, {"needFollow", false}}}}}};
    return ok(j);
}

Response Api::set_userset(Ctx& c) {
    Json j = c.body.contains("userset") && c.body["userset"].is_string()
                 ? Json::parse(c.body["userset"].get<std::string>(), nullptr, false)
                 : c.body.value("userset", Json());
    if (j.is_discarded() || !j.is_object() || j.dump().size() > 4096) return fail(kErrBadParam);
    const Json* visitor = nullptr;
    if (auto cs = j.find("chatset"); cs != j.end() && cs->is_object())
        if (auto v = cs->find("visitor"); v != cs->end()) visitor = &*v;
    if (visitor) {
        const int64_t n = json_int(*visitor, "sendCount", 1);
        if (n < 0 || n > 2) return fail(kErrBadParam);
    }
    store_.set_userset(c.user.id, j.dump());
    return ok(j);
}

Response Api::update_userinfo(Ctx& c) {
    const std::string nickname = json_str(c.body, "nickname");
    if (char_count(nickname) > 20 || !valid_utf8(nickname)) return fail(kErrName);
    store_.set_nickname(c.user.id, nickname);
    return ok(user_json(*store_.user_by_id(c.user.id)));
}

// ---- socket frames ----------------------------------------------------------------------------

std::string Api::welcome_frame() const {
    return protocol::make_frame("system", "连接成功", clock_());
}

std::optional<std::string> Api::socket_text(const UserRow& u, std::string_view text) {
    (void)u;
    Json j = Json::parse(text, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return protocol::make_frame("error", "invalid JSON", clock_());
    const std::string type = json_str(j, "type");
    if (type == "ping") return Json{{"type", "pong"}, {"timestamp", clock_()}}.dump();
    return protocol::make_frame("error", "unknown frame type", clock_());
}

// ---- setup ----------------------------------------------------------------------------------------

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

std::string Api::contact_url(const std::string& code) const {
    std::string base = cfg_.public_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/?user=" + code;   // a random code, not the id: ids are guessable
}

}  // namespace imchat::server
