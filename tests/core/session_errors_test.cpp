// Session: visible errors (issue 9). A failed send keeps the server's reason and
// says whether a retry can succeed; notices count up for the toast; a rejected
// token of a registered user is handled like a 4001; join requests with their
// reasons; the invite picker.
#include "session_harness.hpp"

namespace {
// The chat of group 3 with a message of ours that the server answered `status` / `body`.
std::string send_and_answer(Harness& h, int status, const Json& body) {
    h.feed(ev::SendText{"hello"});
    auto req = h.http_to("sendmessage");
    const std::string cmid = Json::parse(req.body)["client_msg_id"];
    h.feed(ev::HttpDone{req.id, status, status == 0 ? "" : body.dump()});
    return cmid;
}

// A registered user, stored on this device, in the chat of group 3 it owns.
void owner_in_chat(Harness& h, const Json& members) {
    Json user = h.user_json();
    user["role"] = "user";
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, user.dump(), h.now});
    Json g = h.group_json(true, 1);
    g["user_id"] = 10;
    g["group_users"] = members;
    const act::Http info = h.http_to("/api/chat/groupinfo/3");
    h.feed(ev::SocketOpened{});
    h.reply(info, 200, Harness::ok(g));
}

Json owner_and_request(const std::string& reason) {
    return Json::array({{{"user_id", 10}, {"status", 1}, {"role", "owner"}},
                        {{"user_id", 21}, {"status", 2}, {"reason", reason}, {"request_time", 1700000000000},
                         {"user", {{"username", "applicant"}}}}});
}
}  // namespace

TEST(SessionErrors, RefusalKeepsTheReasonAndIsNeverResent) {
    Harness h;
    h.bootstrap_to_chat();
    const std::string cmid = send_and_answer(h, 403, Harness::fail("您已被禁言"));
    const Message& m = h.s.open_messages()[0];
    EXPECT_EQ(m.status, SendStatus::Failed);
    const SendError* e = h.s.send_error(m);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->reason, "您已被禁言");
    EXPECT_FALSE(e->retry);
    EXPECT_EQ(persisted(h.last, kKeyOutbox), "") << "a refusal does not stay in the outbox";
    Json snap = h.s.snapshot()["open"]["messages"][0];
    EXPECT_EQ(snap["error"], "您已被禁言");
    EXPECT_EQ(snap["retry"], false);
    EXPECT_EQ(snap["status"], "failed");
    // Neither a tap nor a reconnect sends it again.
    h.feed(ev::RetrySend{cmid});
    EXPECT_TRUE(h.all<act::Http>().empty());
    h.feed(ev::SocketClosed{1006, ""});
    h.tick(60000);
    h.feed(ev::SocketOpened{});
    for (auto& r : h.all<act::Http>()) EXPECT_EQ(r.url.find("sendmessage"), std::string::npos);
}

TEST(SessionErrors, NetworkErrorServerErrorAndTooManyRequestsCanBeRetried) {
    for (int status : {0, 500, 503, 429}) {
        Harness h;
        h.bootstrap_to_chat();
        const std::string cmid = send_and_answer(h, status, Harness::fail("服务器繁忙"));
        const SendError* e = h.s.send_error(h.s.open_messages()[0]);
        ASSERT_NE(e, nullptr) << status;
        EXPECT_TRUE(e->retry) << status;
        EXPECT_EQ(e->reason, status == 0 ? "网络错误" : "服务器繁忙") << status;
        EXPECT_EQ(h.s.snapshot()["open"]["messages"][0]["retry"], true);
        h.feed(ev::RetrySend{cmid});
        h.http_to("sendmessage");
        EXPECT_EQ(h.s.open_messages()[0].status, SendStatus::Pending);
        EXPECT_EQ(h.s.send_error(h.s.open_messages()[0]), nullptr) << "retrying clears the old reason";
        EXPECT_EQ(h.s.snapshot()["open"]["messages"][0]["error"], "");
    }
}

