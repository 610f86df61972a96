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

// ---- issue 11: round trips from a running core to the group's messages on screen ----
// Each step of Harness::round_trips answers every request in flight at once; the count is
// the sequential API round trips (the socket opens in parallel). Before issue 11: a first
// visit took 4 (register, groupinfo, join, history), a member's revisit 2 (groupinfo, history).

using session_test::FakeServer;

namespace {
// Whether a step had a request whose path starts with `prefix`.
bool asked_in(const std::vector<std::string>& step, const std::string& prefix) {
    for (const auto& p : step) if (p.rfind(prefix, 0) == 0) return true;
    return false;
}
}  // namespace

TEST(RoundTrips, FirstVisitToAnOpenGroupDrawsTheMessagesAfterOne) {
    Harness h;
    FakeServer srv;
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, "", h.now});
    std::vector<std::vector<std::string>> steps;
    EXPECT_EQ(h.round_trips(srv, [&] { return h.chat_drawn(3); }, &steps), 1);
    ASSERT_EQ(steps.size(), 1u);
    ASSERT_EQ(steps[0].size(), 1u);
    EXPECT_EQ(steps[0][0], "/api/visitorRegister");
    EXPECT_EQ(h.s.open_messages().back().data, "消息3");
    EXPECT_EQ(h.all<act::OpenSocket>().size(), 1u) << "the socket opens as soon as the token exists";
    EXPECT_TRUE(srv.members.count(10));
    for (const auto& p : srv.asked) EXPECT_EQ(p.find("/history/"), std::string::npos) << "the page came with the answer";
}

TEST(RoundTrips, FirstVisitAsksForTheGroupAndThePageInTheRegistration) {
    Harness h;
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, "", h.now});
    const Json b = Json::parse(h.http_to("/api/visitorRegister").body);
    EXPECT_EQ(b["deviceId"], kDevice);
    EXPECT_EQ(b["join_group_id"], 3);
    EXPECT_EQ(b["latest"], 50);
    Harness plain;   // no link: the registration is the reference one
    plain.feed(ev::Start{"http://192.168.1.5:8080/", kOrigin, "zh-CN", kDevice, "", plain.now});
    const Json p = Json::parse(plain.http_to("/api/visitorRegister").body);
    EXPECT_FALSE(p.contains("join_group_id"));
    EXPECT_FALSE(p.contains("latest"));
}

TEST(RoundTrips, AReferenceServerStillGetsThereTheLongWay) {
    Harness h;
    FakeServer srv;
    srv.modern = false;   // ignores join_group_id and latest
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, "", h.now});
    std::vector<std::vector<std::string>> steps;
    EXPECT_EQ(h.round_trips(srv, [&] { return h.chat_drawn(3); }, &steps), 4);
    ASSERT_EQ(steps.size(), 4u);
    EXPECT_TRUE(asked_in(steps[1], "/api/chat/groupinfo/3?latest=50"));
    EXPECT_TRUE(asked_in(steps[2], "/api/chat/groupInviteUser"));
    EXPECT_TRUE(asked_in(steps[3], "/api/chat/history/group/3?limit=50"));
    EXPECT_TRUE(h.chat_drawn(3));
}

TEST(RoundTrips, AMembersRevisitDrawsTheMessagesAfterOne) {
    Harness h;
    FakeServer srv;
    srv.members = {10};
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    EXPECT_EQ(h.all<act::OpenSocket>().size(), 1u) << "the socket opens at once, beside groupinfo";
    std::vector<std::vector<std::string>> steps;
    EXPECT_EQ(h.round_trips(srv, [&] { return h.chat_drawn(3); }, &steps), 1);
    ASSERT_EQ(steps.size(), 1u);
    ASSERT_EQ(steps[0].size(), 1u);
    EXPECT_EQ(steps[0][0], "/api/chat/groupinfo/3?latest=50");
    EXPECT_TRUE(h.s.can_send());
}

TEST(RoundTrips, ANonMemberWithATokenJoinsAnOpenGroupInTwo) {
    Harness h;
    FakeServer srv;
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    std::vector<std::vector<std::string>> steps;
    EXPECT_EQ(h.round_trips(srv, [&] { return h.chat_drawn(3); }, &steps), 2);
    ASSERT_EQ(steps.size(), 2u);
    EXPECT_TRUE(asked_in(steps[0], "/api/chat/groupinfo/3?latest=50"));
    EXPECT_TRUE(asked_in(steps[1], "/api/chat/groupInviteUser"));
    EXPECT_FALSE(asked_in(steps[1], "/api/chat/history"));
}

