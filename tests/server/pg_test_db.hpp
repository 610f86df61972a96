// PostgreSQL for store tests: IMCHAT_TEST_PG names a database (libpq conninfo, key=value or
// URI form) that tests may create and drop schemas in; tests/lib/pg-test-db.sh starts a
// throwaway one:  tests/lib/pg-test-db.sh -- ctest --test-dir build -R Postgres
// Each store under test gets a fresh schema (search_path), dropped when the test program ends.
// Without the variable, an unreachable database or a build without libpqxx, tests skip and
// say why (pg_skip_reason()).
#pragma once
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#ifdef IMCHAT_HAVE_POSTGRES
#include <pqxx/pqxx>

#include "server/store/store_postgres.hpp"
#endif

namespace imchat::test {

inline std::string pg_test_conninfo() {
    const char* v = std::getenv("IMCHAT_TEST_PG");
    return v ? v : "";
}

#ifdef IMCHAT_HAVE_POSTGRES

// Schemas made by this program, dropped at exit (registered once, as a gtest environment).
class PgSchemas : public ::testing::Environment {
public:
    static PgSchemas& get() {
        static PgSchemas* self = [] {
            auto* s = new PgSchemas;
            ::testing::AddGlobalTestEnvironment(s);   // gtest owns it
            return s;
        }();
        return *self;
    }
    void add(const std::string& name) {
        std::lock_guard lk(mu_);
        names_.push_back(name);
    }
    void TearDown() override {
        std::lock_guard lk(mu_);
        if (names_.empty()) return;
        try {
            pqxx::connection c(pg_test_conninfo());
            pqxx::nontransaction t(c);
            for (const auto& n : names_) t.exec("DROP SCHEMA IF EXISTS " + t.quote_name(n) + " CASCADE");
        } catch (const std::exception& e) {
            std::fprintf(stderr, "pg_test_db: could not drop the test schemas: %s\n", e.what());
        }
        names_.clear();
    }

private:
    std::mutex               mu_;
    std::vector<std::string> names_;
};

// Why PostgreSQL tests cannot run here; "" if they can (checked once: one connection).
inline const std::string& pg_skip_reason() {
    static const std::string reason = []() -> std::string {
        const std::string ci = pg_test_conninfo();
        if (ci.empty())
            return "IMCHAT_TEST_PG is not set (run under tests/lib/pg-test-db.sh -- ..., or point it at a "
                   "database the tests may create schemas in)";
        try {
            pqxx::connection c(ci);
            return "";
        } catch (const std::exception& e) {
            return "IMCHAT_TEST_PG='" + ci + "' is unreachable: " + e.what();
        }
    }();
    return reason;
}

// A new, empty schema; answers the conninfo whose sessions use it (search_path).
inline std::string pg_fresh_schema_conninfo(const char* tag = "t") {
    static std::atomic<int> n{0};
    const std::string name = std::string("imchat_") + tag + "_" + std::to_string(::getpid()) + "_" +
                             std::to_string(++n);
    const std::string ci = pg_test_conninfo();
    {
        pqxx::connection c(ci);
        pqxx::nontransaction t(c);
        t.exec("DROP SCHEMA IF EXISTS " + t.quote_name(name) + " CASCADE");
        t.exec("CREATE SCHEMA " + t.quote_name(name));
    }
    PgSchemas::get().add(name);
    const bool uri = ci.rfind("postgres://", 0) == 0 || ci.rfind("postgresql://", 0) == 0;
    if (uri) return ci + (ci.find('?') == std::string::npos ? "?" : "&") + "options=-csearch_path%3D" + name;
    return ci + " options='-csearch_path=" + name + "'";
}

#else

inline const std::string& pg_skip_reason() {
    static const std::string reason =
        "built without the PostgreSQL store (libpqxx-dev not found at configure time; shell/setup --cluster)";
    return reason;
}

#endif

}  // namespace imchat::test
