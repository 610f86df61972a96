// Visible errors and join requests (issue 9): the failed bubble's reason and its
// retry, the toast, the "..." badge, the owner's request cards, the invite picker.
#include "ui_harness.hpp"
#include "ui/message_row.hpp"

using namespace imchat;
using namespace imchat::ui::testing;

namespace {
// A send of mine answered with `status` / `body`; its client_msg_id.
std::string failed_send(UiHarness& h, int status, const Json& body) {
    h.feed(core::ev::SendText{"hello"});
    const core::act::Http req = h.http_to("sendmessage");
    h.feed(core::ev::HttpDone{req.id, status, status == 0 ? "" : body.dump()});
    return h.s.open_messages().back().client_msg_id;
}

Json group_with_request(int64_t owner) {
    Json g{{"id", 3}, {"name", "imchat 演示群"}, {"invite_confirm", 1}, {"member_count", 1}, {"user_id", owner},
           {"group_users", Json::array({{{"user_id", kMe}, {"status", 1}, {"role", owner == kMe ? "owner" : "member"}},
                                        {{"user_id", 21}, {"status", 2}, {"reason", "我是小王，请通过"},
                                         {"request_time", 1700000000000}, {"user", {{"username", "xiaowang"}}}}})}};
    return g;
}
}  // namespace

TEST(VisibleErrors, RefusedBubbleShowsTheReasonAndOffersNoRetry) {
    UiHarness h;
    h.to_chat();
    const std::string cmid = failed_send(h, 403, UiHarness::fail("您已被禁言"));
    h.frame();
    EXPECT_TRUE(h.has("failed:" + cmid));
    EXPECT_FALSE(h.has("retry:" + cmid));
    const core::Message& m = h.s.open_messages().back();
    EXPECT_EQ(ui::status_line(core::Lang::ZhCN, m, h.s.send_error(m)), "您已被禁言");
}

TEST(VisibleErrors, NetworkFailureOffersTapToRetry) {
    UiHarness h;
    h.to_chat();
    const std::string cmid = failed_send(h, 0, Json());
    h.frame();
    ASSERT_TRUE(h.has("retry:" + cmid));
    const core::Message& m = h.s.open_messages().back();
    EXPECT_EQ(ui::status_line(core::Lang::ZhCN, m, h.s.send_error(m)), "网络错误，点按重试");
    EXPECT_EQ(ui::status_line(core::Lang::En, m, h.s.send_error(m)), "网络错误. Tap to retry");
    const auto retry = event_of<core::ev::RetrySend>(h.tap("retry:" + cmid));
    ASSERT_TRUE(retry);
    EXPECT_EQ(retry->client_msg_id, cmid);
}

TEST(VisibleErrors, StatusLineWithoutAReasonKeepsTheOldText) {
    core::Message m;
    m.status = core::SendStatus::Failed;
    EXPECT_EQ(ui::status_line(core::Lang::ZhCN, m, nullptr), "发送失败，点按重试");
    m.status = core::SendStatus::Sent;
    EXPECT_EQ(ui::status_line(core::Lang::ZhCN, m, nullptr), "");
}

TEST(VisibleErrors, LongReasonMakesTheRowTaller) {
    UiHarness h;
    h.frame();
    ImGui::NewFrame();
    core::Message m;
    m.data = "hi";
    m.status = core::SendStatus::Failed;
    const core::SendError short_err{"x", false};
    const core::SendError long_err{std::string(30, 'x') + " " + std::string(30, 'y') + " " + std::string(30, 'z'), false};
    EXPECT_GT(ui::measure_row(h.images, m, true, 300, core::Lang::En, &long_err).h,
              ui::measure_row(h.images, m, true, 300, core::Lang::En, &short_err).h);
    ImGui::Render();
}

