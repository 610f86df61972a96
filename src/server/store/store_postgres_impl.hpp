// The PostgreSQL store's class, shared by its files, one concern each (as the SQLite store's):
//   store_postgres.cpp               the connection pool, schema, start-up lock, the factory
//   store_postgres_users.cpp         users, credentials, tokens, settings, contacts
//   store_postgres_groups.cpp        groups, members, join requests, invites
//   store_postgres_messages.cpp      messages (append with seq, reads by seq), ack cursors
//   store_postgres_conversations.cpp per user and conversation state, the list, offline pages
// Internal to src/server/store: everything else uses Store (store.hpp, store_postgres.hpp).
//
// Several processes share one database, so everything the SQLite store gets from its one
// mutex comes from the database here:
//  - seq: the conversation's counter row is incremented (INSERT .. ON CONFLICT DO UPDATE,
//    which row-locks it) in the same transaction as the message insert; a concurrent append
//    to the same conversation waits for the commit, so seqs are gapless and unique.
//  - (from_id, client_msg_id): a unique index; an append losing the race rolls its
//    transaction back (giving back the seq it took) and answers the winner's message.
//  - schema creation and the caller's start-up work (setup_lock): pg_advisory_lock.
//  - offline pages of one user: pg_advisory_xact_lock on the user.
// Prepared statements only: each pooled connection prepares a statement on its first use.
#pragma once
#include <pqxx/pqxx>

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "server/store/store.hpp"

namespace imchat::server::pg_store {

inline constexpr const char* kUserCols = "id, username, nickname, avatar, role, status, create_time";
inline constexpr const char* kGroupCols = "id, uuid, user_id, name, avatar, remark, invite_confirm, status, create_time";
inline constexpr const char* kMsgCols =
    "id, seq, from_id, from_name, from_avatar, to_id, to_name, to_avatar, chat_type, type, data, "
    "options, create_time, isremove, client_msg_id";

// Key of the session advisory lock around schema creation and setup_lock() (any constant
// that nothing else uses: "imchat" in ASCII).
inline constexpr int64_t kSetupLockKey = 0x696d63686174;
// First key of the two-key transaction lock around one user's offline page.
inline constexpr int kUserLockSpace = 0x696d;

inline std::string text(const pqxx::field& f) { return f.is_null() ? std::string() : std::string(f.c_str()); }
inline int64_t num(const pqxx::field& f) { return f.is_null() ? 0 : f.as<int64_t>(); }

inline UserRow read_user(const pqxx::row& r, int c = 0) {
    UserRow u;
    u.id = num(r[c]);
    u.username = text(r[c + 1]);
    u.nickname = text(r[c + 2]);
    u.avatar = text(r[c + 3]);
    u.role = text(r[c + 4]);
    u.status = static_cast<int>(num(r[c + 5]));
    u.create_time = num(r[c + 6]);
    return u;
}

inline GroupRow read_group(const pqxx::row& r) {
    GroupRow g;
    g.id = num(r[0]);
    g.uuid = text(r[1]);
    g.owner_id = num(r[2]);
    g.name = text(r[3]);
    g.avatar = text(r[4]);
    g.remark = text(r[5]);
    g.invite_confirm = static_cast<int>(num(r[6]));
    g.status = static_cast<int>(num(r[7]));
    g.create_time = num(r[8]);
    return g;
}

inline protocol::Message read_message(const pqxx::row& r) {
    protocol::Message m;
    m.id = num(r[0]);
    m.seq = num(r[1]);
    m.from_id = num(r[2]);
    m.from_name = text(r[3]);
    m.from_avatar = text(r[4]);
    m.to_id = num(r[5]);
    m.to_name = text(r[6]);
    m.to_avatar = text(r[7]);
    m.chat_type = text(r[8]);
    m.type = text(r[9]);
    m.data = text(r[10]);
    m.options = text(r[11]);
    m.create_time = num(r[12]);
    m.isremove = static_cast<int>(num(r[13]));
    m.client_msg_id = text(r[14]);
    return m;
}

// A connection of the pool and the statements it has prepared (SQL text -> name).
struct PgConn {
    std::unique_ptr<pqxx::connection>            conn;
    std::unordered_map<std::string, std::string> prepared;
};

// At most `size` connections, opened on demand; a caller waits for a free one. A connection
// found broken (the server restarted) is dropped when given back, and a new one opened on the
// next demand: only the requests in flight at the restart fail.
class PgPool {
public:
    PgPool(std::string conninfo, int size) : conninfo_(std::move(conninfo)), size_(size < 1 ? 1 : size) {}

