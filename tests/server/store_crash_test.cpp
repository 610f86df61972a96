// Acknowledged = committed under group commit (issue 10): a child process appends from
// several threads and reports every message append_message returned; the parent SIGKILLs it
// at a random moment; reopened, the database holds every reported message with its seq, and
// every conversation's seqs are gapless. Several rounds on one database file, so recovery
// after a kill is exercised again and again.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>
#include <thread>
#include <vector>

#include "server/store/store.hpp"

using namespace imchat::server;
using imchat::protocol::Message;

namespace {

struct Ack {             // one acknowledged append, as written to the pipe (atomic: < PIPE_BUF)
    int64_t id, seq, conv, from;
    char    cmid[32];
};

constexpr int kConvs = 3;

std::string conv_of(int64_t c) { return conv_key("group", 500 + c); }

// The child: threads append until killed; after each append returns, its result goes to `fd`.
[[noreturn]] void child(const std::string& path, int fd, int round) {
    try {
        auto s = make_sqlite_store(path);
        std::vector<std::thread> ts;
        for (int t = 0; t < 6; ++t) {
            ts.emplace_back([&, t] {
                for (int64_t i = 0;; ++i) {
                    const int64_t c = (t + i) % kConvs;
                    Message m;
                    m.from_id = 1 + t; m.to_id = 500 + c; m.chat_type = "group"; m.type = "text";
                    m.data = std::string(100, 'k'); m.create_time = 1;
                    m.client_msg_id = "r" + std::to_string(round) + "t" + std::to_string(t) + "i" + std::to_string(i);
                    AppendResult r = s->append_message(conv_of(c), m);
                    Ack a{r.message.id, r.message.seq, c, m.from_id, {}};
                    std::strncpy(a.cmid, m.client_msg_id.c_str(), sizeof a.cmid - 1);
                    if (::write(fd, &a, sizeof a) != static_cast<ssize_t>(sizeof a)) ::_exit(3);
                }
            });
        }
        for (auto& t : ts) t.join();
    } catch (...) {
        ::_exit(2);
    }
    ::_exit(0);
}

}  // namespace

TEST(StoreCrash, EveryAcknowledgedAppendSurvivesSigkillAndSeqsStayGapless) {
    const auto path = (std::filesystem::temp_directory_path() /
                       ("imchat_store_crash_" + std::to_string(::getpid()) + ".db")).string();
    for (const char* sfx : {"", "-wal", "-shm"}) std::filesystem::remove(path + sfx);
    make_sqlite_store(path);   // the schema exists before the first kill

    std::mt19937 rng(std::random_device{}());
    std::vector<Ack> acked;
    const int kRounds = 8;
    for (int round = 0; round < kRounds; ++round) {
        int p[2];
        ASSERT_EQ(::pipe(p), 0);
        const pid_t pid = ::fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            ::close(p[0]);
            child(path, p[1], round);
        }
        ::close(p[1]);
        // Read acks for a random while (20..300 ms), then kill mid-stream: appends are in flight.
        const auto until = std::chrono::steady_clock::now() +
                           std::chrono::milliseconds(std::uniform_int_distribution<int>(20, 300)(rng));
        std::vector<char> buf;
        auto drain = [&](int timeout_ms) {
            pollfd pf{p[0], POLLIN, 0};
            if (::poll(&pf, 1, timeout_ms) <= 0) return false;
            char tmp[4096];
            const ssize_t n = ::read(p[0], tmp, sizeof tmp);
            if (n <= 0) return false;
            buf.insert(buf.end(), tmp, tmp + n);
            return true;
        };
        while (std::chrono::steady_clock::now() < until) drain(5);
        ASSERT_EQ(::kill(pid, SIGKILL), 0);
        int status = 0;
        ASSERT_EQ(::waitpid(pid, &status, 0), pid);
        ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
            << "the child ended on its own (status " << status << ")";
        while (drain(0)) {}   // what it wrote before dying is still in the pipe
        ::close(p[0]);
        const size_t n = buf.size() / sizeof(Ack);   // a torn last record cannot happen (< PIPE_BUF)
        ASSERT_EQ(buf.size() % sizeof(Ack), 0u);
        const size_t before = acked.size();
        acked.resize(before + n);
        std::memcpy(acked.data() + before, buf.data(), n * sizeof(Ack));
        ASSERT_GT(n, 0u) << "round " << round << ": nothing acknowledged before the kill";

        // Reopen (WAL recovery) and check everything acknowledged so far, this round and earlier.
        auto s = make_sqlite_store(path);
        for (const Ack& a : acked) {
            auto m = s->message_by_id(a.id);
            ASSERT_TRUE(m) << "round " << round << ": acknowledged message " << a.id << " (" << a.cmid
                           << ") lost after SIGKILL";
            EXPECT_EQ(m->seq, a.seq);
            EXPECT_EQ(m->client_msg_id, a.cmid);
            EXPECT_EQ(m->to_id, 500 + a.conv);
        }
        int64_t total = 0;
        for (int c = 0; c < kConvs; ++c) {
            auto all = s->messages_after(conv_of(c), 0, 1 << 30);
            for (size_t i = 0; i < all.size(); ++i)
                ASSERT_EQ(all[i].seq, static_cast<int64_t>(i + 1)) << "round " << round << " " << conv_of(c);
            EXPECT_EQ(s->last_seq(conv_of(c)), static_cast<int64_t>(all.size())) << conv_of(c);
            total += static_cast<int64_t>(all.size());
        }
        // At most the appends in flight at the kill were committed but never acknowledged.
        EXPECT_GE(total, static_cast<int64_t>(acked.size()));
        std::printf("[ crash ] round %d: %zu acknowledged this round, %zu in all, %lld stored\n", round, n,
                    acked.size(), static_cast<long long>(total));
    }
    for (const char* sfx : {"", "-wal", "-shm"}) std::filesystem::remove(path + sfx);
}
