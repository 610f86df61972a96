#include <gtest/gtest.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include <unistd.h>

#include "server/hub.hpp"
#include "fake_connection.hpp"

using namespace imchat::server;
using imchat::server::testing::FakeConnection;

TEST(Hub, DeliversToTheUsersSocket) {
    auto bus = make_memory_bus();
    Hub hub(*bus);
    auto c = std::make_shared<FakeConnection>(1);
    hub.attach(5, c);
    bus->publish({5, 6}, std::make_shared<const std::string>("hi"));
    EXPECT_EQ(c->sent, std::vector<std::string>{"hi"});
    EXPECT_TRUE(hub.is_online(5));
    EXPECT_FALSE(hub.is_online(6));
}

TEST(Hub, NewerSocketKicksOlderWith4001) {
    auto bus = make_memory_bus();
    Hub hub(*bus);
    auto old_c = std::make_shared<FakeConnection>(1);
    auto new_c = std::make_shared<FakeConnection>(2);
    hub.attach(5, old_c);
    hub.attach(5, new_c);
    EXPECT_EQ(old_c->closed_with, 4001);
    EXPECT_EQ(new_c->closed_with, 0);
    bus->publish({5}, std::make_shared<const std::string>("m"));
    EXPECT_TRUE(old_c->sent.empty());
    EXPECT_EQ(new_c->sent.size(), 1u);
}

TEST(Hub, OldSocketClosingDoesNotRemoveTheNewOne) {
    auto bus = make_memory_bus();
    Hub hub(*bus);
    auto old_c = std::make_shared<FakeConnection>(1);
    auto new_c = std::make_shared<FakeConnection>(2);
    hub.attach(5, old_c);
    hub.attach(5, new_c);
    hub.detach(5, *old_c);   // the reference system's bug removed the newer socket here
    EXPECT_TRUE(hub.is_online(5));
    hub.detach(5, *new_c);
    EXPECT_FALSE(hub.is_online(5));
}

TEST(Hub, CloseAllUses1001) {
    auto bus = make_memory_bus();
    Hub hub(*bus);
    auto a = std::make_shared<FakeConnection>(1);
    hub.attach(1, a);
    hub.close_all(1001, "bye");
    EXPECT_EQ(a->closed_with, 1001);
    EXPECT_EQ(hub.online_count(), 0u);
}

namespace {
// The memory bus with a health switch: a bus that lost its link to the other processes.
struct SwitchableBus : Bus {
    std::unique_ptr<Bus> inner = make_memory_bus();
    std::atomic<bool> up{true};
    std::vector<Handler> handlers;
    void subscribe(Handler h) override { handlers.push_back(h); inner->subscribe(std::move(h)); }
    void publish(const std::vector<int64_t>& u, const Frame& f) override { inner->publish(u, f); }
    void kick(int64_t u, uint64_t keep) override { inner->kick(u, keep); }
    bool healthy() const override { return up; }
    void set_online(int64_t u, bool on) override { inner->set_online(u, on); }
    std::vector<bool> online(const std::vector<int64_t>& u) override { return inner->online(u); }
    void turn(bool h) {
        up = h;
        for (auto& hd : handlers) if (hd.health) hd.health(h);
    }
};
}  // namespace

TEST(Hub, RefusesSocketsWith1013WhileTheBusIsUnhealthy) {
    SwitchableBus bus;
    Hub hub(bus);
    auto before = std::make_shared<FakeConnection>(1);
    EXPECT_TRUE(hub.attach(5, before));
    bus.turn(false);
    EXPECT_EQ(before->closed_with, 1012) << "sockets already here resync";
    auto during = std::make_shared<FakeConnection>(2);
    EXPECT_FALSE(hub.attach(6, during));
    EXPECT_EQ(during->closed_with, 1013) << "try again later: the client backs off and retries";
    EXPECT_FALSE(hub.is_online(6));
    EXPECT_EQ(hub.online(std::vector<int64_t>{5, 6}), (std::vector<bool>{false, false}));
    bus.turn(true);
    auto after = std::make_shared<FakeConnection>(3);
    EXPECT_TRUE(hub.attach(6, after));
    EXPECT_EQ(after->closed_with, 0);
    EXPECT_TRUE(hub.is_online(6));
}

TEST(Hub, ReportsPresenceToTheBus) {
    auto bus = make_memory_bus();
    Hub hub(*bus), other(*bus);   // two hubs on one bus: two processes
    auto a1 = std::make_shared<FakeConnection>(1), a2 = std::make_shared<FakeConnection>(2);
    auto b1 = std::make_shared<FakeConnection>(3);
    hub.attach(5, a1);
    EXPECT_EQ(other.online({5, 6}), (std::vector<bool>{true, false}));
    EXPECT_FALSE(other.is_online(5)) << "is_online: this process only";
    hub.attach(5, a2);                 // replaces a1: still online
    EXPECT_EQ(bus->online({5}), std::vector<bool>{true});
    hub.detach(5, *a1);                // the old one leaving changes nothing
    EXPECT_EQ(bus->online({5}), std::vector<bool>{true});
    hub.detach(5, *a2);
    EXPECT_EQ(bus->online({5}), std::vector<bool>{false});
    other.attach(6, b1);
    hub.attach(6, std::make_shared<FakeConnection>(4));   // kicks b1 on the other hub
    EXPECT_EQ(b1->closed_with, 4001);
    EXPECT_EQ(bus->online({6}), std::vector<bool>{true});
    hub.close_all(1001, "bye");
    EXPECT_EQ(bus->online({6}), std::vector<bool>{false});
}

// Connection ids carry a random per-process prefix: two processes (this binary run twice)
// number their sockets apart.
TEST(Hub, ConnectionIdsDifferAcrossProcesses) {
    if (std::getenv("IMCHAT_PRINT_CONN_ID")) {
        std::printf("CONN_ID=%llu\n", static_cast<unsigned long long>(Hub::next_connection_id()));
        return;
    }
    char exe[4096];
    const ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    ASSERT_GT(len, 0);
    exe[len] = 0;
    const std::string cmd = std::string("IMCHAT_PRINT_CONN_ID=1 '") + exe +
                            "' --gtest_filter=Hub.ConnectionIdsDifferAcrossProcesses 2>&1";
    auto run_child = [&]() -> uint64_t {
        FILE* p = popen(cmd.c_str(), "r");
        if (!p) return 0;
        char line[512];
        uint64_t id = 0;
        while (std::fgets(line, sizeof line, p))
            if (std::strncmp(line, "CONN_ID=", 8) == 0) id = std::strtoull(line + 8, nullptr, 10);
        pclose(p);
        return id;
    };
    const uint64_t mine = Hub::next_connection_id(), next = Hub::next_connection_id();
    EXPECT_NE(mine, next);
    EXPECT_EQ(mine >> 32, next >> 32);
    const uint64_t c1 = run_child(), c2 = run_child();
    ASSERT_NE(c1, 0u);
    ASSERT_NE(c2, 0u);
    EXPECT_NE(c1, c2);
    EXPECT_NE(c1, mine);
    EXPECT_NE(c1 >> 32, c2 >> 32) << "each process draws its own prefix";
}
