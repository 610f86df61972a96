#include <gtest/gtest.h>

#include "core/navigation.hpp"

using namespace imchat::core;

TEST(Navigation, ConversationsAreMadeOnceFoundAndRemoved) {
    Navigation n;
    const ConversationKey g{"group", 3}, u{"single", 3};
    EXPECT_EQ(n.find(g), nullptr);
    n.conversation(g).title = "G";
    n.conversation(u).title = "U";
    n.conversation(g).unread = 2;
    ASSERT_EQ(n.convs.size(), 2u) << "same id, different chat type: two conversations";
    EXPECT_EQ(n.find(g)->unread, 2);
    EXPECT_EQ(n.find(u)->title, "U");
    EXPECT_FALSE(n.is_open(g));
    n.open = g;
    EXPECT_TRUE(n.is_open(g));
    EXPECT_FALSE(n.is_open(u));
    n.remove(g);
    EXPECT_EQ(n.find(g), nullptr);
    EXPECT_EQ(n.convs.size(), 1u);
    EXPECT_STREQ(to_string(Screen::GroupInfo), "group_info");
}
