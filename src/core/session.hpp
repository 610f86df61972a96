// imchat::core client session: the whole client behaviour as a state machine.
// Events in (socket, HTTP, clock, user), actions out (open socket, send, HTTP,
// persist). No I/O and no clock of its own: tests drive it to the millisecond
// with a manual clock and scripted replies; the platform layer executes actions.
//
// Session is the front: it keeps handle(Event) -> Actions and the read side, and
// delegates to components, one file each (state in core/<component>.hpp, the
// session's behaviour for it in core/session_<component>.cpp):
//   connection  (connection.hpp, session_connection.cpp)   socket lifecycle, heartbeat, close codes
//   identity    (session_identity.cpp)                       start, guest register, sign in/up/out
//   delivery    (delivery.hpp, session_delivery.cpp)         send, outbox, timeouts, seq sync, paging
//   groups      (groups.hpp, session_groups.cpp)             links, joins, group detail and actions
//   contacts    (session_contacts.cpp)                       personal QR links
//   settings    (session_settings.cpp)                       language, nickname, guest send count, my QR
//   navigation  (navigation.hpp, session_navigation.cpp)     screens, conversation list, open conversation
//   persistence (session_persistence.cpp)                    stored user, outbox, message cache, test hook
// Every HTTP request in flight is a typed core::Request (requests.hpp) built by
// core/api_client; every deadline is one Timers table (timers.hpp).
//
// Platform contract:
//  - Execute actions in order. After `CloseSocket` (or a new `OpenSocket`) no
//    event from the old socket may be delivered.
//  - Deliver `Tick{now}` once now >= next_deadline() (re-read it after every
//    handle()), and on every user event.
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/api_client.hpp"
#include "core/connection.hpp"
#include "core/delivery.hpp"
#include "core/events.hpp"
#include "core/groups.hpp"
#include "core/i18n.hpp"
#include "core/media.hpp"
#include "core/message_store.hpp"
#include "core/navigation.hpp"
#include "core/requests.hpp"
#include "core/timers.hpp"
#include "protocol/envelope.hpp"
#include "protocol/group.hpp"
#include "protocol/user.hpp"

namespace imchat::core {

using protocol::ApiResult;
using protocol::User;

// Storage keys (localStorage on the web).
inline constexpr const char* kKeyDevice = "imchat.device";
inline constexpr const char* kKeyUser   = "imchat.user";
inline constexpr const char* kKeyOutbox = "imchat.outbox";
inline constexpr const char* kKeyCache  = "imchat.cache";
inline constexpr const char* kKeyLang   = "imchat.lang";

struct Timing {
    int64_t connect_timeout_ms = 10000;   // = 10 s
    int64_t ping_interval_ms   = 5000;    // = 5 s (reference heartbeat)
    int     max_missed_pongs   = 2;       // dead after this many unanswered pings
    int     history_page       = 50;      // messages per history request
    int64_t send_timeout_ms    = 10000;   // = 10 s without an answer: shown failed (still retried)
    int64_t stable_after_ms    = 10000;   // = 10 s online: the backoff starts again from 0.5 s
    int     cache_messages     = 50;      // per conversation, kept for the next page load
    int64_t cache_interval_ms  = 1000;    // at most one cache write a second
};

class Session {
public:
    using Random = std::function<double()>;   // uniform in [0, 1)
    explicit Session(Random rng, Timing timing = {});

    std::vector<Action> handle(const Event& e);
    // Whether the last handle() changed anything a view shows (heartbeats and quiet
    // ticks do not): the platform redraws only then.
    bool                changed() const { return changed_; }
    // When the session next needs a Tick (a timer or a send timeout); INT64_MAX
    // when nothing is scheduled. Valid after every handle().
    int64_t             next_deadline() const;

