// SQLite store: Users: guests by device, accounts and credentials, tokens, settings, contacts.
#include "server/store/store_sqlite_impl.hpp"

namespace imchat::server::sqlite_store {

UserRow SqliteStore::visitor_for_device(const std::string& device_id, int64_t now) {
    std::lock_guard lk(mu_);
    SQLite::Transaction tx(db_);
    Cached find = stmt(std::string("SELECT ") + kUserCols + " FROM users WHERE device_id = ?");
    find.bind(1, device_id);
    if (find.executeStep()) {
        UserRow u = read_user(find);
        tx.commit();
        return u;
    }
    Cached ins = stmt("INSERT INTO users (username, role, device_id, create_time) VALUES (?, 'visitor', ?, ?)");
    ins.bind(1, "VIS" + device_id.substr(0, 8) + "_" + std::to_string(next_suffix()));
    ins.bind(2, device_id);
    ins.bind(3, now);
    ins.exec();
    const int64_t id = db_.getLastInsertRowid();
    // Reference naming: VIS + first 8 chars of the device id (unique by id suffix on clash).
    Cached ren = stmt("UPDATE users SET username = ? WHERE id = ? AND NOT EXISTS "
                               "(SELECT 1 FROM users WHERE username = ?)");
    const std::string name = "VIS" + device_id.substr(0, 8);
    ren.bind(1, name); ren.bind(2, id); ren.bind(3, name);
    ren.exec();
    tx.commit();
    return *user_by_id_locked(id);
}

UserRow SqliteStore::create_user(const std::string& username, const std::string& nickname, const std::string& role,
                    int64_t now) {
    std::lock_guard lk(mu_);
    Cached ins = stmt("INSERT INTO users (username, nickname, role, create_time) VALUES (?, ?, ?, ?)");
    ins.bind(1, username); ins.bind(2, nickname); ins.bind(3, role); ins.bind(4, now);
    ins.exec();
    return *user_by_id_locked(db_.getLastInsertRowid());
}

std::optional<UserRow> SqliteStore::user_by_id(int64_t id) {
    std::lock_guard lk(mu_);
    return user_by_id_locked(id);
}

void SqliteStore::set_nickname(int64_t user_id, const std::string& nickname) {
    exec("UPDATE users SET nickname = ? WHERE id = ?", nickname, user_id);
}

void SqliteStore::set_avatar(int64_t user_id, const std::string& avatar) {
    exec("UPDATE users SET avatar = ? WHERE id = ?", avatar, user_id);
}

bool SqliteStore::add_upload_bytes(int64_t user_id, int64_t day, int64_t bytes, int64_t limit) {
    if (bytes > limit) return false;
    std::lock_guard lk(mu_);
    Cached q = stmt("INSERT INTO upload_quota (user_id, day, bytes) VALUES (?, ?, ?) "
                    "ON CONFLICT (user_id, day) DO UPDATE SET bytes = bytes + excluded.bytes "
                    "WHERE upload_quota.bytes + excluded.bytes <= ?");
    q.bind(1, user_id); q.bind(2, day); q.bind(3, bytes); q.bind(4, limit);
    return q.exec() == 1;
}

std::string SqliteStore::userset(int64_t user_id) {
    std::lock_guard lk(mu_);
    Cached q = stmt("SELECT userset FROM users WHERE id = ?");
    q.bind(1, user_id);
    return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

void SqliteStore::set_userset(int64_t user_id, const std::string& json) {
    exec("UPDATE users SET userset = ? WHERE id = ?", json, user_id);
}

bool SqliteStore::upgrade_visitor(int64_t user_id, const std::string& username, const std::string& password_hash) {
    std::lock_guard lk(mu_);
    Cached q = stmt("UPDATE users SET username = ?, password_hash = ?, role = 'user', device_id = NULL "
                             "WHERE id = ? AND role = 'visitor' AND NOT EXISTS "
                             "(SELECT 1 FROM users WHERE username = ? AND id != ?)");
    q.bind(1, username); q.bind(2, password_hash); q.bind(3, user_id); q.bind(4, username); q.bind(5, user_id);
    return q.exec() == 1;
}

std::optional<std::pair<UserRow, std::string>> SqliteStore::credentials(const std::string& username) {
    std::lock_guard lk(mu_);
    Cached q = stmt(std::string("SELECT ") + kUserCols + ", password_hash FROM users WHERE username = ?");
    q.bind(1, username);
    if (!q.executeStep()) return std::nullopt;
    return std::make_pair(read_user(q), q.getColumn(7).isNull() ? std::string() : q.getColumn(7).getString());
}

void SqliteStore::set_password_hash(int64_t user_id, const std::string& hash) {
    std::lock_guard lk(mu_);
    Cached q = stmt("UPDATE users SET password_hash = ? WHERE id = ?");
    q.bind(1, hash); q.bind(2, user_id);
    q.exec();
}

std::optional<UserRow> SqliteStore::user_by_token_hash(const std::string& token_hash) {
    std::lock_guard lk(mu_);
    if (token_hash.empty()) return std::nullopt;
    Cached q = stmt(std::string("SELECT ") + kUserCols + " FROM users WHERE token_hash = ?");
    q.bind(1, token_hash);
    if (!q.executeStep()) return std::nullopt;
    return read_user(q);
}

void SqliteStore::set_token_hash(int64_t user_id, const std::string& token_hash) {
    std::lock_guard lk(mu_);
    Cached q = stmt("UPDATE users SET token_hash = ? WHERE id = ?");
    q.bind(1, token_hash); q.bind(2, user_id);
    q.exec();
}

std::string SqliteStore::invite_code(int64_t user_id) {
    std::lock_guard lk(mu_);
    Cached ins = stmt("INSERT OR IGNORE INTO invite_codes (user_id, code) VALUES (?, lower(hex(randomblob(12))))");
    ins.bind(1, user_id);
    ins.exec();
    Cached q = stmt("SELECT code FROM invite_codes WHERE user_id = ?");
    q.bind(1, user_id);
    q.executeStep();
    return q.getColumn(0).getString();
}

std::optional<UserRow> SqliteStore::user_by_invite_code(const std::string& code) {
    std::lock_guard lk(mu_);
    Cached q = stmt("SELECT u.id, u.username, u.nickname, u.avatar, u.role, u.status, u.create_time "
                             "FROM invite_codes c JOIN users u ON u.id = c.user_id WHERE c.code = ?");
    q.bind(1, code);
    if (!q.executeStep()) return std::nullopt;
    return read_user(q);
}

void SqliteStore::add_contact(int64_t a, int64_t b, int64_t now) {
    std::lock_guard lk(mu_);
    SQLite::Transaction tx(db_);
    for (auto [x, y] : {std::pair{a, b}, std::pair{b, a}}) {
        Cached q = stmt("INSERT OR IGNORE INTO contacts (user_id, peer_id, create_time) VALUES (?, ?, ?)");
        q.bind(1, x); q.bind(2, y); q.bind(3, now);
        q.exec();
    }
    tx.commit();
}

bool SqliteStore::are_contacts(int64_t a, int64_t b) {
    std::lock_guard lk(mu_);
    Cached q = stmt("SELECT 1 FROM contacts WHERE user_id = ? AND peer_id = ?");
    q.bind(1, a); q.bind(2, b);
    return q.executeStep();
}

int64_t SqliteStore::next_suffix() {
    Cached q = stmt("SELECT coalesce(max(id), 0) + 1 FROM users");
    q.executeStep();
    return q.getColumn(0).getInt64();
}

std::optional<UserRow> SqliteStore::user_by_id_locked(int64_t id) {
    Cached q = stmt(std::string("SELECT ") + kUserCols + " FROM users WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    return read_user(q);
}

}  // namespace imchat::server::sqlite_store

namespace imchat::server::sqlite_store {

std::optional<UserRow> SqliteStore::set_user_status(const std::string& username, int status) {
    std::lock_guard lk(mu_);
    Cached q = stmt("UPDATE users SET status = ? WHERE username = ?");
    q.bind(1, status);
    q.bind(2, username);
    if (q.exec() == 0) return std::nullopt;
    Cached find = stmt(std::string("SELECT ") + kUserCols + " FROM users WHERE username = ?");
    find.bind(1, username);
    if (!find.executeStep()) return std::nullopt;
    return read_user(find);
}

std::vector<int64_t> SqliteStore::disabled_user_ids() {
    std::lock_guard lk(mu_);
    Cached q = stmt("SELECT id FROM users WHERE status != 1 ORDER BY id");
    std::vector<int64_t> ids;
    while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
    return ids;
}

}  // namespace imchat::server::sqlite_store
