// Store micro-benchmark (not a test; no timing is asserted anywhere). Prints µs per call of the
// store's hot paths, single-threaded, then the append throughput of T threads at once.
//   ./build/tests/store_bench [file.db]   (default: a fresh file in /tmp; ":memory:" works too)
//   ./build/tests/store_bench --pg CONNINFO   (PostgreSQL: a fresh schema there, dropped after;
//        tests/lib/pg-test-db.sh -- sh -c './build/tests/store_bench --pg "$IMCHAT_TEST_PG"')
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "server/store/store.hpp"
#include "server/store/store_sqlite_impl.hpp"
#ifdef IMCHAT_HAVE_POSTGRES
#include <pqxx/pqxx>

#include "server/store/store_postgres.hpp"
#endif

using namespace imchat::server;
using imchat::protocol::Message;
using Clock = std::chrono::steady_clock;

namespace {

template <class F>
void time_it(const char* name, int n, F&& f) {
    const auto t0 = Clock::now();
    for (int i = 0; i < n; ++i) f(i);
    const double us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count();
    std::printf("%-28s %8d calls  %8.2f us/call\n", name, n, us / n);
}

Message text(int64_t from, int64_t gid, int i) {
    Message m;
    m.from_id = from; m.to_id = gid; m.chat_type = "group"; m.type = "text";
    m.data = std::string(100, 'x'); m.create_time = 1;
    m.client_msg_id = "c" + std::to_string(from) + "-" + std::to_string(i);
    return m;
}

}  // namespace

int main(int argc, char** argv) {
    const bool pg = argc > 1 && std::string(argv[1]) == "--pg";
    std::string path = argc > 1 ? argv[1]
                                : (std::filesystem::temp_directory_path() /
                                   ("imchat_store_bench_" + std::to_string(::getpid()) + ".db")).string();
    std::unique_ptr<Store> s;
#ifdef IMCHAT_HAVE_POSTGRES
    const std::string conninfo = pg && argc > 2 ? argv[2] : "";
    const std::string schema = "imchat_bench_" + std::to_string(::getpid());
    auto pg_admin = [&](const std::string& sql) {
        pqxx::connection c(conninfo);
        pqxx::nontransaction t(c);
        t.exec(sql);
    };
    if (pg) {
        pg_admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE; CREATE SCHEMA " + schema);
        s = make_postgres_store(conninfo + " options='-csearch_path=" + schema + "'", 17);
        path = ":memory:";   // nothing to delete on disk
        std::printf("store: postgres (%s)\n", conninfo.c_str());
    }
#else
    if (pg) {
        std::fprintf(stderr, "store_bench: built without the PostgreSQL store (libpqxx-dev)\n");
        return 2;
    }
#endif
    if (!pg) {
        if (path != ":memory:") {
            for (const char* sfx : {"", "-wal", "-shm"}) std::filesystem::remove(path + sfx);
        }
        s = make_sqlite_store(path);
        std::printf("store: sqlite (%s)\n", path.c_str());
    }
    const int kUsers = 200;
    std::vector<int64_t> users;
    for (int i = 0; i < kUsers; ++i) {
        users.push_back(s->visitor_for_device("dev" + std::to_string(100000 + i) + "-0000-4000-8000-000000000000", 1).id);
        s->set_token_hash(users.back(), "tok" + std::to_string(i));
    }
    const GroupRow g = s->create_group(users[0], "bench", 0, 1);
    for (int i = 1; i < kUsers; ++i) s->add_member(g.id, users[i], 1, 1);
    const std::string conv = conv_key("group", g.id);

    const int n = 20000;
    time_it("append_message (1 thread)", n, [&](int i) { s->append_message(conv, text(users[i % kUsers], g.id, i)); });
    time_it("member", n, [&](int i) { s->member(g.id, users[i % kUsers]); });
    time_it("members (200)", 2000, [&](int) { s->members(g.id); });
    time_it("user_by_token_hash", n, [&](int i) { s->user_by_token_hash("tok" + std::to_string(i % kUsers)); });
    time_it("advance_delivered_cursor", n,
            [&](int i) { s->advance_delivered_cursor(users[i % kUsers], conv, i + 1); });
    // The cursor moves on every call (each seq is another sender's): one write, one commit each.
    time_it("advance_delivered (moves)", n / 4,
            [&](int i) { s->advance_delivered_cursor(users[kUsers - 1], conv, i + 1); });
    time_it("last_seq", n, [&](int) { s->last_seq(conv); });
    time_it("user_by_id", n, [&](int i) { s->user_by_id(users[i % kUsers]); });
    time_it("in_conversation", n, [&](int i) { s->in_conversation(users[i % kUsers], conv); });

    auto* sq = dynamic_cast<sqlite_store::SqliteStore*>(s.get());
    for (int threads : {1, 2, 4, 8, 16}) {
        const int per = 20000 / threads;
        const auto before = sq ? sq->append_stats() : sqlite_store::SqliteStore::AppendStats{};
        std::atomic<int> ready{0};
        const auto t0 = Clock::now();
        std::vector<std::thread> ts;
        for (int t = 0; t < threads; ++t) {
            ts.emplace_back([&, t] {
                for (int i = 0; i < per; ++i)
                    s->append_message(conv, text(users[t % kUsers], g.id, 1000000 * (threads) + t * per + i));
            });
        }
        for (auto& t : ts) t.join();
        const double sec = std::chrono::duration<double>(Clock::now() - t0).count();
        std::printf("append_message %2d threads    %8d calls  %8.0f appends/s  %6.2f us/append", threads,
                    per * threads, per * threads / sec, sec * 1e6 / (per * threads));
        if (sq) {   // SQLite's group commit; PostgreSQL commits each append in its own transaction
            const auto after = sq->append_stats();
            std::printf("  %.2f appends/transaction (largest %lld)",
                        double(after.appends - before.appends) / double(after.batches - before.batches),
                        static_cast<long long>(after.max_batch));
        }
        std::printf("\n");
    }
    if (path != ":memory:") {
        for (const char* sfx : {"", "-wal", "-shm"}) std::filesystem::remove(path + sfx);
    }
#ifdef IMCHAT_HAVE_POSTGRES
    s.reset();
    if (pg) pg_admin("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
#endif
    return 0;
}