    // ---- read side (the UI and the test hook read these) ----
    const User&                       user() const { return user_; }
    Conn                              connection() const { return conn_.shown(); }   // Offline also while the browser has no network
    Screen                            screen() const { return screen_; }
    Lang                              lang() const { return lang_; }
    const std::vector<Conversation>&  conversations() const { return nav_.convs; }
    const Conversation*               open_conversation() const;
    const std::vector<Message>&       open_messages() const;
    int64_t                           now() const { return now_; }
    int64_t                           retry_at() const { return conn_.retry_at; }
    const std::string&                notice() const { return notice_; }
    uint64_t                          notice_seq() const { return notice_seq_; }   // bumps with every notice (the toast)
    const std::string&                modal() const { return modal_; }        // "" when none
    const JoinCard&                   join_card() const { return groups_.join_card; }
    const protocol::Group&            group_detail() const { return groups_.detail; }   // groupinfo of the open group
    const Qr&                         group_qr() const { return groups_.qr; }
    int                               pending_requests() const;   // the open group's join requests (owner only)
    const InvitePicker&               invite_picker() const { return groups_.invite; }
    const SendError*                  send_error(const Message& m) const;   // why an unsent message failed
    int                               guest_send_count() const { return send_count_; }
    bool                              can_send() const;       // open conversation accepts messages from us
    bool                              can_recall(const Message& m) const;
    bool                              page_is_localhost() const { return page_localhost_; }
    bool                              page_visible() const { return page_visible_; }
    bool                              can_load_earlier() const;
    bool                              loading_earlier() const;
    const MessageStore&               store() const { return delivery_.store; }
    const Media&                      media() const { return media_; }        // voice: played, playing
    const MediaUpload*                upload_of(const Message& m) const;   // its upload while not uploaded, else nullptr
    Json                              snapshot() const;
    Json                              group_snapshot() const;
    Json                              invite_snapshot() const;

private:
    // handle() per event kind
    void on_start(const ev::Start& e, std::vector<Action>& out);
    void on_http(const ev::HttpDone& e, std::vector<Action>& out);
    void on_tick(std::vector<Action>& out);

    // ---- connection (session_connection.cpp) ----
    void on_socket_opened(std::vector<Action>& out);
    void on_socket_message(const ev::SocketMessage& e, std::vector<Action>& out);
    void on_socket_closed(const ev::SocketClosed& e, std::vector<Action>& out);
    void on_network_online(std::vector<Action>& out);
    void connection_timers(std::vector<Action>& out);      // Connect, Ping, Reconnect, Stable
    void open_socket(std::vector<Action>& out);
    void enter_backoff();
    void set_conn(Conn c);                                  // leaves the old state's timers behind

    // ---- identity (session_identity.cpp) ----
    void advance(std::vector<Action>& out);                 // issue whatever the bootstrap still needs
    void on_sign_in(const ev::SignIn& e, std::vector<Action>& out);
    void on_logout(std::vector<Action>& out);
    void on_dismiss_modal(std::vector<Action>& out);
    void token_invalid(std::vector<Action>& out);
    void kicked(std::vector<Action>& out);
    void become(const User& u, std::vector<Action>& out);   // a new identity: drop the old one's state
    void answer(const req::Register&, const ApiResult& r, int status, std::vector<Action>& out);
    void answer(const req::SignUp&, const ApiResult& r, int status, std::vector<Action>& out);
    void answer(const req::SignIn&, const ApiResult& r, int status, std::vector<Action>& out);
    void answer(const req::Logout&, const ApiResult& r, int status, std::vector<Action>& out);

