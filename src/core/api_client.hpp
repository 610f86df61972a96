// imchat::core the client side of the HTTP API: every route path is written
// here once. Builders return act::Http with method, path (no origin) and body;
// the session adds id, origin and token. Readers turn answers into types, so
// components and the UI never touch JSON.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/events.hpp"
#include "core/navigation.hpp"
#include "protocol/group.hpp"
#include "protocol/message.hpp"
#include "protocol/user.hpp"

namespace imchat::core {

struct Qr { std::string url; int size = 0; std::vector<std::string> rows; };   // a QR code as a matrix
// Someone the open group's member may invite (groupInviteCandidates).
struct Candidate {
    int64_t     id = 0;
    std::string name, avatar;
    std::string result;                  // after a tap: added / request sent / the server's reason
};


namespace api {

// ---- identity / account ----
act::Http visitor_register(const std::string& device_id, int64_t now);
// ... and the scanned link's group in the same answer (`group`): joined if open, else its card;
// latest > 0 asks for a member's latest page with it (see read_latest).
act::Http visitor_register(const std::string& device_id, int64_t now, int64_t join_group_id, int latest);
act::Http sign_up(const std::string& username, const std::string& password);          // regChat
act::Http sign_in(const std::string& username, const std::string& password);          // loginChat
act::Http guest_upgrade(const std::string& username, const std::string& password, bool create);
                                   // a guest registers in place (visitorregChat) or logs in (visitorloginChat)
act::Http logout();
// ---- conversations and messages ----
act::Http group_list();
act::Http conversation_list();                                   // GET conversationList
act::Http conversation_read(const ConversationKey& k, int64_t seq);   // conversationRead
act::Http conversation_hide(const ConversationKey& k);                // conversationHide
act::Http history(const ConversationKey& k, int limit, int64_t after_seq, int64_t before_seq);
                                   // after_seq < 0 and before_seq <= 0: the latest page
act::Http send_message(const protocol::Message& m);
act::Http recall(const ConversationKey& k, int64_t message_id, int64_t create_time);
// updateUserinfo {avatar, nickname}: the nickname unchanged (a server that reads both keeps it).
act::Http update_avatar(const std::string& url, const std::string& nickname);
act::Http upload(int blob);        // the page's Blob as the body
// ---- groups ----
act::Http group_info(int64_t group_id, int latest = 0);   // latest > 0: a member's latest page too
act::Http group_qr(int64_t group_id);
act::Http join(int64_t group_id, int64_t user_id, const std::string& reason, int latest = 0);
act::Http create_group(const std::string& name);
act::Http invite_candidates(int64_t group_id);                     // GET groupInviteCandidates/:id
act::Http invite(int64_t group_id, int64_t user_id);               // groupInviteUser with inviteuser_id > 0
// rename | remark | nickname | policy | mute | unmute | remove | approve | reject | quit;
// an unknown action gives an empty method (nothing to send).
act::Http group_action(int64_t group_id, const std::string& action, int64_t user_id, const std::string& text, int value);
// ---- contacts ----
act::Http contact_info(const std::string& code);
act::Http add_contact(const std::string& code);
// ---- settings ----
act::Http user_settings();
act::Http save_send_count(int send_count);
act::Http update_nickname(const std::string& nickname);
act::Http my_qr();

// ---- answers (all tolerant: wrong-typed fields read as defaults) ----
struct JoinAnswer { bool pending = false; int members = -1; };   // members: group_users size, else member_count; -1 if absent
struct Uploaded   { std::string url, kind; };   // kind: image|audio|video|file ("" from an older server)
std::optional<std::vector<protocol::Message>> read_history(const protocol::Json& data);   // {list:[..]} or [..]; else nullopt
JoinAnswer                     read_join(const protocol::Json& data);
// The latest page a group answer carries (`latest`, the history route's answer); nullopt if none.
std::optional<std::vector<protocol::Message>> read_latest(const protocol::Json& data);
Qr                             read_qr(const protocol::Json& data);
int                            read_send_count(const protocol::Json& data, int def);   // userset answers
Uploaded                       read_upload(const protocol::Json& data);
std::vector<Candidate>         read_candidates(const protocol::Json& data);   // [{id, name, avatar}]
bool                           has_nickname(const protocol::Json& data);   // updateUserinfo answers carry it

// A conversationList entry (issue 9 contract, ConversationItem).
struct ConversationItem {
    ConversationKey            key;
    std::string                name, avatar;
    int64_t                    update_time = 0, last_seq = 0, read_seq = 0;
    int                        unread = 0;
    std::optional<LastMessage> last;
    // groups only
    int                        member_count = 0, status = 1, my_status = 1, pending_count = 0;
    int64_t                    owner_id = 0;
};
// Entries without a known chatType or an id are skipped; nullopt unless an array.
std::optional<std::vector<ConversationItem>> read_conversation_list(const protocol::Json& data);
struct ReadAnswer { int64_t read_seq = 0; int unread = 0; };
ReadAnswer                     read_conversation_read(const protocol::Json& data);

}  // namespace api
}  // namespace imchat::core
