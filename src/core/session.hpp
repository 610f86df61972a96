// imchat::core client session: the whole client behaviour as a state machine.
// Events in (socket, HTTP, clock, user), actions out (open socket, send, HTTP,
// persist). No I/O and no clock of its own: tests drive it to the millisecond
// with a manual clock and scripted replies; the platform layer executes actions.
//
// Platform contract:
//  - Execute actions in order. After `CloseSocket` (or a new `OpenSocket`) no
//    event from the old socket may be delivered.
//  - Deliver `Tick` at least every 250 ms (and on every user event).
#pragma once
#include <climits>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "core/backoff.hpp"
#include "core/i18n.hpp"
#include "core/message_store.hpp"
#include "core/protocol.hpp"
#include "core/url.hpp"
#include "protocol/group.hpp"

namespace imchat::core {

// ---- events ---------------------------------------------------------------
namespace ev {
struct Start {
    std::string href;          // page URL (QR link)
    std::string origin;        // server origin for HTTP, e.g. "http://192.168.1.5:8080"
    std::string language;      // navigator.language
    std::string device_id;     // stored device id ("" on first visit)
    std::string user_json;     // stored user ("" if none)
    int64_t     now = 0;
    std::string outbox_json;   // unsent messages kept across reloads
    std::string cache_json;    // last messages per conversation, shown before the socket is up
};
struct HttpDone        { int id = 0; int status = 0; std::string body; };  // status 0: network error
struct SocketOpened    {};
struct SocketMessage   { std::string text; };
struct SocketClosed    { int code = 1006; std::string reason; };
struct Tick            { int64_t now = 0; };
struct SendText        { std::string text; std::string type = "text"; };   // type "image": text is the upload URL
struct OpenConversation{ ConversationKey conv; std::string title; };   // title: for a new 1:1 chat
struct ShowList        {};
struct NetworkOnline   {};     // `online`, visibility visible, `pageshow`, "retry now"
struct NetworkOffline  {};     // the browser says it has no network
struct RetrySend       { std::string client_msg_id; };
struct LoadEarlier     {};     // scrolled to the top of the open conversation
struct DismissModal    {};     // the user acknowledged the modal
struct ShowLogin       {};
struct SignIn          { std::string username, password; bool create = false; };   // create: register first
struct Logout          {};
struct RequestJoin     { std::string reason; };        // apply to the group on the join screen
struct ShowGroupInfo   {};                              // of the open group
struct GroupAction     { std::string action; int64_t user_id = 0; std::string text; int value = 0; };
                       // rename | remark | nickname | policy | mute | unmute | remove | approve | reject | quit
struct Recall          { int64_t message_id = 0; };
struct ShowSettings    {};
struct SaveSettings    { std::string nickname; int send_count = 1; std::string language; };   // "zh-CN" | "en"
struct CreateGroup     { std::string name; };
struct UploadImage     { int blob = 0; };          // a picked image the platform holds by handle; sent once uploaded
}  // namespace ev
using Event = std::variant<ev::Start, ev::HttpDone, ev::SocketOpened, ev::SocketMessage,
                           ev::SocketClosed, ev::Tick, ev::SendText, ev::OpenConversation,
                           ev::ShowList, ev::NetworkOnline, ev::RetrySend, ev::LoadEarlier,
                           ev::DismissModal, ev::ShowLogin, ev::SignIn, ev::Logout, ev::NetworkOffline,
                           ev::RequestJoin, ev::ShowGroupInfo, ev::GroupAction, ev::Recall, ev::ShowSettings,
                           ev::SaveSettings, ev::CreateGroup, ev::UploadImage>;

// ---- actions --------------------------------------------------------------
namespace act {
struct Http        { int id = 0; std::string method, url, token, body; int blob = 0; };   // blob != 0: the body is that platform blob
struct OpenSocket  { std::string url; };
struct SendSocket  { std::string text; };
struct CloseSocket { int code = 1000; std::string reason; };
struct Persist     { std::string key, value; };   // empty value: remove the key
}  // namespace act
using Action = std::variant<act::Http, act::OpenSocket, act::SendSocket, act::CloseSocket,
                            act::Persist>;

// Storage keys (localStorage on the web).
inline constexpr const char* kKeyDevice = "imchat.device";
inline constexpr const char* kKeyUser   = "imchat.user";
inline constexpr const char* kKeyOutbox = "imchat.outbox";
inline constexpr const char* kKeyCache  = "imchat.cache";
inline constexpr const char* kKeyLang   = "imchat.lang";

enum class Conn   { Idle, Connecting, Online, Backoff, Offline, Kicked };
enum class Screen { Loading, Join, Chat, List, NotFound, Login, GroupInfo, Settings };
const char* to_string(Conn c);
const char* to_string(Screen s);

struct User {
    int64_t     id = 0;
    std::string username, nickname, avatar, role, token;
    std::string display_name() const { return nickname.empty() ? username : nickname; }
};

struct Conversation {
    ConversationKey key;
    std::string     title;
    int             unread = 0;
    int             member_count = 0;
    int             status = 1;          // group: 1 normal, 0 dissolved (read-only)
    int             my_status = 1;       // group: 1 member, 2 request pending, 0 muted, -1 removed
    int64_t         owner_id = 0;
};

// The join screen's group card (someone who scanned a QR code and is not a member).
struct JoinCard {
    std::string name;
    int         member_count = 0;
    int         policy = 0;              // invite_confirm
    bool        pending = false;         // our request waits for the owner
    bool        needs_login = false;     // policy 2 and we are a guest
    bool        contact = false;         // a personal QR: "add contact" rather than "join"
    int64_t     user_id = 0;             // contact: who
};

struct Qr { std::string url; int size = 0; std::vector<std::string> rows; };

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

