// The SQLite store under many threads (issue 10): concurrent appends keep seqs gapless and
// unique, every returned message is readable, a client_msg_id retried at once from several
// threads creates one message; and a printed measurement that appends arriving together share
// one transaction (group commit).
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "server/store/store.hpp"
#include "server/store/store_sqlite_impl.hpp"

using namespace imchat::server;
using imchat::protocol::Message;

namespace {

std::string temp_db(const char* tag) {
    static std::atomic<int> n{0};
    auto p = std::filesystem::temp_directory_path() /
             ("imchat_store_conc_" + std::string(tag) + "_" + std::to_string(::getpid()) + "_" +
              std::to_string(++n) + ".db");
    for (const char* sfx : {"", "-wal", "-shm"}) std::filesystem::remove(p.string() + sfx);
    return p.string();
}

Message group_text(int64_t from, int64_t gid, const std::string& data, const std::string& cmid) {
    Message m;
    m.from_id = from; m.to_id = gid; m.chat_type = "group"; m.type = "text"; m.data = data;
    m.client_msg_id = cmid; m.create_time = 1;
    return m;
}

Message single_text(int64_t from, int64_t to, const std::string& data, const std::string& cmid) {
    Message m = group_text(from, to, data, cmid);
    m.chat_type = "single";
    return m;
}

// Every conversation's seqs are exactly 1..last_seq, and last_seq counts them.
void expect_gapless(Store& s, const std::string& conv, size_t expected) {
    auto all = s.messages_after(conv, 0, 1 << 30);
    ASSERT_EQ(all.size(), expected) << conv;
    for (size_t i = 0; i < all.size(); ++i) ASSERT_EQ(all[i].seq, static_cast<int64_t>(i + 1)) << conv;
    EXPECT_EQ(s.last_seq(conv), static_cast<int64_t>(expected)) << conv;
}

class StoreConcurrency : public ::testing::TestWithParam<bool> {   // true: file DB, false: :memory:
protected:
    std::string path = GetParam() ? temp_db("p") : ":memory:";
    std::unique_ptr<Store> s = make_sqlite_store(path);
    ~StoreConcurrency() override {
        s.reset();
        if (path != ":memory:")
            for (const char* sfx : {"", "-wal", "-shm"}) std::filesystem::remove(path + sfx);
    }
};

}  // namespace

// N threads x M appends, each to the shared group, its own group and a 1:1 with its
// neighbour, while readers run: every append is created, seqs gapless and unique per
// conversation, and each returned message reads back as returned.
TEST_P(StoreConcurrency, ConcurrentAppendsAreGaplessUniqueAndReadable) {
    const int kThreads = 8, kPer = 150;
    std::vector<int64_t> users;
    for (int t = 0; t < kThreads; ++t)
        users.push_back(s->create_user("u" + std::to_string(t), "", "user", 1).id);
    const int64_t shared = 1;
    std::mutex mu;
    std::vector<AppendResult> results;
    std::atomic<bool> stop{false};
    std::thread reader([&] {   // reads interleave with the batches and must never see a gap
        while (!stop) {
            auto all = s->messages_after(conv_key("group", shared), 0, 1 << 30);
            for (size_t i = 0; i < all.size(); ++i) ASSERT_EQ(all[i].seq, static_cast<int64_t>(i + 1));
            ASSERT_GE(s->last_seq(conv_key("group", shared)), static_cast<int64_t>(all.size()));
        }
    });
    std::vector<std::thread> ts;
    for (int t = 0; t < kThreads; ++t) {
        ts.emplace_back([&, t] { try {
            const int64_t me = users[t], peer = users[(t + 1) % kThreads];
            std::vector<AppendResult> mine;
            for (int i = 0; i < kPer; ++i) {
                const std::string id = std::to_string(t) + "-" + std::to_string(i);
                switch (i % 3) {
                    case 0: mine.push_back(s->append_message(conv_key("group", shared),
                                                             group_text(me, shared, "s" + id, "a" + id))); break;
                    case 1: mine.push_back(s->append_message(conv_key("group", 100 + t),
                                                             group_text(me, 100 + t, "o" + id, "b" + id))); break;
                    default: mine.push_back(s->append_message(conv_key("single", me, peer),
                                                              single_text(me, peer, "p" + id, ""))); break;
                }
            }
            std::lock_guard lk(mu);
            for (auto& r : mine) results.push_back(std::move(r));
        } catch (const std::exception& e) { ADD_FAILURE() << "append threw: " << e.what(); } });
    }
    for (auto& t : ts) t.join();
    stop = true;
    reader.join();

    ASSERT_EQ(results.size(), static_cast<size_t>(kThreads * kPer));
    std::set<int64_t> ids;
    std::map<std::string, std::set<int64_t>> seqs;
    for (const AppendResult& r : results) {
        EXPECT_TRUE(r.created);
        EXPECT_TRUE(ids.insert(r.message.id).second) << "id " << r.message.id << " returned twice";
        const std::string conv = r.message.chat_type == "group" ? conv_key("group", r.message.to_id)
                                                                 : conv_key("single", r.message.from_id, r.message.to_id);
        EXPECT_TRUE(seqs[conv].insert(r.message.seq).second) << conv << " seq " << r.message.seq << " twice";
        auto back = s->message_by_id(r.message.id);
        ASSERT_TRUE(back) << "returned message " << r.message.id << " not readable";
        EXPECT_EQ(back->seq, r.message.seq);
        EXPECT_EQ(back->data, r.message.data);
        EXPECT_EQ(back->from_id, r.message.from_id);
    }
    const int per_kind = kPer / 3;
    expect_gapless(*s, conv_key("group", shared), static_cast<size_t>(kThreads * per_kind));
    for (int t = 0; t < kThreads; ++t) {
        expect_gapless(*s, conv_key("group", 100 + t), per_kind);
        // Each 1:1 has one sender in each direction (t -> t+1 and t+1 -> t+2 are different pairs,
        // except the ring closing on itself): count from the results.
        const std::string single = conv_key("single", users[t], users[(t + 1) % kThreads]);
        expect_gapless(*s, single, seqs[single].size());
        // The first message of a 1:1 registers it for both users, under concurrency too.
        EXPECT_TRUE(s->in_conversation(users[t], single));
        EXPECT_TRUE(s->in_conversation(users[(t + 1) % kThreads], single));
    }
}

