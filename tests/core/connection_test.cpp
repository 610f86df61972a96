#include <gtest/gtest.h>

#include "core/connection.hpp"

using namespace imchat::core;

TEST(Connection, CloseCodesAreATable) {
    EXPECT_EQ(close_action(4002), CloseAction::ReRegister);
    EXPECT_EQ(close_action(4001), CloseAction::Kicked);
    EXPECT_EQ(close_action(4003), CloseAction::Disabled);
    EXPECT_EQ(close_action(4008), CloseAction::Backoff) << "policy closes are retried";
    EXPECT_EQ(close_action(1006), CloseAction::Backoff);
    EXPECT_EQ(close_action(1000), CloseAction::Backoff);
}

TEST(Connection, OfflineIsShownOnlyWhileTrying) {
    Connection c;
    c.network_offline = true;
    for (Conn s : {Conn::Connecting, Conn::Backoff}) {
        c.state = s;
        EXPECT_EQ(c.shown(), Conn::Offline) << to_string(s);
    }
    for (Conn s : {Conn::Idle, Conn::Online, Conn::Kicked}) {
        c.state = s;
        EXPECT_EQ(c.shown(), s) << to_string(s);
    }
    c.state = Conn::Backoff;
    c.network_offline = false;
    EXPECT_EQ(c.shown(), Conn::Backoff);
    EXPECT_FALSE(c.socket_up());
    c.state = Conn::Connecting;
    EXPECT_TRUE(c.socket_up());
}
