#include "ui_harness.hpp"

using namespace imchat;
using namespace imchat::ui::testing;

namespace {
// Group 3 with me (10), a pending applicant (20) and a muted member (30).
void to_group_info(UiHarness& h, int64_t owner) {
    h.to_chat(owner);
    h.feed(core::ev::ShowGroupInfo{});
    const auto info = h.http_to("/api/chat/groupinfo/3");
    const auto qr = h.http_to("/api/chat/groupQrcode/3");
    Json g = h.group_json(true, 1, owner);
    g["remark"] = "公告";
    g["member_count"] = 3;
    g["group_users"] = Json::array({{{"user_id", kMe}, {"status", 1}, {"role", owner == kMe ? "owner" : "member"}},
                                    {{"user_id", 20}, {"status", 2}, {"role", "member"}, {"nickname", "applicant"}},
                                    {{"user_id", 30}, {"status", 0}, {"role", "member"}, {"nickname", "quiet"}}});
    h.reply(info, 200, UiHarness::ok(g));
    h.reply(qr, 200, UiHarness::ok(Json{{"url", "http://192.168.1.5:8080/?group=3"}, {"size", 2}, {"rows", {"10", "01"}}}));
    ASSERT_EQ(h.s.screen(), core::Screen::GroupInfo);
}
}  // namespace

TEST(GroupInfoView, OwnerSeesQrMembersAndOwnerActions) {
    UiHarness h;
    to_group_info(h, kMe);
    h.frame();
    for (const char* id : {"qr", "copy_link", "member:10", "member:20", "member:30", "rename", "remark", "policy:0",
                           "policy:1", "policy:2", "dissolve"})
        EXPECT_TRUE(h.has(id)) << id;
    EXPECT_FALSE(h.has("quit"));
    EXPECT_FALSE(h.has("group_nickname"));
}

TEST(GroupInfoView, OwnerChangesThePolicyRenamesAndDissolves) {
    UiHarness h(390, 1200);   // a tall page: every action on screen without scrolling
    to_group_info(h, kMe);
    h.frame();
    const auto policy = event_of<core::ev::GroupAction>(h.tap("policy:2"));
    ASSERT_TRUE(policy);
    EXPECT_EQ(policy->action, "policy");
    EXPECT_EQ(policy->value, 2);
    EXPECT_FALSE(event_of<core::ev::GroupAction>(h.tap("policy:1"))) << "already the policy";
    auto rename = h.tap("rename");
    ASSERT_EQ(rename.prompts.size(), 1u);
    EXPECT_EQ(rename.prompts[0].initial, "imchat 演示群");
    auto remark = h.tap("remark");
    ASSERT_EQ(remark.prompts.size(), 1u);
    EXPECT_EQ(remark.prompts[0].initial, "公告");
    const auto quit = event_of<core::ev::GroupAction>(h.tap("dissolve"));
    ASSERT_TRUE(quit);
    EXPECT_EQ(quit->action, "quit");
    EXPECT_EQ(h.tap("copy_link").copy_text, "http://192.168.1.5:8080/?group=3");
}

TEST(GroupInfoView, MemberSeesNicknameAndQuit) {
    UiHarness h;
    to_group_info(h, 99);
    h.frame();
    EXPECT_TRUE(h.has("group_nickname"));
    EXPECT_TRUE(h.has("quit"));
    EXPECT_FALSE(h.has("dissolve"));
    EXPECT_EQ(h.count_prefix("policy:"), 0);
    auto o = h.tap("group_nickname");
    ASSERT_EQ(o.prompts.size(), 1u);
    EXPECT_EQ(o.prompts[0].key, "nickname");
}

TEST(GroupInfoView, DissolvedGroupHasNoActions) {
    UiHarness h;
    to_group_info(h, kMe);
    Json g = h.group_json(true, 1, kMe);
    g["status"] = 0;
    h.feed(core::ev::ShowGroupInfo{});
    h.answer("/api/chat/groupinfo/3", g);
    h.frame();
    EXPECT_FALSE(h.has("dissolve"));
    EXPECT_FALSE(h.has("rename"));
    EXPECT_TRUE(h.has("member:10"));
}

TEST(GroupInfoView, TappingMyselfOpensNoMenu) {
    UiHarness h;
    to_group_info(h, kMe);
    h.frame();
    h.tap("member:10");
    h.frame();
    EXPECT_EQ(h.count_prefix("member:") , 3) << "only the member rows, no menu items";
}
