// PostgreSQL store: Groups and their members, join requests and invites.
#include "server/store/store_postgres_impl.hpp"

namespace imchat::server::pg_store {

namespace {
const std::string kMemberSelect =
    "SELECT m.group_id, m.user_id, m.nickname, m.status, "
    "u.id, u.username, u.nickname, u.avatar, u.role, u.status, u.create_time "
    "FROM group_users m JOIN users u ON u.id = m.user_id ";
}  // namespace

void PgStore::update_group(const GroupRow& g) {
    run("UPDATE chat_groups SET name = $1, avatar = $2, remark = $3, invite_confirm = $4, status = $5 WHERE id = $6",
        g.name, g.avatar, g.remark, g.invite_confirm, g.status, g.id);
}

void PgStore::set_member_status(int64_t group_id, int64_t user_id, int status) {
    transact([&](Tx& tx) {
        // FOR UPDATE: of two processes approving the same request, one sees it pending.
        auto old = tx("SELECT status FROM group_users WHERE group_id = $1 AND user_id = $2 FOR UPDATE",
                      group_id, user_id);
        const bool was_pending = !old.empty() && num(old[0][0]) == 2;
        tx("UPDATE group_users SET status = $1 WHERE group_id = $2 AND user_id = $3", status, group_id, user_id);
        if (was_pending && status != 2) mark_joined(tx, user_id, group_id, 0);   // a request approved
    });
}

void PgStore::set_member_nickname(int64_t group_id, int64_t user_id, const std::string& nickname) {
    run("UPDATE group_users SET nickname = $1 WHERE group_id = $2 AND user_id = $3", nickname, group_id, user_id);
}

void PgStore::remove_member(int64_t group_id, int64_t user_id) {
    run("DELETE FROM group_users WHERE group_id = $1 AND user_id = $2", group_id, user_id);
}

std::vector<int64_t> PgStore::copy_memberships(int64_t from, int64_t to, int64_t now) {
    return transact([&](Tx& tx) {
        std::vector<int64_t> ids;
        auto rows = tx("SELECT group_id, status FROM group_users WHERE user_id = $1 AND status != 2 ORDER BY group_id",
                       from);
        for (const auto& row : rows) {
            const int64_t gid = num(row[0]);
            auto ins = tx("INSERT INTO group_users (group_id, user_id, status, create_time) VALUES ($1, $2, $3, $4) "
                          "ON CONFLICT DO NOTHING", gid, to, static_cast<int>(num(row[1])), now);
            if (ins.affected_rows() == 1) {
                ids.push_back(gid);
                mark_joined(tx, to, gid, now);
            }
        }
        return ids;
    });
}

GroupRow PgStore::create_group(int64_t owner_id, const std::string& name, int invite_confirm, int64_t now) {
    static const std::string kIns = std::string("INSERT INTO chat_groups (uuid, user_id, name, invite_confirm, "
                                                "create_time) VALUES ($1, $2, $3, $4, $5) RETURNING ") + kGroupCols;
    return transact([&](Tx& tx) {
        GroupRow g = read_group(tx(kIns, random_hex(16), owner_id, name, invite_confirm, now)[0]);
        tx("INSERT INTO group_users (group_id, user_id, status, create_time) VALUES ($1, $2, 1, $3)",
           g.id, owner_id, now);
        mark_joined(tx, owner_id, g.id, now);
        return g;
    });
}

std::optional<GroupRow> PgStore::group_by_id(int64_t id) {
    static const std::string kSql = std::string("SELECT ") + kGroupCols + " FROM chat_groups WHERE id = $1";
    auto r = run(kSql, id);
    if (r.empty()) return std::nullopt;
    return read_group(r[0]);
}

std::vector<GroupRow> PgStore::groups_of_user(int64_t user_id, int offset, int limit) {
    auto r = run("SELECT g.id, g.uuid, g.user_id, g.name, g.avatar, g.remark, g.invite_confirm, "
                 "g.status, g.create_time FROM chat_groups g JOIN group_users u ON u.group_id = g.id "
                 "WHERE u.user_id = $1 AND u.status != 2 ORDER BY g.id DESC LIMIT $2 OFFSET $3",
                 user_id, limit, offset);
    std::vector<GroupRow> out;
    for (const auto& row : r) out.push_back(read_group(row));
    return out;
}

int64_t PgStore::group_count() {
    return num(run("SELECT count(*) FROM chat_groups")[0][0]);
}

std::vector<MemberRow> PgStore::members(int64_t group_id) {
    static const std::string kSql = kMemberSelect + "WHERE m.group_id = $1 ORDER BY m.create_time, m.user_id";
    std::vector<MemberRow> out;
    for (const auto& row : run(kSql, group_id)) out.push_back(read_member(row));
    return out;
}

std::optional<MemberRow> PgStore::member(int64_t group_id, int64_t user_id) {
    static const std::string kSql = kMemberSelect + "WHERE m.group_id = $1 AND m.user_id = $2";
    auto r = run(kSql, group_id, user_id);
    if (r.empty()) return std::nullopt;
    return read_member(r[0]);
}

bool PgStore::add_member(int64_t group_id, int64_t user_id, int status, int64_t now) {
    return transact([&](Tx& tx) {
        auto ins = tx("INSERT INTO group_users (group_id, user_id, status, create_time) VALUES ($1, $2, $3, $4) "
                      "ON CONFLICT DO NOTHING", group_id, user_id, status, now);
        const bool added = ins.affected_rows() == 1;
        if (added && status != 2) mark_joined(tx, user_id, group_id, now);
        return added;
    });
}

// ---- Join requests and invites
void PgStore::set_join_request(int64_t group_id, int64_t user_id, const std::string& reason, int64_t now) {
    run("INSERT INTO join_requests (group_id, user_id, reason, request_time) VALUES ($1, $2, $3, $4) "
        "ON CONFLICT (group_id, user_id) DO UPDATE SET reason = excluded.reason, request_time = excluded.request_time",
        group_id, user_id, reason, now);
}

void PgStore::remove_join_request(int64_t group_id, int64_t user_id) {
    run("DELETE FROM join_requests WHERE group_id = $1 AND user_id = $2", group_id, user_id);
}

std::vector<Store::JoinRequest> PgStore::join_requests(int64_t group_id) {
    std::vector<JoinRequest> out;
    for (const auto& row : run("SELECT user_id, reason, request_time FROM join_requests WHERE group_id = $1 "
                               "ORDER BY request_time, user_id", group_id))
        out.push_back({num(row[0]), text(row[1]), num(row[2])});
    return out;
}

bool PgStore::share_a_group(int64_t a, int64_t b) {
    return !run("SELECT 1 FROM group_users x JOIN group_users y ON y.group_id = x.group_id "
                "WHERE x.user_id = $1 AND y.user_id = $2 AND x.status != 2 AND y.status != 2 LIMIT 1", a, b).empty();
}

std::vector<UserRow> PgStore::invite_candidates(int64_t user_id, int64_t group_id, int limit) {
    auto r = run(
        "SELECT u.id, u.username, u.nickname, u.avatar, u.role, u.status, u.create_time FROM users u "
        "WHERE u.id != $1 AND u.status = 1 "
        "AND (u.id IN (SELECT peer_id FROM contacts WHERE user_id = $1) "
        "  OR u.id IN (SELECT y.user_id FROM group_users x JOIN group_users y ON y.group_id = x.group_id "
        "              WHERE x.user_id = $1 AND x.status != 2 AND y.status != 2 AND x.group_id != $2)) "
        "AND u.id NOT IN (SELECT user_id FROM group_users WHERE group_id = $2) "
        "ORDER BY u.id LIMIT $3",
        user_id, group_id, limit);
    std::vector<UserRow> out;
    for (const auto& row : r) out.push_back(read_user(row));
    return out;
}

MemberRow PgStore::read_member(const pqxx::row& r) {
    MemberRow m;
    m.group_id = num(r[0]);
    m.user_id = num(r[1]);
    m.nickname = text(r[2]);
    m.status = static_cast<int>(num(r[3]));
    m.user = read_user(r, 4);
    return m;
}

}  // namespace imchat::server::pg_store
