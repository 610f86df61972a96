// Session: screens and the conversation list (src/core/session_navigation.cpp).
#include "session_harness.hpp"

TEST(Session, NoGroupInUrlShowsList) {
    Harness h;
    h.feed(ev::Start{"http://h:8080/", kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    EXPECT_EQ(h.s.screen(), Screen::List);
    auto req = h.http_to("/api/chat/conversationList");
    h.reply(req, 200, Harness::ok(Json::array({{{"chatType", "group"}, {"id", 3}, {"name", "g"}}})));
    ASSERT_EQ(h.s.conversations().size(), 1u);
    h.feed(ev::OpenConversation{{"group", 3}});
    EXPECT_EQ(h.s.screen(), Screen::Chat);
    h.http_to("/api/chat/history/group/3");
}
