// SQLite store: Groups and their members, join requests and invites.
#include "server/store/store_sqlite_impl.hpp"

namespace imchat::server::sqlite_store {

void SqliteStore::update_group(const GroupRow& g) {
    std::lock_guard lk(mu_);
    Cached q = stmt("UPDATE chat_groups SET name = ?, avatar = ?, remark = ?, invite_confirm = ?, "
                             "status = ? WHERE id = ?");
    q.bind(1, g.name); q.bind(2, g.avatar); q.bind(3, g.remark); q.bind(4, g.invite_confirm);
    q.bind(5, g.status); q.bind(6, g.id);
    q.exec();
}

void SqliteStore::set_member_status(int64_t group_id, int64_t user_id, int status) {
    std::lock_guard lk(mu_);
    SQLite::Transaction tx(db_);
    Cached old = stmt("SELECT status FROM group_users WHERE group_id = ? AND user_id = ?");
    old.bind(1, group_id); old.bind(2, user_id);
    const bool was_pending = old.executeStep() && old.getColumn(0).getInt() == 2;
    Cached q = stmt("UPDATE group_users SET status = ? WHERE group_id = ? AND user_id = ?");
    q.bind(1, status); q.bind(2, group_id); q.bind(3, user_id);
    q.exec();
    if (was_pending && status != 2) mark_joined_locked(user_id, group_id, 0);   // a request approved
    tx.commit();
}

void SqliteStore::set_member_nickname(int64_t group_id, int64_t user_id, const std::string& nickname) {
    exec("UPDATE group_users SET nickname = ? WHERE group_id = ? AND user_id = ?", nickname, group_id, user_id);
}

void SqliteStore::remove_member(int64_t group_id, int64_t user_id) {
    exec("DELETE FROM group_users WHERE group_id = ? AND user_id = ?", group_id, user_id);
}

std::vector<int64_t> SqliteStore::copy_memberships(int64_t from, int64_t to, int64_t now) {
    std::lock_guard lk(mu_);
    SQLite::Transaction tx(db_);
    std::vector<int64_t> ids;
    Cached q = stmt("SELECT group_id, status FROM group_users WHERE user_id = ? AND status != 2");
    q.bind(1, from);
    std::vector<std::pair<int64_t, int>> rows;
    while (q.executeStep()) rows.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getInt());
    for (auto [gid, status] : rows) {
        Cached ins = stmt("INSERT OR IGNORE INTO group_users (group_id, user_id, status, create_time) "
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

GroupRow SqliteStore::create_group(int64_t owner_id, const std::string& name, int invite_confirm, int64_t now) {
    std::lock_guard lk(mu_);
    SQLite::Transaction tx(db_);
    Cached ins = stmt("INSERT INTO chat_groups (uuid, user_id, name, invite_confirm, create_time) "
                               "VALUES (lower(hex(randomblob(16))), ?, ?, ?, ?)");
    ins.bind(1, owner_id); ins.bind(2, name); ins.bind(3, invite_confirm); ins.bind(4, now);
    ins.exec();
    const int64_t gid = db_.getLastInsertRowid();
    Cached mem = stmt("INSERT INTO group_users (group_id, user_id, status, create_time) VALUES (?, ?, 1, ?)");
    mem.bind(1, gid); mem.bind(2, owner_id); mem.bind(3, now);
    mem.exec();
    mark_joined_locked(owner_id, gid, now);
    tx.commit();
    return *group_locked(gid);
}

std::optional<GroupRow> SqliteStore::group_by_id(int64_t id) {
    std::lock_guard lk(mu_);
    return group_locked(id);
}

std::vector<GroupRow> SqliteStore::groups_of_user(int64_t user_id, int offset, int limit) {
    std::lock_guard lk(mu_);
    Cached q = stmt("SELECT g.id, g.uuid, g.user_id, g.name, g.avatar, g.remark, g.invite_confirm, "
                             "g.status, g.create_time FROM chat_groups g JOIN group_users u ON u.group_id = g.id "
                             "WHERE u.user_id = ? AND u.status != 2 ORDER BY g.id DESC LIMIT ? OFFSET ?");
    q.bind(1, user_id); q.bind(2, limit); q.bind(3, offset);
    std::vector<GroupRow> out;
    while (q.executeStep()) out.push_back(read_group(q));
    return out;
}

int64_t SqliteStore::group_count() {
    std::lock_guard lk(mu_);
    Cached q = stmt("SELECT count(*) FROM chat_groups");
    q.executeStep();
    return q.getColumn(0).getInt64();
}

std::vector<MemberRow> SqliteStore::members(int64_t group_id) {
    std::lock_guard lk(mu_);
    Cached q = stmt(std::string("SELECT m.group_id, m.user_id, m.nickname, m.status, ") +
                                 "u.id, u.username, u.nickname, u.avatar, u.role, u.status, u.create_time "
                                 "FROM group_users m JOIN users u ON u.id = m.user_id WHERE m.group_id = ? "
                                 "ORDER BY m.create_time, m.user_id");
    q.bind(1, group_id);
    std::vector<MemberRow> out;
    while (q.executeStep()) out.push_back(read_member(q));
    return out;
}

std::optional<MemberRow> SqliteStore::member(int64_t group_id, int64_t user_id) {
    std::lock_guard lk(mu_);
    Cached q = stmt(std::string("SELECT m.group_id, m.user_id, m.nickname, m.status, ") +
                                 "u.id, u.username, u.nickname, u.avatar, u.role, u.status, u.create_time "
                                 "FROM group_users m JOIN users u ON u.id = m.user_id "
                                 "WHERE m.group_id = ? AND m.user_id = ?");
    q.bind(1, group_id); q.bind(2, user_id);
    if (!q.executeStep()) return std::nullopt;
    return read_member(q);
}

bool SqliteStore::add_member(int64_t group_id, int64_t user_id, int status, int64_t now) {
    std::lock_guard lk(mu_);
    SQLite::Transaction tx(db_);
    Cached q = stmt("INSERT OR IGNORE INTO group_users (group_id, user_id, status, create_time) "
                             "VALUES (?, ?, ?, ?)");
    q.bind(1, group_id); q.bind(2, user_id); q.bind(3, status); q.bind(4, now);
    const bool added = q.exec() == 1;
    if (added && status != 2) mark_joined_locked(user_id, group_id, now);
    tx.commit();
    return added;
}

// ---- Join requests and invites
void SqliteStore::set_join_request(int64_t group_id, int64_t user_id, const std::string& reason, int64_t now) {
    exec("INSERT INTO join_requests (group_id, user_id, reason, request_time) VALUES (?, ?, ?, ?) "
         "ON CONFLICT(group_id, user_id) DO UPDATE SET reason = excluded.reason, "
         "request_time = excluded.request_time",
         group_id, user_id, reason, now);
}

void SqliteStore::remove_join_request(int64_t group_id, int64_t user_id) {
    exec("DELETE FROM join_requests WHERE group_id = ? AND user_id = ?", group_id, user_id);
}

std::vector<Store::JoinRequest> SqliteStore::join_requests(int64_t group_id) {
    std::lock_guard lk(mu_);
    Cached q = stmt("SELECT user_id, reason, request_time FROM join_requests WHERE group_id = ? "
                             "ORDER BY request_time, user_id");
    q.bind(1, group_id);
    std::vector<JoinRequest> out;
    while (q.executeStep())
        out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getInt64()});
    return out;
}

bool SqliteStore::share_a_group(int64_t a, int64_t b) {
    std::lock_guard lk(mu_);
    Cached q = stmt("SELECT 1 FROM group_users x JOIN group_users y ON y.group_id = x.group_id "
                             "WHERE x.user_id = ? AND y.user_id = ? AND x.status != 2 AND y.status != 2 LIMIT 1");
    q.bind(1, a); q.bind(2, b);
    return q.executeStep();
}

std::vector<UserRow> SqliteStore::invite_candidates(int64_t user_id, int64_t group_id, int limit) {
    std::lock_guard lk(mu_);
    Cached q = stmt(
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

std::optional<GroupRow> SqliteStore::group_locked(int64_t id) {
    Cached q = stmt(std::string("SELECT ") + kGroupCols + " FROM chat_groups WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    return read_group(q);
}

MemberRow SqliteStore::read_member(SQLite::Statement& q) {
    MemberRow m;
    m.group_id = q.getColumn(0).getInt64();
    m.user_id = q.getColumn(1).getInt64();
    m.nickname = q.getColumn(2).getString();
    m.status = q.getColumn(3).getInt();
    m.user = read_user(q, 4);
    return m;
}

}  // namespace imchat::server::sqlite_store
