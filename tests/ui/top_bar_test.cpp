#include "ui_harness.hpp"

using namespace imchat;
using namespace imchat::ui::testing;

TEST(TopBar, ListHasSettingsAndLoginForAGuestLogoutForAUser) {
    UiHarness guest;
    guest.to_list();
    guest.frame();
    EXPECT_TRUE(guest.has("settings"));
    EXPECT_FALSE(guest.has("back"));
    EXPECT_TRUE(event_of<core::ev::ShowLogin>(guest.tap("login")));
    EXPECT_TRUE(event_of<core::ev::ShowSettings>(guest.tap("settings")));
    UiHarness user;
    user.to_list("user");
    user.frame();
    EXPECT_FALSE(user.has("login"));
    EXPECT_TRUE(event_of<core::ev::Logout>(user.tap("logout")));
}

TEST(TopBar, GroupChatHasBackAndGroupInfo) {
    UiHarness h;
    h.to_chat();
    h.frame();
    EXPECT_TRUE(event_of<core::ev::ShowGroupInfo>(h.tap("group_info")));
    EXPECT_TRUE(event_of<core::ev::ShowList>(h.tap("back")));
}

TEST(TopBar, BackFromGroupInfoReturnsToTheChat) {
    UiHarness h;
    h.to_chat();
    h.feed(core::ev::ShowGroupInfo{});
    h.frame();
    EXPECT_FALSE(h.has("group_info"));
    const auto open = event_of<core::ev::OpenConversation>(h.tap("back"));
    ASSERT_TRUE(open);
    EXPECT_EQ(open->conv, (core::ConversationKey{"group", 3}));
}
