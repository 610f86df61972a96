// imchat::server Api: the reference system's HTTP routes and the socket's text
// frames, as pure request -> response logic over a Store and a Bus. No I/O of
// its own: transport/ parses HTTP and calls handle(); tests call it directly.
//
// Files: api.cpp (route table, guest allow-list, dispatch), one file per domain:
// api_accounts.cpp, api_settings.cpp, api_groups.cpp, api_joins.cpp,
// api_contacts.cpp (QR codes, contacts), api_messages.cpp, api_conversations.cpp, api_uploads.cpp,
// api_socket.cpp (socket frames). Error texts and statuses: errors.hpp.
#pragma once
#include <algorithm>
#include <cstdint>
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/codes.hpp"
#include "protocol/envelope.hpp"
#include "protocol/frames.hpp"
#include "protocol/message.hpp"
#include "server/api/audience_cache.hpp"
#include "server/api/backpressure.hpp"
#include "server/api/errors.hpp"
#include "server/api/inflight_limiter.hpp"
#include "server/api/join_notices.hpp"
#include "server/api/rate_limiter.hpp"
#include "server/api/scheduler.hpp"
#include "server/blob/blob_store.hpp"
#include "server/bus/bus.hpp"
#include "server/store/store.hpp"

namespace imchat::server {

struct Request {
    std::string method;        // "GET", "POST", ...
    std::string path;          // "/api/chat/groupinfo/3"
    std::string query;         // "limit=30" (no '?')
    std::string token;         // `token` header, else ?token=
    std::string body;
    std::string remote;        // client IP, for rate limits
    std::string content_type;  // the Content-Type header (uploads: multipart/form-data or raw)
};

struct Response {
    int         status = 200;
    std::string body;
    std::string content_type = "application/json; charset=utf-8";
    int         retry_after_s = 0;          // > 0: the transport sends `Retry-After: N` (503 busy)
    const char* route = "other";            // handle(): the matched route pattern (metrics label), "health", "other"
};

struct ApiConfig {
    std::string public_url;                 // base of join links, e.g. "http://192.168.1.5:8080"
    size_t      max_text_bytes = 8000;      // = 8000, a text message's data
    int         register_per_device_hour = 10;
    int         register_per_ip_hour = 600;
    // Messages one user may send (sendmessage, any chat) per send_window_ms, sliding window;
    // one more: 429 + Retry-After (0: no limit). --send-per-user-10s (issue 14).
    int         sends_per_user_window = 200;
    int64_t     send_window_ms = 10000;
    int64_t     recall_window_ms = 5 * 60 * 1000;   // = 5 min for senders; owners any time
    // Uploads (issue 13), by the kind judged from the content (sniff.hpp); README's table.
    size_t      max_image_bytes = 5 * 1024 * 1024;    // = 5 MiB
    size_t      max_audio_bytes = 10 * 1024 * 1024;   // = 10 MiB
    size_t      max_video_bytes = 50 * 1024 * 1024;   // = 50 MiB
    size_t      max_file_bytes = 50 * 1024 * 1024;    // = 50 MiB
    int64_t     upload_quota_bytes = 200 * 1024 * 1024;   // = 200 MiB per user and UTC day
    size_t      max_options_bytes = 2000;             // a message's `options` (URI-encoded JSON)
    int64_t     join_notice_window_ms = 3000;       // joins within it share one notice (needs a Scheduler)
    size_t      join_notice_coalesce_above = 50;    // groups up to this many members: each join announced at once
    // Group messages being stored and fanned out at once per group, beyond which a send
    // is refused with 503 busy (0: no bound). Bounds a group's backlog inside the server.
    int         max_inflight_per_group = 0;
    // A join's answer lists the members (group_users) up to this many; a bigger group answers
    // the card only (member_count), else n joins would cost O(n²) (issue 10: 5,000 guests).
    size_t      join_answer_members_max = 200;
    // Keep each group's audience in memory between fan-outs. Only right while this process
    // sees every membership change: with several processes on one store (--redis) a join
    // through another one would go unseen, so main.cpp turns it off and each fan-out reads
    // the members from the store.
    bool        cache_audience = true;
};

// A reference socket (`/ws?token=` without `ack=1`): its client never acks, so a message
// frame written to it counts as delivered. The transport asks before each write and reports
// each completed one; the Api keeps the store side (issue 9). One per socket, one thread.
class SocketDelivery {
public:
    virtual ~SocketDelivery() = default;
    // False: skip `frame`, a message (conversation, seq) this socket has already written.
    virtual bool should_write(const std::string& frame) = 0;
    // The frame should_write last let through has been written.
    virtual void written() = 0;
};

// Thread-safety: every public method may be called concurrently from several threads
// (the transport's workers); the Store, Bus, BlobStore, Scheduler and Backpressure it is
// given must be thread-safe, and the clock callable from any thread. Mutable state here:
// the rate limiters, the audience cache and the join windows (each with its own mutex),
// the public URL (a mutex) and the scheduler/backpressure pointers (atomic).
class Api {
public:
    using Clock = std::function<int64_t()>;   // ms since epoch
    Api(Store& store, Bus& bus, Clock clock, ApiConfig cfg, BlobStore* blobs = nullptr,
        Scheduler* scheduler = nullptr, Backpressure* backpressure = nullptr);
    ~Api();
    Api(const Api&) = delete;
    Api& operator=(const Api&) = delete;
    // The upload route's body limit for the transport: the largest kind's limit plus room for
    // multipart framing (boundaries, part headers, other small fields).
    size_t max_upload_bytes() const {
        return std::max({cfg_.max_image_bytes, cfg_.max_audio_bytes, cfg_.max_video_bytes, cfg_.max_file_bytes}) +
               kUploadFramingBytes;
    }
    static constexpr size_t kUploadFramingBytes = 64 * 1024;

