// imchat::server Store: everything the server keeps. Implementations:
// SQLite (default, store_sqlite.cpp); PostgreSQL (store_postgres.cpp, several processes). The conformance suite
// in tests/server/store_conformance_test.cpp runs against each.
//
// Guarantees every implementation keeps:
//  - append_message is atomic: a message gets the next `seq` of its conversation
//    (1, 2, 3, ... with no gap) and a unique `id`, or nothing is stored.
//  - (from_id, client_msg_id) is unique: appending it again returns the stored
//    message with created = false and stores nothing.
//  - Reads after a returned write see that write.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/envelope.hpp"
#include "protocol/codes.hpp"
#include "protocol/frames.hpp"
#include "protocol/message.hpp"

namespace imchat::server {

struct UserRow {
    int64_t     id = 0;
    std::string username, nickname, avatar;
    std::string role = "visitor";      // "visitor" | "user"
    int         status = 1;            // 1 active, 0 disabled
    int64_t     create_time = 0;
};

struct GroupRow {
    int64_t     id = 0;
    std::string uuid, name, avatar, remark;
    int64_t     owner_id = 0;
    int         invite_confirm = 0;    // 0 open, 1 owner approves, 2 users only + approval
    int         status = 1;            // 1 normal, 0 dissolved/disabled
    int64_t     create_time = 0;
};

struct MemberRow {
    int64_t     group_id = 0, user_id = 0;
    std::string nickname;
    int         status = 1;            // 1 member, 2 pending approval, 0 muted
    UserRow     user;
};

// One of a user's conversations as conversations_of_user() lists it (issue 9).
struct ConversationRow {
    std::string chat_type;            // "group" | "single"
    int64_t     id = 0;               // group id, or the peer's user id
    std::string conv;                 // conv_key()
    int         my_status = 1;        // groups: the member status (2 pending); singles: 1
    int64_t     last_seq = 0;
    int64_t     read_seq = 0;         // effective: never below joined_seq
    int64_t     unread = 0;           // after read_seq, not from the user (0 while pending)
    int64_t     update_time = 0;      // last message's create_time, else when the user joined / first talked
    std::optional<protocol::Message> last;   // none while pending or before the first message
};

struct AppendResult {
    protocol::Message message;             // as stored (id, seq, create_time set)
    bool          created = false;     // false: the (from_id, client_msg_id) already existed
};

class Store {
public:
    virtual ~Store() = default;

    // Users
    virtual UserRow                visitor_for_device(const std::string& device_id, int64_t now) = 0;  // existing or new
    virtual UserRow                create_user(const std::string& username, const std::string& nickname,
                                               const std::string& role, int64_t now) = 0;
    virtual std::optional<UserRow> user_by_id(int64_t id) = 0;
    // Accounts with a password: (user, argon2id hash string); nullopt if no such username.
    virtual std::optional<std::pair<UserRow, std::string>> credentials(const std::string& username) = 0;
    virtual void                   set_password_hash(int64_t user_id, const std::string& hash) = 0;
    virtual std::optional<UserRow> user_by_token_hash(const std::string& token_hash) = 0;
    virtual void                   set_token_hash(int64_t user_id, const std::string& token_hash) = 0;
    virtual void                   set_nickname(int64_t user_id, const std::string& nickname) = 0;
    virtual void                   set_avatar(int64_t user_id, const std::string& avatar) = 0;   // an upload URL or ""
    // Upload quota (issue 13): adds `bytes` to the user's total for `day` (UTC days since the
    // epoch) unless that would pass `limit`; true if added. Atomic across processes.
    virtual bool                   add_upload_bytes(int64_t user_id, int64_t day, int64_t bytes, int64_t limit) = 0;
    virtual std::string            userset(int64_t user_id) = 0;                 // JSON text, "" if never set
    virtual void                   set_userset(int64_t user_id, const std::string& json) = 0;
    // A guest becomes a user in place (same id, so same groups and history); its
    // device no longer maps to it. False if the username is taken.
    virtual bool                   upgrade_visitor(int64_t user_id, const std::string& username,
                                                   const std::string& password_hash) = 0;
    // Operators (issue 14, `imchat-server --disable-user/--enable-user`): sets an account's
    // status by username (0 disabled, 1 active) and answers the row as changed; nullopt if no
    // such user. Disabled: logins and its tokens are refused, running servers close its sockets.
    virtual std::optional<UserRow> set_user_status(const std::string& username, int status) = 0;
    // The ids of disabled accounts (status != 1), ascending; an index keeps it cheap to poll.
    virtual std::vector<int64_t>   disabled_user_ids() = 0;

