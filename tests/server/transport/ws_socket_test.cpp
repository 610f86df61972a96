// The WebSocket transport over real sockets: a Server on 127.0.0.1 with the real Api
// (in-memory SQLite), driven by a small raw client (so a test can stop reading, stop
// answering pings, or send what a browser never would). Built with AddressSanitizer
// (tests/CMakeLists.txt): the slow-consumer close must not free a frame being written.
#include <gtest/gtest.h>
#include <sys/socket.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "server/api/api.hpp"
#include "server/hub.hpp"
#include "server/transport/asio.hpp"
#include "server/transport/server.hpp"
#include "raw_ws_client.hpp"

using namespace imchat::server;
using namespace std::chrono_literals;
using imchat::server::testing::RawClient;
using imchat::server::testing::WsFrameIn;

namespace {

int64_t wall_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

class WsSocketTest : public ::testing::Test {
protected:
    std::unique_ptr<Store> store = make_sqlite_store(":memory:");
    std::unique_ptr<Bus>   bus = make_memory_bus();
    Hub                    hub{*bus};
    Api                    api{*store, *bus, wall_ms, ApiConfig{"http://127.0.0.1"}};
    std::unique_ptr<Server> server;
    std::thread            runner;

    void start(ServerConfig cfg) {
        cfg.host = "127.0.0.1";
        cfg.port = 0;
        cfg.threads = 2;
        cfg.workers = 2;
        server = std::make_unique<Server>(cfg, api, hub);
        runner = std::thread([this] { server->run(); });
    }
    void TearDown() override {
        if (server) server->stop();
        if (runner.joinable()) runner.join();
    }
    uint16_t port() const { return server->port(); }
    // A user and a token for it.
    std::pair<int64_t, std::string> user(const std::string& name) {
        UserRow u = store->create_user(name, name, "user", wall_ms());
        return {u.id, api.issue_token(u.id)};
    }
    void wait_online(size_t n) {
        for (int i = 0; i < 200 && hub.online_count() < n; ++i) std::this_thread::sleep_for(10ms);
        ASSERT_EQ(hub.online_count(), n);
    }
};

TEST_F(WsSocketTest, HandshakeAnswersTheRfcAcceptKeyAndWelcomes) {
    start(ServerConfig{});
    auto [id, token] = user("a");
    RawClient c(port(), token);
    EXPECT_EQ(c.status_line, "HTTP/1.1 101 Switching Protocols");
    EXPECT_TRUE(c.accept_ok);
    WsFrameIn f = c.read();
    EXPECT_EQ(f.opcode, 1);
    EXPECT_NE(f.payload.find("连接成功"), std::string::npos);
    c.text(R"({"type":"ping"})");
    f = c.read();
    EXPECT_NE(f.payload.find("pong"), std::string::npos);
    c.send(0x9, "hb");   // a protocol ping: a pong with the same payload
    f = c.read();
    EXPECT_EQ(f.opcode, 0xA);
    EXPECT_EQ(f.payload, "hb");
    c.send(0x8, std::string("\x03\xe8", 2));   // close 1000: answered with 1000
    f = c.read();
    EXPECT_EQ(f.opcode, 0x8);
    EXPECT_EQ(f.close_code(), 1000);
}

TEST_F(WsSocketTest, BadTokenGetsAFailFrameThenClose4002) {
    start(ServerConfig{});
    RawClient c(port(), "not-a-token");
    WsFrameIn f = c.read();
    EXPECT_NE(f.payload.find("fail"), std::string::npos);
    f = c.read();
    EXPECT_EQ(f.opcode, 0x8);
    EXPECT_EQ(f.close_code(), 4002);
}

// The bound: a reader that stops reading is closed with 4008 while another, reading, gets
// every frame; published from another thread while the first one's write is blocked.
TEST_F(WsSocketTest, AReaderThatStopsIsClosedWith4008WhileOthersKeepReceiving) {
    ServerConfig cfg;
    cfg.max_queue_bytes = 256 * 1024;
    cfg.socket_send_buffer = 16 * 1024;   // else loopback autotuning absorbs megabytes first
    start(cfg);
    auto [a, ta] = user("stops");
    auto [b, tb] = user("reads");
    RawClient stops(port(), ta, 4096);
    RawClient reads(port(), tb);
    ASSERT_EQ(stops.read().opcode, 1);   // welcome
    ASSERT_EQ(reads.read().opcode, 1);
    wait_online(2);
    constexpr int kFrames = 1500;
    std::atomic<size_t> got{0};
    std::thread reader([&] {
        reads.timeout(10000);
        for (int i = 0; i < kFrames; ++i) {
            WsFrameIn f = reads.read();
            if (f.opcode != 1) break;
            if (f.payload.find("\"n\":") != std::string::npos) ++got;
        }
    });
    for (int i = 0; i < kFrames; ++i) {
        auto f = std::make_shared<const std::string>("{\"n\":" + std::to_string(i) + ",\"pad\":\"" +
                                                     std::string(2000, 'x') + "\"}");
        bus->publish({a, b}, f);
        // At the reader's pace (it keeps up; the other one does not read at all).
        for (int w = 0; w < 5000 && got + 32 < static_cast<size_t>(i); ++w) std::this_thread::sleep_for(1ms);
    }
    reader.join();
    EXPECT_EQ(got.load(), static_cast<size_t>(kFrames)) << "the reading socket lost frames";
    size_t stopped_got = 0;
    WsFrameIn end = stops.read_until_close(&stopped_got, "\"n\":");
    EXPECT_EQ(end.opcode, 0x8);
    EXPECT_EQ(end.close_code(), 4008);
    EXPECT_LT(stopped_got, static_cast<size_t>(kFrames));
    EXPECT_EQ(hub.online_count(), 1u);
}

// Sliding window: 9 frames at the end of one window and 9 at the start of the next pass
// a fixed window (limit 10) but not this one.
TEST_F(WsSocketTest, MoreThanTheFrameLimitInAnyWindowCloses4008) {
    ServerConfig cfg;
    cfg.frames_per_window = 10;
    cfg.rate_window_ms = 1000;
    start(cfg);
    auto [id, token] = user("chatty");
    RawClient c(port(), token);
    ASSERT_EQ(c.read().opcode, 1);
    for (int i = 0; i < 9; ++i) c.text(R"({"type":"ping"})");
    for (int i = 0; i < 9; ++i) ASSERT_NE(c.read().payload.find("pong"), std::string::npos);
    std::this_thread::sleep_for(1050ms);
    for (int i = 0; i < 9; ++i) c.text(R"({"type":"ping"})");
    WsFrameIn end = c.read_until_close();
    EXPECT_EQ(end.opcode, 0x8);
    EXPECT_EQ(end.close_code(), 4008);
}

TEST_F(WsSocketTest, SteadyTrafficUnderTheLimitStaysOpen) {
    ServerConfig cfg;
    cfg.frames_per_window = 10;
    cfg.rate_window_ms = 1000;
    start(cfg);
    auto [id, token] = user("steady");
    RawClient c(port(), token);
    ASSERT_EQ(c.read().opcode, 1);
    for (int i = 0; i < 12; ++i) {   // 5 a second for 2.4 s
        c.text(R"({"type":"ping"})");
        WsFrameIn f = c.read();
        ASSERT_EQ(f.opcode, 1) << "closed after " << i;
        std::this_thread::sleep_for(200ms);
    }
}

TEST_F(WsSocketTest, AMessageOver64KiBCloses1009) {
    start(ServerConfig{});
    auto [id, token] = user("big");
    RawClient c(port(), token);
    ASSERT_EQ(c.read().opcode, 1);
    c.text(std::string(64 * 1024 + 1, 'x'));
    WsFrameIn end = c.read_until_close();
    EXPECT_EQ(end.opcode, 0x8);
    EXPECT_EQ(end.close_code(), 1009);
}

TEST_F(WsSocketTest, APeerThatStopsAnsweringPingsIsDroppedAfterTheIdleTimeout) {
    ServerConfig cfg;
    cfg.idle_timeout_s = 1;
    start(cfg);
    auto [a, ta] = user("silent");
    auto [b, tb] = user("alive");
    RawClient silent(port(), ta);
    RawClient alive(port(), tb);
    wait_online(2);
    const auto t0 = std::chrono::steady_clock::now();
    std::atomic<bool> alive_open{true}, done{false};
    std::thread keeper([&] {   // answers every ping until the silent one is gone
        alive.timeout(300);
        while (!done) {
            WsFrameIn f = alive.read();
            if (f.opcode == 0x9) alive.send(0xA, f.payload);
            if (f.opcode == 0x8) { alive_open = false; break; }
        }
    });
    std::this_thread::sleep_for(2000ms);   // the silent one reads nothing, answers nothing
    silent.timeout(3000);
    int pings = 0;
    WsFrameIn f;
    do {
        f = silent.read();
        pings += f.opcode == 0x9;
    } while (f.opcode != -1);
    const auto gone = std::chrono::steady_clock::now() - t0;
    // Checked while the keeper still answers: on a slow machine the silent one may take
    // a while to drop, and a keeper that stopped answering would be dropped too.
    EXPECT_TRUE(alive_open) << "a peer that answers pings stays";
    EXPECT_EQ(hub.online_count(), 1u);
    done = true;
    keeper.join();
    EXPECT_GE(pings, 1) << "the server pinged before giving up";
    EXPECT_LT(gone, 5000ms);
}

// Frames from several publishing threads reach one socket whole and, per thread, in order.
TEST_F(WsSocketTest, GatheredWritesKeepEveryFrameWholeAndInOrder) {
    start(ServerConfig{});
    auto [id, token] = user("many");
    RawClient c(port(), token);
    ASSERT_EQ(c.read().opcode, 1);
    wait_online(1);
    constexpr int kThreads = 4, kEach = 500;
    std::vector<std::thread> pubs;
    for (int t = 0; t < kThreads; ++t)
        pubs.emplace_back([&, t] {
            for (int i = 0; i < kEach; ++i)
                bus->publish({id}, std::make_shared<const std::string>(
                                       "{\"t\":" + std::to_string(t) + ",\"i\":" + std::to_string(i) + ",\"pad\":\"" +
                                       std::string(static_cast<size_t>(i % 7) * 40, 'y') + "\"}"));
        });
    std::vector<int> next(kThreads, 0);
    for (int k = 0; k < kThreads * kEach; ++k) {
        WsFrameIn f = c.read();
        ASSERT_EQ(f.opcode, 1);
        auto j = imchat::protocol::parse_json(f.payload);
        ASSERT_FALSE(j.is_discarded()) << f.payload.substr(0, 80);
        const int t = j["t"], i = j["i"];
        ASSERT_EQ(i, next[t]) << "thread " << t;
        ++next[t];
    }
    for (auto& p : pubs) p.join();
}

TEST_F(WsSocketTest, AnUnsupportedVersionIsRefusedWith426) {
    start(ServerConfig{});
    net::io_context ioc;
    tcp::socket s(ioc);
    s.connect({net::ip::make_address("127.0.0.1"), port()});
    const std::string req = "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                            "Sec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
    net::write(s, net::buffer(req));
    std::string all;
    beast::error_code ec;
    char buf[512];
    for (size_t n; (n = s.read_some(net::buffer(buf), ec)) > 0 && !ec;) all.append(buf, n);
    EXPECT_EQ(all.rfind("HTTP/1.1 426", 0), 0u) << all;
}

}  // namespace