    // nullptr (the default): join notices are posted one by one at once, as before.
    // Else joins are coalesced per group (JoinNotices); `s` must outlive the Api, and the
    // Api must outlive the functions it scheduled (or they must never run).
    void set_scheduler(Scheduler* s) { scheduler_.store(s); }
    void set_join_notice_coalesce_above(size_t members) { coalesce_above_.store(members); }
    // nullptr (the default): no refusal. Else a group send whose audience the server is
    // behind on is refused with 503 + Retry-After and stores nothing.
    void set_backpressure(Backpressure* b) { backpressure_.store(b); }

    // nullopt: not an API route (the transport serves a static file instead).
    std::optional<Response> handle(const Request& r);
    // Every route pattern once ("/api/chat/groupinfo/:id"): the metrics' bounded route labels.
    static std::vector<std::string> route_patterns();
    // GET /healthz: the process answers. GET /readyz: the store answers a query and the bus is
    // healthy (else 503 saying which), for load balancers and orchestration.
    Response health(bool ready);

    // Socket: authenticate `?token=`; one text frame in, an optional reply out.
    std::optional<UserRow>     authenticate(std::string_view token);   // nullopt also for a disabled account
    // The token's user whatever its status (issue 14: a disabled account is told so, 403 / close 4003).
    std::optional<UserRow>     token_user(std::string_view token);
    std::optional<std::string> socket_text(const UserRow& u, std::string_view text);
    std::string                welcome_frame() const;
    // For a reference socket of `u` (not for imchat's own `ack=1` sockets).
    std::unique_ptr<SocketDelivery> reference_delivery(const UserRow& u);

    // Setup helpers (server start-up, tests).
    std::string issue_token(int64_t user_id);
    GroupRow    ensure_demo_group();            // "imchat 演示群", created once
    std::string join_url(int64_t group_id) const;
    std::string contact_url(const std::string& code) const;
    void        set_public_url(std::string url) { std::lock_guard lk(url_mu_); cfg_.public_url = std::move(url); }
    int64_t     now() const { return clock_(); }

    // What a route handler gets.
    struct Ctx {
        const Request&                r;
        UserRow                       user;     // id 0 on public routes
        protocol::Json                    body;     // POST body (object), null on GET
        std::vector<std::string_view> params;   // ":x" segments, in order
    };

private:
    using Handler = Response (Api::*)(Ctx&);
    struct Route { const char* method; const char* pattern; bool guests; bool needs_user; Handler fn; };
    static const std::vector<Route>& routes();
    std::optional<Response> dispatch(const Request& r, const char*& route_out);

    // accounts (api_accounts.cpp)
    Response visitor_register(Ctx& c);
    Response reg_chat(Ctx& c);
    Response login_chat(Ctx& c);
    Response visitor_reg_chat(Ctx& c);
    Response visitor_login_chat(Ctx& c);
    Response logout(Ctx& c);
    // settings (api_settings.cpp)
    Response get_userset(Ctx& c);
    Response set_userset(Ctx& c);
    Response update_userinfo(Ctx& c);
    // groups (api_groups.cpp)
    Response group_list(Ctx& c);
    Response group_info(Ctx& c);
    Response group_create(Ctx& c);
    Response group_rename(Ctx& c);
    Response group_remark(Ctx& c);
    Response group_nickname(Ctx& c);
    Response group_delete_or_quit(Ctx& c);
    Response group_delete_user(Ctx& c);
    Response group_mute_user(Ctx& c);
    Response group_policy(Ctx& c);
    // joins (api_joins.cpp)
    Response group_invite_user(Ctx& c);
    Response group_agree_or_no(Ctx& c);
    Response group_invite_candidates(Ctx& c);
    Response invite_other(Ctx& c, int64_t group_id, int64_t invitee);   // groupInviteUser, inviteuser_id > 0
    // QR codes and contacts (api_contacts.cpp)
    Response group_qrcode(Ctx& c);
    Response user_qrcode(Ctx& c);
    Response contact_info(Ctx& c);
    Response add_contact(Ctx& c);
    Response qr_response(const std::string& url, const Request& r);
    // messages (api_messages.cpp)
    Response send_message(Ctx& c);
    std::optional<Response> check_message_content(const std::string& type, const std::string& data);
    Response history(Ctx& c);
    Response offline_messages(Ctx& c);
    Response revoke_message(Ctx& c);
    // conversations (api_conversations.cpp)
    Response conversation_list(Ctx& c);
    Response conversation_read(Ctx& c);
    Response conversation_hide(Ctx& c);
    std::optional<Response> own_conversation(const Ctx& c, std::string& conv);
    // uploads (api_uploads.cpp)
    Response upload(Ctx& c);

