// PostgreSQL store: Users: guests by device, accounts and credentials, tokens, settings, contacts.
#include "server/store/store_postgres_impl.hpp"

namespace imchat::server::pg_store {

namespace {
const std::string kUserById = std::string("SELECT ") + kUserCols + " FROM users WHERE id = $1";
const std::string kUserByDevice = std::string("SELECT ") + kUserCols + " FROM users WHERE device_id = $1";
}  // namespace

UserRow PgStore::visitor_for_device(const std::string& device_id, int64_t now) {
    if (auto r = run(kUserByDevice, device_id); !r.empty()) return read_user(r[0]);
    return transact([&](Tx& tx) {
        // Reference naming: VIS + first 8 chars of the device id; on a clash, unique by the id.
        const std::string name = "VIS" + device_id.substr(0, 8);
        const int64_t id = num(tx("SELECT nextval(pg_get_serial_sequence('users', 'id'))")[0][0]);
        // Another process may register the same device at once: the loser finds the winner's row.
        auto ins = tx("INSERT INTO users (id, username, role, device_id, create_time) "
                      "VALUES ($1, $2, 'visitor', $3, $4) ON CONFLICT (device_id) DO NOTHING RETURNING id",
                      id, name + "_" + std::to_string(id), device_id, now);
        if (ins.empty()) return read_user(tx(kUserByDevice, device_id)[0]);
        // The short name if free. A race for it with another process is settled by the unique
        // index: the rename runs in a savepoint, and the loser keeps the suffixed name.
        try {
            pqxx::subtransaction sp(dynamic_cast<pqxx::dbtransaction&>(tx.raw()), "rename");
            tx.inside(sp)("UPDATE users SET username = $1 WHERE id = $2 AND NOT EXISTS "
                          "(SELECT 1 FROM users WHERE username = $1)", name, id);
            sp.commit();
        } catch (const pqxx::unique_violation&) {}
        return read_user(tx(kUserById, id)[0]);
    });
}

UserRow PgStore::create_user(const std::string& username, const std::string& nickname, const std::string& role,
                             int64_t now) {
    static const std::string kIns = std::string("INSERT INTO users (username, nickname, role, create_time) "
                                                "VALUES ($1, $2, $3, $4) RETURNING ") + kUserCols;
    return read_user(run(kIns, username, nickname, role, now)[0]);
}

std::optional<UserRow> PgStore::user_by_id(int64_t id) {
    auto r = run(kUserById, id);
    if (r.empty()) return std::nullopt;
    return read_user(r[0]);
}

void PgStore::set_nickname(int64_t user_id, const std::string& nickname) {
    run("UPDATE users SET nickname = $1 WHERE id = $2", nickname, user_id);
}

void PgStore::set_avatar(int64_t user_id, const std::string& avatar) {
    run("UPDATE users SET avatar = $1 WHERE id = $2", avatar, user_id);
}

bool PgStore::add_upload_bytes(int64_t user_id, int64_t day, int64_t bytes, int64_t limit) {
    if (bytes > limit) return false;
    // One statement: concurrent uploads of one user (on any process) serialise on the row.
    auto r = run("INSERT INTO upload_quota (user_id, day, bytes) VALUES ($1, $2, $3) "
                 "ON CONFLICT (user_id, day) DO UPDATE SET bytes = upload_quota.bytes + excluded.bytes "
                 "WHERE upload_quota.bytes + excluded.bytes <= $4 RETURNING bytes",
                 user_id, day, bytes, limit);
    return !r.empty();
}

std::string PgStore::userset(int64_t user_id) {
    auto r = run("SELECT userset FROM users WHERE id = $1", user_id);
    return r.empty() ? std::string() : text(r[0][0]);
}

void PgStore::set_userset(int64_t user_id, const std::string& json) {
    run("UPDATE users SET userset = $1 WHERE id = $2", json, user_id);
}

bool PgStore::upgrade_visitor(int64_t user_id, const std::string& username, const std::string& password_hash) {
    try {
        auto r = run("UPDATE users SET username = $1, password_hash = $2, role = 'user', device_id = NULL "
                     "WHERE id = $3 AND role = 'visitor' AND NOT EXISTS "
                     "(SELECT 1 FROM users WHERE username = $1 AND id != $3)",
                     username, password_hash, user_id);
        return r.affected_rows() == 1;
    } catch (const pqxx::unique_violation&) {   // another process took the name meanwhile
        return false;
    }
}

std::optional<std::pair<UserRow, std::string>> PgStore::credentials(const std::string& username) {
    static const std::string kSql = std::string("SELECT ") + kUserCols + ", password_hash FROM users WHERE username = $1";
    auto r = run(kSql, username);
    if (r.empty()) return std::nullopt;
    return std::make_pair(read_user(r[0]), text(r[0][7]));
}

void PgStore::set_password_hash(int64_t user_id, const std::string& hash) {
    run("UPDATE users SET password_hash = $1 WHERE id = $2", hash, user_id);
}

std::optional<UserRow> PgStore::user_by_token_hash(const std::string& token_hash) {
    static const std::string kSql = std::string("SELECT ") + kUserCols + " FROM users WHERE token_hash = $1";
    if (token_hash.empty()) return std::nullopt;
    auto r = run(kSql, token_hash);
    if (r.empty()) return std::nullopt;
    return read_user(r[0]);
}

void PgStore::set_token_hash(int64_t user_id, const std::string& token_hash) {
    run("UPDATE users SET token_hash = $1 WHERE id = $2", token_hash, user_id);
}

std::string PgStore::invite_code(int64_t user_id) {
    // Made once: a second process asking at the same time keeps the first one's code.
    run("INSERT INTO invite_codes (user_id, code) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING",
        user_id, random_hex(12));
    return text(run("SELECT code FROM invite_codes WHERE user_id = $1", user_id)[0][0]);
}

std::optional<UserRow> PgStore::user_by_invite_code(const std::string& code) {
    auto r = run("SELECT u.id, u.username, u.nickname, u.avatar, u.role, u.status, u.create_time "
                 "FROM invite_codes c JOIN users u ON u.id = c.user_id WHERE c.code = $1", code);
    if (r.empty()) return std::nullopt;
    return read_user(r[0]);
}

void PgStore::add_contact(int64_t a, int64_t b, int64_t now) {
    run("INSERT INTO contacts (user_id, peer_id, create_time) VALUES ($1, $2, $3), ($2, $1, $3) "
        "ON CONFLICT DO NOTHING", a, b, now);
}

bool PgStore::are_contacts(int64_t a, int64_t b) {
    return !run("SELECT 1 FROM contacts WHERE user_id = $1 AND peer_id = $2", a, b).empty();
}

}  // namespace imchat::server::pg_store

namespace imchat::server::pg_store {

std::optional<UserRow> PgStore::set_user_status(const std::string& username, int status) {
    auto r = run(std::string("UPDATE users SET status = $1 WHERE username = $2 RETURNING ") + kUserCols, status,
                 username);
    if (r.empty()) return std::nullopt;
    return read_user(r[0]);
}

std::vector<int64_t> PgStore::disabled_user_ids() {
    std::vector<int64_t> ids;
    for (const auto& row : run("SELECT id FROM users WHERE status != 1 ORDER BY id")) ids.push_back(row[0].as<int64_t>());
    return ids;
}

}  // namespace imchat::server::pg_store
