#include "ui_harness.hpp"

using namespace imchat;
using namespace imchat::ui::testing;

TEST(ListView, RowsOpenTheirConversationAndLeftGroupsAreHidden) {
    UiHarness h;
    h.to_list();
    h.frame();
    EXPECT_TRUE(h.has("conv:group:3"));
    EXPECT_FALSE(h.has("conv:group:4")) << "my_status -1: left or removed";
    EXPECT_FALSE(h.has("create_group")) << "guests cannot create groups";
    auto o = h.tap("conv:group:3");
    const auto open = event_of<core::ev::OpenConversation>(o);
    ASSERT_TRUE(open);
    EXPECT_EQ(open->conv, (core::ConversationKey{"group", 3}));
    h.dispatch(o);
    EXPECT_EQ(h.s.screen(), core::Screen::Chat);
}

TEST(ListView, UserCreatesAGroupThroughAPrompt) {
    UiHarness h;
    h.to_list("user");
    h.frame();
    auto o = h.tap("create_group");
    ASSERT_EQ(o.prompts.size(), 1u);
    EXPECT_EQ(o.prompts[0].key, "create");
    for (const auto& e : h.ui.on_prompt("create", "新群")) h.feed(e);
    EXPECT_EQ(Json::parse(h.http_to("/api/chat/group/create").body)["name"], "新群");
}

TEST(ListView, UnreadCountIsPartOfTheRow) {
    UiHarness h;
    h.to_list();
    h.feed(core::ev::SocketMessage{UiHarness::chat_frame(5, 1, 20, "hi").dump()});
    ASSERT_EQ(ui::list_vm(h.s).rows.size(), 1u);
    EXPECT_EQ(ui::list_vm(h.s).rows[0]->unread, 1);
    h.frame();
    EXPECT_TRUE(h.has("conv:group:3"));
}

TEST(ListView, NoConversationsSaysSo) {
    UiHarness h;
    h.start(std::string(kOrigin) + "/", h.user_json());
    h.answer("/api/chat/grouplist/1", Json::array());
    h.frame();
    EXPECT_EQ(h.count_prefix("conv:"), 0);
    EXPECT_TRUE(h.has("settings"));
}