    // ---- delivery (session_delivery.cpp) ----
    void on_send(const ev::SendText& e, std::vector<Action>& out);
    void on_retry_send(const ev::RetrySend& e, std::vector<Action>& out);
    void on_load_earlier(std::vector<Action>& out);
    void on_recall(const ev::Recall& e, std::vector<Action>& out);
    void fetch_history(const ConversationKey& k, int64_t after_seq, std::vector<Action>& out);
    void receive(const Message& m, std::vector<Action>& out);
    void send_message(const Message& m, std::vector<Action>& out);
    void resend_unsent(std::vector<Action>& out);
    void send_timeouts();
    void answer(const req::History&, const ApiResult& r, int status, std::vector<Action>& out);
    void store_history(const req::History& q, const std::vector<Message>& page, std::vector<Action>& out);
    // A group answer's `latest` page, stored as the history route's latest page would be.
    bool take_latest(const ConversationKey& k, const Json& data, std::vector<Action>& out);
    int  latest_wanted(const ConversationKey& k) const;   // 0 if the conversation's history is cached
    void answer(const req::Send&, const ApiResult& r, int status, std::vector<Action>& out);
    void answer(const req::Recall&, const ApiResult& r, int status, std::vector<Action>& out);

    // ---- uploads: photos, voice, files, videos (session_uploads.cpp, issue 13) ----
    void on_upload(const ev::UploadImage& e, std::vector<Action>& out);
    void on_upload_media(const ev::UploadMedia& e, std::vector<Action>& out);
    // A pending bubble of `type` in the open conversation, then its upload (the blob's).
    void begin_upload(MediaUpload u, const std::string& type, const std::string& options, std::vector<Action>& out);
    void on_upload_progress(const ev::UploadProgress& e);
    void on_cancel_upload(const ev::CancelUpload& e, std::vector<Action>& out);
    bool retry_upload(const std::string& client_msg_id, std::vector<Action>& out);   // false: not an upload
    void start_upload(const std::string& client_msg_id, std::vector<Action>& out);
    void answer(const req::MediaUpload&, const ApiResult& r, int status, std::vector<Action>& out);
    Json media_snapshot(const Message& m) const;          // the snapshot's file/video/upload fields
    void drop_pending(const std::string& client_msg_id, std::vector<Action>& out);   // its bubble and Blobs
    void fail_pending_uploads(std::vector<Action>& out);   // requests forgotten: aborted, failed, retryable
    // The page handed us a Blob we will not upload (cannot send here): let it go.
    static void refuse_blob(int blob, int poster_blob, std::vector<Action>& out);

    // ---- groups and joins (session_groups.cpp) ----
    void on_request_join(const ev::RequestJoin& e, std::vector<Action>& out);
    void on_show_group_info(std::vector<Action>& out);
    void on_group_action(const ev::GroupAction& e, std::vector<Action>& out);
    void on_create_group(const ev::CreateGroup& e, std::vector<Action>& out);
    void on_show_invite(std::vector<Action>& out);
    void on_invite(const ev::Invite& e, std::vector<Action>& out);
    void on_group_event(const Message& m, const std::string& action, std::vector<Action>& out);
    void link_failed(const ApiResult& r, bool network_error);
    void refresh_group(std::vector<Action>& out);
    void request_group_list(std::vector<Action>& out);
    void apply_group(const protocol::Group& g);            // a group answer into its conversation
    void answer(const req::GroupInfo&, const ApiResult& r, int status, std::vector<Action>& out);
    void link_group(const Json& data, std::vector<Action>& out);   // the scanned link's group answer
    void answer(const req::Join&, const ApiResult& r, int status, std::vector<Action>& out);
    void answer(const req::GroupDetail&, const ApiResult& r, int status, std::vector<Action>& out);
    void answer(const req::GroupQr&, const ApiResult& r, int status, std::vector<Action>& out);
    void answer(const req::GroupAction&, const ApiResult& r, int status, std::vector<Action>& out);
    void answer(const req::CreateGroup&, const ApiResult& r, int status, std::vector<Action>& out);
    void answer(const req::GroupList&, const ApiResult& r, int status, std::vector<Action>& out);
    void answer(const req::InviteCandidates&, const ApiResult& r, int status, std::vector<Action>& out);
    void answer(const req::Invite&, const ApiResult& r, int status, std::vector<Action>& out);
    void answer(const req::ConvRead&, const ApiResult& r, int status, std::vector<Action>& out);
    void answer(const req::ConvHide&, const ApiResult& r, int status, std::vector<Action>& out);