    // ---- read side (the UI and the test hook read these) ----
    const User&                       user() const { return user_; }
    Conn                              connection() const;   // Offline also while the browser has no network
    Screen                            screen() const { return screen_; }
    Lang                              lang() const { return lang_; }
    const std::vector<Conversation>&  conversations() const { return convs_; }
    const Conversation*               open_conversation() const;
    const std::vector<Message>&       open_messages() const;
    int64_t                           now() const { return now_; }
    int64_t                           retry_at() const { return retry_at_; }
    const std::string&                notice() const { return notice_; }
    const std::string&                modal() const { return modal_; }        // "" when none
    const JoinCard&                   join_card() const { return join_card_; }
    const protocol::Group&            group_detail() const { return group_detail_; }   // groupinfo of the open group
    const Qr&                         group_qr() const { return qr_; }
    int                               guest_send_count() const { return send_count_; }
    bool                              can_send() const;       // open conversation accepts messages from us
    bool                              can_recall(const Message& m) const;
    bool                              page_is_localhost() const { return page_localhost_; }
    bool                              can_load_earlier() const;
    bool                              loading_earlier() const;
    const MessageStore&               store() const { return store_; }
    Json                              snapshot() const;
    Json                              group_snapshot() const;

private:
    enum class Purpose { Register, GroupInfo, Join, GroupList, History, Send, SignUp, SignIn, Logout,
                         GroupDetail, GroupQr, GroupAction, Recall, Settings, SaveSettings, CreateGroup,
                         ContactInfo, AddContact, MyQr, Upload };
    struct Pending {
        Purpose purpose;
        ConversationKey conv;
        std::string client_msg_id;
        int64_t after_seq = -1;     // History: range after this seq (-1: the latest page)
        int64_t before_seq = 0;     // History: page before this seq (0: not a "load earlier")
        std::string username, password;   // SignUp: signs in with these once registered
    };

    void on_start(const ev::Start& e, std::vector<Action>& out);
    void on_http(const ev::HttpDone& e, std::vector<Action>& out);
    void on_socket_message(const ev::SocketMessage& e, std::vector<Action>& out);
    void on_socket_closed(const ev::SocketClosed& e, std::vector<Action>& out);
    void on_tick(std::vector<Action>& out);
    void on_send(const ev::SendText& e, std::vector<Action>& out);

    void advance(std::vector<Action>& out);                // issue whatever the bootstrap still needs
    void open_socket(std::vector<Action>& out);
    void enter_backoff(std::vector<Action>& out);
    void token_invalid(std::vector<Action>& out);
    void open_conversation(const ConversationKey& k, std::vector<Action>& out);
    void fetch_history(const ConversationKey& k, int64_t after_seq, std::vector<Action>& out);
    void receive(const Message& m, std::vector<Action>& out);
    void send_message(const Message& m, std::vector<Action>& out);
    void resend_unsent(std::vector<Action>& out);
    void persist_outbox(std::vector<Action>& out);
    void load_stored(const ev::Start& e);
    void write_cache(std::vector<Action>& out);
    void kicked(std::vector<Action>& out);
    void become(const User& u, std::vector<Action>& out);   // a new identity: drop the old one's state
    void on_group_event(const Message& m, const std::string& action, std::vector<Action>& out);
    void link_failed(const ApiResult& r, bool network_error);
    void refresh_group(std::vector<Action>& out);
    void apply_group(const Json& g);                       // a groupinfo answer into the conversation
    int  http(std::string method, std::string path, Json body, Pending p, std::vector<Action>& out);
    Conversation& conversation(const ConversationKey& k);
    std::string   new_uuid();

    Random       rng_;
    Timing       timing_;
    Backoff      backoff_;
    Lang         lang_ = Lang::ZhCN;
    int64_t      now_ = 0;

    std::string  origin_, ws_origin_, device_id_;
    User         user_;
    std::optional<JoinTarget> join_;
    bool         join_done_ = false;

    Conn         conn_ = Conn::Idle;
    Screen       screen_ = Screen::Loading;
    int64_t      connect_deadline_ = 0;
    int64_t      next_ping_ = 0;
    int          missed_pongs_ = 0;
    int64_t      retry_at_ = 0;            // Backoff: when to reopen the socket
    int64_t      bootstrap_retry_at_ = 0;  // failed register/groupinfo: when to retry

    int                          next_http_id_ = 1;
    std::map<int, Pending>       inflight_;
    bool                         started_ = false;

    std::vector<Conversation>    convs_;
    std::optional<ConversationKey> open_;
    std::set<ConversationKey>    history_loaded_;   // latest page fetched once
    MessageStore                 store_;
    std::string                  notice_;
    std::string                  modal_;
    std::map<std::string, int64_t> send_deadlines_;   // client_msg_id -> when it shows failed
    int64_t                      stable_at_ = 0;      // Online: when the backoff resets
    bool                         cache_dirty_ = false;
    int64_t                      next_cache_write_ = 0;
    std::set<ConversationKey>    reached_start_;      // no earlier messages exist
    bool                         network_offline_ = false;
    bool                         changed_ = true;
    JoinCard                     join_card_;
    protocol::Group              group_detail_;
    Qr                           qr_;
    int                          send_count_ = 1;
    bool                         page_localhost_ = false;
};

}  // namespace imchat::core