TEST(RoundTrips, AGroupThatNeedsApprovalShowsItsCardAfterOneAndAppliesToNothing) {
    for (int policy : {1, 2}) {
        Harness h;
        FakeServer srv;
        srv.policy = policy;
        h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, "", h.now});
        EXPECT_EQ(h.round_trips(srv, [&] { return h.s.screen() == Screen::Join; }), 1);
        EXPECT_EQ(h.s.join_card().name, "扫码群");
        EXPECT_EQ(h.s.join_card().policy, policy);
        EXPECT_EQ(h.s.join_card().needs_login, policy == 2);
        EXPECT_FALSE(h.s.join_card().pending);
        // Let everything settle: still nothing applied for, no messages.
        h.round_trips(srv, [] { return false; });
        for (const auto& p : srv.asked) EXPECT_NE(p, "/api/chat/groupInviteUser");
        EXPECT_TRUE(srv.pending.empty());
        EXPECT_EQ(h.s.screen(), Screen::Join);
        EXPECT_TRUE(h.s.open_messages().empty());
    }
}

TEST(RoundTrips, AnApplicantsRevisitShowsThePendingCard) {
    Harness h;
    FakeServer srv;
    srv.policy = 1;
    srv.pending = {10};
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    EXPECT_EQ(h.round_trips(srv, [&] { return h.s.screen() == Screen::Join; }), 1);
    EXPECT_TRUE(h.s.join_card().pending);
    h.round_trips(srv, [] { return false; });
    for (const auto& p : srv.asked) EXPECT_NE(p, "/api/chat/groupInviteUser");
    EXPECT_TRUE(h.s.open_messages().empty());
}

TEST(RoundTrips, TheCarriedPageIsStoredAsAFetchedOne) {
    Harness h;
    FakeServer srv;
    srv.members = {10};
    srv.count = 120;
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    ASSERT_EQ(h.round_trips(srv, [&] { return h.chat_drawn(50); }), 1);
    EXPECT_EQ(h.s.open_messages().front().seq, 71);
    // A full page: there may be older ones, paged as before.
    EXPECT_TRUE(h.s.can_load_earlier());
    h.feed(ev::LoadEarlier{});
    auto older = h.http_to("/api/chat/history/group/3");
    EXPECT_NE(older.url.find("before_seq=71"), std::string::npos);
    auto [st, body] = srv.serve(older);
    h.reply(older, st, body);
    EXPECT_EQ(h.s.open_messages().size(), 100u);
    // Dedup by seq: a live copy of a carried message is not a second message; the next one is.
    h.feed(ev::SocketMessage{Harness::chat_frame(1120, 120, 99, "消息120").dump()});
    h.feed(ev::SocketMessage{Harness::chat_frame(1121, 121, 99, "消息121").dump()});
    EXPECT_EQ(h.s.open_messages().size(), 101u);
    EXPECT_EQ(h.s.open_messages().back().seq, 121);
}

TEST(RoundTrips, AShortCarriedPageIsTheStartAndMovesTheReadCursor) {
    Harness h;
    FakeServer srv;
    srv.members = {10};
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    ASSERT_EQ(h.round_trips(srv, [&] { return h.chat_drawn(3); }), 1);
    EXPECT_FALSE(h.s.can_load_earlier()) << "three messages: the whole history";
    bool read = false;
    for (auto& r : h.all<act::Http>())
        if (r.url.find("/api/chat/conversationRead") != std::string::npos) {
            read = true;
            EXPECT_EQ(Json::parse(r.body)["seq"], 3);
        }
    EXPECT_TRUE(read) << "the read cursor moves to the carried page's last seq";
}

TEST(RoundTrips, ACachedConversationAsksOnlyForWhatCameAfter) {
    Harness h;
    FakeServer srv;
    srv.members = {10};
    srv.count = 5;
    ev::Start st{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now};
    st.cache_json = Json{{"user", 10}, {"conversations", Json::array({{{"chatType", "group"}, {"id", 3}, {"title", "扫码群"},
                                      {"messages", Json::array({srv.message(1), srv.message(2), srv.message(3)})}}})}}.dump();
    h.feed(st);
    EXPECT_TRUE(h.chat_drawn(3)) << "the cache is on screen at once";
    const act::Http info = h.http_to("/api/chat/groupinfo/3");
    EXPECT_EQ(info.url.find("latest"), std::string::npos) << "no page it already holds";
    EXPECT_EQ(h.round_trips(srv, [&] { return h.chat_drawn(5); }), 2);
}
