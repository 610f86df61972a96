// SQLite store (default). WAL journal, prepared statements only (SQLiteCpp).
#include <SQLiteCpp/SQLiteCpp.h>

#include <algorithm>
#include <climits>
#include <mutex>

#include "server/store/store.hpp"

namespace imchat::server {

std::string conv_key(const std::string& chat_type, int64_t a, int64_t b) {
    if (chat_type == "group") return "group:" + std::to_string(a);
    if (a > b) std::swap(a, b);
    return "single:" + std::to_string(a) + ":" + std::to_string(b);
}

namespace {

const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS users (
  id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, nickname TEXT NOT NULL DEFAULT '',
  avatar TEXT NOT NULL DEFAULT '', role TEXT NOT NULL, device_id TEXT UNIQUE,
  password_hash TEXT, token_hash TEXT, status INTEGER NOT NULL DEFAULT 1, create_time INTEGER NOT NULL,
  userset TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS users_token ON users(token_hash);
CREATE TABLE IF NOT EXISTS chat_groups (
  id INTEGER PRIMARY KEY, uuid TEXT NOT NULL, user_id INTEGER NOT NULL, name TEXT NOT NULL,
  avatar TEXT NOT NULL DEFAULT '', remark TEXT NOT NULL DEFAULT '', invite_confirm INTEGER NOT NULL DEFAULT 0,
  status INTEGER NOT NULL DEFAULT 1, create_time INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS group_users (
  group_id INTEGER NOT NULL, user_id INTEGER NOT NULL, nickname TEXT NOT NULL DEFAULT '',
  status INTEGER NOT NULL DEFAULT 1, create_time INTEGER NOT NULL, PRIMARY KEY (group_id, user_id));
CREATE INDEX IF NOT EXISTS group_users_user ON group_users(user_id);
CREATE TABLE IF NOT EXISTS conversations (conv TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS invite_codes (user_id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS contacts (
  user_id INTEGER NOT NULL, peer_id INTEGER NOT NULL, create_time INTEGER NOT NULL, PRIMARY KEY (user_id, peer_id));
CREATE TABLE IF NOT EXISTS ack_cursors (
  user_id INTEGER NOT NULL, conv TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (user_id, conv));
CREATE TABLE IF NOT EXISTS messages (
  id INTEGER PRIMARY KEY, conv TEXT NOT NULL, seq INTEGER NOT NULL,
  from_id INTEGER NOT NULL, from_name TEXT NOT NULL, from_avatar TEXT NOT NULL,
  to_id INTEGER NOT NULL, to_name TEXT NOT NULL, to_avatar TEXT NOT NULL,
  chat_type TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, options TEXT NOT NULL,
  create_time INTEGER NOT NULL, isremove INTEGER NOT NULL DEFAULT 0, client_msg_id TEXT,
  UNIQUE (conv, seq), UNIQUE (from_id, client_msg_id));
)SQL";

// ---- Per user and conversation state (issue 9) ----------------------------------------
// Its own table, so databases made before it keep working: created when missing and, on
// that first start, filled from what the old schema knows (kConvBackfill*).
const char* kConvSchema = R"SQL(
CREATE TABLE IF NOT EXISTS conv_state (
  user_id INTEGER NOT NULL, conv TEXT NOT NULL, chat_type TEXT NOT NULL, target_id INTEGER NOT NULL,
  joined_seq INTEGER NOT NULL DEFAULT 0, read_seq INTEGER NOT NULL DEFAULT 0,
  delivered_seq INTEGER NOT NULL DEFAULT 0, hidden_seq INTEGER NOT NULL DEFAULT -1,
  activity_time INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (user_id, conv));
)SQL";

// Group members without a row (an old database; kConvBackfillOneUser narrows it to user ?1): joined
// at the last message older than their membership row; read and delivered at their ack cursor.
const char* kConvBackfillGroups = R"SQL(
INSERT OR IGNORE INTO conv_state (user_id, conv, chat_type, target_id, joined_seq, read_seq, delivered_seq,
                                  activity_time)
SELECT gu.user_id, 'group:' || gu.group_id, 'group', gu.group_id,
  coalesce((SELECT max(m.seq) FROM messages m WHERE m.conv = 'group:' || gu.group_id
            AND m.create_time < gu.create_time), 0),
  coalesce((SELECT a.seq FROM ack_cursors a WHERE a.user_id = gu.user_id AND a.conv = 'group:' || gu.group_id), 0),
  coalesce((SELECT a.seq FROM ack_cursors a WHERE a.user_id = gu.user_id AND a.conv = 'group:' || gu.group_id), 0),
  gu.create_time
FROM group_users gu
WHERE gu.status != 2 AND NOT EXISTS
  (SELECT 1 FROM conv_state c WHERE c.user_id = gu.user_id AND c.conv = 'group:' || gu.group_id)
)SQL";
const char* kConvBackfillOneUser = " AND gu.user_id = ?1";

// 1:1 conversations of an old database, for both sides; read up to the last message (the old
// client kept its read state to itself), delivered from the start (the old server never did).
const char* kConvBackfillSingles = R"SQL(
INSERT OR IGNORE INTO conv_state (user_id, conv, chat_type, target_id, joined_seq, read_seq, activity_time)
SELECT u, conv, 'single', peer, 0, (SELECT last_seq FROM conversations c WHERE c.conv = x.conv), min(t) FROM (
  SELECT from_id AS u, to_id AS peer, conv, create_time AS t FROM messages WHERE chat_type = 'single'
  UNION ALL
  SELECT to_id, from_id, conv, create_time FROM messages WHERE chat_type = 'single') x
GROUP BY u, conv
)SQL";

// Every conversation of user ?1: groups it is in (pending too) and its 1:1 rows.
const char* kConvOfUser = R"SQL(
SELECT 'group:' || gu.group_id, 'group', gu.group_id, gu.status, coalesce(cs.joined_seq, 0),
  coalesce(cs.read_seq, 0), coalesce(cs.delivered_seq, 0), coalesce(cs.hidden_seq, -1),
  max(coalesce(cs.activity_time, 0), gu.create_time), coalesce(c.last_seq, 0), coalesce(a.seq, 0)
FROM group_users gu
LEFT JOIN conv_state cs ON cs.user_id = gu.user_id AND cs.conv = 'group:' || gu.group_id
LEFT JOIN conversations c ON c.conv = 'group:' || gu.group_id
LEFT JOIN ack_cursors a ON a.user_id = gu.user_id AND a.conv = 'group:' || gu.group_id
WHERE gu.user_id = ?1
UNION ALL
SELECT cs.conv, 'single', cs.target_id, 1, cs.joined_seq, cs.read_seq, cs.delivered_seq, cs.hidden_seq,
  cs.activity_time, coalesce(c.last_seq, 0), coalesce(a.seq, 0)
FROM conv_state cs
LEFT JOIN conversations c ON c.conv = cs.conv
LEFT JOIN ack_cursors a ON a.user_id = cs.user_id AND a.conv = cs.conv
WHERE cs.user_id = ?1 AND cs.chat_type = 'single'
ORDER BY 1
)SQL";

// Join requests (issue 9): the reason and time of a pending member's request.
const char* kSchemaJoinRequests = R"SQL(
CREATE TABLE IF NOT EXISTS join_requests (
  group_id INTEGER NOT NULL, user_id INTEGER NOT NULL, reason TEXT NOT NULL DEFAULT '',
  request_time INTEGER NOT NULL, PRIMARY KEY (group_id, user_id));
)SQL";

