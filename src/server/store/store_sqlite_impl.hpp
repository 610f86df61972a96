// The SQLite store's class, shared by its files, one concern each:
//   store_sqlite.cpp               opening, schema, upgrades, the factory
//   store_sqlite_users.cpp         users, credentials, tokens, settings, contacts
//   store_sqlite_groups.cpp        groups, members, join requests, invites
//   store_sqlite_messages.cpp      messages (append with seq, reads by seq), ack cursors
//   store_sqlite_conversations.cpp per user and conversation state (joined, read,
//                                  delivered, hidden), the conversation list, offline pages
// Internal to src/server/store: everything else uses Store (store.hpp).
// WAL journal, prepared statements only (SQLiteCpp); one mutex around the connection.
#pragma once
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <climits>
#include <mutex>

#include "server/store/store.hpp"
#include "server/store/store_sqlite_schema.hpp"

namespace imchat::server::sqlite_store {

inline constexpr const char* kUserCols = "id, username, nickname, avatar, role, status, create_time";
inline constexpr const char* kGroupCols = "id, uuid, user_id, name, avatar, remark, invite_confirm, status, create_time";
inline constexpr const char* kMsgCols =
    "id, seq, from_id, from_name, from_avatar, to_id, to_name, to_avatar, chat_type, type, data, "
    "options, create_time, isremove, client_msg_id";

inline UserRow read_user(SQLite::Statement& q, int c = 0) {
    UserRow u;
    u.id = q.getColumn(c).getInt64();
    u.username = q.getColumn(c + 1).getString();
    u.nickname = q.getColumn(c + 2).getString();
    u.avatar = q.getColumn(c + 3).getString();
    u.role = q.getColumn(c + 4).getString();
    u.status = q.getColumn(c + 5).getInt();
    u.create_time = q.getColumn(c + 6).getInt64();
    return u;
}

inline GroupRow read_group(SQLite::Statement& q) {
    GroupRow g;
    g.id = q.getColumn(0).getInt64();
    g.uuid = q.getColumn(1).getString();
    g.owner_id = q.getColumn(2).getInt64();
    g.name = q.getColumn(3).getString();
    g.avatar = q.getColumn(4).getString();
    g.remark = q.getColumn(5).getString();
    g.invite_confirm = q.getColumn(6).getInt();
    g.status = q.getColumn(7).getInt();
    g.create_time = q.getColumn(8).getInt64();
    return g;
}

inline protocol::Message read_message(SQLite::Statement& q) {
    protocol::Message m;
    m.id = q.getColumn(0).getInt64();
    m.seq = q.getColumn(1).getInt64();
    m.from_id = q.getColumn(2).getInt64();
    m.from_name = q.getColumn(3).getString();
    m.from_avatar = q.getColumn(4).getString();
    m.to_id = q.getColumn(5).getInt64();
    m.to_name = q.getColumn(6).getString();
    m.to_avatar = q.getColumn(7).getString();
    m.chat_type = q.getColumn(8).getString();
    m.type = q.getColumn(9).getString();
    m.data = q.getColumn(10).getString();
    m.options = q.getColumn(11).getString();
    m.create_time = q.getColumn(12).getInt64();
    m.isremove = q.getColumn(13).getInt();
    m.client_msg_id = q.getColumn(14).getString();
    return m;
}

class SqliteStore final : public Store {
public:
    explicit SqliteStore(const std::string& path);

    UserRow visitor_for_device(const std::string& device_id, int64_t now) override;

    UserRow create_user(const std::string& username, const std::string& nickname, const std::string& role,
                        int64_t now) override;

    std::optional<UserRow> user_by_id(int64_t id) override;

    void set_nickname(int64_t user_id, const std::string& nickname) override;

    std::string userset(int64_t user_id) override;

    void set_userset(int64_t user_id, const std::string& json) override;

    bool upgrade_visitor(int64_t user_id, const std::string& username, const std::string& password_hash) override;

    void update_group(const GroupRow& g) override;

    void set_member_status(int64_t group_id, int64_t user_id, int status) override;

    void set_member_nickname(int64_t group_id, int64_t user_id, const std::string& nickname) override;

    void remove_member(int64_t group_id, int64_t user_id) override;

    std::vector<int64_t> copy_memberships(int64_t from, int64_t to, int64_t now) override;

    std::optional<std::pair<UserRow, std::string>> credentials(const std::string& username) override;

    void set_password_hash(int64_t user_id, const std::string& hash) override;

    std::optional<UserRow> user_by_token_hash(const std::string& token_hash) override;

    void set_token_hash(int64_t user_id, const std::string& token_hash) override;

    GroupRow create_group(int64_t owner_id, const std::string& name, int invite_confirm, int64_t now) override;

