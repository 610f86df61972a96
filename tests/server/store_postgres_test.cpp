// The PostgreSQL store as several processes use it (issue 12): store instances with pools of
// their own (each what one server process holds) on one database. Appends to one conversation
// from all of them at once stay gapless and unique; a (from_id, client_msg_id) sent through
// every instance at once is created once; processes starting at once on an empty database
// create the schema and the demo group once. Needs IMCHAT_TEST_PG (pg_test_db.hpp); skips,
// saying why, without it.
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "pg_test_db.hpp"
#include "server/store/store.hpp"

using namespace imchat::server;
using imchat::protocol::Message;

#ifdef IMCHAT_HAVE_POSTGRES

namespace {

Message group_text(int64_t from, int64_t gid, const std::string& data, const std::string& cmid) {
    Message m;
    m.from_id = from; m.to_id = gid; m.chat_type = "group"; m.type = "text"; m.data = data;
    m.client_msg_id = cmid; m.create_time = 1;
    return m;
}

class PostgresStore : public ::testing::Test {
protected:
    void SetUp() override {
        if (!imchat::test::pg_skip_reason().empty()) GTEST_SKIP() << imchat::test::pg_skip_reason();
        conninfo = imchat::test::pg_fresh_schema_conninfo("multi");
    }
    std::string conninfo;
};

}  // namespace

// Three instances (three processes' worth of pools), 4 writer threads each, one conversation.
// Every message is sent twice, through two different instances at the same moment (a client
// retrying through another process): created exactly once, both sends answer the same id and
// seq, and the conversation's seqs are exactly 1..N while a reader watches for gaps.
TEST_F(PostgresStore, InstancesAppendingToOneConversationGetGaplessSeqsAndIdempotentRetries) {
    constexpr int kInstances = 3, kThreadsPer = 4, kPer = 60;
    std::vector<std::unique_ptr<Store>> stores;
    for (int i = 0; i < kInstances; ++i) stores.push_back(make_postgres_store(conninfo, kThreadsPer + 1));
    const int64_t gid = 1;
    const std::string conv = conv_key("group", gid);

    std::atomic<bool> stop{false};
    std::atomic<int> reads{0};
    std::thread reader([&] {
        while (!stop) {
            auto all = stores[0]->messages_after(conv, 0, 1 << 30);
            for (size_t i = 0; i < all.size(); ++i) ASSERT_EQ(all[i].seq, static_cast<int64_t>(i + 1)) << "a gap";
            ASSERT_GE(stores[1]->last_seq(conv), static_cast<int64_t>(all.size()));
            ++reads;
        }
    });
    std::mutex mu;
    std::map<std::string, std::vector<AppendResult>> by_cmid;
    std::vector<std::thread> ts;
    for (int i = 0; i < kInstances; ++i) {
        for (int t = 0; t < kThreadsPer; ++t) {
            ts.emplace_back([&, i, t] { try {
                // Writer (i, t) sends its own messages through instance i, and its neighbour's
                // (instance i+1, same thread index) once more through instance i: every
                // client_msg_id goes through two instances at about the same time.
                const int64_t me = 100 + i * kThreadsPer + t;
                const int next = (i + 1) % kInstances;
                const int64_t neighbour = 100 + next * kThreadsPer + t;
                std::vector<std::pair<std::string, AppendResult>> mine;
                for (int k = 0; k < kPer; ++k) {
                    for (auto [from, owner] : {std::pair{me, i}, std::pair{neighbour, next}}) {
                        const std::string cmid = "c" + std::to_string(owner) + "-" + std::to_string(t) + "-" +
                                                 std::to_string(k);
                        mine.emplace_back(cmid, stores[i]->append_message(conv, group_text(from, gid, cmid, cmid)));
                    }
                }
                std::lock_guard lk(mu);
                for (auto& [cmid, r] : mine) by_cmid[cmid].push_back(std::move(r));
            } catch (const std::exception& e) { ADD_FAILURE() << "append threw: " << e.what(); } });
        }
    }
    for (auto& t : ts) t.join();
    stop = true;
    reader.join();

    const size_t n = static_cast<size_t>(kInstances * kThreadsPer * kPer);
    ASSERT_EQ(by_cmid.size(), n);
    std::set<int64_t> ids, seqs;
    for (const auto& [cmid, rs] : by_cmid) {
        ASSERT_EQ(rs.size(), 2u) << cmid;
        EXPECT_EQ(rs[0].created + rs[1].created, 1) << cmid << ": created exactly once";
        EXPECT_EQ(rs[0].message.id, rs[1].message.id) << cmid;
        EXPECT_EQ(rs[0].message.seq, rs[1].message.seq) << cmid;
        EXPECT_EQ(rs[0].message.data, cmid);
        EXPECT_TRUE(ids.insert(rs[0].message.id).second);
        EXPECT_TRUE(seqs.insert(rs[0].message.seq).second) << "seq " << rs[0].message.seq << " twice";
    }
    auto all = stores[2]->messages_after(conv, 0, 1 << 30);
    ASSERT_EQ(all.size(), n);
    for (size_t i = 0; i < all.size(); ++i) ASSERT_EQ(all[i].seq, static_cast<int64_t>(i + 1));
    EXPECT_EQ(stores[1]->last_seq(conv), static_cast<int64_t>(n)) << "no seq taken by a lost race stays used";
    std::printf("[ postgres ] %zu messages, each sent through 2 of %d instances at once; %d gap checks\n", n,
                kInstances, reads.load());
}

