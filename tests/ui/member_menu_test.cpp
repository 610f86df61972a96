#include "ui_harness.hpp"

using namespace imchat;
using namespace imchat::ui::testing;

namespace {
void to_group_info(UiHarness& h, int64_t owner) {
    h.to_chat(owner);
    h.feed(core::ev::ShowGroupInfo{});
    Json g = h.group_json(true, 1, owner);
    g["group_users"] = Json::array({{{"user_id", kMe}, {"status", 1}, {"role", owner == kMe ? "owner" : "member"}},
                                    {{"user_id", 20}, {"status", 2}, {"nickname", "applicant"}},
                                    {{"user_id", 30}, {"status", 0}, {"nickname", "quiet"}},
                                    {{"user_id", 40}, {"status", 1}, {"nickname", "carol"}}});
    h.answer("/api/chat/groupinfo/3", g);
    h.frame();
}
// Taps a member row, then lets the popup appear.
void open_menu(UiHarness& h, int64_t uid) {
    h.tap("member:" + std::to_string(uid));
    h.frame();
}
}  // namespace

TEST(MemberMenu, OwnerApprovesAPendingApplicant) {
    UiHarness h;
    to_group_info(h, kMe);
    open_menu(h, 20);
    EXPECT_TRUE(h.has("member:reject"));
    EXPECT_FALSE(h.has("member:dm")) << "an applicant is not a member yet";
    EXPECT_FALSE(h.has("member:mute"));
    const auto a = event_of<core::ev::GroupAction>(h.tap("member:approve"));
    ASSERT_TRUE(a);
    EXPECT_EQ(a->action, "approve");
    EXPECT_EQ(a->user_id, 20);
}

TEST(MemberMenu, OwnerMutesUnmutesRemovesAndMessages) {
    UiHarness h;
    to_group_info(h, kMe);
    open_menu(h, 30);
    EXPECT_FALSE(h.has("member:mute"));
    const auto un = event_of<core::ev::GroupAction>(h.tap("member:unmute"));
    ASSERT_TRUE(un);
    EXPECT_EQ(un->action, "unmute");
    h.frame();
    open_menu(h, 40);
    EXPECT_TRUE(h.has("member:mute"));
    EXPECT_TRUE(h.has("member:remove"));
    const auto dm = event_of<core::ev::OpenConversation>(h.tap("member:dm"));
    ASSERT_TRUE(dm);
    EXPECT_EQ(dm->conv, (core::ConversationKey{"single", 40}));
    EXPECT_EQ(dm->title, "carol");
}

TEST(MemberMenu, MemberMayOnlyMessageOthers) {
    UiHarness h;
    to_group_info(h, 99);
    open_menu(h, 40);
    EXPECT_TRUE(h.has("member:dm"));
    EXPECT_FALSE(h.has("member:mute"));
    EXPECT_FALSE(h.has("member:remove"));
    EXPECT_FALSE(h.has("member:approve"));
}
