// SQLite store: Messages: append with the next gapless seq (atomic, idempotent by client_msg_id), reads by seq, recall; ack cursors.
#include "server/store/store_sqlite_impl.hpp"

namespace imchat::server::sqlite_store {

AppendResult SqliteStore::append_message(const std::string& conv, const protocol::Message& m) {
    std::lock_guard lk(mu_);
    SQLite::Transaction tx(db_);
    if (!m.client_msg_id.empty()) {
        SQLite::Statement q(db_, std::string("SELECT ") + kMsgCols +
                                     " FROM messages WHERE from_id = ? AND client_msg_id = ?");
        q.bind(1, m.from_id); q.bind(2, m.client_msg_id);
        if (q.executeStep()) return {read_message(q), false};
    }
    SQLite::Statement seq(db_, "INSERT INTO conversations (conv, last_seq) VALUES (?, 1) "
                               "ON CONFLICT(conv) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq");
    seq.bind(1, conv);
    seq.executeStep();
    protocol::Message s = m;
    s.seq = seq.getColumn(0).getInt64();
    seq.reset();
    SQLite::Statement ins(db_, "INSERT INTO messages (conv, seq, from_id, from_name, from_avatar, to_id, "
                               "to_name, to_avatar, chat_type, type, data, options, create_time, isremove, "
                               "client_msg_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    int i = 1;
    ins.bind(i++, conv); ins.bind(i++, s.seq); ins.bind(i++, s.from_id); ins.bind(i++, s.from_name);
    ins.bind(i++, s.from_avatar); ins.bind(i++, s.to_id); ins.bind(i++, s.to_name); ins.bind(i++, s.to_avatar);
    ins.bind(i++, s.chat_type); ins.bind(i++, s.type); ins.bind(i++, s.data); ins.bind(i++, s.options);
    ins.bind(i++, s.create_time); ins.bind(i++, s.isremove);
    if (s.client_msg_id.empty()) ins.bind(i++); else ins.bind(i++, s.client_msg_id);
    ins.exec();
    s.id = db_.getLastInsertRowid();
    if (s.chat_type == "single") {
        for (auto [u, peer] : {std::pair{s.from_id, s.to_id}, std::pair{s.to_id, s.from_id}}) {
            SQLite::Statement reg(db_, "INSERT OR IGNORE INTO conv_state (user_id, conv, chat_type, target_id, "
                                       "joined_seq, activity_time) VALUES (?, ?, 'single', ?, 0, ?)");
            reg.bind(1, u); reg.bind(2, conv); reg.bind(3, peer); reg.bind(4, s.create_time);
            reg.exec();
        }
    }
    tx.commit();
    s.status = protocol::SendStatus::Sent;
    return {s, true};
}

std::vector<protocol::Message> SqliteStore::messages_after(const std::string& conv, int64_t after_seq, int limit) {
    return select_messages("seq > ? ORDER BY seq", conv, after_seq, limit, false);
}

std::vector<protocol::Message> SqliteStore::messages_latest(const std::string& conv, int limit) {
    return select_messages("seq < ? ORDER BY seq DESC", conv, INT64_MAX, limit, true);
}

std::vector<protocol::Message> SqliteStore::messages_before(const std::string& conv, int64_t before_seq, int limit) {
    return select_messages("seq < ? ORDER BY seq DESC", conv, before_seq, limit, true);
}

int64_t SqliteStore::last_seq(const std::string& conv) {
    std::lock_guard lk(mu_);
    SQLite::Statement q(db_, "SELECT last_seq FROM conversations WHERE conv = ?");
    q.bind(1, conv);
    return q.executeStep() ? q.getColumn(0).getInt64() : 0;
}

std::optional<protocol::Message> SqliteStore::message_by_id(int64_t id) {
    std::lock_guard lk(mu_);
    SQLite::Statement q(db_, std::string("SELECT ") + kMsgCols + " FROM messages WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    return read_message(q);
}

std::optional<protocol::Message> SqliteStore::message_by_client_id(int64_t from_id, const std::string& client_msg_id) {
    std::lock_guard lk(mu_);
    SQLite::Statement q(db_, std::string("SELECT ") + kMsgCols + " FROM messages WHERE from_id = ? AND client_msg_id = ?");
    q.bind(1, from_id); q.bind(2, client_msg_id);
    if (!q.executeStep()) return std::nullopt;
    return read_message(q);
}

void SqliteStore::mark_removed(int64_t id) {
    exec("UPDATE messages SET isremove = 1, data = '' WHERE id = ?", id);
}

int64_t SqliteStore::count_from(const std::string& conv, int64_t from_id) {
    std::lock_guard lk(mu_);
    SQLite::Statement q(db_, "SELECT count(*) FROM messages WHERE conv = ? AND from_id = ?");
    q.bind(1, conv); q.bind(2, from_id);
    q.executeStep();
    return q.getColumn(0).getInt64();
}

int64_t SqliteStore::ack_cursor(int64_t user_id, const std::string& conv) {
    std::lock_guard lk(mu_);
    SQLite::Statement q(db_, "SELECT seq FROM ack_cursors WHERE user_id = ? AND conv = ?");
    q.bind(1, user_id); q.bind(2, conv);
    return q.executeStep() ? q.getColumn(0).getInt64() : 0;
}

void SqliteStore::advance_ack_cursor(int64_t user_id, const std::string& conv, int64_t seq) {
    std::lock_guard lk(mu_);
    SQLite::Statement q(db_, "INSERT INTO ack_cursors (user_id, conv, seq) VALUES (?, ?, ?) "
                             "ON CONFLICT(user_id, conv) DO UPDATE SET seq = max(seq, excluded.seq)");
    q.bind(1, user_id); q.bind(2, conv); q.bind(3, seq);
    q.exec();
}

// One conversation's messages: `where` compares seq with `bound`; results ascending.
std::vector<protocol::Message> SqliteStore::select_messages(const char* where, const std::string& conv, int64_t bound,
                                           int limit, bool descending) {
    std::lock_guard lk(mu_);
    SQLite::Statement q(db_, std::string("SELECT ") + kMsgCols + " FROM messages WHERE conv = ? AND " + where +
                                 " LIMIT ?");
    q.bind(1, conv); q.bind(2, bound); q.bind(3, limit);
    std::vector<protocol::Message> out;
    while (q.executeStep()) out.push_back(read_message(q));
    if (descending) std::reverse(out.begin(), out.end());
    return out;
}

}  // namespace imchat::server::sqlite_store