    // ---- contacts (session_contacts.cpp) ----
    void answer(const req::ContactInfo&, const ApiResult& r, int status, std::vector<Action>& out);
    void answer(const req::AddContact&, const ApiResult& r, int status, std::vector<Action>& out);

    // ---- settings (session_settings.cpp) ----
    void on_show_settings(std::vector<Action>& out);
    void on_save_settings(const ev::SaveSettings& e, std::vector<Action>& out);
    void on_upload_avatar(const ev::UploadAvatar& e, std::vector<Action>& out);
    void answer(const req::Settings&, const ApiResult& r, int status, std::vector<Action>& out);
    void answer(const req::SaveSettings&, const ApiResult& r, int status, std::vector<Action>& out);
    void answer(const req::AvatarUpload&, const ApiResult& r, int status, std::vector<Action>& out);
    void answer(const req::SaveAvatar&, const ApiResult& r, int status, std::vector<Action>& out);
    void answer(const req::MyQr&, const ApiResult& r, int status, std::vector<Action>& out);

    // ---- voice messages (session_voice.cpp) ----
    void on_upload_voice(const ev::UploadVoice& e, std::vector<Action>& out);
    void on_voice_state(const ev::VoiceState& e, std::vector<Action>& out);

    // ---- navigation (session_navigation.cpp) ----
    // have_latest: its latest page just came with another answer (no history request).
    void open_conversation(const ConversationKey& k, std::vector<Action>& out, bool have_latest = false);
    void on_show_list(std::vector<Action>& out);
    void on_hide(const ev::HideConversation& e, std::vector<Action>& out);
    void sync_read(std::vector<Action>& out);              // conversationRead for the open, visible conversation

    // ---- persistence (session_persistence.cpp) ----
    void load_stored(const ev::Start& e);
    void persist_user(std::vector<Action>& out);
    void send_next_queued(const ConversationKey& k, std::vector<Action>& out);
    void answer_send(const req::Send& q, const ApiResult& r, int status, std::vector<Action>& out);
    void persist_outbox(std::vector<Action>& out);
    void mark_cache_dirty();
    void write_cache(std::vector<Action>& out);

    // requests in flight
    template <class R> bool busy() const;                  // a request of kind R is in flight
    template <class R, class F> bool any_inflight(F&& pred) const;
    void        http(act::Http h, Request r, std::vector<Action>& out);   // adds id, origin and token
    std::string new_uuid();
    void        notify(std::string text);                  // a notice (shown as a toast on every screen)

    Random       rng_;
    Timing       timing_;
    Lang         lang_ = Lang::ZhCN;
    int64_t      now_ = 0;
    bool         started_ = false;
    bool         changed_ = true;
    bool         page_localhost_ = false;
    bool         page_visible_ = true;

    std::string  origin_, ws_origin_, device_id_;
    User         user_;
    Link         link_;
    Connection   conn_;
    Timers       timers_;
    int          next_http_id_ = 1;
    std::map<int, Request> inflight_;

    // per identity: become() re-constructs these
    Navigation   nav_;
    Delivery     delivery_;
    Groups       groups_;

    Screen       screen_ = Screen::Loading;
    std::string  notice_;
    uint64_t     notice_seq_ = 0;
    std::string  modal_;
    CacheState   cache_;
    int          send_count_ = 1;
    Media        media_;   // per device, not per identity: message ids are global
};

template <class R, class F> bool Session::any_inflight(F&& pred) const {
    for (const auto& [id, r] : inflight_)
        if (const R* p = std::get_if<R>(&r); p && pred(*p)) return true;
    return false;
}
template <class R> bool Session::busy() const { return any_inflight<R>([](const R&) { return true; }); }

}  // namespace imchat::core
