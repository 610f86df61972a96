// Accounts: guests by device, registration and login (argon2id), a guest
// upgrading in place or logging into an account, logout, and the tokens
// (random, only their hash stored, one session per account).
#include <sodium.h>

#include <regex>

#include "server/api/api.hpp"
#include "server/api/api_internal.hpp"
#include "server/store/store_errors.hpp"

namespace imchat::server {

using namespace detail;

namespace {
std::string sha256_hex(std::string_view s) {
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, reinterpret_cast<const unsigned char*>(s.data()), s.size());
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    return hex;
}

constexpr int64_t kHour = 3600 * 1000;
}  // namespace

std::string Api::issue_token(int64_t user_id) {
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    char hex[sizeof raw * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    store_.set_token_hash(user_id, sha256_hex(hex));   // only the hash is kept
    return hex;
}

std::optional<UserRow> Api::token_user(std::string_view token) {
    if (token.size() != 64) return std::nullopt;
    return store_.user_by_token_hash(sha256_hex(token));
}

std::optional<UserRow> Api::authenticate(std::string_view token) {
    auto u = token_user(token);
    if (!u || u->status != 1) return std::nullopt;
    return u;
}

std::string Api::display_name(const UserRow& u) const { return u.nickname.empty() ? u.username : u.nickname; }

Response Api::visitor_register(Ctx& c) {
    Json body = parse_json(c.r.body);
    if (body.is_discarded() || !body.is_object()) return fail(kErrBadJson);
    const std::string device = read_str(body, "deviceId");
    static const std::regex kDevice("^[\\w-]{36}$");
    if (!std::regex_match(device, kDevice)) return fail(kErrDeviceId);
    const int64_t now = clock_();
    if (!register_limits_.allow("ip:" + c.r.remote, cfg_.register_per_ip_hour, kHour, now) ||
        !register_limits_.allow("dev:" + device, cfg_.register_per_device_hour, kHour, now))
        return fail(kErrTooMany);
    UserRow u = store_.visitor_for_device(device, now);
    if (u.status != 1) return fail(kErrDisabled);
    Json j = user_json(u);
    j["token"] = issue_token(u.id);   // a new token: the device's older sessions end
    bus_.kick(u.id, 0);
    // The scanned link's group in the same answer (issue 11): joined if anyone may join at
    // once, else its card; `latest` asks for a member's latest page with it.
    if (const int64_t gid = read_int(body, "join_group_id"); gid > 0)
        if (auto g = link_group(u, gid, latest_limit(body, "latest"))) j["group"] = std::move(*g);
    return ok(j);
}

std::optional<Response> Api::new_account_fields(const Json& body, std::string& username, std::string& hash) {
    username = read_str(body, "username");
    const std::string password = read_str(body, "password");
    const std::string repassword = body.contains("repassword") ? read_str(body, "repassword") : password;
    // Lengths in characters (code points), as the rule and its message say, not bytes.
    const size_t name_len = char_count(username), pass_len = char_count(password);
    if (!valid_utf8(username) || name_len < 4 || name_len > 20) return fail(kErrUsername);
    if (username.rfind("VIS", 0) == 0 || store_.credentials(username)) return fail(kErrUserExists);
    if (!valid_utf8(password) || pass_len < 6 || pass_len > 20) return fail(kErrPassword);
    if (password != repassword) return fail(kErrRepassword);
    char buf[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str_alg(buf, password.c_str(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                              crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13) != 0)
        return fail(kErrOutOfMemory);
    hash = buf;
    return std::nullopt;
}

Response Api::reg_chat(Ctx& c) {
    std::string username, hash;
    if (auto bad = new_account_fields(c.body, username, hash)) return *bad;
    UserRow u;
    try {
        u = store_.create_user(username, "", "user", clock_());
    } catch (const std::exception& e) {
        if (storage_failure(e)) throw;   // a full disk is not a taken name (handle() answers 503)
        return fail(kErrUserExists);   // lost a race for the same name
    }
    store_.set_password_hash(u.id, hash);
    return ok(user_json(u));
}

std::optional<Response> Api::check_password(const Ctx& c, UserRow& out) {
    const std::string username = read_str(c.body, "username"), password = read_str(c.body, "password");
    if (!login_limits_.allow("ip:" + c.r.remote, 30, 10 * 60 * 1000, clock_()) ||
        !login_limits_.allow("user:" + username, 10, 10 * 60 * 1000, clock_()))
        return fail(kErrTooMany);
    auto cred = store_.credentials(username);
    if (!cred || cred->second.empty() ||
        crypto_pwhash_str_verify(cred->second.c_str(), password.c_str(), password.size()) != 0)
        return fail(kErrLogin);
    if (cred->first.status != 1) return fail(kErrDisabled);
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
        return fail(kErrTooMany);
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
    const std::string name = display_name(u);
    for (int64_t gid : store_.copy_memberships(c.user.id, u.id, clock_())) {
        member_changed(gid, u.id);
        if (auto g = store_.group_by_id(gid); g && g->status == 1) post_join_notice(*g, name, name + " 加入了群聊");
    }
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

}  // namespace imchat::server
