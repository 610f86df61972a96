// imchat::server: which store (or upload) failures mean "the server cannot write right now"
// (issue 14: a full disk, a read-only data dir or database, an I/O error) rather than a bug.
// The API answers those with 503 + a reason (kErrStorage) instead of 500: nothing was stored,
// the client may retry, reads keep working, and writes resume by themselves once space
// returns (nothing is cached as broken).
#pragma once
#include <exception>
#include <optional>
#include <string>

namespace imchat::server {

// A short English cause for the log ("disk full", "read-only", "I/O error"), or nullopt when
// `e` is some other failure. Knows SQLite (SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR*,
// SQLITE_CANTOPEN), PostgreSQL (SQLSTATE class 53 insufficient resources, 58 system errors,
// 25006 read-only transaction) and std::system_error (ENOSPC, EDQUOT, EROFS, EIO) from uploads.
std::optional<std::string> storage_failure(const std::exception& e);

}  // namespace imchat::server