    // Groups
    virtual GroupRow                create_group(int64_t owner_id, const std::string& name, int invite_confirm,
                                                 int64_t now) = 0;   // the owner becomes a member
    virtual std::optional<GroupRow> group_by_id(int64_t id) = 0;
    virtual std::vector<GroupRow>   groups_of_user(int64_t user_id, int offset, int limit) = 0;
    virtual int64_t                 group_count() = 0;
    virtual std::vector<MemberRow>  members(int64_t group_id) = 0;
    virtual std::optional<MemberRow> member(int64_t group_id, int64_t user_id) = 0;
    virtual bool                    add_member(int64_t group_id, int64_t user_id, int status, int64_t now) = 0;  // false if present
    virtual void                    update_group(const GroupRow& g) = 0;          // name, avatar, remark, invite_confirm, status
    virtual void                    set_member_status(int64_t group_id, int64_t user_id, int status) = 0;
    virtual void                    set_member_nickname(int64_t group_id, int64_t user_id, const std::string& nickname) = 0;
    virtual void                    remove_member(int64_t group_id, int64_t user_id) = 0;
    // Adds `to` to every group `from` belongs to (keeping `to`'s own memberships); returns the group ids.
    virtual std::vector<int64_t>    copy_memberships(int64_t from, int64_t to, int64_t now) = 0;

    // Messages. `conv` is the conversation key string (see conv_key()).
    virtual AppendResult               append_message(const std::string& conv, const protocol::Message& m) = 0;
    virtual std::vector<protocol::Message> messages_after(const std::string& conv, int64_t after_seq, int limit) = 0;
    virtual std::vector<protocol::Message> messages_latest(const std::string& conv, int limit) = 0;  // ascending
    virtual std::vector<protocol::Message> messages_before(const std::string& conv, int64_t before_seq,
                                                       int limit) = 0;                             // ascending
    virtual int64_t                    last_seq(const std::string& conv) = 0;                     // 0 if none
    virtual std::optional<protocol::Message> message_by_id(int64_t id) = 0;
    virtual std::optional<protocol::Message> message_by_client_id(int64_t from_id, const std::string& client_msg_id) = 0;
    virtual void                       mark_removed(int64_t id) = 0;      // recall: isremove = 1, data cleared
    virtual int64_t                    count_from(const std::string& conv, int64_t from_id) = 0;

    // Contacts (added through a personal QR code). Symmetric.
    virtual std::string             invite_code(int64_t user_id) = 0;             // made once, random
    virtual std::optional<UserRow>  user_by_invite_code(const std::string& code) = 0;
    virtual void                    add_contact(int64_t a, int64_t b, int64_t now) = 0;
    virtual bool                    are_contacts(int64_t a, int64_t b) = 0;

    // Delivery cursors: the highest seq a user acknowledged in a conversation.
    // They only move forward; offline delivery never deletes anything.
    virtual int64_t ack_cursor(int64_t user_id, const std::string& conv) = 0;
    virtual void    advance_ack_cursor(int64_t user_id, const std::string& conv, int64_t seq) = 0;