// One client_msg_id, many rounds, sent at the same moment through every instance (the
// retries land on different processes): one created per round, everyone answers it.
TEST_F(PostgresStore, OneClientMsgIdRetriedThroughEveryInstanceAtOnceCreatesOne) {
    constexpr int kInstances = 4, kRounds = 40;
    std::vector<std::unique_ptr<Store>> stores;
    for (int i = 0; i < kInstances; ++i) stores.push_back(make_postgres_store(conninfo, 2));
    std::vector<std::vector<AppendResult>> got(kInstances);
    std::atomic<int> arrived{0};
    std::vector<std::thread> ts;
    for (int i = 0; i < kInstances; ++i) {
        ts.emplace_back([&, i] { try {
            for (int r = 0; r < kRounds; ++r) {
                arrived.fetch_add(1);
                while (arrived.load() < (r + 1) * kInstances) std::this_thread::yield();
                got[i].push_back(stores[i]->append_message(
                    conv_key("group", 7), group_text(42, 7, "r" + std::to_string(r), "dup-" + std::to_string(r))));
            }
        } catch (const std::exception& e) {
            ADD_FAILURE() << "append threw: " << e.what();
            got[i].resize(kRounds);
            arrived.fetch_add(kRounds * kInstances);
        } });
    }
    for (auto& t : ts) t.join();
    for (int r = 0; r < kRounds; ++r) {
        int created = 0;
        for (int i = 0; i < kInstances; ++i) {
            created += got[i][r].created;
            EXPECT_EQ(got[i][r].message.id, got[0][r].message.id) << "round " << r;
            EXPECT_EQ(got[i][r].message.seq, r + 1) << "round " << r;
        }
        EXPECT_EQ(created, 1) << "round " << r;
    }
    EXPECT_EQ(stores[0]->last_seq(conv_key("group", 7)), kRounds);
    EXPECT_EQ(stores[3]->count_from(conv_key("group", 7), 42), kRounds);
}

// Ten processes starting at once on an empty database: each creates the schema (under the
// advisory lock) and then, holding setup_lock(), finds or makes the demo group as the server
// does at start (Api::ensure_demo_group): one group, one owner, nobody fails.
TEST_F(PostgresStore, SimultaneousColdStartsCreateTheSchemaAndOneDemoGroup) {
    constexpr int kProcesses = 10;
    std::atomic<int> ready{0}, failed{0};
    std::vector<int64_t> groups(kProcesses, 0);
    std::vector<std::thread> ts;
    for (int i = 0; i < kProcesses; ++i) {
        ts.emplace_back([&, i] {
            ready.fetch_add(1);
            while (ready.load() < kProcesses) std::this_thread::yield();
            try {
                auto s = make_postgres_store(conninfo, 2);
                auto lock = s->setup_lock();
                ASSERT_NE(lock, nullptr);
                if (s->group_count() == 0) {
                    UserRow owner = s->create_user("imchat", "imchat", "user", 1);
                    groups[i] = s->create_group(owner.id, "demo", 0, 1).id;
                } else {
                    groups[i] = s->group_by_id(1)->id;
                }
            } catch (const std::exception& e) {
                failed.fetch_add(1);
                ADD_FAILURE() << "start " << i << " failed: " << e.what();
            }
        });
    }
    for (auto& t : ts) t.join();
    EXPECT_EQ(failed.load(), 0);
    auto s = make_postgres_store(conninfo, 1);
    EXPECT_EQ(s->group_count(), 1);
    for (int i = 0; i < kProcesses; ++i) EXPECT_EQ(groups[i], 1) << "start " << i;
    ASSERT_TRUE(s->credentials("imchat"));
}

// The pool: more threads than connections wait for one instead of failing.
TEST_F(PostgresStore, MoreThreadsThanConnectionsShareThePool) {
    auto s = make_postgres_store(conninfo, 2);
    std::vector<std::thread> ts;
    std::atomic<int> ok{0};
    for (int t = 0; t < 8; ++t)
        ts.emplace_back([&, t] {
            for (int k = 0; k < 20; ++k)
                if (s->append_message(conv_key("group", 3), group_text(t + 1, 3, "x", "")).created) ++ok;
        });
    for (auto& t : ts) t.join();
    EXPECT_EQ(ok.load(), 160);
    EXPECT_EQ(s->last_seq(conv_key("group", 3)), 160);
}

#else

TEST(PostgresStore, Skipped) { GTEST_SKIP() << imchat::test::pg_skip_reason(); }

#endif