    class Lease {
    public:
        Lease(PgPool& p, std::unique_ptr<PgConn> c) : pool_(&p), c_(std::move(c)) {}
        Lease(Lease&&) = default;
        Lease& operator=(Lease&&) = delete;
        ~Lease() { if (c_) pool_->give_back(std::move(c_)); }
        pqxx::connection& conn() { return *c_->conn; }
        // The name of `sql` prepared on this connection (prepared now if it is the first use).
        const std::string& prepared(const std::string& sql);

    private:
        PgPool*                 pool_;
        std::unique_ptr<PgConn> c_;
    };

    Lease acquire();
    const std::string& conninfo() const { return conninfo_; }

private:
    void give_back(std::unique_ptr<PgConn> c);

    std::string                          conninfo_;
    int                                  size_;
    std::mutex                           mu_;
    std::condition_variable              cv_;
    std::vector<std::unique_ptr<PgConn>> idle_;
    int                                  open_ = 0;   // idle + lent out + being opened
};

// One statement runner inside a transaction (or a nontransaction) on a leased connection.
class Tx {
public:
    Tx(pqxx::transaction_base& t, PgPool::Lease& l) : t_(t), l_(l) {}
    template <class... A>
    pqxx::result operator()(const std::string& sql, A&&... a) {
        return t_.exec_prepared(l_.prepared(sql), std::forward<A>(a)...);
    }
    // The same connection's statements inside `t` (a subtransaction of this one).
    Tx inside(pqxx::transaction_base& t) { return Tx(t, l_); }
    pqxx::transaction_base& raw() { return t_; }

private:
    pqxx::transaction_base& t_;
    PgPool::Lease&          l_;
};

class PgStore final : public Store {
public:
    PgStore(const std::string& conninfo, int pool_size);

    UserRow visitor_for_device(const std::string& device_id, int64_t now) override;
    UserRow create_user(const std::string& username, const std::string& nickname, const std::string& role,
                        int64_t now) override;
    std::optional<UserRow> user_by_id(int64_t id) override;
    std::optional<std::pair<UserRow, std::string>> credentials(const std::string& username) override;
    void set_password_hash(int64_t user_id, const std::string& hash) override;
    std::optional<UserRow> user_by_token_hash(const std::string& token_hash) override;
    void set_token_hash(int64_t user_id, const std::string& token_hash) override;
    void set_nickname(int64_t user_id, const std::string& nickname) override;
    void set_avatar(int64_t user_id, const std::string& avatar) override;
    bool add_upload_bytes(int64_t user_id, int64_t day, int64_t bytes, int64_t limit) override;
    std::string userset(int64_t user_id) override;
    void set_userset(int64_t user_id, const std::string& json) override;
    bool upgrade_visitor(int64_t user_id, const std::string& username, const std::string& password_hash) override;
    std::optional<UserRow> set_user_status(const std::string& username, int status) override;
    std::vector<int64_t>   disabled_user_ids() override;

