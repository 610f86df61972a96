// GET /healthz (the process answers) and GET /readyz (the store answers and the bus is
// healthy, else 503 saying which), as load balancers and shell/cluster's nginx use them.
#include <gtest/gtest.h>

#include "api_fixture.hpp"

#include <SQLiteCpp/SQLiteCpp.h>
#include <unistd.h>

#include <cstdio>

using namespace imchat::server;
using imchat::protocol::Json;

namespace {

// The memory bus, except that it can be told it lost its connection (as the Redis bus does).
struct SwitchableBus final : Bus {
    std::unique_ptr<Bus> inner = make_memory_bus();
    bool                 up = true;
    void subscribe(Handler h) override { inner->subscribe(std::move(h)); }
    void publish(const std::vector<int64_t>& u, const Frame& f) override { inner->publish(u, f); }
    void kick(int64_t u, uint64_t keep) override { inner->kick(u, keep); }
    bool healthy() const override { return up; }
    void set_online(int64_t u, bool on) override { inner->set_online(u, on); }
    std::vector<bool> online(const std::vector<int64_t>& u) override { return inner->online(u); }
};

class Health : public imchat::server::testing::ApiFixture {};

}  // namespace

TEST_F(Health, HealthzAndReadyzAnswer200WhenStoreAndBusAreUp) {
    const Response h = call("GET", "/healthz");
    EXPECT_EQ(h.status, 200);
    EXPECT_EQ(Json::parse(h.body)["data"]["status"], "up");
    const Response r = call("GET", "/readyz");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(Json::parse(r.body)["data"]["status"], "ready");
}

TEST_F(Health, ReadyzIs503WhileTheBusIsUnhealthyAndHealthzStays200) {
    SwitchableBus b;
    Api a{*store, b, [] { return int64_t{1}; }, ApiConfig{"http://192.168.1.5:8080"}};
    Request q;
    q.method = "GET";
    q.path = "/readyz";
    EXPECT_EQ(a.handle(q)->status, 200);
    b.up = false;
    const Response r = *a.handle(q);
    EXPECT_EQ(r.status, 503);
    EXPECT_NE(Json::parse(r.body)["data"].get<std::string>().find("bus"), std::string::npos) << r.body;
    q.path = "/healthz";
    EXPECT_EQ(a.handle(q)->status, 200) << "the process itself is up";
    b.up = true;
    q.path = "/readyz";
    EXPECT_EQ(a.handle(q)->status, 200);
}

TEST_F(Health, OnlyGet) {
    EXPECT_EQ(call("POST", "/readyz").status, 404);
}

// A store failure's text can name the database's host and port: it goes to the log; the
// client gets a plain 500 envelope, and /readyz names only the part ("store").
TEST_F(Health, AStoreFailureAnswersAPlain500AndReadyzSaysStore) {
    const std::string path = ::testing::TempDir() + "imchat-health-" + std::to_string(::getpid()) + ".db";
    std::remove(path.c_str());
    auto s = make_sqlite_store(path);
    auto b = make_memory_bus();
    Api a{*s, *b, [] { return int64_t{1}; }, ApiConfig{"http://192.168.1.5:8080"}};
    Request reg;
    reg.method = "POST";
    reg.path = "/api/visitorRegister";
    reg.body = R"({"deviceId":"00000000-aaaa-4bbb-8ccc-000000000001","timestamp":1})";
    const Response registered = *a.handle(reg);
    ASSERT_EQ(registered.status, 200) << registered.body;
    const std::string token = Json::parse(registered.body)["data"]["token"];
    {
        SQLite::Database raw(path, SQLite::OPEN_READWRITE);
        raw.exec("DROP TABLE messages; DROP TABLE conversations");   // their queries now throw "no such table"
    }
    Request q;
    q.method = "GET";
    q.path = "/readyz";
    const Response r = *a.handle(q);
    EXPECT_EQ(r.status, 503);
    EXPECT_EQ(Json::parse(r.body)["data"], "服务未就绪: store");
    q.path = "/api/chat/conversationList";
    q.token = token;
    const Response h = *a.handle(q);
    EXPECT_EQ(h.status, 500) << h.body;
    EXPECT_EQ(Json::parse(h.body)["msg"], "fail");
    EXPECT_EQ(h.body.find("no such table"), std::string::npos) << "the store's text stays in the log: " << h.body;
    std::remove(path.c_str());
}
