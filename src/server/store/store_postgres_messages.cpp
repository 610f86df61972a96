// PostgreSQL store: Messages: append with the next gapless seq (atomic, idempotent by
// client_msg_id, also across processes), reads by seq, recall; ack cursors.
#include <climits>

#include "server/store/store_postgres_impl.hpp"

namespace imchat::server::pg_store {

namespace {
const std::string kByClientId =
    std::string("SELECT ") + kMsgCols + " FROM messages WHERE from_id = $1 AND client_msg_id = $2";
}  // namespace

// One statement, so one round trip in autocommit: the conversation's counter row is
// incremented (the upsert row-locks it until the commit, so a concurrent append to this
// conversation, in this process or another, waits and then takes the next seq: gapless and
// unique), the message is inserted with that seq and, for a 1:1, both users' rows are made.
// A (from_id, client_msg_id) already stored, or committed meanwhile by another process (the
// unique index waits for that transaction), fails the whole statement: the seq it took is
// given back with the rest, and the stored message is answered with created = false.
// No group commit as in SQLite: PostgreSQL flushes concurrent commits together itself.
AppendResult PgStore::append_message(const std::string& conv, const protocol::Message& m) {
    static const std::string kAppend = R"SQL(
WITH s AS (
  INSERT INTO conversations (conv, last_seq) VALUES ($1, 1)
  ON CONFLICT (conv) DO UPDATE SET last_seq = conversations.last_seq + 1 RETURNING last_seq),
m AS (
  INSERT INTO messages (conv, seq, from_id, from_name, from_avatar, to_id, to_name, to_avatar, chat_type, type,
                        data, options, create_time, isremove, client_msg_id)
  SELECT $1::text, s.last_seq, $2::bigint, $3::text, $4::text, $5::bigint, $6::text, $7::text, $8::text, $9::text,
         $10::text, $11::text, $12::bigint, $13::int, NULLIF($14::text, '') FROM s
  RETURNING id, seq),
c AS (
  INSERT INTO conv_state (user_id, conv, chat_type, target_id, joined_seq, activity_time)
  SELECT v.u, $1::text, 'single', v.p, 0, $12::bigint FROM (VALUES ($2::bigint, $5::bigint), ($5::bigint, $2::bigint)) v(u, p)
  WHERE $8::text = 'single'
  ON CONFLICT DO NOTHING)
SELECT id, seq FROM m
)SQL";
    for (int attempt = 0;; ++attempt) {
        try {
            auto r = run(kAppend, conv, m.from_id, m.from_name, m.from_avatar, m.to_id, m.to_name, m.to_avatar,
                         m.chat_type, m.type, m.data, m.options, m.create_time, m.isremove, m.client_msg_id);
            protocol::Message s = m;
            s.id = num(r[0][0]);
            s.seq = num(r[0][1]);
            s.status = protocol::SendStatus::Sent;
            return {s, true};
        } catch (const pqxx::unique_violation&) {
            if (m.client_msg_id.empty()) throw;
            if (auto stored = run(kByClientId, m.from_id, m.client_msg_id); !stored.empty())
                return {read_message(stored[0]), false};
            throw;   // another unique index: not a retry
        } catch (const pqxx::deadlock_detected&) {
            if (attempt >= 4) throw;
        } catch (const pqxx::serialization_failure&) {
            if (attempt >= 4) throw;
        }
    }
}

std::vector<protocol::Message> PgStore::messages_after(const std::string& conv, int64_t after_seq, int limit) {
    return select_messages("seq > $2 ORDER BY seq", conv, after_seq, limit, false);
}

std::vector<protocol::Message> PgStore::messages_latest(const std::string& conv, int limit) {
    return select_messages("seq < $2 ORDER BY seq DESC", conv, INT64_MAX, limit, true);
}

std::vector<protocol::Message> PgStore::messages_before(const std::string& conv, int64_t before_seq, int limit) {
    return select_messages("seq < $2 ORDER BY seq DESC", conv, before_seq, limit, true);
}

int64_t PgStore::last_seq(const std::string& conv) {
    auto r = run("SELECT last_seq FROM conversations WHERE conv = $1", conv);
    return r.empty() ? 0 : num(r[0][0]);
}

std::optional<protocol::Message> PgStore::message_by_id(int64_t id) {
    static const std::string kSql = std::string("SELECT ") + kMsgCols + " FROM messages WHERE id = $1";
    auto r = run(kSql, id);
    if (r.empty()) return std::nullopt;
    return read_message(r[0]);
}

std::optional<protocol::Message> PgStore::message_by_client_id(int64_t from_id, const std::string& client_msg_id) {
    auto r = run(kByClientId, from_id, client_msg_id);
    if (r.empty()) return std::nullopt;
    return read_message(r[0]);
}

void PgStore::mark_removed(int64_t id) {
    run("UPDATE messages SET isremove = 1, data = '' WHERE id = $1", id);
}

int64_t PgStore::count_from(const std::string& conv, int64_t from_id) {
    return num(run("SELECT count(*) FROM messages WHERE conv = $1 AND from_id = $2", conv, from_id)[0][0]);
}

int64_t PgStore::ack_cursor(int64_t user_id, const std::string& conv) {
    auto r = run("SELECT seq FROM ack_cursors WHERE user_id = $1 AND conv = $2", user_id, conv);
    return r.empty() ? 0 : num(r[0][0]);
}

void PgStore::advance_ack_cursor(int64_t user_id, const std::string& conv, int64_t seq) {
    run("INSERT INTO ack_cursors (user_id, conv, seq) VALUES ($1, $2, $3) "
        "ON CONFLICT (user_id, conv) DO UPDATE SET seq = greatest(ack_cursors.seq, excluded.seq)",
        user_id, conv, seq);
}

// One conversation's messages: `where` compares seq with $2; results ascending.
std::vector<protocol::Message> PgStore::select_messages(const char* where, const std::string& conv, int64_t bound,
                                                        int limit, bool descending) {
    auto r = run(std::string("SELECT ") + kMsgCols + " FROM messages WHERE conv = $1 AND " + where + " LIMIT $3",
                 conv, bound, limit);
    std::vector<protocol::Message> out;
    out.reserve(r.size());
    for (const auto& row : r) out.push_back(read_message(row));
    if (descending) std::reverse(out.begin(), out.end());
    return out;
}

}  // namespace imchat::server::pg_store