TEST(SessionErrors, TimeoutSaysSoAndCanBeRetried) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"slow"});
    h.tick(10001);
    const SendError* e = h.s.send_error(h.s.open_messages()[0]);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->reason, "发送超时");
    EXPECT_TRUE(e->retry);
}

TEST(SessionErrors, EveryNoticeCountsEvenTheSameTextTwice) {
    Harness h;
    h.bootstrap_to_chat();
    const uint64_t before = h.s.notice_seq();
    send_and_answer(h, 403, Harness::fail("您已被禁言"));
    EXPECT_EQ(h.s.notice(), "您已被禁言");
    EXPECT_EQ(h.s.notice_seq(), before + 1);
    send_and_answer(h, 403, Harness::fail("您已被禁言"));
    EXPECT_EQ(h.s.notice_seq(), before + 2);
}

TEST(SessionErrors, RejectedTokenOfARegisteredUserIsAKick) {
    Harness h;
    h.registered_to_chat(Json::array({Harness::chat_frame(1, 1, 20, "old account's chat")["data"]}));
    ASSERT_EQ(h.s.open_messages().size(), 1u);
    // The phone slept through the other login; its next call is refused.
    h.feed(ev::SendText{"x"});
    h.reply(h.http_to("sendmessage"), 400, Harness::fail(std::string(kErrTokenInvalid)));
    EXPECT_NE(h.s.modal().find("账号异地登录"), std::string::npos);
    EXPECT_EQ(h.all<act::CloseSocket>().size(), 1u);
    EXPECT_EQ(persisted(h.last, kKeyUser), "");
    EXPECT_TRUE(h.s.conversations().empty()) << "the old account's chats are gone";
    EXPECT_TRUE(h.s.open_messages().empty());
    h.http_to("/api/visitorRegister");
}

TEST(SessionErrors, Close4002OfARegisteredUserIsAKick) {
    Harness h;
    Json user = h.user_json();
    user["role"] = "user";
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, user.dump(), h.now});
    h.feed(ev::SocketOpened{});
    h.feed(ev::SocketClosed{kCloseTokenInvalid, ""});
    EXPECT_NE(h.s.modal().find("账号异地登录"), std::string::npos);
    EXPECT_TRUE(h.s.conversations().empty());
    EXPECT_EQ(h.s.user().role, "");
    h.http_to("/api/visitorRegister");
}

TEST(SessionErrors, GuestWithARejectedTokenStillReRegistersSilently) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SocketClosed{kCloseTokenInvalid, ""});
    EXPECT_EQ(h.s.modal(), "");
    h.http_to("/api/visitorRegister");
}

TEST(SessionErrors, OwnerOpeningTheChatSeesStoredRequestsWithTheirReasons) {
    Harness h;
    owner_in_chat(h, owner_and_request("我是小王"));
    EXPECT_EQ(h.s.screen(), Screen::Chat);
    // The owner who was away: groupinfo lists the request (the "..." badge).
    h.reply(h.http_to("/api/chat/groupinfo/3"), 200, Harness::ok([&] {
        Json g = h.group_json(true, 1);
        g["user_id"] = 10;
        g["group_users"] = owner_and_request("我是小王");
        return g;
    }()));
    EXPECT_EQ(h.s.pending_requests(), 1);
    Json members = h.s.snapshot()["group"]["members"];
    ASSERT_EQ(members.size(), 2u);
    EXPECT_EQ(members[1]["reason"], "我是小王");
    EXPECT_EQ(members[1]["request_time"], 1700000000000);
    EXPECT_EQ(h.s.snapshot()["group"]["pending_requests"], 1);
    // Approve: an answer without members asks again, and the badge goes.
    h.feed(ev::GroupAction{"approve", 21, "", 0});
    Json body = Json::parse(h.http_to("groupAgreeOrNo").body);
    EXPECT_EQ(body["type"], "agree");
    h.reply(h.http_to("groupAgreeOrNo"), 200, Harness::ok(true));
    auto again = h.http_to("/api/chat/groupinfo/3");
    Json g = h.group_json(true, 1);
    g["user_id"] = 10;
    h.reply(again, 200, Harness::ok(g));
    EXPECT_EQ(h.s.pending_requests(), 0);
}

