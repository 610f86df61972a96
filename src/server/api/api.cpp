// The route table, the guest allow-list (its `guests` column) and dispatch:
// match, parse the body, authenticate, call the handler. Handlers live in
// api_<domain>.cpp, one file per domain.
#include "server/api/api.hpp"

#include <sodium.h>
#include <spdlog/spdlog.h>

#include "server/api/api_internal.hpp"
#include "server/metrics/metrics.hpp"
#include "server/store/store_errors.hpp"

namespace imchat::server {

using namespace detail;

Response ok(const Json& data) { return {200, Json{{"msg", "ok"}, {"data", data}}.dump()}; }
namespace {
// Issue 14: every refusal passes through fail(): imchat_refusals_total{reason}.
void count_refusal(const ApiError& e) {
    using metrics::Reason;
    auto& m = metrics::registry();
    if (e.text == kErrTokenInvalid.text) m.refuse(Reason::auth);
    else if (e.text == kErrDisabled.text) m.refuse(Reason::disabled);
    else if (e.text == kErrOrigin.text) m.refuse(Reason::origin);
    else if (e.text == kErrStorage.text) m.refuse(Reason::storage);
    else if (e.text == kErrNotReady.text) return;   // a probe's answer, not a refusal
    else if (e.status == 429) m.refuse(Reason::rate_limited);
    else if (e.status == 413) m.refuse(Reason::too_large);
    else if (e.status == 503) m.refuse(Reason::overloaded);
    else if (e.status == 403) m.refuse(Reason::forbidden);
}
}  // namespace

Response fail(const ApiError& e, std::string_view detail) {
    count_refusal(e);
    Response r{e.status, Json{{"msg", "fail"}, {"data", std::string(e.text) + std::string(detail)}}.dump()};
    if (e.status == 503) r.retry_after_s = 1;   // busy: retryable, say when
    return r;
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
}  // namespace

Api::Api(Store& store, Bus& bus, Clock clock, ApiConfig cfg, BlobStore* blobs, Scheduler* scheduler,
         Backpressure* backpressure)
    : store_(store), bus_(bus), blobs_(blobs), clock_(std::move(clock)), cfg_(std::move(cfg)),
      scheduler_(scheduler), backpressure_(backpressure) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    coalesce_above_.store(cfg_.join_notice_coalesce_above);
    // Another process changed a group's members: drop our cached audience of it. The bus
    // lost or regained its link: notices may have been lost, drop every cached audience.
    bus_link_->api = this;
    bus_.subscribe(Bus::Handler{
        nullptr, nullptr,
        [link = bus_link_](bool) {
            std::lock_guard lk(link->mu);
            if (link->api) link->api->audience_.clear();
        },
        [link = bus_link_](int64_t group_id, int64_t) {
            std::lock_guard lk(link->mu);
            if (link->api) link->api->audience_.invalidate(group_id);
        },
    });
}

// Scheduled join flushes hold a weak_ptr to joins_: once it is gone they do nothing.
Api::~Api() {
    {
        std::lock_guard lk(bus_link_->mu);
        bus_link_->api = nullptr;
    }
    joins_.reset();
}

// ---- routing ------------------------------------------------------------------------
// guests: a visitor may call it (the reference's allow-list); needs_user: a token is required.

std::vector<std::string> Api::route_patterns() {
    std::vector<std::string> out;
    for (const auto& r : routes())
        if (std::find(out.begin(), out.end(), r.pattern) == out.end()) out.emplace_back(r.pattern);
    return out;
}

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
        {"GET",  "/api/chat/groupInviteCandidates/:id", true, true, &Api::group_invite_candidates},
        {"POST", "/api/chat/socket/sendmessage",      true,  true,  &Api::send_message},
        {"GET",  "/api/chat/history/:type/:id",       true,  true,  &Api::history},
        {"POST", "/api/chat/chatGetmessageOffLine",   true,  true,  &Api::offline_messages},
        {"POST", "/api/chat/revokeMessage",           true,  true,  &Api::revoke_message},
        {"GET",  "/api/chat/conversationList",        true,  true,  &Api::conversation_list},
        {"POST", "/api/chat/conversationRead",        true,  true,  &Api::conversation_read},
        {"POST", "/api/chat/conversationHide",        true,  true,  &Api::conversation_hide},
        {"POST", "/api/chat/upload",                  true,  true,  &Api::upload},
    };
    return r;
}

std::optional<Response> Api::handle(const Request& r) {
    const char* route = "other";
    std::optional<Response> res = dispatch(r, route);
    if (res) res->route = route;
    return res;
}

std::optional<Response> Api::dispatch(const Request& r, const char*& route_out) {
    if (r.path == "/healthz" || r.path == "/readyz") {
        route_out = "health";
        return r.method == "GET" ? health(r.path == "/readyz") : fail(kErrNoRoute);
    }
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
        if (!route) return fail(kErrNoRoute);
        route_out = route->pattern;

        Ctx c{r, UserRow{}, Json(), std::move(params)};
        if (r.method == "POST" && route->fn != &Api::upload) {
            c.body = parse_json(r.body.empty() ? std::string_view("{}") : std::string_view(r.body));
            if (c.body.is_discarded() || !c.body.is_object()) return fail(kErrBadJson);
        }
        if (route->needs_user) {
            // The reference also takes the token as a JSON body field, after the header and ?token=.
            const std::string token = r.token.empty() ? read_str(c.body, "token") : r.token;
            auto u = token_user(token);
            if (!u) return fail(kErrTokenInvalid);
            if (u->status != 1) return fail(kErrDisabled);   // issue 14: say why, not "token invalid"
            if (u->role == "visitor" && !route->guests) return fail(kErrGuest);
            c.user = *u;
        }
        return (this->*(route->fn))(c);
    } catch (const std::exception& e) {
        // A full disk or a read-only data dir: 503 with the reason, nothing was stored (issue 14).
        if (auto cause = storage_failure(e)) {
            spdlog::warn("{} {}: storage unavailable ({}): {}", r.method, r.path, *cause, e.what());
            return fail(kErrStorage);
        }
        // The text may name the database's host and port: the log gets it, the client does not.
        spdlog::error("{} {}: {}", r.method, r.path, e.what());
        return fail(kErrServer);
    }
}

Response Api::health(bool ready) {
    if (!ready) return ok(Json{{"status", "up"}});
    try {
        store_.last_seq(conv_key("group", 0));   // one indexed read: the store answers
    } catch (const std::exception& e) {
        spdlog::warn("readyz: store: {}", e.what());
        return fail(kErrNotReady, "store");
    }
    if (!bus_.healthy()) return fail(kErrNotReady, "bus");
    return ok(Json{{"status", "ready"}});
}

}  // namespace imchat::server