// The same (from_id, client_msg_id) retried at once from several threads, in many rounds
// (often landing in one batch): exactly one is created, all answer the same message.
TEST_P(StoreConcurrency, ConcurrentRetriesOfOneClientMsgIdCreateOne) {
    const int kThreads = 6, kRounds = 60;
    const int64_t gid = 7;
    std::vector<std::vector<AppendResult>> got(kThreads);
    std::atomic<int> arrived{0};
    std::vector<std::thread> ts;
    for (int t = 0; t < kThreads; ++t) {
        ts.emplace_back([&, t] { try {
            for (int r = 0; r < kRounds; ++r) {
                // A loose barrier per round so the retries arrive together.
                arrived.fetch_add(1);
                while (arrived.load() < (r + 1) * kThreads) std::this_thread::yield();
                got[t].push_back(s->append_message(conv_key("group", gid),
                                                   group_text(42, gid, "r" + std::to_string(r),
                                                              "dup-" + std::to_string(r))));
            }
        } catch (const std::exception& e) {
            ADD_FAILURE() << "append threw: " << e.what();
            got[t].resize(kRounds);   // the checks below then fail instead of reading past the end
            arrived.fetch_add(kRounds * kThreads);   // never leave the others at the barrier
        } });
    }
    for (auto& t : ts) t.join();
    for (int r = 0; r < kRounds; ++r) {
        int created = 0;
        for (int t = 0; t < kThreads; ++t) {
            created += got[t][r].created;
            EXPECT_EQ(got[t][r].message.id, got[0][r].message.id) << "round " << r;
            EXPECT_EQ(got[t][r].message.seq, got[0][r].message.seq) << "round " << r;
        }
        EXPECT_EQ(created, 1) << "round " << r;
    }
    expect_gapless(*s, conv_key("group", gid), kRounds);
    EXPECT_EQ(s->count_from(conv_key("group", gid), 42), kRounds);
}

// Not a timing assertion: prints how many transactions the appends took (group commit), and
// checks the debug counters add up.
TEST_P(StoreConcurrency, GroupCommitBatchSizesArePrinted) {
    auto* sq = dynamic_cast<sqlite_store::SqliteStore*>(s.get());
    ASSERT_NE(sq, nullptr);
    for (int threads : {1, 4, 16}) {
        const int per = 1600 / threads;
        const auto before = sq->append_stats();
        std::vector<std::thread> ts;
        for (int t = 0; t < threads; ++t)
            ts.emplace_back([&, t] {
                for (int i = 0; i < per; ++i)
                    s->append_message(conv_key("group", 9),
                                      group_text(1000 + t, 9, "x", std::to_string(threads) + "-" + std::to_string(i)));
            });
        for (auto& t : ts) t.join();
        const auto after = sq->append_stats();
        const int64_t appends = after.appends - before.appends, batches = after.batches - before.batches;
        EXPECT_EQ(appends, threads * per);
        ASSERT_GT(batches, 0);
        std::printf("[ group commit ] %s, %2d threads: %5lld appends in %5lld transactions (%.2f a batch, "
                    "largest %lld)\n",
                    GetParam() ? "file" : "memory", threads, static_cast<long long>(appends),
                    static_cast<long long>(batches), static_cast<double>(appends) / batches,
                    static_cast<long long>(after.max_batch));
    }
    expect_gapless(*s, conv_key("group", 9), 3 * 1600);
}

INSTANTIATE_TEST_SUITE_P(All, StoreConcurrency, ::testing::Values(false, true),
                         [](const auto& info) { return info.param ? "file" : "memory"; });
