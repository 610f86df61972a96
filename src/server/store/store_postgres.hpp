// The PostgreSQL store (issue 12): the same Store as SQLite, shared by several server
// processes on one or more machines. Built only when libpqxx is found (IMCHAT_HAVE_POSTGRES).
#pragma once
#include <memory>
#include <string>

#include "server/store/store.hpp"

namespace imchat::server {

// `conninfo` is a libpq connection string or URI; empty: libpq's PG* environment variables.
// `pool_size` connections at most, opened on demand (one per API worker thread, plus a few).
// Creates the schema if missing, under an advisory lock (several processes may start at once).
// Throws if the database cannot be reached.
std::unique_ptr<Store> make_postgres_store(const std::string& conninfo, int pool_size = 8);

}  // namespace imchat::server
