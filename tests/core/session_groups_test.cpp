// Session: group links, joins, join policies, group state (src/core/session_groups.cpp).
#include "session_harness.hpp"

namespace {
Json card(int policy, int my_status = -1) {
    Json g{{"id", 3}, {"name", "审核群"}, {"invite_confirm", policy}, {"member_count", 4}, {"user_id", 99}};
    if (my_status != -1) g["my_status"] = my_status;
    return g;
}
}  // namespace

TEST(Session, NonMemberJoinsOpenGroupThenLoadsHistory) {
    Harness h;
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    h.reply(h.http_to("/api/chat/groupinfo/3"), 200, Harness::ok(h.group_json(false)));
    auto join = h.http_to("/api/chat/groupInviteUser");
    Json b = Json::parse(join.body);
    EXPECT_EQ(b["group_id"], 3);
    EXPECT_EQ(b["inviteuser_id"], -1);
    h.reply(join, 200, Harness::ok(h.group_json(true)));
    EXPECT_EQ(h.s.screen(), Screen::Chat);
    auto hist = h.http_to("/api/chat/history/group/3");
    EXPECT_EQ(hist.url.find("after_seq"), std::string::npos) << "first load asks for the latest page";
    h.reply(hist, 200, Harness::ok(Json{{"list", {Harness::chat_frame(1, 1, 0, "welcome")["data"]}}}));
    ASSERT_EQ(h.s.open_messages().size(), 1u);
    EXPECT_EQ(h.s.open_conversation()->title, "imchat 演示群");
}

TEST(Session, GroupThatNeedsApprovalShowsJoinScreen) {
    Harness h;
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    h.reply(h.http_to("/api/chat/groupinfo/3"), 200, Harness::ok(h.group_json(false, 1)));
    EXPECT_EQ(h.s.screen(), Screen::Join);
    EXPECT_TRUE(h.all<act::Http>().empty());
}

TEST(Session, UnknownGroupShowsNotFound) {
    Harness h;
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    h.reply(h.http_to("/api/chat/groupinfo/3"), 400, Harness::fail(std::string(kErrGroupNotFound)));
    EXPECT_EQ(h.s.screen(), Screen::NotFound);
}

TEST(Session, MalformedGroupLinkShowsNotFoundWithoutAsking) {
    Harness h;
    h.feed(ev::Start{"http://h/?group=abc", kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    EXPECT_EQ(h.s.screen(), Screen::NotFound);
    for (auto& r : h.all<act::Http>()) EXPECT_EQ(r.url.find("groupinfo"), std::string::npos);
}

TEST(Session, NetworkErrorOnGroupInfoRetriesLater) {
    Harness h;
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    h.reply(h.http_to("/api/chat/groupinfo/3"), 0, Json());
    EXPECT_EQ(h.s.screen(), Screen::Loading);
    h.tick(100);
    EXPECT_TRUE(h.all<act::Http>().empty());
    h.tick(1000);   // past the backoff (rnd = 0: 500 ms)
    h.http_to("/api/chat/groupinfo/3");
}

TEST(Session, Policy1ShowsJoinScreenAndAppliesWithAReason) {
    Harness h;
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    h.reply(h.http_to("/api/chat/groupinfo/3"), 200, Harness::ok(card(1)));
    EXPECT_EQ(h.s.screen(), Screen::Join);
    EXPECT_EQ(h.s.join_card().name, "审核群");
    EXPECT_TRUE(h.all<act::Http>().empty()) << "nothing is sent before the user applies";
    h.feed(ev::RequestJoin{"我是小王"});
    auto req = h.http_to("/api/chat/groupInviteUser");
    EXPECT_EQ(Json::parse(req.body)["addGroupDesc"], "我是小王");
    Json pending = card(1, 2);
    pending["pending"] = true;
    h.reply(req, 200, Harness::ok(pending));
    EXPECT_TRUE(h.s.join_card().pending);
    EXPECT_EQ(h.s.snapshot()["join"]["pending"], true);
    // The owner agrees: the join continues into the chat.
    Json ev = {{"type", "singleChat"}, {"data", {{"id", 0}, {"chatType", "group"}, {"type", "systemNotice"},
                                                {"actionType", "joinAgreed"}, {"to_id", 3}}}};
    h.feed(ev::SocketOpened{});
    h.feed(ev::SocketMessage{ev.dump()});
    auto again = h.http_to("/api/chat/groupinfo/3");
    Json member = card(1, 1);
    member["group_users"] = Json::array({{{"user_id", 10}, {"status", 1}}});
    h.reply(again, 200, Harness::ok(member));
    EXPECT_EQ(h.s.screen(), Screen::Chat);
    EXPECT_TRUE(h.s.open_messages().empty()) << "the event itself is not a message";
}

TEST(Session, Policy2SendsAGuestToLoginAndKeepsTheJoinUrl) {
    Harness h;
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    h.reply(h.http_to("/api/chat/groupinfo/3"), 200, Harness::ok(card(2)));
    EXPECT_TRUE(h.s.join_card().needs_login);
    h.feed(ev::RequestJoin{""});
    EXPECT_EQ(h.s.screen(), Screen::Login);
    EXPECT_TRUE(h.all<act::Http>().empty());
    h.feed(ev::SignIn{"alice01", "secret1", false});
    Json user{{"id", 30}, {"username", "alice01"}, {"role", "user"}, {"token", std::string(64, 'd')}};
    h.reply(h.http_to("/api/visitorloginChat"), 200, Harness::ok(user));
    h.reply(h.http_to("/api/chat/groupinfo/3"), 200, Harness::ok(card(2)));
    EXPECT_EQ(h.s.screen(), Screen::Join);
    EXPECT_FALSE(h.s.join_card().needs_login) << "as a user, the join continues with a request";
}

TEST(Session, DissolvedOrMutedGroupCannotSend) {
    Harness h;
    h.bootstrap_to_chat();
    EXPECT_TRUE(h.s.can_send());
    Json g = h.group_json(true);
    g["status"] = 0;
    h.feed(ev::ShowGroupInfo{});
    h.reply(h.http_to("/api/chat/groupinfo/3"), 200, Harness::ok(g));
    h.feed(ev::OpenConversation{{"group", 3}});
    EXPECT_FALSE(h.s.can_send());
    h.feed(ev::SendText{"anyone?"});
    EXPECT_TRUE(h.all<act::Http>().size() <= 1u);
    for (auto& r : h.all<act::Http>()) EXPECT_EQ(r.url.find("sendmessage"), std::string::npos);
}