TEST(SessionErrors, LiveJoinRequestNotifiesAndRefreshesTheOpenGroup) {
    Harness h;
    owner_in_chat(h, Json::array({{{"user_id", 10}, {"status", 1}}}));
    h.reply(h.http_to("/api/chat/groupinfo/3"), 200, Harness::ok(h.group_json(true, 1)));
    const uint64_t seq = h.s.notice_seq();
    Json ev{{"type", "singleChat"},
            {"data", {{"actionType", "joinRequest"}, {"to_id", 3}, {"chatType", "group"}, {"type", "systemNotice"},
                      {"data", "小王 申请加入群聊：我是小王"}}}};
    h.feed(ev::SocketMessage{ev.dump()});
    EXPECT_EQ(h.s.notice(), "小王 申请加入群聊：我是小王");
    EXPECT_EQ(h.s.notice_seq(), seq + 1);
    h.http_to("/api/chat/groupinfo/3");
}

TEST(SessionErrors, MembersDoNotSeeABadge) {
    Harness h;
    h.bootstrap_to_chat();   // user 10 is a member; the owner is someone else
    Json g = h.group_json(true, 1);
    g["user_id"] = 99;
    g["group_users"] = owner_and_request("hi");
    h.feed(ev::ShowGroupInfo{});
    h.reply(h.http_to("/api/chat/groupinfo/3"), 200, Harness::ok(g));
    EXPECT_EQ(h.s.pending_requests(), 0);
}

TEST(SessionErrors, InvitePickerListsCandidatesAndShowsEachResult) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::ShowGroupInfo{});
    h.feed(ev::ShowInvite{});
    EXPECT_EQ(h.s.screen(), Screen::Invite);
    auto cand = h.http_to("/api/chat/groupInviteCandidates/3");
    EXPECT_EQ(cand.method, "GET");
    EXPECT_EQ(h.s.snapshot()["invite"]["loaded"], false);
    h.reply(cand, 200, Harness::ok(Json::array({{{"id", 21}, {"name", "小王"}, {"avatar", ""}},
                                                {{"id", 22}, {"name", "小李"}},
                                                {{"id", 23}, {"name", "小张"}}})));
    ASSERT_EQ(h.s.invite_picker().candidates.size(), 3u);
    EXPECT_EQ(h.s.snapshot()["invite"]["candidates"][1]["name"], "小李");

    h.feed(ev::Invite{21});
    auto inv = h.http_to("/api/chat/groupInviteUser");
    Json body = Json::parse(inv.body);
    EXPECT_EQ(body["group_id"], 3);
    EXPECT_EQ(body["inviteuser_id"], 21);
    h.reply(inv, 200, Harness::ok(Json{{"id", 3}, {"invitee_status", 2}}));
    EXPECT_EQ(h.s.invite_picker().candidates[0].result, "已发出邀请，等待群主同意");

    h.feed(ev::Invite{22});
    h.reply(h.http_to("/api/chat/groupInviteUser"), 200,
            Harness::ok(Json{{"id", 3}, {"invitee_status", 1},
                             {"group_users", Json::array({{{"user_id", 10}}, {{"user_id", 22}}})}}));
    EXPECT_EQ(h.s.invite_picker().candidates[1].result, "已加入群聊");

    h.feed(ev::Invite{23});
    h.reply(h.http_to("/api/chat/groupInviteUser"), 400, Harness::fail("只能邀请联系人或共同群成员"));
    EXPECT_EQ(h.s.invite_picker().candidates[2].result, "只能邀请联系人或共同群成员");
    EXPECT_EQ(h.s.notice(), "只能邀请联系人或共同群成员");
}
