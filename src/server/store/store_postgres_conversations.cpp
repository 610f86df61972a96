// PostgreSQL store: Per user and conversation state (joined, read, delivered, hidden seq), the
// conversation list and the offline pages. Same rules as store_sqlite_conversations.cpp.
#include <algorithm>

#include "server/store/store_postgres_impl.hpp"

namespace imchat::server::pg_store {

namespace {

// Every conversation of user $1: groups it is in (pending too) and its 1:1 rows; in the
// SQLite store's (binary) order of the key.
constexpr const char* kConvOfUser = R"SQL(
SELECT ('group:' || gu.group_id) COLLATE "C", 'group', gu.group_id, gu.status, coalesce(cs.joined_seq, 0),
  coalesce(cs.read_seq, 0), coalesce(cs.delivered_seq, 0), coalesce(cs.hidden_seq, -1),
  greatest(coalesce(cs.activity_time, 0), gu.create_time), coalesce(c.last_seq, 0), coalesce(a.seq, 0)
FROM group_users gu
LEFT JOIN conv_state cs ON cs.user_id = gu.user_id AND cs.conv = 'group:' || gu.group_id
LEFT JOIN conversations c ON c.conv = 'group:' || gu.group_id
LEFT JOIN ack_cursors a ON a.user_id = gu.user_id AND a.conv = 'group:' || gu.group_id
WHERE gu.user_id = $1
UNION ALL
SELECT cs.conv COLLATE "C", 'single', cs.target_id, 1, cs.joined_seq, cs.read_seq, cs.delivered_seq, cs.hidden_seq,
  cs.activity_time, coalesce(c.last_seq, 0), coalesce(a.seq, 0)
FROM conv_state cs
LEFT JOIN conversations c ON c.conv = cs.conv
LEFT JOIN ack_cursors a ON a.user_id = cs.user_id AND a.conv = cs.conv
WHERE cs.user_id = $1 AND cs.chat_type = 'single'
ORDER BY 1
)SQL";

const std::string kLastMessage = std::string("SELECT ") + kMsgCols +
                                 " FROM messages WHERE conv = $1 ORDER BY seq DESC LIMIT 1";
constexpr const char* kUnread =
    "SELECT count(*) FROM messages WHERE conv = $1 AND seq > $2 AND from_id != $3 AND type != 'systemNotice'";

// "group:<id>" -> id; 0 if it is not a group key.
int64_t group_of(const std::string& conv) {
    if (conv.rfind("group:", 0) != 0) return 0;
    try {
        size_t used = 0;
        const int64_t id = std::stoll(conv.substr(6), &used);
        return used == conv.size() - 6 ? id : 0;
    } catch (...) {
        return 0;
    }
}

}  // namespace

bool PgStore::in_conversation(int64_t user_id, const std::string& conv) {
    if (conv.rfind("group:", 0) == 0)
        return !run("SELECT 1 FROM group_users WHERE user_id = $1 AND group_id = $2", user_id, group_of(conv)).empty();
    return !run("SELECT 1 FROM conv_state WHERE user_id = $1 AND conv = $2", user_id, conv).empty();
}

int64_t PgStore::joined_seq(int64_t user_id, const std::string& conv) {
    auto r = run("SELECT joined_seq FROM conv_state WHERE user_id = $1 AND conv = $2", user_id, conv);
    return r.empty() ? 0 : num(r[0][0]);
}

int64_t PgStore::delivered_cursor(int64_t user_id, const std::string& conv) {
    return cursor("delivered_seq", user_id, conv);
}

// A cursor as it counts: never below joined_seq (nothing from before the user joined).
int64_t PgStore::cursor(const char* column, int64_t user_id, const std::string& conv) {
    auto r = run(std::string("SELECT greatest(") + column + ", joined_seq) FROM conv_state "
                 "WHERE user_id = $1 AND conv = $2", user_id, conv);
    return r.empty() ? 0 : num(r[0][0]);
}

bool PgStore::advance_delivered_cursor(int64_t user_id, const std::string& conv, int64_t seq) {
    auto r = run("UPDATE conv_state SET delivered_seq = $1 WHERE user_id = $2 AND conv = $3 "
                 "AND delivered_seq < $1 AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conv = $3 "
                 "AND m.seq > greatest(conv_state.delivered_seq, conv_state.joined_seq) AND m.seq < $1 "
                 "AND m.from_id != $2)", seq, user_id, conv);
    return r.affected_rows() == 1;
}

int64_t PgStore::advance_read_cursor(int64_t user_id, const std::string& conv, int64_t seq) {
    auto r = run("UPDATE conv_state SET read_seq = greatest(read_seq, least($1::bigint, coalesce("
                 "(SELECT last_seq FROM conversations c WHERE c.conv = conv_state.conv), 0))) "
                 "WHERE user_id = $2 AND conv = $3 RETURNING greatest(read_seq, joined_seq)", seq, user_id, conv);
    return r.empty() ? 0 : num(r[0][0]);
}

