// GET /healthz (the process answers) and GET /readyz (the store answers and the bus is
// healthy, else 503 saying which), as load balancers and shell/cluster's nginx use them.
#include <gtest/gtest.h>

#include "api_fixture.hpp"

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