    // ---- Per user and conversation state (issue 9) ------------------------------------
    // A row per (user, conversation): joined_seq (the conversation's last seq when the user
    // became a member: add_member with a member status, a pending request approved through
    // set_member_status, or 0 for a 1:1 conversation, registered for both users by its first
    // append_message), the read cursor, the delivered cursor (reference clients, which never
    // ack), and the hidden-at seq. Cursors only move forward and never count below joined_seq:
    // nothing from before the user joined is ever delivered or unread.
    // True if the user takes part: a member of the group (pending included), or a 1:1 that exists.
    virtual bool    in_conversation(int64_t user_id, const std::string& conv) = 0;
    virtual int64_t joined_seq(int64_t user_id, const std::string& conv) = 0;        // 0 if no row
    virtual int64_t delivered_cursor(int64_t user_id, const std::string& conv) = 0;  // >= joined_seq
    // A reference socket wrote message `seq`: the cursor moves to it only if no earlier message
    // of another sender is still undelivered (else the next offline call answers that gap and
    // this one, and nothing is skipped). False if it did not move.
    virtual bool    advance_delivered_cursor(int64_t user_id, const std::string& conv, int64_t seq) = 0;
    // Moves the read cursor forward (never past the last seq); answers the effective cursor.
    virtual int64_t advance_read_cursor(int64_t user_id, const std::string& conv, int64_t seq) = 0;
    // Messages after the effective read cursor not sent by the user.
    virtual int64_t unread_count(int64_t user_id, const std::string& conv) = 0;
    // Leaves the list until a message with a higher seq than the current last one arrives.
    virtual void    hide_conversation(int64_t user_id, const std::string& conv) = 0;
    // Groups the user is in (pending included) and its 1:1 conversations, not hidden,
    // ordered by update_time, newest first.
    virtual std::vector<ConversationRow> conversations_of_user(int64_t user_id) = 0;
    // Delivery mode, atomic: the next page of messages not yet delivered to the user (not its
    // own, none from before it joined), per conversation in seq order, at most `per_conv` per
    // conversation and `total` in all; the delivered cursors move past what is answered.
    virtual std::vector<protocol::Message> take_undelivered(int64_t user_id, int per_conv, int total) = 0;
    // Ack mode: the messages after the user's ack cursor (or joined_seq, if later), not its own;
    // moves nothing.
    virtual std::vector<protocol::Message> unacked(int64_t user_id, int per_conv, int total) = 0;

    // ---- Join requests and invites (issue 9) ----
    // A pending member (status 2) has one stored request: its reason and when it
    // was made (a new request replaces the old one). Approving or rejecting removes it.
    struct JoinRequest {
        int64_t     user_id = 0;
        std::string reason;             // <= 500 code points (checked by the API)
        int64_t     request_time = 0;   // ms since epoch
    };
    virtual void                     set_join_request(int64_t group_id, int64_t user_id, const std::string& reason,
                                                      int64_t now) = 0;   // insert or replace
    virtual void                     remove_join_request(int64_t group_id, int64_t user_id) = 0;
    virtual std::vector<JoinRequest> join_requests(int64_t group_id) = 0;   // oldest first
    // Both are members (not pending) of one same group.
    virtual bool                     share_a_group(int64_t a, int64_t b) = 0;
    // Whom `user_id` may invite into `group_id`: its contacts and the members (not
    // pending) of its other groups (it not pending there either), minus itself, disabled
    // accounts and anyone already in `group_id` (pending included); by id, at most `limit`.
    virtual std::vector<UserRow>     invite_candidates(int64_t user_id, int64_t group_id, int limit) = 0;

    // ---- Start-up (issue 12)
    // Held while a server sets up shared data at start (the demo group and its owner), so that
    // of several processes starting at once on one database only the first creates it and the
    // others find it. Released when the returned object is destroyed. SQLite: one process owns
    // the file, so nothing to hold (nullptr).
    struct SetupLock {
        virtual ~SetupLock() = default;
    };
    virtual std::unique_ptr<SetupLock> setup_lock() { return nullptr; }
};

// "group:<id>" or "single:<low id>:<high id>".
std::string conv_key(const std::string& chat_type, int64_t a, int64_t b = 0);
// conversations_of_user's order, in every store: newest activity first, ties kept as found.
void sort_newest_first(std::vector<ConversationRow>& rows);

std::unique_ptr<Store> make_sqlite_store(const std::string& path);   // ":memory:" for tests

}  // namespace imchat::server
