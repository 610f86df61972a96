// Two full servers on one PostgreSQL and one Redis: the single-session kick across
// processes, and sockets attaching while the bus is unhealthy.
#include <gtest/gtest.h>

#include <atomic>

#include "xproc_cluster.hpp"

using namespace imchat::server;
using namespace imchat::server::testing;
using imchat::protocol::Json;
using namespace std::chrono_literals;

namespace {
// Reads frames (answering pings) until a close frame or the end; the close code, or 0.
int close_code_within(RawClient& c, int ms) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
    for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now());
        if (left.count() <= 0 || !c.readable(static_cast<int>(left.count()))) return 0;
        WsFrameIn f = c.read();
        if (f.opcode == -1) return 0;
        if (f.opcode == 0x8) return f.close_code();
        if (f.opcode == 0x9) c.send(0xA, f.payload);
    }
}
}  // namespace

TEST_F(TwoServers, ALoginOnBClosesTheOlderSocketOnAWith4001) {
    const Json creds{{"username", "kickme1"}, {"password", "secret1"}};
    ASSERT_EQ(http_request(a->port(), "POST", "/api/regChat", "", creds.dump()).status, 200);
    auto login_on = [&](XNode& n) {
        auto r = http_request(n.port(), "POST", "/api/loginChat", "", creds.dump());
        EXPECT_EQ(r.status, 200) << r.body;
        Json d = Json::parse(r.body, nullptr, false);
        return d.is_discarded() ? std::string() : d["data"].value("token", "");
    };
    const std::string t1 = login_on(*a);
    RawClient older(a->port(), t1);
    ASSERT_EQ(older.status_line, "HTTP/1.1 101 Switching Protocols");
    const int64_t id = a->api().authenticate(t1)->id;
    ASSERT_TRUE(wait([&] { return a->hub().is_online(id); }, 2000ms));

    const std::string t2 = login_on(*b);
    const auto t0 = std::chrono::steady_clock::now();
    RawClient newer(b->port(), t2);
    ASSERT_EQ(newer.status_line, "HTTP/1.1 101 Switching Protocols");
    EXPECT_EQ(close_code_within(older, 1000), 4001);
    EXPECT_LT(std::chrono::steady_clock::now() - t0, 1s);
    EXPECT_EQ(close_code_within(newer, 300), 0) << "the newer socket stays";
    EXPECT_TRUE(b->hub().is_online(id));
    EXPECT_FALSE(a->hub().is_online(id));
    EXPECT_EQ(a->hub().online({id}), std::vector<bool>{true}) << "presence: online, on B";
}

// Both processes take a login for the same user at the same moment, 20 times: exactly one
// socket survives each round, and it is the newest login (the higher number Redis gave).
TEST_F(TwoServers, SimultaneousLoginsOnBothLeaveExactlyTheNewest) {
    RedisClient watch(xproc_redis().port());
    ASSERT_TRUE(watch.ok());
    const std::string channel = prefix + ":bus";
    ASSERT_EQ(watch.command({"SUBSCRIBE", channel}).type, imchat::server::resp::Value::Type::Array);
    auto [id, token] = user("both");
    for (int round = 0; round < 20; ++round) {
        std::unique_ptr<RawClient> ca, cb;
        std::atomic<bool> go{false};
        std::thread ta([&, tok = token] { while (!go) {} ca = std::make_unique<RawClient>(a->port(), tok); });
        std::thread tb([&, tok = token] { while (!go) {} cb = std::make_unique<RawClient>(b->port(), tok); });
        go = true;
        ta.join();
        tb.join();
        // The two kicks as Redis ordered them: "K|<node>|<user>|<keep>|<n>"; the higher n is newer.
        std::string newest;
        int64_t newest_n = -1;
        for (int k = 0; k < 2;) {
            auto v = watch.read();
            ASSERT_EQ(v.type, imchat::server::resp::Value::Type::Array) << "round " << round << ": " << v.str;
            const std::string& m = v.elements.at(2).str;
            if (m.rfind("K|", 0) != 0) continue;   // probes, frames
            ++k;
            const std::string node = m.substr(2, m.find('|', 2) - 2);
            const int64_t n = std::stoll(m.substr(m.rfind('|') + 1));
            if (n > newest_n) { newest_n = n; newest = node; }
        }
        RawClient& survivor = newest == "node-a" ? *ca : *cb;
        RawClient& loser = newest == "node-a" ? *cb : *ca;
        EXPECT_EQ(close_code_within(loser, 2000), 4001) << "round " << round << ": newest " << newest;
        EXPECT_EQ(close_code_within(survivor, 200), 0) << "round " << round << ": the newest login died";
        XNode& win = newest == "node-a" ? *a : *b;
        XNode& lose = newest == "node-a" ? *b : *a;
        EXPECT_TRUE(win.hub().is_online(id)) << "round " << round;
        EXPECT_FALSE(lose.hub().is_online(id)) << "round " << round;
    }
}

// Redis stops answering: the bus turns unhealthy; a socket opening now is closed at once
// with 1013 (try again later), no welcome; once the bus is back, sockets attach again.
TEST_F(TwoServers, ASocketOpeningWhileTheBusIsDownIsToldToRetry) {
    auto [id, token] = user("retry");
    xproc_redis().pause();
    struct Resume { ~Resume() { xproc_redis().resume(); } } resume;   // even if an assertion fails
    ASSERT_TRUE(wait([&] { return !a->bus().healthy(); }, 12s));
    RawClient c(a->port(), token);
    ASSERT_EQ(c.status_line, "HTTP/1.1 101 Switching Protocols");
    ASSERT_TRUE(c.readable(2000)) << "nothing within 2 s";
    WsFrameIn f = c.read();
    EXPECT_EQ(f.opcode, 0x8) << "a close frame first, no welcome: " << f.payload;
    EXPECT_EQ(f.close_code(), 1013);
    EXPECT_FALSE(a->hub().is_online(id));
    xproc_redis().resume();
    ASSERT_TRUE(wait([&] { return a->bus().healthy(); }, 10s));
    RawClient again(a->port(), token);
    EXPECT_EQ(close_code_within(again, 300), 0);
    EXPECT_TRUE(a->hub().is_online(id));
}