    std::optional<GroupRow> group_by_id(int64_t id) override;

    std::vector<GroupRow> groups_of_user(int64_t user_id, int offset, int limit) override;

    int64_t group_count() override;

    std::vector<MemberRow> members(int64_t group_id) override;

    std::optional<MemberRow> member(int64_t group_id, int64_t user_id) override;

    bool add_member(int64_t group_id, int64_t user_id, int status, int64_t now) override;

    AppendResult append_message(const std::string& conv, const protocol::Message& m) override;

    std::vector<protocol::Message> messages_after(const std::string& conv, int64_t after_seq, int limit) override;

    std::vector<protocol::Message> messages_latest(const std::string& conv, int limit) override;

    std::vector<protocol::Message> messages_before(const std::string& conv, int64_t before_seq, int limit) override;

    int64_t last_seq(const std::string& conv) override;

    std::optional<protocol::Message> message_by_id(int64_t id) override;

    std::optional<protocol::Message> message_by_client_id(int64_t from_id, const std::string& client_msg_id) override;

    void mark_removed(int64_t id) override;

    int64_t count_from(const std::string& conv, int64_t from_id) override;

    std::string invite_code(int64_t user_id) override;

    std::optional<UserRow> user_by_invite_code(const std::string& code) override;

    void add_contact(int64_t a, int64_t b, int64_t now) override;

    bool are_contacts(int64_t a, int64_t b) override;

    int64_t ack_cursor(int64_t user_id, const std::string& conv) override;

    void advance_ack_cursor(int64_t user_id, const std::string& conv, int64_t seq) override;

    // ---- Per user and conversation state

    bool in_conversation(int64_t user_id, const std::string& conv) override;

    int64_t joined_seq(int64_t user_id, const std::string& conv) override;

    int64_t delivered_cursor(int64_t user_id, const std::string& conv) override;

    bool advance_delivered_cursor(int64_t user_id, const std::string& conv, int64_t seq) override;

    int64_t advance_read_cursor(int64_t user_id, const std::string& conv, int64_t seq) override;

    int64_t unread_count(int64_t user_id, const std::string& conv) override;

    void hide_conversation(int64_t user_id, const std::string& conv) override;

    std::vector<ConversationRow> conversations_of_user(int64_t user_id) override;

    std::vector<protocol::Message> take_undelivered(int64_t user_id, int per_conv, int total) override;

    std::vector<protocol::Message> unacked(int64_t user_id, int per_conv, int total) override;

    // ---- Join requests and invites

    void set_join_request(int64_t group_id, int64_t user_id, const std::string& reason, int64_t now) override;

    void remove_join_request(int64_t group_id, int64_t user_id) override;

    std::vector<JoinRequest> join_requests(int64_t group_id) override;

    bool share_a_group(int64_t a, int64_t b) override;

    std::vector<UserRow> invite_candidates(int64_t user_id, int64_t group_id, int limit) override;

private:

    struct ConvState {
        std::string conv, chat_type;
        int64_t     target_id = 0;
        int         status = 1;
        int64_t     joined_seq = 0, read_seq = 0, delivered_seq = 0, hidden_seq = -1;
        int64_t     activity_time = 0, last_seq = 0, ack_seq = 0;
    };

    std::vector<ConvState> states_locked(int64_t user_id);
    std::vector<protocol::Message> offline_page(int64_t user_id, int per_conv, int total, bool deliver);

    std::vector<protocol::Message> others_after_locked(const std::string& conv, int64_t after, int64_t user_id,
                                                       int limit);

    // The user became a member of the group now: nothing before the current last seq is theirs.
    // `now` 0: keep the activity time (the member row's create_time stands in for it).
    void mark_joined_locked(int64_t user_id, int64_t group_id, int64_t now);

    // Rows for group memberships that have none (made outside add_member & co.).
    void backfill_locked(int64_t user_id);

    int64_t state_column_locked(const char* column, int64_t user_id, const std::string& conv);


    // A write with bound parameters, in order.
    template <class... A>
    void exec(const char* sql, const A&... args) {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, sql);
        int i = 1;
        (q.bind(i++, args), ...);
        q.exec();
    }

    // One conversation's messages: `where` compares seq with `bound`; results ascending.
    std::vector<protocol::Message> select_messages(const char* where, const std::string& conv, int64_t bound,
                                               int limit, bool descending);

    int64_t next_suffix();
    std::optional<UserRow> user_by_id_locked(int64_t id);
    std::optional<GroupRow> group_locked(int64_t id);
    static MemberRow read_member(SQLite::Statement& q);

    std::mutex       mu_;
    SQLite::Database db_;
};

}  // namespace imchat::server::sqlite_store
