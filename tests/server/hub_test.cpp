#include <gtest/gtest.h>

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