    // shared helpers
    std::optional<Response> owned_group(int64_t group_id, const UserRow& u, GroupRow& g);   // fails unless owner
    // The owner acting on another member (body group_id, user_id); fails otherwise.
    std::optional<Response> owner_on_member(const Ctx& c, GroupRow& g, MemberRow& m, bool allow_pending);
    protocol::Json group_json(const GroupRow& g, bool with_members, int64_t viewer);
    void       post_system_notice(const GroupRow& g, const std::string& text);
    // A join's notice: at once without a Scheduler, else coalesced per group (JoinNotices).
    void       post_join_notice(const GroupRow& g, const std::string& name, const std::string& single_text);
    void       schedule_join_flush(int64_t group_id);
    void       flush_join_notices(int64_t group_id);
    // The group's active member ids (cached; see AudienceCache). Every route that changes a
    // group's members or status calls members_changed(group) after its store write.
    AudienceCache::Ids audience(int64_t group_id);
    // Both also tell the other processes (Bus::audience_changed), whose caches drop the group.
    void       members_changed(int64_t group_id) {
        audience_.invalidate(group_id);
        bus_.audience_changed(group_id, 0);
    }
    // One member's row changed: updates the cached audience from that row alone.
    void       member_changed(int64_t group_id, int64_t user_id);
    // A join's answer: the group with its members, or only the card (member_count,
    // my_status) once the group has more than cfg_.join_answer_members_max members.
    protocol::Json join_answer(const GroupRow& g, int64_t viewer);
    // Fewer round trips (issue 11). A request may ask for the conversation's latest page
    // with `latest: N` (groupInviteUser, visitorRegister) or `?latest=N` (groupinfo); the
    // answer then carries `latest` ({list:[..]}, the history route's answer for
    // ?limit=N), only to an active member (status not pending). nullopt: not asked.
    static std::optional<int> latest_limit(const protocol::Json& body, const char* key);   // 1..200
    protocol::Json latest_page(int64_t group_id, int limit);
    // The caller joins an open group (invite_confirm 0) at once: the member row and the notice.
    void       join_open_group(const GroupRow& g, const UserRow& u);
    // visitorRegister's `join_group_id`: the link's group as the next screen needs it. An
    // open group is joined (what the client does next anyway); a group that needs approval
    // is never applied to: its public card. nullopt: no such group (or gone, for a non-member).
    std::optional<protocol::Json> link_group(const UserRow& u, int64_t group_id, std::optional<int> latest);
    void       fan_out(const GroupRow& g, const protocol::Message& m, int64_t except_user);
    void       push(const std::vector<int64_t>& users, const protocol::Json& message);
    // Verifies a password (rate-limited per IP and username); fills `out` or the failure.
    std::optional<Response> check_password(const Ctx& c, UserRow& out);
    std::optional<Response> new_account_fields(const protocol::Json& body, std::string& username, std::string& hash);
    std::string display_name(const UserRow& u) const;

    Store&      store_;
    Bus&        bus_;
    BlobStore*  blobs_;
    Clock       clock_;
    ApiConfig   cfg_;
    RateLimiter register_limits_;
    RateLimiter login_limits_;
    SlidingRateLimiter send_limits_;   // per user (sends_per_user_window)
    mutable std::mutex          url_mu_;         // cfg_.public_url (set_public_url at any time)
    std::atomic<Scheduler*>     scheduler_{nullptr};
    std::atomic<size_t>         coalesce_above_{0};   // from cfg_ (tests lower it)
    std::atomic<Backpressure*>  backpressure_{nullptr};
    AudienceCache               audience_;
    // The bus handler's way back to this Api (other processes' audience notices); ~Api
    // empties it, so a notice arriving during destruction does nothing.
    struct BusLink { std::mutex mu; Api* api = nullptr; };
    std::shared_ptr<BusLink>    bus_link_ = std::make_shared<BusLink>();
    std::shared_ptr<JoinNotices> joins_ = std::make_shared<JoinNotices>();   // scheduled flushes hold a weak_ptr
    InflightLimiter             inflight_;

public:
    // Tests: the audience cache's store reads and hits; groups with an open join window.
    uint64_t audience_loads() const { return audience_.loads(); }
    size_t   open_join_windows() const { return joins_->open_windows(); }
};

Response ok(const protocol::Json& data);                           // 200 {"msg":"ok","data":data}
Response fail(const ApiError& e, std::string_view detail = {});   // e.status {"msg":"fail","data":text+detail}

}  // namespace imchat::server
