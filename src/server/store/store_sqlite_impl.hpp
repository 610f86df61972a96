// The SQLite store's class, shared by its files, one concern each:
//   store_sqlite.cpp               opening, schema, upgrades, the factory
//   store_sqlite_users.cpp         users, credentials, tokens, settings, contacts
//   store_sqlite_groups.cpp        groups, members, join requests, invites
//   store_sqlite_messages.cpp      messages (append with seq, reads by seq), ack cursors
//   store_sqlite_conversations.cpp per user and conversation state (joined, read,
//                                  delivered, hidden), the conversation list, offline pages
// Internal to src/server/store: everything else uses Store (store.hpp).
// WAL journal, prepared statements only (SQLiteCpp), cached per connection (stmt());
// one mutex around the connection; appends from many threads share transactions (group
// commit, store_sqlite_messages.cpp).
#pragma once
#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <algorithm>
#include <climits>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <utility>
#include <vector>

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

// A prepared statement from the connection's cache, lent for one use: reset and unbound when
// the loan ends, so no statement is left mid-step (a pending SELECT keeps its read
// transaction open, and an autocommit write made meanwhile would not commit until it ends).
// Reads like a SQLite::Statement (bind, executeStep, exec, getColumn, reset) and converts to one.
class Cached {
public:
    Cached(SQLite::Statement& s, bool* in_use) : s_(&s), in_use_(in_use) { *in_use_ = true; }
    explicit Cached(std::unique_ptr<SQLite::Statement> own) : s_(own.get()), own_(std::move(own)) {}
    Cached(Cached&& o) noexcept : s_(std::exchange(o.s_, nullptr)), in_use_(std::exchange(o.in_use_, nullptr)),
                                  own_(std::move(o.own_)) {}
    Cached(const Cached&) = delete;
    Cached& operator=(const Cached&) = delete;
    Cached& operator=(Cached&&) = delete;
    ~Cached() {
        if (!in_use_) return;
        s_->tryReset();
        try { s_->clearBindings(); } catch (...) {}   // sqlite3_clear_bindings cannot fail
        *in_use_ = false;
    }
    template <class... A>
    void bind(A&&... a) { s_->bind(std::forward<A>(a)...); }
    bool executeStep() { return s_->executeStep(); }
    int exec() { return s_->exec(); }
    SQLite::Column getColumn(int i) { return s_->getColumn(i); }
    void reset() { s_->reset(); }
    operator SQLite::Statement&() { return *s_; }

private:
    SQLite::Statement* s_;
    bool* in_use_ = nullptr;                  // the cache slot's flag; null for a one-off statement
    std::unique_ptr<SQLite::Statement> own_;  // a one-off: the cached one was already lent out
};

class SqliteStore final : public Store {
public:
    explicit SqliteStore(const std::string& path);

    // Group commit counters (debug/measurement): appends, the transactions that held them,
    // the largest batch, and batches that failed and were retried one append at a time.
    struct AppendStats {
        int64_t appends = 0, batches = 0, max_batch = 0, retried_batches = 0;
    };
    AppendStats append_stats();

    UserRow visitor_for_device(const std::string& device_id, int64_t now) override;

    UserRow create_user(const std::string& username, const std::string& nickname, const std::string& role,
                        int64_t now) override;

    std::optional<UserRow> user_by_id(int64_t id) override;

    void set_nickname(int64_t user_id, const std::string& nickname) override;
    void set_avatar(int64_t user_id, const std::string& avatar) override;
    bool add_upload_bytes(int64_t user_id, int64_t day, int64_t bytes, int64_t limit) override;

    std::string userset(int64_t user_id) override;

    void set_userset(int64_t user_id, const std::string& json) override;

    bool upgrade_visitor(int64_t user_id, const std::string& username, const std::string& password_hash) override;

    std::optional<UserRow> set_user_status(const std::string& username, int status) override;
    std::vector<int64_t>   disabled_user_ids() override;

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
    int64_t cursor_locked(const char* column, int64_t user_id, const std::string& conv);   // >= joined_seq


    // A write with bound parameters, in order.
    template <class... A>
    void exec(const char* sql, const A&... args) {
        std::lock_guard lk(mu_);
        Cached q = stmt(sql);
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

    // The cached prepared statement for `sql` (mu_ held), made on first use. If it is already
    // lent out (a nested use of the same SQL), a one-off statement instead.
    Cached stmt(std::string_view sql);

    // ---- Group commit (store_sqlite_messages.cpp)
    struct PendingAppend;
    // One append inside the caller's transaction (mu_ held): dedup, next seq, insert, 1:1 rows.
    AppendResult append_locked(const std::string& conv, const protocol::Message& m);
    // The leader's turn: takes the queued appends, commits them in one transaction, hands
    // each caller its result (or its error) and gives up the lead.
    void lead_batch() noexcept;

    std::mutex       mu_;     // the connection, and the statement cache
    SQLite::Database db_;

    struct SvHash {
        using is_transparent = void;
        size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    struct Slot {
        std::unique_ptr<SQLite::Statement> q;
        bool in_use = false;
    };
    // After db_: destroyed first, every statement finalized before the connection closes.
    std::unordered_map<std::string, Slot, SvHash, std::equal_to<>> stmts_;

    std::mutex                  gc_mu_;   // the queue and the lead (never held while waiting for mu_)
    std::condition_variable     gc_cv_;
    std::vector<PendingAppend*> gc_queue_;
    bool                        gc_leading_ = false;
    AppendStats                 gc_stats_;
};

}  // namespace imchat::server::sqlite_store