TEST(VisibleErrors, NoticeIsAToastOnceOnAnyScreen) {
    UiHarness h;
    h.to_chat();
    h.frame();
    EXPECT_EQ(h.out.toast, "");
    failed_send(h, 403, UiHarness::fail("您已被禁言"));
    h.frame();
    EXPECT_EQ(h.out.toast, "您已被禁言");
    h.frame();
    EXPECT_EQ(h.out.toast, "") << "shown once";
    failed_send(h, 403, UiHarness::fail("您已被禁言"));
    h.frame();
    EXPECT_EQ(h.out.toast, "您已被禁言") << "the same notice again is a new toast";
    // The list screen too.
    h.feed(core::ev::ShowList{});
    h.feed(core::ev::SocketMessage{Json{{"type", "singleChat"},
                                        {"data", {{"actionType", "removed"}, {"to_id", 3}, {"chatType", "group"},
                                                  {"type", "systemNotice"}, {"data", "你已被移出群聊"}}}}
                                       .dump()});
    h.frame();
    EXPECT_EQ(h.out.toast, "你已被移出群聊");
}

TEST(VisibleErrors, LoginScreenShowsItsErrorInlineNotAsAToast) {
    UiHarness h;
    h.to_list();
    h.feed(core::ev::ShowLogin{});
    h.frame();
    h.feed(core::ev::SignIn{"nobody", "wrongpass"});
    h.reply(h.http_to("login"), 400, UiHarness::fail("用户名或密码错误"));
    h.frame();
    EXPECT_EQ(h.out.toast, "");
}

TEST(JoinRequests, OwnerSeesABadgeOnGroupInfo) {
    UiHarness h;
    h.to_chat(kMe);
    h.frame();
    EXPECT_FALSE(h.has("group_info:badge"));
    h.feed(core::ev::OpenConversation{{"group", 3}, ""});
    h.reply(h.http_to("/api/chat/groupinfo/3"), 200, UiHarness::ok(group_with_request(kMe)));
    h.frame();
    EXPECT_TRUE(h.has("group_info:badge"));
}

TEST(JoinRequests, MemberSeesNoBadge) {
    UiHarness h;
    h.to_chat();
    h.feed(core::ev::ShowGroupInfo{});
    h.answer("/api/chat/groupinfo/3", group_with_request(99));
    h.feed(core::ev::OpenConversation{{"group", 3}, ""});
    h.frame();
    EXPECT_FALSE(h.has("group_info:badge"));
}

TEST(JoinRequests, OwnerApprovesOrRejectsFromTheRequestCard) {
    UiHarness h;
    h.to_chat(kMe);
    h.feed(core::ev::ShowGroupInfo{});
    h.answer("/api/chat/groupinfo/3", group_with_request(kMe));
    h.frame();
    EXPECT_TRUE(h.has("request:reason:21"));
    const auto approve = event_of<core::ev::GroupAction>(h.tap("request:approve:21"));
    ASSERT_TRUE(approve);
    EXPECT_EQ(approve->action, "approve");
    EXPECT_EQ(approve->user_id, 21);
    const auto reject = event_of<core::ev::GroupAction>(h.tap("request:reject:21"));
    ASSERT_TRUE(reject);
    EXPECT_EQ(reject->action, "reject");
    // The member menu still works on the request's name.
    h.tap("member:21");
    h.frame();
    const auto menu = event_of<core::ev::GroupAction>(h.tap("member:approve"));
    ASSERT_TRUE(menu);
    EXPECT_EQ(menu->action, "approve");
}

TEST(Invite, GroupInfoOpensThePickerAndATapInvites) {
    UiHarness h;
    h.to_chat();
    h.feed(core::ev::ShowGroupInfo{});
    h.answer("/api/chat/groupinfo/3", h.group_json(true));
    h.frame();
    ASSERT_TRUE(event_of<core::ev::ShowInvite>(h.tap("invite")));
    h.feed(core::ev::ShowInvite{});
    h.frame();
    EXPECT_EQ(h.count_prefix("invite:"), 0);
    h.answer("/api/chat/groupInviteCandidates/3", Json::array({{{"id", 21}, {"name", "小王"}}, {{"id", 22}, {"name", "小李"}}}));
    h.frame();
    EXPECT_EQ(h.count_prefix("invite:"), 2);
    const auto inv = event_of<core::ev::Invite>(h.tap("invite:22"));
    ASSERT_TRUE(inv);
    EXPECT_EQ(inv->user_id, 22);
    EXPECT_TRUE(event_of<core::ev::ShowGroupInfo>(h.tap("back"))) << "back goes to the group info";
}
