// PostgreSQL store: the connection pool, the schema (created under an advisory lock), the
// start-up lock, the factory. The class and which file holds what: store_postgres_impl.hpp.
#include <sodium.h>

#include "server/store/store_postgres.hpp"
#include "server/store/store_postgres_impl.hpp"

namespace imchat::server {

namespace pg_store {

namespace {

// The SQLite schema (store_sqlite_schema.hpp) in PostgreSQL types: ids are BIGSERIAL, times and
// seqs BIGINT. No upgrades from older versions: there were none before this store.
constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS users (
  id BIGSERIAL PRIMARY KEY, username TEXT NOT NULL UNIQUE, nickname TEXT NOT NULL DEFAULT '',
  avatar TEXT NOT NULL DEFAULT '', role TEXT NOT NULL, device_id TEXT UNIQUE,
  password_hash TEXT, token_hash TEXT, status INTEGER NOT NULL DEFAULT 1, create_time BIGINT NOT NULL,
  userset TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS users_token ON users(token_hash);
CREATE TABLE IF NOT EXISTS chat_groups (
  id BIGSERIAL PRIMARY KEY, uuid TEXT NOT NULL, user_id BIGINT NOT NULL, name TEXT NOT NULL,
  avatar TEXT NOT NULL DEFAULT '', remark TEXT NOT NULL DEFAULT '', invite_confirm INTEGER NOT NULL DEFAULT 0,
  status INTEGER NOT NULL DEFAULT 1, create_time BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS group_users (
  group_id BIGINT NOT NULL, user_id BIGINT NOT NULL, nickname TEXT NOT NULL DEFAULT '',
  status INTEGER NOT NULL DEFAULT 1, create_time BIGINT NOT NULL, PRIMARY KEY (group_id, user_id));
CREATE INDEX IF NOT EXISTS group_users_user ON group_users(user_id);
CREATE TABLE IF NOT EXISTS conversations (conv TEXT PRIMARY KEY, last_seq BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS invite_codes (user_id BIGINT PRIMARY KEY, code TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS contacts (
  user_id BIGINT NOT NULL, peer_id BIGINT NOT NULL, create_time BIGINT NOT NULL, PRIMARY KEY (user_id, peer_id));
CREATE TABLE IF NOT EXISTS ack_cursors (
  user_id BIGINT NOT NULL, conv TEXT NOT NULL, seq BIGINT NOT NULL, PRIMARY KEY (user_id, conv));
CREATE TABLE IF NOT EXISTS messages (
  id BIGSERIAL PRIMARY KEY, conv TEXT NOT NULL, seq BIGINT NOT NULL,
  from_id BIGINT NOT NULL, from_name TEXT NOT NULL, from_avatar TEXT NOT NULL,
  to_id BIGINT NOT NULL, to_name TEXT NOT NULL, to_avatar TEXT NOT NULL,
  chat_type TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, options TEXT NOT NULL,
  create_time BIGINT NOT NULL, isremove INTEGER NOT NULL DEFAULT 0, client_msg_id TEXT,
  UNIQUE (conv, seq), UNIQUE (from_id, client_msg_id));
CREATE TABLE IF NOT EXISTS conv_state (
  user_id BIGINT NOT NULL, conv TEXT NOT NULL, chat_type TEXT NOT NULL, target_id BIGINT NOT NULL,
  joined_seq BIGINT NOT NULL DEFAULT 0, read_seq BIGINT NOT NULL DEFAULT 0,
  delivered_seq BIGINT NOT NULL DEFAULT 0, hidden_seq BIGINT NOT NULL DEFAULT -1,
  activity_time BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (user_id, conv));
CREATE TABLE IF NOT EXISTS join_requests (
  group_id BIGINT NOT NULL, user_id BIGINT NOT NULL, reason TEXT NOT NULL DEFAULT '',
  request_time BIGINT NOT NULL, PRIMARY KEY (group_id, user_id));
CREATE TABLE IF NOT EXISTS upload_quota (
  user_id BIGINT NOT NULL, day BIGINT NOT NULL, bytes BIGINT NOT NULL, PRIMARY KEY (user_id, day));
CREATE INDEX IF NOT EXISTS users_disabled ON users(id) WHERE status != 1;
)SQL";

// Holds the session advisory lock on its own connection (not from the pool: the pool's
// connections must stay free for the work done while it is held).
class PgSetupLock final : public Store::SetupLock {
public:
    explicit PgSetupLock(const std::string& conninfo) : conn_(conninfo) {
        conn_.prepare("lock", "SELECT pg_advisory_lock($1)");
        pqxx::nontransaction t(conn_);
        t.exec_prepared("lock", kSetupLockKey);
    }
    // Closing the session releases the lock, also if the unlock below fails.
    ~PgSetupLock() override {
        try {
            conn_.prepare("unlock", "SELECT pg_advisory_unlock($1)");
            pqxx::nontransaction t(conn_);
            t.exec_prepared("unlock", kSetupLockKey);
        } catch (...) {}
    }

private:
    pqxx::connection conn_;
};

}  // namespace

const std::string& PgPool::Lease::prepared(const std::string& sql) {
    auto it = c_->prepared.find(sql);
    if (it == c_->prepared.end()) {
        std::string name = "s" + std::to_string(c_->prepared.size());
        c_->conn->prepare(name, sql);
        it = c_->prepared.emplace(sql, std::move(name)).first;
    }
    return it->second;
}

PgPool::Lease PgPool::acquire() {
    std::unique_lock lk(mu_);
    cv_.wait(lk, [&] { return !idle_.empty() || open_ < size_; });
    if (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(c));
    }
    ++open_;
    lk.unlock();
    try {
        auto c = std::make_unique<PgConn>();
        c->conn = std::make_unique<pqxx::connection>(conninfo_);
        return Lease(*this, std::move(c));
    } catch (...) {
        lk.lock();
        --open_;
        cv_.notify_one();
        throw;
    }
}

void PgPool::give_back(std::unique_ptr<PgConn> c) {
    const bool healthy = c->conn && c->conn->is_open();
    if (!healthy) c.reset();   // outside the lock: closing may take a moment
    std::lock_guard lk(mu_);
    if (healthy) idle_.push_back(std::move(c));
    else --open_;
    cv_.notify_one();
}

PgStore::PgStore(const std::string& conninfo, int pool_size) : pool_(conninfo, pool_size) {
    if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
    // CREATE TABLE IF NOT EXISTS is not safe against itself in PostgreSQL (two sessions can
    // both find a table missing; one fails on the catalog's unique index): one at a time.
    PgSetupLock lock(conninfo);
    auto l = pool_.acquire();
    pqxx::work w(l.conn());
    w.exec(kSchema);   // constant DDL, no parameters
    w.commit();
}

std::unique_ptr<Store::SetupLock> PgStore::setup_lock() {
    return std::make_unique<PgSetupLock>(pool_.conninfo());
}

std::string PgStore::random_hex(size_t bytes) {
    std::vector<unsigned char> b(bytes);
    randombytes_buf(b.data(), b.size());
    std::string hex(bytes * 2 + 1, '\0');
    sodium_bin2hex(hex.data(), hex.size(), b.data(), b.size());
    hex.pop_back();
    return hex;
}

}  // namespace pg_store

std::unique_ptr<Store> make_postgres_store(const std::string& conninfo, int pool_size) {
    return std::make_unique<pg_store::PgStore>(conninfo, pool_size);
}

}  // namespace imchat::server
