// SQLite store: Messages: append with the next gapless seq (atomic, idempotent by client_msg_id), reads by seq, recall; ack cursors.
#include "server/store/store_sqlite_impl.hpp"

namespace imchat::server::sqlite_store {

// ---- Group commit
// append_message is called from many worker threads. Appends that arrive together share one
// transaction: the first caller to find no batch in progress becomes the leader; while it
// waits for the connection, later callers queue behind it. The leader takes the queue (up to
// kMaxBatch), runs every append in one BEGIN IMMEDIATE..COMMIT, then wakes the callers, each
// with its own result; appends that arrived meanwhile are the next batch, led by one of them.
// Acknowledged = committed: no caller returns before the COMMIT holding its row succeeded. If
// the batch fails, it is rolled back and each append is retried in a transaction of its own,
// so one bad append fails alone and nobody gets a success that was not committed.
// Durability of a COMMIT: see the synchronous=NORMAL note in store_sqlite.cpp (a killed
// process loses nothing acknowledged; a power loss may lose the last commits).
namespace {
constexpr size_t kMaxBatch = 256;
}

struct SqliteStore::PendingAppend {
    const std::string&       conv;
    const protocol::Message& m;
    AppendResult             result;
    std::exception_ptr       error;
    bool                     done = false;   // under gc_mu_
};

AppendResult SqliteStore::append_message(const std::string& conv, const protocol::Message& m) {
    PendingAppend me{conv, m, {}, nullptr};
    std::unique_lock g(gc_mu_);
    gc_queue_.push_back(&me);
    while (!me.done) {
        if (gc_leading_) {
            gc_cv_.wait(g);
            continue;
        }
        gc_leading_ = true;
        g.unlock();
        lead_batch();   // may not take `me` (more than kMaxBatch queued first): then lead again
        g.lock();
    }
    if (me.error) std::rethrow_exception(me.error);
    return std::move(me.result);
}

void SqliteStore::lead_batch() noexcept {
    std::vector<PendingAppend*> batch;
    bool retried = false;
    {
        // Give the callers the last batch just woke a moment to queue their next appends
        // (they were runnable, not yet running): measured with store_bench, 16 threads went
        // from 1.3 to 14 appends a transaction and from ~8.7k to ~15k appends/s; alone, it
        // costs one sched_yield. Nothing is held here, so readers are not delayed by it.
        std::this_thread::yield();
        std::lock_guard lk(mu_);
        {   // taken only now: appends that came while the connection was busy join this batch
            std::lock_guard g(gc_mu_);
            const size_t n = std::min(gc_queue_.size(), kMaxBatch);
            batch.assign(gc_queue_.begin(), gc_queue_.begin() + static_cast<std::ptrdiff_t>(n));
            gc_queue_.erase(gc_queue_.begin(), gc_queue_.begin() + static_cast<std::ptrdiff_t>(n));
        }
        // One transaction over batch[from, to); rolled back and rethrown on any failure.
        auto commit = [&](size_t from, size_t to) {
            stmt("BEGIN IMMEDIATE").exec();
            try {
                for (size_t i = from; i < to; ++i) batch[i]->result = append_locked(batch[i]->conv, batch[i]->m);
                stmt("COMMIT").exec();
            } catch (...) {
                if (!sqlite3_get_autocommit(db_.getHandle())) {
                    try { db_.exec("ROLLBACK"); } catch (...) {}
                }
                throw;
            }
        };
        try {
            commit(0, batch.size());
        } catch (...) {
            if (batch.size() == 1) {
                batch[0]->error = std::current_exception();
            } else {
                retried = true;
                for (size_t i = 0; i < batch.size(); ++i) {
                    try {
                        commit(i, i + 1);
                    } catch (...) {
                        batch[i]->error = std::current_exception();
                    }
                }
            }
        }
    }
    std::lock_guard g(gc_mu_);
    for (PendingAppend* p : batch) p->done = true;
    gc_stats_.appends += static_cast<int64_t>(batch.size());
    gc_stats_.batches += 1;
    gc_stats_.max_batch = std::max(gc_stats_.max_batch, static_cast<int64_t>(batch.size()));
    gc_stats_.retried_batches += retried;
    gc_leading_ = false;
    gc_cv_.notify_all();
}

SqliteStore::AppendStats SqliteStore::append_stats() {
    std::lock_guard g(gc_mu_);
    return gc_stats_;
}

AppendResult SqliteStore::append_locked(const std::string& conv, const protocol::Message& m) {
    static const std::string kByClientId =
        std::string("SELECT ") + kMsgCols + " FROM messages WHERE from_id = ? AND client_msg_id = ?";
    if (!m.client_msg_id.empty()) {   // also finds a duplicate appended earlier in this same batch
        Cached q = stmt(kByClientId);
        q.bind(1, m.from_id); q.bind(2, m.client_msg_id);
        if (q.executeStep()) return {read_message(q), false};
    }
    protocol::Message s = m;
    {
        Cached seq = stmt("INSERT INTO conversations (conv, last_seq) VALUES (?, 1) "
                          "ON CONFLICT(conv) DO UPDATE SET last_seq = last_seq + 1 RETURNING last_seq");
        seq.bind(1, conv);
        seq.executeStep();
        s.seq = seq.getColumn(0).getInt64();
    }
    Cached ins = stmt("INSERT INTO messages (conv, seq, from_id, from_name, from_avatar, to_id, "
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
        Cached reg = stmt("INSERT OR IGNORE INTO conv_state (user_id, conv, chat_type, target_id, "
                          "joined_seq, activity_time) VALUES (?, ?, 'single', ?, 0, ?)");
        for (auto [u, peer] : {std::pair{s.from_id, s.to_id}, std::pair{s.to_id, s.from_id}}) {
            reg.bind(1, u); reg.bind(2, conv); reg.bind(3, peer); reg.bind(4, s.create_time);
            reg.exec();
            reg.reset();
        }
    }
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
    Cached q = stmt("SELECT last_seq FROM conversations WHERE conv = ?");
    q.bind(1, conv);
    return q.executeStep() ? q.getColumn(0).getInt64() : 0;
}

std::optional<protocol::Message> SqliteStore::message_by_id(int64_t id) {
    std::lock_guard lk(mu_);
    Cached q = stmt(std::string("SELECT ") + kMsgCols + " FROM messages WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    return read_message(q);
}

std::optional<protocol::Message> SqliteStore::message_by_client_id(int64_t from_id, const std::string& client_msg_id) {
    std::lock_guard lk(mu_);
    Cached q = stmt(std::string("SELECT ") + kMsgCols + " FROM messages WHERE from_id = ? AND client_msg_id = ?");
    q.bind(1, from_id); q.bind(2, client_msg_id);
    if (!q.executeStep()) return std::nullopt;
    return read_message(q);
}

void SqliteStore::mark_removed(int64_t id) {
    exec("UPDATE messages SET isremove = 1, data = '' WHERE id = ?", id);
}

int64_t SqliteStore::count_from(const std::string& conv, int64_t from_id) {
    std::lock_guard lk(mu_);
    Cached q = stmt("SELECT count(*) FROM messages WHERE conv = ? AND from_id = ?");
    q.bind(1, conv); q.bind(2, from_id);
    q.executeStep();
    return q.getColumn(0).getInt64();
}

int64_t SqliteStore::ack_cursor(int64_t user_id, const std::string& conv) {
    std::lock_guard lk(mu_);
    Cached q = stmt("SELECT seq FROM ack_cursors WHERE user_id = ? AND conv = ?");
    q.bind(1, user_id); q.bind(2, conv);
    return q.executeStep() ? q.getColumn(0).getInt64() : 0;
}

void SqliteStore::advance_ack_cursor(int64_t user_id, const std::string& conv, int64_t seq) {
    std::lock_guard lk(mu_);
    Cached q = stmt("INSERT INTO ack_cursors (user_id, conv, seq) VALUES (?, ?, ?) "
                             "ON CONFLICT(user_id, conv) DO UPDATE SET seq = max(seq, excluded.seq)");
    q.bind(1, user_id); q.bind(2, conv); q.bind(3, seq);
    q.exec();
}

// One conversation's messages: `where` compares seq with `bound`; results ascending.
std::vector<protocol::Message> SqliteStore::select_messages(const char* where, const std::string& conv, int64_t bound,
                                           int limit, bool descending) {
    std::lock_guard lk(mu_);
    Cached q = stmt(std::string("SELECT ") + kMsgCols + " FROM messages WHERE conv = ? AND " + where +
                                 " LIMIT ?");
    q.bind(1, conv); q.bind(2, bound); q.bind(3, limit);
    std::vector<protocol::Message> out;
    while (q.executeStep()) out.push_back(read_message(q));
    if (descending) std::reverse(out.begin(), out.end());
    return out;
}

}  // namespace imchat::server::sqlite_store