const char* kUserCols = "id, username, nickname, avatar, role, status, create_time";
const char* kGroupCols = "id, uuid, user_id, name, avatar, remark, invite_confirm, status, create_time";
const char* kMsgCols =
    "id, seq, from_id, from_name, from_avatar, to_id, to_name, to_avatar, chat_type, type, data, "
    "options, create_time, isremove, client_msg_id";

UserRow read_user(SQLite::Statement& q, int c = 0) {
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

GroupRow read_group(SQLite::Statement& q) {
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

protocol::Message read_message(SQLite::Statement& q) {
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
    explicit SqliteStore(const std::string& path)
        : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX) {
        db_.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;");
        db_.setBusyTimeout(5000);
        db_.exec(kSchema);
        const bool had_conv_state = db_.tableExists("conv_state");
        db_.exec(kConvSchema);
        if (!had_conv_state) {   // a database made before issue 9
            SQLite::Transaction tx(db_);
            db_.exec(kConvBackfillGroups);
            db_.exec(kConvBackfillSingles);
            tx.commit();
        }
        db_.exec(kSchemaJoinRequests);
    }

    UserRow visitor_for_device(const std::string& device_id, int64_t now) override {
        std::lock_guard lk(mu_);
        SQLite::Transaction tx(db_);
        SQLite::Statement find(db_, std::string("SELECT ") + kUserCols + " FROM users WHERE device_id = ?");
        find.bind(1, device_id);
        if (find.executeStep()) {
            UserRow u = read_user(find);
            tx.commit();
            return u;
        }
        SQLite::Statement ins(db_, "INSERT INTO users (username, role, device_id, create_time) VALUES (?, 'visitor', ?, ?)");
        ins.bind(1, "VIS" + device_id.substr(0, 8) + "_" + std::to_string(next_suffix()));
        ins.bind(2, device_id);
        ins.bind(3, now);
        ins.exec();
        const int64_t id = db_.getLastInsertRowid();
        // Reference naming: VIS + first 8 chars of the device id (unique by id suffix on clash).
        SQLite::Statement ren(db_, "UPDATE users SET username = ? WHERE id = ? AND NOT EXISTS "
                                   "(SELECT 1 FROM users WHERE username = ?)");
        const std::string name = "VIS" + device_id.substr(0, 8);
        ren.bind(1, name); ren.bind(2, id); ren.bind(3, name);
        ren.exec();
        tx.commit();
        return *user_by_id_locked(id);
    }

    UserRow create_user(const std::string& username, const std::string& nickname, const std::string& role,
                        int64_t now) override {
        std::lock_guard lk(mu_);
        SQLite::Statement ins(db_, "INSERT INTO users (username, nickname, role, create_time) VALUES (?, ?, ?, ?)");
        ins.bind(1, username); ins.bind(2, nickname); ins.bind(3, role); ins.bind(4, now);
        ins.exec();
        return *user_by_id_locked(db_.getLastInsertRowid());
    }

    std::optional<UserRow> user_by_id(int64_t id) override {
        std::lock_guard lk(mu_);
        return user_by_id_locked(id);
    }

    void set_nickname(int64_t user_id, const std::string& nickname) override {
        exec("UPDATE users SET nickname = ? WHERE id = ?", nickname, user_id);
    }

    std::string userset(int64_t user_id) override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, "SELECT userset FROM users WHERE id = ?");
        q.bind(1, user_id);
        return q.executeStep() ? q.getColumn(0).getString() : std::string();
    }

    void set_userset(int64_t user_id, const std::string& json) override {
        exec("UPDATE users SET userset = ? WHERE id = ?", json, user_id);
    }

    bool upgrade_visitor(int64_t user_id, const std::string& username, const std::string& password_hash) override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, "UPDATE users SET username = ?, password_hash = ?, role = 'user', device_id = NULL "
                                 "WHERE id = ? AND role = 'visitor' AND NOT EXISTS "
                                 "(SELECT 1 FROM users WHERE username = ? AND id != ?)");
        q.bind(1, username); q.bind(2, password_hash); q.bind(3, user_id); q.bind(4, username); q.bind(5, user_id);
        return q.exec() == 1;
    }

    void update_group(const GroupRow& g) override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, "UPDATE chat_groups SET name = ?, avatar = ?, remark = ?, invite_confirm = ?, "
                                 "status = ? WHERE id = ?");
        q.bind(1, g.name); q.bind(2, g.avatar); q.bind(3, g.remark); q.bind(4, g.invite_confirm);
        q.bind(5, g.status); q.bind(6, g.id);
        q.exec();
    }

    void set_member_status(int64_t group_id, int64_t user_id, int status) override {
        std::lock_guard lk(mu_);
        SQLite::Transaction tx(db_);
        SQLite::Statement old(db_, "SELECT status FROM group_users WHERE group_id = ? AND user_id = ?");
        old.bind(1, group_id); old.bind(2, user_id);
        const bool was_pending = old.executeStep() && old.getColumn(0).getInt() == 2;
        SQLite::Statement q(db_, "UPDATE group_users SET status = ? WHERE group_id = ? AND user_id = ?");
        q.bind(1, status); q.bind(2, group_id); q.bind(3, user_id);
        q.exec();
        if (was_pending && status != 2) mark_joined_locked(user_id, group_id, 0);   // a request approved
        tx.commit();
    }

    void set_member_nickname(int64_t group_id, int64_t user_id, const std::string& nickname) override {
        exec("UPDATE group_users SET nickname = ? WHERE group_id = ? AND user_id = ?", nickname, group_id, user_id);
    }

    void remove_member(int64_t group_id, int64_t user_id) override {
        exec("DELETE FROM group_users WHERE group_id = ? AND user_id = ?", group_id, user_id);
    }

    std::vector<int64_t> copy_memberships(int64_t from, int64_t to, int64_t now) override {
        std::lock_guard lk(mu_);
        SQLite::Transaction tx(db_);
        std::vector<int64_t> ids;
        SQLite::Statement q(db_, "SELECT group_id, status FROM group_users WHERE user_id = ? AND status != 2");
        q.bind(1, from);
        std::vector<std::pair<int64_t, int>> rows;
        while (q.executeStep()) rows.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getInt());
        for (auto [gid, status] : rows) {
            SQLite::Statement ins(db_, "INSERT OR IGNORE INTO group_users (group_id, user_id, status, create_time) "
                                       "VALUES (?, ?, ?, ?)");
            ins.bind(1, gid); ins.bind(2, to); ins.bind(3, status); ins.bind(4, now);
            if (ins.exec() == 1) {
                ids.push_back(gid);
                mark_joined_locked(to, gid, now);
            }
        }
        tx.commit();
        return ids;
    }

    std::optional<std::pair<UserRow, std::string>> credentials(const std::string& username) override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, std::string("SELECT ") + kUserCols + ", password_hash FROM users WHERE username = ?");
        q.bind(1, username);
        if (!q.executeStep()) return std::nullopt;
        return std::make_pair(read_user(q), q.getColumn(7).isNull() ? std::string() : q.getColumn(7).getString());
    }

    void set_password_hash(int64_t user_id, const std::string& hash) override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, "UPDATE users SET password_hash = ? WHERE id = ?");
        q.bind(1, hash); q.bind(2, user_id);
        q.exec();
    }

    std::optional<UserRow> user_by_token_hash(const std::string& token_hash) override {
        std::lock_guard lk(mu_);
        if (token_hash.empty()) return std::nullopt;
        SQLite::Statement q(db_, std::string("SELECT ") + kUserCols + " FROM users WHERE token_hash = ?");
        q.bind(1, token_hash);
        if (!q.executeStep()) return std::nullopt;
        return read_user(q);
    }

    void set_token_hash(int64_t user_id, const std::string& token_hash) override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, "UPDATE users SET token_hash = ? WHERE id = ?");
        q.bind(1, token_hash); q.bind(2, user_id);
        q.exec();
    }

    GroupRow create_group(int64_t owner_id, const std::string& name, int invite_confirm, int64_t now) override {
        std::lock_guard lk(mu_);
        SQLite::Transaction tx(db_);
        SQLite::Statement ins(db_, "INSERT INTO chat_groups (uuid, user_id, name, invite_confirm, create_time) "
                                   "VALUES (lower(hex(randomblob(16))), ?, ?, ?, ?)");
        ins.bind(1, owner_id); ins.bind(2, name); ins.bind(3, invite_confirm); ins.bind(4, now);
        ins.exec();
        const int64_t gid = db_.getLastInsertRowid();
        SQLite::Statement mem(db_, "INSERT INTO group_users (group_id, user_id, status, create_time) VALUES (?, ?, 1, ?)");
        mem.bind(1, gid); mem.bind(2, owner_id); mem.bind(3, now);
        mem.exec();
        mark_joined_locked(owner_id, gid, now);
        tx.commit();
        return *group_locked(gid);
    }

    std::optional<GroupRow> group_by_id(int64_t id) override {
        std::lock_guard lk(mu_);
        return group_locked(id);
    }

    std::vector<GroupRow> groups_of_user(int64_t user_id, int offset, int limit) override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, "SELECT g.id, g.uuid, g.user_id, g.name, g.avatar, g.remark, g.invite_confirm, "
                                 "g.status, g.create_time FROM chat_groups g JOIN group_users u ON u.group_id = g.id "
                                 "WHERE u.user_id = ? AND u.status != 2 ORDER BY g.id DESC LIMIT ? OFFSET ?");
        q.bind(1, user_id); q.bind(2, limit); q.bind(3, offset);
        std::vector<GroupRow> out;
        while (q.executeStep()) out.push_back(read_group(q));
        return out;
    }

    int64_t group_count() override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, "SELECT count(*) FROM chat_groups");
        q.executeStep();
        return q.getColumn(0).getInt64();
    }

    std::vector<MemberRow> members(int64_t group_id) override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, std::string("SELECT m.group_id, m.user_id, m.nickname, m.status, ") +
                                     "u.id, u.username, u.nickname, u.avatar, u.role, u.status, u.create_time "
                                     "FROM group_users m JOIN users u ON u.id = m.user_id WHERE m.group_id = ? "
                                     "ORDER BY m.create_time, m.user_id");
        q.bind(1, group_id);
        std::vector<MemberRow> out;
        while (q.executeStep()) out.push_back(read_member(q));
        return out;
    }

    std::optional<MemberRow> member(int64_t group_id, int64_t user_id) override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, std::string("SELECT m.group_id, m.user_id, m.nickname, m.status, ") +
                                     "u.id, u.username, u.nickname, u.avatar, u.role, u.status, u.create_time "
                                     "FROM group_users m JOIN users u ON u.id = m.user_id "
                                     "WHERE m.group_id = ? AND m.user_id = ?");
        q.bind(1, group_id); q.bind(2, user_id);
        if (!q.executeStep()) return std::nullopt;
        return read_member(q);
    }

    bool add_member(int64_t group_id, int64_t user_id, int status, int64_t now) override {
        std::lock_guard lk(mu_);
        SQLite::Transaction tx(db_);
        SQLite::Statement q(db_, "INSERT OR IGNORE INTO group_users (group_id, user_id, status, create_time) "
                                 "VALUES (?, ?, ?, ?)");
        q.bind(1, group_id); q.bind(2, user_id); q.bind(3, status); q.bind(4, now);
        const bool added = q.exec() == 1;
        if (added && status != 2) mark_joined_locked(user_id, group_id, now);
        tx.commit();
        return added;
    }

    AppendResult append_message(const std::string& conv, const protocol::Message& m) override {
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

    std::vector<protocol::Message> messages_after(const std::string& conv, int64_t after_seq, int limit) override {
        return select_messages("seq > ? ORDER BY seq", conv, after_seq, limit, false);
    }

    std::vector<protocol::Message> messages_latest(const std::string& conv, int limit) override {
        return select_messages("seq < ? ORDER BY seq DESC", conv, INT64_MAX, limit, true);
    }

    std::vector<protocol::Message> messages_before(const std::string& conv, int64_t before_seq, int limit) override {
        return select_messages("seq < ? ORDER BY seq DESC", conv, before_seq, limit, true);
    }

    int64_t last_seq(const std::string& conv) override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, "SELECT last_seq FROM conversations WHERE conv = ?");
        q.bind(1, conv);
        return q.executeStep() ? q.getColumn(0).getInt64() : 0;
    }

    std::optional<protocol::Message> message_by_id(int64_t id) override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, std::string("SELECT ") + kMsgCols + " FROM messages WHERE id = ?");
        q.bind(1, id);
        if (!q.executeStep()) return std::nullopt;
        return read_message(q);
    }

    std::optional<protocol::Message> message_by_client_id(int64_t from_id, const std::string& client_msg_id) override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, std::string("SELECT ") + kMsgCols + " FROM messages WHERE from_id = ? AND client_msg_id = ?");
        q.bind(1, from_id); q.bind(2, client_msg_id);
        if (!q.executeStep()) return std::nullopt;
        return read_message(q);
    }

    void mark_removed(int64_t id) override {
        exec("UPDATE messages SET isremove = 1, data = '' WHERE id = ?", id);
    }

    int64_t count_from(const std::string& conv, int64_t from_id) override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, "SELECT count(*) FROM messages WHERE conv = ? AND from_id = ?");
        q.bind(1, conv); q.bind(2, from_id);
        q.executeStep();
        return q.getColumn(0).getInt64();
    }

    std::string invite_code(int64_t user_id) override {
        std::lock_guard lk(mu_);
        SQLite::Statement ins(db_, "INSERT OR IGNORE INTO invite_codes (user_id, code) VALUES (?, lower(hex(randomblob(12))))");
        ins.bind(1, user_id);
        ins.exec();
        SQLite::Statement q(db_, "SELECT code FROM invite_codes WHERE user_id = ?");
        q.bind(1, user_id);
        q.executeStep();
        return q.getColumn(0).getString();
    }

    std::optional<UserRow> user_by_invite_code(const std::string& code) override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, "SELECT u.id, u.username, u.nickname, u.avatar, u.role, u.status, u.create_time "
                                 "FROM invite_codes c JOIN users u ON u.id = c.user_id WHERE c.code = ?");
        q.bind(1, code);
        if (!q.executeStep()) return std::nullopt;
        return read_user(q);
    }

    void add_contact(int64_t a, int64_t b, int64_t now) override {
        std::lock_guard lk(mu_);
        SQLite::Transaction tx(db_);
        for (auto [x, y] : {std::pair{a, b}, std::pair{b, a}}) {
            SQLite::Statement q(db_, "INSERT OR IGNORE INTO contacts (user_id, peer_id, create_time) VALUES (?, ?, ?)");
            q.bind(1, x); q.bind(2, y); q.bind(3, now);
            q.exec();
        }
        tx.commit();
    }

    bool are_contacts(int64_t a, int64_t b) override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, "SELECT 1 FROM contacts WHERE user_id = ? AND peer_id = ?");
        q.bind(1, a); q.bind(2, b);
        return q.executeStep();
    }

    int64_t ack_cursor(int64_t user_id, const std::string& conv) override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, "SELECT seq FROM ack_cursors WHERE user_id = ? AND conv = ?");
        q.bind(1, user_id); q.bind(2, conv);
        return q.executeStep() ? q.getColumn(0).getInt64() : 0;
    }

    void advance_ack_cursor(int64_t user_id, const std::string& conv, int64_t seq) override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, "INSERT INTO ack_cursors (user_id, conv, seq) VALUES (?, ?, ?) "
                                 "ON CONFLICT(user_id, conv) DO UPDATE SET seq = max(seq, excluded.seq)");
        q.bind(1, user_id); q.bind(2, conv); q.bind(3, seq);
        q.exec();
    }

    // ---- Per user and conversation state (issue 9) ----------------------------------------

    bool in_conversation(int64_t user_id, const std::string& conv) override {
        std::lock_guard lk(mu_);
        if (conv.rfind("group:", 0) == 0) {
            SQLite::Statement q(db_, "SELECT 1 FROM group_users WHERE user_id = ? AND 'group:' || group_id = ?");
            q.bind(1, user_id); q.bind(2, conv);
            return q.executeStep();
        }
        SQLite::Statement q(db_, "SELECT 1 FROM conv_state WHERE user_id = ? AND conv = ?");
        q.bind(1, user_id); q.bind(2, conv);
        return q.executeStep();
    }

    int64_t joined_seq(int64_t user_id, const std::string& conv) override {
        std::lock_guard lk(mu_);
        return state_column_locked("joined_seq", user_id, conv);
    }

    int64_t delivered_cursor(int64_t user_id, const std::string& conv) override {
        std::lock_guard lk(mu_);
        return std::max(state_column_locked("delivered_seq", user_id, conv),
                        state_column_locked("joined_seq", user_id, conv));
    }

    bool advance_delivered_cursor(int64_t user_id, const std::string& conv, int64_t seq) override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, "UPDATE conv_state SET delivered_seq = ?1 WHERE user_id = ?2 AND conv = ?3 "
                                 "AND delivered_seq < ?1 AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.conv = ?3 "
                                 "AND m.seq > max(conv_state.delivered_seq, conv_state.joined_seq) AND m.seq < ?1 "
                                 "AND m.from_id != ?2)");
        q.bind(1, seq); q.bind(2, user_id); q.bind(3, conv);
        return q.exec() == 1;
    }

    int64_t advance_read_cursor(int64_t user_id, const std::string& conv, int64_t seq) override {
        std::lock_guard lk(mu_);
        SQLite::Transaction tx(db_);
        backfill_locked(user_id);
        SQLite::Statement q(db_, "UPDATE conv_state SET read_seq = max(read_seq, min(?, coalesce("
                                 "(SELECT last_seq FROM conversations c WHERE c.conv = conv_state.conv), 0))) "
                                 "WHERE user_id = ? AND conv = ?");
        q.bind(1, seq); q.bind(2, user_id); q.bind(3, conv);
        q.exec();
        const int64_t read = std::max(state_column_locked("read_seq", user_id, conv),
                                      state_column_locked("joined_seq", user_id, conv));
        tx.commit();
        return read;
    }

    int64_t unread_count(int64_t user_id, const std::string& conv) override {
        std::lock_guard lk(mu_);
        const int64_t read = std::max(state_column_locked("read_seq", user_id, conv),
                                      state_column_locked("joined_seq", user_id, conv));
        SQLite::Statement q(db_, "SELECT count(*) FROM messages WHERE conv = ? AND seq > ? AND from_id != ? AND type != 'systemNotice'");
        q.bind(1, conv); q.bind(2, read); q.bind(3, user_id);
        q.executeStep();
        return q.getColumn(0).getInt64();
    }

    void hide_conversation(int64_t user_id, const std::string& conv) override {
        std::lock_guard lk(mu_);
        SQLite::Transaction tx(db_);
        backfill_locked(user_id);
        SQLite::Statement q(db_, "UPDATE conv_state SET hidden_seq = coalesce("
                                 "(SELECT last_seq FROM conversations c WHERE c.conv = conv_state.conv), 0) "
                                 "WHERE user_id = ? AND conv = ?");
        q.bind(1, user_id); q.bind(2, conv);
        q.exec();
        tx.commit();
    }

    std::vector<ConversationRow> conversations_of_user(int64_t user_id) override {
        std::lock_guard lk(mu_);
        SQLite::Transaction tx(db_);
        backfill_locked(user_id);
        std::vector<ConversationRow> out;
        SQLite::Statement last(db_, std::string("SELECT ") + kMsgCols +
                                        " FROM messages WHERE conv = ? ORDER BY seq DESC LIMIT 1");
        SQLite::Statement unread(db_, "SELECT count(*) FROM messages WHERE conv = ? AND seq > ? AND from_id != ? AND type != 'systemNotice'");
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
        std::stable_sort(out.begin(), out.end(), [](const ConversationRow& a, const ConversationRow& b) {
            return a.update_time > b.update_time;
        });
        return out;
    }

    std::vector<protocol::Message> take_undelivered(int64_t user_id, int per_conv, int total) override {
        std::lock_guard lk(mu_);
        SQLite::Transaction tx(db_);
        backfill_locked(user_id);
        std::vector<protocol::Message> out;
        SQLite::Statement adv(db_, "UPDATE conv_state SET delivered_seq = max(delivered_seq, ?) "
                                   "WHERE user_id = ? AND conv = ?");
        for (const ConvState& st : states_locked(user_id)) {
            if (static_cast<int>(out.size()) >= total) break;
            const int64_t from = std::max(st.delivered_seq, st.joined_seq);
            if (st.status == 2 || st.last_seq <= from) continue;
            const int limit = std::min(per_conv, total - static_cast<int>(out.size()));
            auto page = others_after_locked(st.conv, from, user_id, limit);
            // A short page is all there is: the cursor may pass the user's own messages after it.
            const int64_t to = static_cast<int>(page.size()) < limit ? st.last_seq : page.back().seq;
            adv.bind(1, to); adv.bind(2, user_id); adv.bind(3, st.conv);
            adv.exec();
            adv.reset();
            for (auto& m : page) out.push_back(std::move(m));
        }
        tx.commit();
        return out;
    }

    std::vector<protocol::Message> unacked(int64_t user_id, int per_conv, int total) override {
        std::lock_guard lk(mu_);
        SQLite::Transaction tx(db_);
        backfill_locked(user_id);
        std::vector<protocol::Message> out;
        for (const ConvState& st : states_locked(user_id)) {
            if (static_cast<int>(out.size()) >= total) break;
            const int64_t from = std::max(st.ack_seq, st.joined_seq);
            if (st.status == 2 || st.last_seq <= from) continue;
            const int limit = std::min(per_conv, total - static_cast<int>(out.size()));
            for (auto& m : others_after_locked(st.conv, from, user_id, limit)) out.push_back(std::move(m));
        }
        tx.commit();
        return out;
    }

    // ---- Join requests and invites (issue 9) ----

    void set_join_request(int64_t group_id, int64_t user_id, const std::string& reason, int64_t now) override {
        exec("INSERT INTO join_requests (group_id, user_id, reason, request_time) VALUES (?, ?, ?, ?) "
             "ON CONFLICT(group_id, user_id) DO UPDATE SET reason = excluded.reason, "
             "request_time = excluded.request_time",
             group_id, user_id, reason, now);
    }

    void remove_join_request(int64_t group_id, int64_t user_id) override {
        exec("DELETE FROM join_requests WHERE group_id = ? AND user_id = ?", group_id, user_id);
    }

    std::vector<JoinRequest> join_requests(int64_t group_id) override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, "SELECT user_id, reason, request_time FROM join_requests WHERE group_id = ? "
                                 "ORDER BY request_time, user_id");
        q.bind(1, group_id);
        std::vector<JoinRequest> out;
        while (q.executeStep())
            out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getInt64()});
        return out;
    }

    bool share_a_group(int64_t a, int64_t b) override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_, "SELECT 1 FROM group_users x JOIN group_users y ON y.group_id = x.group_id "
                                 "WHERE x.user_id = ? AND y.user_id = ? AND x.status != 2 AND y.status != 2 LIMIT 1");
        q.bind(1, a); q.bind(2, b);
        return q.executeStep();
    }

    std::vector<UserRow> invite_candidates(int64_t user_id, int64_t group_id, int limit) override {
        std::lock_guard lk(mu_);
        SQLite::Statement q(db_,
            "SELECT u.id, u.username, u.nickname, u.avatar, u.role, u.status, u.create_time FROM users u "
            "WHERE u.id != ?1 AND u.status = 1 "
            "AND (u.id IN (SELECT peer_id FROM contacts WHERE user_id = ?1) "
            "  OR u.id IN (SELECT y.user_id FROM group_users x JOIN group_users y ON y.group_id = x.group_id "
            "              WHERE x.user_id = ?1 AND x.status != 2 AND y.status != 2 AND x.group_id != ?2)) "
            "AND u.id NOT IN (SELECT user_id FROM group_users WHERE group_id = ?2) "
            "ORDER BY u.id LIMIT ?3");
        q.bind(1, user_id); q.bind(2, group_id); q.bind(3, limit);
        std::vector<UserRow> out;
        while (q.executeStep()) out.push_back(read_user(q));
        return out;
    }

