// SQLite store (default): opening, schema and upgrades, the factory. The class and
// which file holds what: store_sqlite_impl.hpp.
#include "server/store/store_sqlite_impl.hpp"

#include <algorithm>

namespace imchat::server {

std::string conv_key(const std::string& chat_type, int64_t a, int64_t b) {
    if (chat_type == "group") return "group:" + std::to_string(a);
    if (a > b) std::swap(a, b);
    return "single:" + std::to_string(a) + ":" + std::to_string(b);
}

void sort_newest_first(std::vector<ConversationRow>& rows) {
    std::stable_sort(rows.begin(), rows.end(),
                     [](const ConversationRow& a, const ConversationRow& b) { return a.update_time > b.update_time; });
}

namespace sqlite_store {

SqliteStore::SqliteStore(const std::string& path)
    : db_(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_FULLMUTEX) {
    // WAL with synchronous=NORMAL: a COMMIT has written its frames to the WAL file (the OS
    // holds them) before it returns, so a killed or crashed process loses nothing it
    // acknowledged; only a power loss or an OS crash can lose the last commits (the WAL is
    // fsynced at checkpoints, not at each commit). FULL would fsync every commit, which group
    // commit would make a batch-wide cost, but it is not needed for "acknowledged = committed"
    // against process death, which is what the server promises (README).
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
    db_.exec(kSchemaUploadQuota);
    db_.exec(kSchemaDisabledUsers);
}

Cached SqliteStore::stmt(std::string_view sql) {
    auto it = stmts_.find(sql);
    if (it == stmts_.end())
        it = stmts_.emplace(std::string(sql), Slot{std::make_unique<SQLite::Statement>(db_, std::string(sql))}).first;
    if (it->second.in_use) return Cached(std::make_unique<SQLite::Statement>(db_, std::string(sql)));
    return Cached(*it->second.q, &it->second.in_use);
}

}  // namespace sqlite_store

std::unique_ptr<Store> make_sqlite_store(const std::string& path) {
    return std::make_unique<sqlite_store::SqliteStore>(path);
}

}  // namespace imchat::server
