// SQLite store: Per user and conversation state (joined, read, delivered, hidden seq), the conversation list and the offline pages.
#include "server/store/store_sqlite_impl.hpp"

namespace imchat::server::sqlite_store {

// ---- Per user and conversation state
bool SqliteStore::in_conversation(int64_t user_id, const std::string& conv) {
    std::lock_guard lk(mu_);
    if (conv.rfind("group:", 0) == 0) {
        Cached q = stmt("SELECT 1 FROM group_users WHERE user_id = ? AND 'group:' || group_id = ?");
        q.bind(1, user_id); q.bind(2, conv);
        return q.executeStep();
    }
    Cached q = stmt("SELECT 1 FROM conv_state WHERE user_id = ? AND conv = ?");
    q.bind(1, user_id); q.bind(2, conv);
    return q.executeStep();
}

int64_t SqliteStore::joined_seq(int64_t user_id, const std::string& conv) {
    std::lock_guard lk(mu_);
    return state_column_locked("joined_seq", user_id, conv);
}

int64_t SqliteStore::delivered_cursor(int64_t user_id, const std::string& conv) {
    std::lock_guard lk(mu_);
    return cursor_locked("delivered_seq", user_id, conv);
}

bool SqliteStore::advance_delivered_cursor(int64_t user_id, const std::string& conv, int64_t seq) {
    std::lock_guard lk(mu_);
    Cached q = stmt("UPDATE conv_state SET delivered_seq = ?1 WHERE user_id = ?2 AND conv = ?3 "
                             "AND delivered_seq < ?1 AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conv = ?3 "
                             "AND m.seq > max(conv_state.delivered_seq, conv_state.joined_seq) AND m.seq < ?1 "
                             "AND m.from_id != ?2)");
    q.bind(1, seq); q.bind(2, user_id); q.bind(3, conv);
    return q.exec() == 1;
}

int64_t SqliteStore::advance_read_cursor(int64_t user_id, const std::string& conv, int64_t seq) {
    std::lock_guard lk(mu_);
    SQLite::Transaction tx(db_);
    backfill_locked(user_id);
    Cached q = stmt("UPDATE conv_state SET read_seq = max(read_seq, min(?, coalesce("
                             "(SELECT last_seq FROM conversations c WHERE c.conv = conv_state.conv), 0))) "
                             "WHERE user_id = ? AND conv = ?");
    q.bind(1, seq); q.bind(2, user_id); q.bind(3, conv);
    q.exec();
    const int64_t read = cursor_locked("read_seq", user_id, conv);
    tx.commit();
    return read;
}

int64_t SqliteStore::unread_count(int64_t user_id, const std::string& conv) {
    std::lock_guard lk(mu_);
    const int64_t read = cursor_locked("read_seq", user_id, conv);
    Cached q = stmt("SELECT count(*) FROM messages WHERE conv = ? AND seq > ? AND from_id != ? AND type != 'systemNotice'");
    q.bind(1, conv); q.bind(2, read); q.bind(3, user_id);
    q.executeStep();
    return q.getColumn(0).getInt64();
}

void SqliteStore::hide_conversation(int64_t user_id, const std::string& conv) {
    std::lock_guard lk(mu_);
    SQLite::Transaction tx(db_);
    backfill_locked(user_id);
    Cached q = stmt("UPDATE conv_state SET hidden_seq = coalesce("
                             "(SELECT last_seq FROM conversations c WHERE c.conv = conv_state.conv), 0) "
                             "WHERE user_id = ? AND conv = ?");
    q.bind(1, user_id); q.bind(2, conv);
    q.exec();
    tx.commit();
}

std::vector<ConversationRow> SqliteStore::conversations_of_user(int64_t user_id) {
    std::lock_guard lk(mu_);
    SQLite::Transaction tx(db_);
    backfill_locked(user_id);
    std::vector<ConversationRow> out;
    Cached last = stmt(std::string("SELECT ") + kMsgCols +
                                    " FROM messages WHERE conv = ? ORDER BY seq DESC LIMIT 1");
    Cached unread = stmt("SELECT count(*) FROM messages WHERE conv = ? AND seq > ? AND from_id != ? AND type != 'systemNotice'");
    for (const ConvState& st : states_locked(user_id)) {
        if (st.last_seq <= st.hidden_seq) continue;
        ConversationRow r;
        r.chat_type = st.chat_type;
        r.id = st.target_id;
        r.conv = st.conv;
        r.my_status = st.status;
        r.last_seq = st.last_seq;
        r.read_seq = std::max(st.read_seq, st.joined_seq);
        r.update_time = st.activity_time;
        if (st.status != 2 && st.last_seq > 0) {
            last.bind(1, st.conv);
            if (last.executeStep()) {
                r.last = read_message(last);
                r.update_time = r.last->create_time;
            }
            last.reset();
            unread.bind(1, st.conv); unread.bind(2, r.read_seq); unread.bind(3, user_id);
            unread.executeStep();
            r.unread = unread.getColumn(0).getInt64();
            unread.reset();
        }
        out.push_back(std::move(r));
    }
    tx.commit();
    sort_newest_first(out);
    return out;
}

std::vector<protocol::Message> SqliteStore::take_undelivered(int64_t user_id, int per_conv, int total) {
    return offline_page(user_id, per_conv, total, true);
}

std::vector<protocol::Message> SqliteStore::unacked(int64_t user_id, int per_conv, int total) {
    return offline_page(user_id, per_conv, total, false);
}

// Both offline modes: per conversation, the messages after the mode's cursor (never before
// joined_seq, never the user's own), at most per_conv each and total in all. Delivery
// (`deliver`) moves the delivered cursor past what it answers; ack mode moves nothing.
std::vector<protocol::Message> SqliteStore::offline_page(int64_t user_id, int per_conv, int total, bool deliver) {
    std::lock_guard lk(mu_);
    SQLite::Transaction tx(db_);
    backfill_locked(user_id);
    std::vector<protocol::Message> out;
    Cached adv = stmt("UPDATE conv_state SET delivered_seq = max(delivered_seq, ?) "
                               "WHERE user_id = ? AND conv = ?");
    for (const ConvState& st : states_locked(user_id)) {
        if (static_cast<int>(out.size()) >= total) break;
        const int64_t from = std::max(deliver ? st.delivered_seq : st.ack_seq, st.joined_seq);
        if (st.status == 2 || st.last_seq <= from) continue;
        const int limit = std::min(per_conv, total - static_cast<int>(out.size()));
        auto page = others_after_locked(st.conv, from, user_id, limit);
        if (deliver) {
            // A short page is all there is: the cursor may pass the user's own messages after it.
            const int64_t to = static_cast<int>(page.size()) < limit ? st.last_seq : page.back().seq;
            adv.bind(1, to); adv.bind(2, user_id); adv.bind(3, st.conv);
            adv.exec();
            adv.reset();
        }
        for (auto& m : page) out.push_back(std::move(m));
    }
    tx.commit();
    return out;
}

std::vector<SqliteStore::ConvState> SqliteStore::states_locked(int64_t user_id) {
    Cached q = stmt(kConvOfUser);
    q.bind(1, user_id);
    std::vector<ConvState> out;
    while (q.executeStep()) {
        ConvState s;
        s.conv = q.getColumn(0).getString();
        s.chat_type = q.getColumn(1).getString();
        s.target_id = q.getColumn(2).getInt64();
        s.status = q.getColumn(3).getInt();
        s.joined_seq = q.getColumn(4).getInt64();
        s.read_seq = q.getColumn(5).getInt64();
        s.delivered_seq = q.getColumn(6).getInt64();
        s.hidden_seq = q.getColumn(7).getInt64();
        s.activity_time = q.getColumn(8).getInt64();
        s.last_seq = q.getColumn(9).getInt64();
        s.ack_seq = q.getColumn(10).getInt64();
        out.push_back(std::move(s));
    }
    return out;
}

std::vector<protocol::Message> SqliteStore::others_after_locked(const std::string& conv, int64_t after, int64_t user_id,
                                                   int limit) {
    Cached q = stmt(std::string("SELECT ") + kMsgCols +
                                 " FROM messages WHERE conv = ? AND seq > ? AND from_id != ? ORDER BY seq LIMIT ?");
    q.bind(1, conv); q.bind(2, after); q.bind(3, user_id); q.bind(4, limit);
    std::vector<protocol::Message> out;
    while (q.executeStep()) out.push_back(read_message(q));
    return out;
}

// The user became a member of the group now: nothing before the current last seq is theirs.
// `now` 0: keep the activity time (the member row's create_time stands in for it).
void SqliteStore::mark_joined_locked(int64_t user_id, int64_t group_id, int64_t now) {
    const std::string conv = conv_key("group", group_id);
    Cached last = stmt("SELECT last_seq FROM conversations WHERE conv = ?");
    last.bind(1, conv);
    const int64_t seq = last.executeStep() ? last.getColumn(0).getInt64() : 0;
    Cached q = stmt("INSERT INTO conv_state (user_id, conv, chat_type, target_id, joined_seq, read_seq, "
                             "delivered_seq, activity_time) VALUES (?1, ?2, 'group', ?3, ?4, ?4, ?4, ?5) "
                             "ON CONFLICT(user_id, conv) DO UPDATE SET joined_seq = excluded.joined_seq, "
                             "hidden_seq = -1, activity_time = max(activity_time, excluded.activity_time)");
    q.bind(1, user_id); q.bind(2, conv); q.bind(3, group_id); q.bind(4, seq); q.bind(5, now);
    q.exec();
}

// Rows for group memberships that have none (made outside add_member & co.).
void SqliteStore::backfill_locked(int64_t user_id) {
    Cached q = stmt(std::string(kConvBackfillGroups) + kConvBackfillOneUser);
    q.bind(1, user_id);
    q.exec();
}

// A cursor as it counts: never below joined_seq (nothing from before the user joined).
int64_t SqliteStore::cursor_locked(const char* column, int64_t user_id, const std::string& conv) {
    return std::max(state_column_locked(column, user_id, conv), state_column_locked("joined_seq", user_id, conv));
}

int64_t SqliteStore::state_column_locked(const char* column, int64_t user_id, const std::string& conv) {
    Cached q = stmt(std::string("SELECT ") + column + " FROM conv_state WHERE user_id = ? AND conv = ?");
    q.bind(1, user_id); q.bind(2, conv);
    return q.executeStep() ? q.getColumn(0).getInt64() : 0;
}

}  // namespace imchat::server::sqlite_store
