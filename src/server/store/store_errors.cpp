#include "server/store/store_errors.hpp"

#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>

#include <cerrno>
#include <system_error>
#ifdef IMCHAT_HAVE_POSTGRES
#include <pqxx/except>
#endif

namespace imchat::server {

std::optional<std::string> storage_failure(const std::exception& e) {
    if (const auto* s = dynamic_cast<const SQLite::Exception*>(&e)) {
        switch (s->getErrorCode() & 0xff) {   // the primary result code
            case SQLITE_FULL:     return "disk full";
            case SQLITE_READONLY: return "read-only";
            case SQLITE_IOERR:    return "I/O error";
            case SQLITE_CANTOPEN: return "cannot open a database file";
            default:              return std::nullopt;
        }
    }
    if (const auto* s = dynamic_cast<const std::system_error*>(&e)) {
        if (s->code().category() != std::generic_category() && s->code().category() != std::system_category())
            return std::nullopt;
        switch (s->code().value()) {
            case ENOSPC: return "disk full";
            case EDQUOT: return "disk quota exceeded";
            case EROFS:  return "read-only";
            case EIO:    return "I/O error";
            default:     return std::nullopt;
        }
    }
#ifdef IMCHAT_HAVE_POSTGRES
    if (const auto* s = dynamic_cast<const pqxx::sql_error*>(&e)) {
        const std::string state = s->sqlstate();
        if (state.rfind("53", 0) == 0) return "database out of resources (" + state + ")";
        if (state.rfind("58", 0) == 0) return "database I/O error (" + state + ")";
        if (state == "25006") return "database read-only";
    }
#endif
    return std::nullopt;
}

}  // namespace imchat::server