int64_t PgStore::unread_count(int64_t user_id, const std::string& conv) {
    const int64_t read = cursor("read_seq", user_id, conv);
    return num(run(kUnread, conv, read, user_id)[0][0]);
}

void PgStore::hide_conversation(int64_t user_id, const std::string& conv) {
    run("UPDATE conv_state SET hidden_seq = coalesce("
        "(SELECT last_seq FROM conversations c WHERE c.conv = conv_state.conv), 0) "
        "WHERE user_id = $1 AND conv = $2", user_id, conv);
}

std::vector<ConversationRow> PgStore::conversations_of_user(int64_t user_id) {
    std::vector<ConversationRow> out = transact([&](Tx& tx) {
        std::vector<ConversationRow> rows;
        for (const ConvState& st : states(tx, user_id)) {
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
                if (auto last = tx(kLastMessage, st.conv); !last.empty()) {
                    r.last = read_message(last[0]);
                    r.update_time = r.last->create_time;
                }
                r.unread = num(tx(kUnread, st.conv, r.read_seq, user_id)[0][0]);
            }
            rows.push_back(std::move(r));
        }
        return rows;
    });
    sort_newest_first(out);
    return out;
}

std::vector<protocol::Message> PgStore::take_undelivered(int64_t user_id, int per_conv, int total) {
    return offline_page(user_id, per_conv, total, true);
}

std::vector<protocol::Message> PgStore::unacked(int64_t user_id, int per_conv, int total) {
    return offline_page(user_id, per_conv, total, false);
}

// Both offline modes: per conversation, the messages after the mode's cursor (never before
// joined_seq, never the user's own), at most per_conv each and total in all. Delivery
// (`deliver`) moves the delivered cursor past what it answers; ack mode moves nothing. Two
// processes asking for the same user's page at once (two sockets of one user) take turns on
// a transaction-scoped advisory lock, so no message is answered twice.
std::vector<protocol::Message> PgStore::offline_page(int64_t user_id, int per_conv, int total, bool deliver) {
    static const std::string kOthersAfter = std::string("SELECT ") + kMsgCols +
        " FROM messages WHERE conv = $1 AND seq > $2 AND from_id != $3 ORDER BY seq LIMIT $4";
    return transact([&](Tx& tx) {
        if (deliver) tx("SELECT pg_advisory_xact_lock($1, ($2::bigint % 2147483647)::int)", kUserLockSpace, user_id);
        std::vector<protocol::Message> out;
        for (const ConvState& st : states(tx, user_id)) {
            if (static_cast<int>(out.size()) >= total) break;
            const int64_t from = std::max(deliver ? st.delivered_seq : st.ack_seq, st.joined_seq);
            if (st.status == 2 || st.last_seq <= from) continue;
            const int limit = std::min(per_conv, total - static_cast<int>(out.size()));
            auto page = tx(kOthersAfter, st.conv, from, user_id, limit);
            if (deliver) {
                // A short page is all there is: the cursor may pass the user's own messages after it.
                const int64_t to = static_cast<int>(page.size()) < limit ? st.last_seq : num(page[page.size() - 1][1]);
                tx("UPDATE conv_state SET delivered_seq = greatest(delivered_seq, $1) WHERE user_id = $2 AND conv = $3",
                   to, user_id, st.conv);
            }
            for (const auto& row : page) out.push_back(read_message(row));
        }
        return out;
    });
}

std::vector<PgStore::ConvState> PgStore::states(Tx& tx, int64_t user_id) {
    std::vector<ConvState> out;
    for (const auto& row : tx(kConvOfUser, user_id)) {
        ConvState s;
        s.conv = text(row[0]);
        s.chat_type = text(row[1]);
        s.target_id = num(row[2]);
        s.status = static_cast<int>(num(row[3]));
        s.joined_seq = num(row[4]);
        s.read_seq = num(row[5]);
        s.delivered_seq = num(row[6]);
        s.hidden_seq = num(row[7]);
        s.activity_time = num(row[8]);
        s.last_seq = num(row[9]);
        s.ack_seq = num(row[10]);
        out.push_back(std::move(s));
    }
    return out;
}

// The user became a member of the group now: nothing before the current last seq is theirs.
// `now` 0: keep the activity time (the member row's create_time stands in for it).
void PgStore::mark_joined(Tx& tx, int64_t user_id, int64_t group_id, int64_t now) {
    const std::string conv = conv_key("group", group_id);
    auto last = tx("SELECT last_seq FROM conversations WHERE conv = $1", conv);
    const int64_t seq = last.empty() ? 0 : num(last[0][0]);
    tx("INSERT INTO conv_state (user_id, conv, chat_type, target_id, joined_seq, read_seq, delivered_seq, "
       "activity_time) VALUES ($1, $2, 'group', $3, $4, $4, $4, $5) "
       "ON CONFLICT (user_id, conv) DO UPDATE SET joined_seq = excluded.joined_seq, hidden_seq = -1, "
       "activity_time = greatest(conv_state.activity_time, excluded.activity_time)",
       user_id, conv, group_id, seq, now);
}

}  // namespace imchat::server::pg_store