    GroupRow create_group(int64_t owner_id, const std::string& name, int invite_confirm, int64_t now) override;
    std::optional<GroupRow> group_by_id(int64_t id) override;
    std::vector<GroupRow> groups_of_user(int64_t user_id, int offset, int limit) override;
    int64_t group_count() override;
    std::vector<MemberRow> members(int64_t group_id) override;
    std::optional<MemberRow> member(int64_t group_id, int64_t user_id) override;
    bool add_member(int64_t group_id, int64_t user_id, int status, int64_t now) override;
    void update_group(const GroupRow& g) override;
    void set_member_status(int64_t group_id, int64_t user_id, int status) override;
    void set_member_nickname(int64_t group_id, int64_t user_id, const std::string& nickname) override;
    void remove_member(int64_t group_id, int64_t user_id) override;
    std::vector<int64_t> copy_memberships(int64_t from, int64_t to, int64_t now) override;

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

    void set_join_request(int64_t group_id, int64_t user_id, const std::string& reason, int64_t now) override;
    void remove_join_request(int64_t group_id, int64_t user_id) override;
    std::vector<JoinRequest> join_requests(int64_t group_id) override;
    bool share_a_group(int64_t a, int64_t b) override;
    std::vector<UserRow> invite_candidates(int64_t user_id, int64_t group_id, int limit) override;

    std::unique_ptr<SetupLock> setup_lock() override;

private:
    // One statement outside any transaction (autocommit): one round trip. A read that finds
    // its pooled connection broken (the database restarted while it sat idle) is tried once
    // more on a new one; a write is not (it may have committed before the break).
    template <class... A>
    pqxx::result run(const std::string& sql, A&&... a) {
        const bool read = sql.rfind("SELECT", 0) == 0;
        for (int attempt = 0;; ++attempt) {
            auto l = pool_.acquire();
            try {
                pqxx::nontransaction t(l.conn());
                return Tx(t, l)(sql, a...);
            } catch (const pqxx::broken_connection&) {
                if (!read || attempt >= 1) throw;
            }
        }
    }

    // f(Tx&) in one READ COMMITTED transaction, committed when f returns; retried (a few
    // times, from the start) when the database reports a deadlock or a serialization failure,
    // and once when the connection is found broken before the commit (nothing was committed;
    // a break during the commit is pqxx::in_doubt_error, never retried).
    template <class F>
    auto transact(F&& f) -> decltype(f(std::declval<Tx&>())) {
        for (int attempt = 0;; ++attempt) {
            auto l = pool_.acquire();
            try {
                pqxx::work w(l.conn());
                Tx tx(w, l);
                if constexpr (std::is_void_v<decltype(f(tx))>) {
                    f(tx);
                    w.commit();
                    return;
                } else {
                    auto r = f(tx);
                    w.commit();
                    return r;
                }
            } catch (const pqxx::deadlock_detected&) {
                if (attempt >= 4) throw;
            } catch (const pqxx::serialization_failure&) {
                if (attempt >= 4) throw;
            } catch (const pqxx::broken_connection&) {
                if (attempt >= 1) throw;
            }
        }
    }

    struct ConvState {
        std::string conv, chat_type;
        int64_t     target_id = 0;
        int         status = 1;
        int64_t     joined_seq = 0, read_seq = 0, delivered_seq = 0, hidden_seq = -1;
        int64_t     activity_time = 0, last_seq = 0, ack_seq = 0;
    };
    static std::vector<ConvState> states(Tx& tx, int64_t user_id);
    std::vector<protocol::Message> offline_page(int64_t user_id, int per_conv, int total, bool deliver);
    static void mark_joined(Tx& tx, int64_t user_id, int64_t group_id, int64_t now);
    std::vector<protocol::Message> select_messages(const char* where, const std::string& conv, int64_t bound,
                                                   int limit, bool descending);
    int64_t cursor(const char* column, int64_t user_id, const std::string& conv);   // >= joined_seq
    static MemberRow read_member(const pqxx::row& r);
    static std::string random_hex(size_t bytes);

    PgPool pool_;
};

}  // namespace imchat::server::pg_store