private:
    struct ConvState {
        std::string conv, chat_type;
        int64_t     target_id = 0;
        int         status = 1;
        int64_t     joined_seq = 0, read_seq = 0, delivered_seq = 0, hidden_seq = -1;
        int64_t     activity_time = 0, last_seq = 0, ack_seq = 0;
    };

    std::vector<ConvState> states_locked(int64_t user_id) {
        SQLite::Statement q(db_, kConvOfUser);
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

    std::vector<protocol::Message> others_after_locked(const std::string& conv, int64_t after, int64_t user_id,
                                                       int limit) {
        SQLite::Statement q(db_, std::string("SELECT ") + kMsgCols +
                                     " FROM messages WHERE conv = ? AND seq > ? AND from_id != ? ORDER BY seq LIMIT ?");
        q.bind(1, conv); q.bind(2, after); q.bind(3, user_id); q.bind(4, limit);
        std::vector<protocol::Message> out;
        while (q.executeStep()) out.push_back(read_message(q));
        return out;
    }

    // The user became a member of the group now: nothing before the current last seq is theirs.
    // `now` 0: keep the activity time (the member row's create_time stands in for it).
    void mark_joined_locked(int64_t user_id, int64_t group_id, int64_t now) {
        const std::string conv = conv_key("group", group_id);
        SQLite::Statement last(db_, "SELECT last_seq FROM conversations WHERE conv = ?");
        last.bind(1, conv);
        const int64_t seq = last.executeStep() ? last.getColumn(0).getInt64() : 0;
        SQLite::Statement q(db_, "INSERT INTO conv_state (user_id, conv, chat_type, target_id, joined_seq, read_seq, "
                                 "delivered_seq, activity_time) VALUES (?1, ?2, 'group', ?3, ?4, ?4, ?4, ?5) "
                                 "ON CONFLICT(user_id, conv) DO UPDATE SET joined_seq = excluded.joined_seq, "
                                 "hidden_seq = -1, activity_time = max(activity_time, excluded.activity_time)");
        q.bind(1, user_id); q.bind(2, conv); q.bind(3, group_id); q.bind(4, seq); q.bind(5, now);
        q.exec();
    }

    // Rows for group memberships that have none (made outside add_member & co.).
    void backfill_locked(int64_t user_id) {
        SQLite::Statement q(db_, std::string(kConvBackfillGroups) + kConvBackfillOneUser);
        q.bind(1, user_id);
        q.exec();
    }

    int64_t state_column_locked(const char* column, int64_t user_id, const std::string& conv) {
        SQLite::Statement q(db_, std::string("SELECT ") + column + " FROM conv_state WHERE user_id = ? AND conv = ?");
        q.bind(1, user_id); q.bind(2, conv);
        return q.executeStep() ? q.getColumn(0).getInt64() : 0;
    }

    // ---- end of the issue 9 block ----------------------------------------------------------

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

    int64_t next_suffix() {
        SQLite::Statement q(db_, "SELECT coalesce(max(id), 0) + 1 FROM users");
        q.executeStep();
        return q.getColumn(0).getInt64();
    }
    std::optional<UserRow> user_by_id_locked(int64_t id) {
        SQLite::Statement q(db_, std::string("SELECT ") + kUserCols + " FROM users WHERE id = ?");
        q.bind(1, id);
        if (!q.executeStep()) return std::nullopt;
        return read_user(q);
    }
    std::optional<GroupRow> group_locked(int64_t id) {
        SQLite::Statement q(db_, std::string("SELECT ") + kGroupCols + " FROM chat_groups WHERE id = ?");
        q.bind(1, id);
        if (!q.executeStep()) return std::nullopt;
        return read_group(q);
    }
    static MemberRow read_member(SQLite::Statement& q) {
        MemberRow m;
        m.group_id = q.getColumn(0).getInt64();
        m.user_id = q.getColumn(1).getInt64();
        m.nickname = q.getColumn(2).getString();
        m.status = q.getColumn(3).getInt();
        m.user = read_user(q, 4);
        return m;
    }

    std::mutex       mu_;
    SQLite::Database db_;
};

}  // namespace

std::unique_ptr<Store> make_sqlite_store(const std::string& path) {
    return std::make_unique<SqliteStore>(path);
}

}  // namespace imchat::server
