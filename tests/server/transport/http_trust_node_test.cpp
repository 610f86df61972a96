// The HTTP transport over a real socket (issue 12): every answer names the process that
// gave it (X-Imchat-Node: API, static files, 404s, errors, refused and accepted upgrades),
// and X-Forwarded-For counts for rate limits only when the peer is a trusted proxy.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "server/api/api.hpp"
#include "server/hub.hpp"
#include "server/transport/asio.hpp"
#include "server/transport/server.hpp"

using namespace imchat::server;

namespace {

int64_t wall_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

class HttpTrustNodeTest : public ::testing::Test {
protected:
    std::unique_ptr<Store>  store = make_sqlite_store(":memory:");
    std::unique_ptr<Bus>    bus = make_memory_bus();
    Hub                     hub{*bus};
    std::unique_ptr<Api>    api;
    std::unique_ptr<Server> server;
    std::thread             runner;
    std::filesystem::path   site;

    void start(ServerConfig cfg, ApiConfig api_cfg = ApiConfig{"http://127.0.0.1"}) {
        site = std::filesystem::temp_directory_path() /
               ("imchat-node-test-" + std::to_string(::getpid()) + "-" + std::to_string(wall_ms()));
        std::filesystem::create_directories(site);
        std::ofstream(site / "index.html") << "<!doctype html><title>t</title>";
        api = std::make_unique<Api>(*store, *bus, wall_ms, api_cfg);
        cfg.host = "127.0.0.1";
        cfg.port = 0;
        cfg.threads = 1;
        cfg.workers = 1;
        cfg.web_root = site.string();
        server = std::make_unique<Server>(cfg, *api, hub);
        runner = std::thread([this] { server->run(); });
    }
    void TearDown() override {
        if (server) server->stop();
        if (runner.joinable()) runner.join();
        std::error_code ec;
        if (!site.empty()) std::filesystem::remove_all(site, ec);
    }

    // One request on a fresh connection (5 s receive limit), the whole answer back.
    HttpResponse send(HttpRequest req) {
        net::io_context ioc;
        tcp::socket s(ioc);
        s.connect({net::ip::make_address("127.0.0.1"), server->port()});
        timeval tv{5, 0};
        setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        req.version(11);
        req.set(http::field::host, "127.0.0.1:" + std::to_string(server->port()));
        req.prepare_payload();
        http::write(s, req);
        beast::flat_buffer buf;
        HttpResponse res;
        beast::error_code ec;
        http::read(s, buf, res, ec);
        EXPECT_FALSE(ec) << ec.message();
        return res;
    }
    HttpResponse get(const std::string& target) { return send(HttpRequest{http::verb::get, target, 11}); }
    HttpResponse register_guest(const std::string& device, const std::string& forwarded_for) {
        HttpRequest req{http::verb::post, "/api/visitorRegister", 11};
        req.set(http::field::content_type, "application/json");
        if (!forwarded_for.empty()) req.set("X-Forwarded-For", forwarded_for);
        req.body() = R"({"deviceId":")" + device + R"("})";
        return send(std::move(req));
    }
};

std::string device(int i) {   // 36 word characters, one per test guest
    std::string d = "00000000-0000-0000-0000-" + std::to_string(100000000000LL + i);
    return d;
}

}  // namespace

TEST_F(HttpTrustNodeTest, EveryAnswerNamesTheNode) {
    ServerConfig cfg;
    cfg.node_id = "node7";
    start(cfg);
    for (const char* target : {"/api/chat/grouplist", "/healthz", "/", "/index.html", "/no-such-file.js",
                               "/api/no/such/route"}) {
        auto res = get(target);
        EXPECT_EQ(res["X-Imchat-Node"], "node7") << target << " -> " << res.result_int();
    }
    EXPECT_EQ(get("/").result(), http::status::ok);
    EXPECT_EQ(get("/no-such-file.js").result(), http::status::not_found);

    HttpRequest options{http::verb::options, "/api/chat/grouplist", 11};
    EXPECT_EQ(send(options)["X-Imchat-Node"], "node7");

    HttpRequest upgrade{http::verb::get, "/ws", 11};   // a foreign page's socket: refused
    upgrade.set(http::field::upgrade, "websocket");
    upgrade.set(http::field::connection, "Upgrade");
    upgrade.set(http::field::sec_websocket_version, "13");
    upgrade.set(http::field::sec_websocket_key, "dGhlIHNhbXBsZSBub25jZQ==");
    upgrade.set(http::field::origin, "http://evil.example");
    auto refused = send(upgrade);
    EXPECT_EQ(refused.result(), http::status::forbidden);
    EXPECT_EQ(refused["X-Imchat-Node"], "node7");

    upgrade.set(http::field::sec_websocket_version, "12");   // answered by the socket itself: 426
    upgrade.erase(http::field::origin);
    auto old = send(upgrade);
    EXPECT_EQ(old.result(), http::status::upgrade_required);
    EXPECT_EQ(old["X-Imchat-Node"], "node7");

    HttpRequest big{http::verb::post, "/api/loginChat", 11};   // past the body limit: 413
    big.body() = std::string(2 * 1024 * 1024, 'x');
    auto too_big = send(big);
    EXPECT_EQ(too_big.result(), http::status::payload_too_large);
    EXPECT_EQ(too_big["X-Imchat-Node"], "node7");
}

TEST_F(HttpTrustNodeTest, ForwardedForIgnoredWithoutTrustedProxy) {
    ApiConfig api_cfg{"http://127.0.0.1"};
    api_cfg.register_per_ip_hour = 1;
    start(ServerConfig{}, api_cfg);
    EXPECT_EQ(register_guest(device(1), "198.51.100.1").result(), http::status::ok);
    // A client naming another address does not get a fresh allowance: it is still 127.0.0.1.
    EXPECT_EQ(register_guest(device(2), "198.51.100.2").result(), http::status::too_many_requests);
}

TEST_F(HttpTrustNodeTest, TrustedProxyForwardedForIsTheClient) {
    ApiConfig api_cfg{"http://127.0.0.1"};
    api_cfg.register_per_ip_hour = 1;
    ServerConfig cfg;
    std::string error;
    ASSERT_TRUE(cfg.trusted_proxies.parse({"127.0.0.0/8"}, error)) << error;
    start(cfg, api_cfg);
    EXPECT_EQ(register_guest(device(1), "198.51.100.1").result(), http::status::ok);
    EXPECT_EQ(register_guest(device(2), "198.51.100.2").result(), http::status::ok) << "another client";
    // The same client behind a forged left-most entry: still 198.51.100.1, over its limit.
    EXPECT_EQ(register_guest(device(3), "203.0.113.66, 198.51.100.1").result(), http::status::too_many_requests);
    // No header: the proxy's own address, a client of its own.
    EXPECT_EQ(register_guest(device(4), "").result(), http::status::ok);
}
