// PostgreSQL store: Messages: append with the next gapless seq (atomic, idempotent by
// client_msg_id, also across processes), reads by seq, recall; ack cursors.
#include <climits>

#include "server/store/store_postgres_impl.hpp"

namespace imchat::server::pg_store {

namespace {
const std::string kByClientId =
    std::string("SELECT ") + kMsgCols + " FROM messages WHERE from_id = $1 AND client_msg_id = $2";
}  // namespace

// One transaction: the counter row of the conversation is incremented first (the upsert
// row-locks it until the commit, so a concurrent append to this conversation, in this process
// or another, waits and then takes the next seq: gapless and unique), then the message is
// inserted. If another append of the same (from_id, client_msg_id) committed meanwhile, the
// insert finds it (ON CONFLICT DO NOTHING waits for that transaction to end), this transaction
// is rolled back, giving the seq back, and the stored message is answered with created = false.
// No group commit as in SQLite: PostgreSQL commits concurrent transactions together itself.
AppendResult PgStore::append_message(const std::string& conv, const protocol::Message& m) {
    for (int attempt = 0;; ++attempt) {
        try {
            auto l = pool_.acquire();
            pqxx::work w(l.conn());
            Tx tx(w, l);
            if (!m.client_msg_id.empty()) {   // a retry: the common case needs no lock at all
                auto r = tx(kByClientId, m.from_id, m.client_msg_id);
                if (!r.empty()) {
                    w.commit();
                    return {read_message(r[0]), false};
                }
            }
            protocol::Message s = m;
            s.seq = num(tx("INSERT INTO conversations (conv, last_seq) VALUES ($1, 1) ON CONFLICT (conv) "
                           "DO UPDATE SET last_seq = conversations.last_seq + 1 RETURNING last_seq", conv)[0][0]);
            auto ins = tx("INSERT INTO messages (conv, seq, from_id, from_name, from_avatar, to_id, to_name, "
                          "to_avatar, chat_type, type, data, options, create_time, isremove, client_msg_id) "
                          "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, NULLIF($15, '')) "
                          "ON CONFLICT (from_id, client_msg_id) DO NOTHING RETURNING id",
                          conv, s.seq, s.from_id, s.from_name, s.from_avatar, s.to_id, s.to_name, s.to_avatar,
                          s.chat_type, s.type, s.data, s.options, s.create_time, s.isremove, s.client_msg_id);
            if (ins.empty()) {   // the same client_msg_id committed by another append meanwhile
                w.abort();          // gives the seq back
                pqxx::nontransaction nt(l.conn());
                auto r = Tx(nt, l)(kByClientId, m.from_id, m.client_msg_id);
                if (r.empty()) continue;   // (messages are never deleted; cannot happen)
                return {read_message(r[0]), false};
            }
            s.id = num(ins[0][0]);
            if (s.chat_type == "single") {
                tx("INSERT INTO conv_state (user_id, conv, chat_type, target_id, joined_seq, activity_time) "
                   "VALUES ($1, $3, 'single', $2, 0, $4), ($2, $3, 'single', $1, 0, $4) ON CONFLICT DO NOTHING",
                   s.from_id, s.to_id, conv, s.create_time);
            }
            w.commit();
            s.status = protocol::SendStatus::Sent;
            return {s, true};
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
