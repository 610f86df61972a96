// Two (or more) full servers in one test binary, as two processes would run them:
// each node its own Store connection pool, Redis bus, Hub, Api and Server on its own
// loopback port; all share one PostgreSQL schema (pg_test_db.hpp) and one Redis
// (redis_server.hpp). Tests skip, saying why, when either is missing.
#pragma once
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "pg_test_db.hpp"
#include "redis_server.hpp"
#include "server/api/api.hpp"
#include "server/bus/bus_redis.hpp"
#include "server/hub.hpp"
#include "server/transport/asio.hpp"
#include "server/transport/server.hpp"
#include "transport/raw_ws_client.hpp"

namespace imchat::server::testing {

inline int64_t xproc_wall_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// One blocking HTTP/1.1 request (Connection: close); answers the status and the body.
struct HttpAnswer { int status = 0; std::string body; };
inline HttpAnswer http_request(uint16_t port, const std::string& method, const std::string& target,
                               const std::string& token = "", const std::string& body = "") {
    HttpAnswer out;
    try {
        net::io_context ioc;
        tcp::socket s(ioc);
        s.connect({net::ip::make_address("127.0.0.1"), port});
        timeval tv{5, 0};
        setsockopt(s.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        std::string req = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
        if (!token.empty()) req += "token: " + token + "\r\n";
        if (!body.empty()) req += "Content-Type: application/json\r\n";
        req += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
        net::write(s, net::buffer(req));
        std::string all;
        char buf[8192];
        beast::error_code ec;
        for (;;) {
            const size_t n = s.read_some(net::buffer(buf), ec);
            all.append(buf, n);
            if (ec) break;
        }
        if (all.rfind("HTTP/1.1 ", 0) == 0) out.status = std::stoi(all.substr(9, 3));
        const size_t head = all.find("\r\n\r\n");
        if (head != std::string::npos) out.body = all.substr(head + 4);
    } catch (const std::exception&) {
    }
    return out;
}

// One server process's worth of objects.
class XNode {
public:
    XNode(const std::string& pg, uint16_t redis_port, const std::string& prefix, const std::string& id) {
#ifdef IMCHAT_HAVE_POSTGRES
        store_ = make_postgres_store(pg, 4);
#else
        (void)pg;   // TwoServers skips before making a node
#endif
        RedisBusConfig rc;
        rc.port = redis_port;
        rc.prefix = prefix;
        rc.node_id = id;
        bus_ = make_redis_bus(rc);
        hub_ = std::make_unique<Hub>(*bus_);
        ApiConfig ac{"http://127.0.0.1"};
        ac.sends_per_user_window = 0;   // one sender floods on purpose (issue 14's per-user send limit off)
        api_ = std::make_unique<Api>(*store_, *bus_, xproc_wall_ms, ac);
        ServerConfig sc;
        sc.host = "127.0.0.1";
        sc.port = 0;
        sc.threads = 2;
        sc.workers = 2;
        server_ = std::make_unique<Server>(sc, *api_, *hub_);
        api_->set_scheduler(&server_->scheduler());
        api_->set_backpressure(&server_->backpressure());
        runner_ = std::thread([this] { server_->run(); });
    }
    ~XNode() {
        server_->stop();
        if (runner_.joinable()) runner_.join();
    }
    uint16_t  port() const { return server_->port(); }
    Api&      api() { return *api_; }
    Hub&      hub() { return *hub_; }
    RedisBus& bus() { return *bus_; }
    Store&    store() { return *store_; }

private:
    std::unique_ptr<Store>    store_;
    std::unique_ptr<RedisBus> bus_;
    std::unique_ptr<Hub>      hub_;
    std::unique_ptr<Api>      api_;
    std::unique_ptr<Server>   server_;
    std::thread               runner_;
};

inline RedisServer& xproc_redis() {
    static RedisServer server;
    return server;
}

// Nodes a and b on one fresh schema and one Redis (a prefix of their own).
class TwoServers : public ::testing::Test {
protected:
    void SetUp() override {
        if (const auto& why = imchat::test::pg_skip_reason(); !why.empty()) GTEST_SKIP() << why;
        if (!xproc_redis().available()) GTEST_SKIP() << xproc_redis().why_unavailable();
        ASSERT_TRUE(xproc_redis().running()) << "redis-server did not start";
#ifdef IMCHAT_HAVE_POSTGRES
        static int n = 0;
        prefix = "x" + std::to_string(getpid()) + "." + std::to_string(++n);
        const std::string pg = imchat::test::pg_fresh_schema_conninfo("xproc");
        a = std::make_unique<XNode>(pg, xproc_redis().port(), prefix, "node-a");
        b = std::make_unique<XNode>(pg, xproc_redis().port(), prefix, "node-b");
        ASSERT_TRUE(wait([&] { return a->bus().healthy() && b->bus().healthy(); }, std::chrono::seconds(10)))
            << "the buses never became healthy";
#endif
    }
    void TearDown() override {
        b.reset();
        a.reset();
    }
    template <class F>
    static bool wait(F cond, std::chrono::milliseconds limit) {
        const auto until = std::chrono::steady_clock::now() + limit;
        while (!cond()) {
            if (std::chrono::steady_clock::now() > until) return cond();
            std::this_thread::sleep_for(std::chrono::milliseconds(2));
        }
        return true;
    }
    // A user (made in the shared store) and a token for it.
    std::pair<int64_t, std::string> user(const std::string& name) {
        UserRow u = a->store().create_user(name, name, "user", xproc_wall_ms());
        return {u.id, a->api().issue_token(u.id)};
    }
    std::string prefix;
    std::unique_ptr<XNode> a, b;
};

}  // namespace imchat::server::testing
