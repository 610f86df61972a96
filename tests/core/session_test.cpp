// The client session driven with a manual clock and scripted replies.
#include <gtest/gtest.h>

#include "core/session.hpp"

using namespace imchat::core;
using namespace imchat::protocol;   // close codes and error texts live in the wire layer

namespace {

const char* kHref = "http://192.168.1.5:8080/?group=3";
const char* kOrigin = "http://192.168.1.5:8080";
const std::string kDevice = "0123456789abcdef0123456789abcdef0123";
const std::string kToken = std::string(64, 'a');

struct Harness {
    Session s{[this] { return rnd; }};
    double rnd = 0.0;
    int64_t now = 1000;
    std::vector<Action> last;

    std::vector<Action>& feed(const Event& e) { last = s.handle(e); return last; }
    std::vector<Action>& tick(int64_t dt) { now += dt; return feed(ev::Tick{now}); }

    template <class A> std::vector<A> all() const {
        std::vector<A> v;
        for (auto& a : last) if (auto* p = std::get_if<A>(&a)) v.push_back(*p);
        return v;
    }
    template <class A> A one() const {
        auto v = all<A>();
        EXPECT_EQ(v.size(), 1u) << "expected exactly one action of this kind";
        return v.empty() ? A{} : v[0];
    }
    act::Http http_to(const std::string& path_part) const {
        for (auto& h : all<act::Http>()) if (h.url.find(path_part) != std::string::npos) return h;
        ADD_FAILURE() << "no HTTP request to " << path_part;
        return {};
    }
    void reply(const act::Http& h, int status, const Json& body) {
        feed(ev::HttpDone{h.id, status, body.dump()});
    }
    static Json ok(const Json& d) { return Json{{"msg", "ok"}, {"data", d}}; }
    static Json fail(const std::string& r) { return Json{{"msg", "fail"}, {"data", r}}; }

    Json user_json(int64_t id = 10) const {
        return Json{{"id", id}, {"username", "VIS01234567"}, {"role", "visitor"}, {"token", kToken}};
    }
    Json group_json(bool member, int policy = 0) const {
        Json g{{"id", 3}, {"name", "imchat 演示群"}, {"invite_confirm", policy}, {"member_count", 1}};
        if (member) g["group_users"] = Json::array({{{"user_id", 10}, {"status", 1}}});
        return g;
    }
    // Fresh device, scans group 3, registers, joins, lands in the chat, socket open.
    void bootstrap_to_chat() {
        feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, "", now});
        reply(http_to("/api/visitorRegister"), 200, ok(user_json()));
        const act::Http info = http_to("/api/chat/groupinfo/3");
        feed(ev::SocketOpened{});
        reply(info, 200, ok(group_json(true)));
        reply(http_to("/api/chat/history/group/3"), 200, ok(Json{{"list", Json::array()}}));
        EXPECT_EQ(s.connection(), Conn::Online);
        EXPECT_EQ(s.screen(), Screen::Chat);
    }
    static Json chat_frame(int64_t id, int64_t seq, int64_t from, const std::string& text, const std::string& cmid = "") {
        return Json{{"type", "singleChat"}, {"timestamp", 1},
                    {"data", {{"id", id}, {"seq", seq}, {"from_id", from}, {"to_id", 3}, {"chatType", "group"},
                              {"type", "text"}, {"data", text}, {"client_msg_id", cmid}}}};
    }
};

}  // namespace

TEST(Session, FirstVisitMakesDeviceIdAndRegistersAsGuest) {
    Harness h;
    h.feed(ev::Start{kHref, kOrigin, "en-US", "", "", h.now});
    auto p = h.all<act::Persist>();
    ASSERT_EQ(p.size(), 1u);
    EXPECT_EQ(p[0].key, kKeyDevice);
    EXPECT_EQ(p[0].value.size(), 36u);
    EXPECT_EQ(p[0].value[14], '4');   // uuid v4
    auto reg = h.http_to("/api/visitorRegister");
    EXPECT_EQ(reg.method, "POST");
    EXPECT_EQ(Json::parse(reg.body)["deviceId"], p[0].value);
    EXPECT_TRUE(h.all<act::OpenSocket>().empty()) << "no socket before a token";
    EXPECT_EQ(h.s.screen(), Screen::Loading);
    EXPECT_EQ(h.s.lang(), Lang::En);
}

TEST(Session, AfterRegisterPersistsUserOpensSocketAndLooksUpGroup) {
    Harness h;
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, "", h.now});
    h.reply(h.http_to("/api/visitorRegister"), 200, Harness::ok(h.user_json()));
    EXPECT_EQ(h.one<act::Persist>().key, kKeyUser);
    EXPECT_EQ(h.one<act::OpenSocket>().url, "ws://192.168.1.5:8080/ws?token=" + kToken);
    EXPECT_EQ(h.http_to("/api/chat/groupinfo/3").token, kToken);
    EXPECT_EQ(h.s.connection(), Conn::Connecting);
}

TEST(Session, StoredUserSkipsRegistration) {
    Harness h;
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    EXPECT_TRUE(h.all<act::Persist>().empty());
    EXPECT_EQ(h.all<act::OpenSocket>().size(), 1u);
    h.http_to("/api/chat/groupinfo/3");
    EXPECT_EQ(h.s.user().id, 10);
}

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

TEST(Session, InvalidTokenOnHttpReRegistersSilently) {
    Harness h;
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    h.reply(h.http_to("/api/chat/groupinfo/3"), 400, Harness::fail(std::string(kErrTokenInvalid)));
    EXPECT_EQ(h.all<act::CloseSocket>().size(), 1u) << "the socket with the dead token is closed";
    EXPECT_EQ(h.one<act::Persist>().value, "");
    auto reg = h.http_to("/api/visitorRegister");
    EXPECT_EQ(Json::parse(reg.body)["deviceId"], kDevice);
    h.reply(reg, 200, Harness::ok(h.user_json()));
    EXPECT_EQ(h.all<act::OpenSocket>().size(), 1u);
    h.http_to("/api/chat/groupinfo/3");
}

TEST(Session, Close4002ReRegisters) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SocketClosed{kCloseTokenInvalid, "token invalid"});
    h.http_to("/api/visitorRegister");
    EXPECT_TRUE(h.all<act::OpenSocket>().empty());
}

TEST(Session, Close4001StopsForGood) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SocketClosed{kCloseLoggedInElsewhere, ""});
    EXPECT_EQ(h.s.connection(), Conn::Kicked);
    for (int i = 0; i < 100; ++i) {
        h.tick(1000);
        EXPECT_TRUE(h.all<act::OpenSocket>().empty());
    }
    h.feed(ev::NetworkOnline{});
    EXPECT_TRUE(h.all<act::OpenSocket>().empty());
}

TEST(Session, AbnormalCloseBacksOffAndOpensExactlyOneSocket) {
    Harness h;
    h.bootstrap_to_chat();
    h.rnd = 0.5;
    h.feed(ev::SocketClosed{1006, ""});
    EXPECT_EQ(h.s.connection(), Conn::Backoff);
    const int64_t wait = h.s.retry_at() - h.now;
    EXPECT_GE(wait, 500);
    EXPECT_LE(wait, 1000);
    int opens = 0;
    for (int t = 0; t < 2000; t += 50) { h.tick(50); opens += static_cast<int>(h.all<act::OpenSocket>().size()); }
    EXPECT_EQ(opens, 1);
    EXPECT_EQ(h.s.connection(), Conn::Connecting);
    // The new socket opens: online again, and it catches up on what it missed.
    h.feed(ev::SocketOpened{});
    EXPECT_EQ(h.s.connection(), Conn::Online);
    h.http_to("/api/chat/history/group/3");   // catch-up after reconnect
}

TEST(Session, OnlineEventRetriesAtOnce) {
    Harness h;
    h.bootstrap_to_chat();
    h.rnd = 0.9;
    h.feed(ev::SocketClosed{1001, ""});
    h.feed(ev::NetworkOnline{});
    EXPECT_EQ(h.all<act::OpenSocket>().size(), 1u);
    h.feed(ev::NetworkOnline{});
    EXPECT_TRUE(h.all<act::OpenSocket>().empty()) << "never a second socket";
}

TEST(Session, HeartbeatEveryFiveSecondsDeadAfterTwoMissedPongs) {
    Harness h;
    h.bootstrap_to_chat();
    h.tick(4999);
    EXPECT_TRUE(h.all<act::SendSocket>().empty());
    h.tick(1);
    auto ping = Json::parse(h.one<act::SendSocket>().text);
    EXPECT_EQ(ping["type"], "ping");
    EXPECT_EQ(ping["token"], kToken);
    h.feed(ev::SocketMessage{R"({"type":"pong"})"});
    h.tick(5000);
    EXPECT_EQ(h.all<act::SendSocket>().size(), 1u);   // answered: keep going
    h.tick(5000);
    EXPECT_EQ(h.all<act::SendSocket>().size(), 1u);   // one missed
    h.tick(5000);                                      // two missed: dead
    EXPECT_EQ(h.all<act::CloseSocket>().size(), 1u);
    EXPECT_EQ(h.s.connection(), Conn::Backoff);
}

TEST(Session, ConnectTimeoutAfterTenSeconds) {
    Harness h;
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    h.tick(9999);
    EXPECT_TRUE(h.all<act::CloseSocket>().empty());
    h.tick(1);
    EXPECT_EQ(h.all<act::CloseSocket>().size(), 1u);
    EXPECT_EQ(h.s.connection(), Conn::Backoff);
}

TEST(Session, SendShowsPendingThenSent) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"  你好 world \n"});
    auto req = h.http_to("/api/chat/socket/sendmessage");
    Json b = Json::parse(req.body);
    EXPECT_EQ(b["data"], "你好 world");
    EXPECT_EQ(b["sendto_id"], 3);
    EXPECT_EQ(b["chatType"], "group");
    const std::string cmid = b["client_msg_id"];
    EXPECT_EQ(cmid.size(), 36u);
    ASSERT_EQ(h.s.open_messages().size(), 1u);
    EXPECT_EQ(h.s.open_messages()[0].status, SendStatus::Pending);
    Json stored = Harness::chat_frame(50, 1, 10, "你好 world", cmid)["data"];
    h.reply(req, 200, Harness::ok(stored));
    ASSERT_EQ(h.s.open_messages().size(), 1u);
    EXPECT_EQ(h.s.open_messages()[0].status, SendStatus::Sent);
    EXPECT_EQ(h.s.open_messages()[0].id, 50);
}

TEST(Session, EmptySendIsIgnored) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{" \n\t"});
    EXPECT_TRUE(h.all<act::Http>().empty());
    EXPECT_TRUE(h.s.open_messages().empty());
}

TEST(Session, FailedSendIsMarkedFailed) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"x"});
    h.reply(h.http_to("sendmessage"), 400, Harness::fail("您不在群里，无法发消息"));
    EXPECT_EQ(h.s.open_messages()[0].status, SendStatus::Failed);
}

TEST(Session, LiveMessagesDedupAndGapTriggersFetch) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SocketMessage{Harness::chat_frame(1, 1, 20, "a").dump()});
    h.feed(ev::SocketMessage{Harness::chat_frame(1, 1, 20, "a").dump()});
    EXPECT_EQ(h.s.open_messages().size(), 1u);
    EXPECT_TRUE(h.all<act::Http>().empty());
    h.feed(ev::SocketMessage{Harness::chat_frame(4, 4, 20, "d").dump()});
    auto gap = h.http_to("/api/chat/history/group/3");
    EXPECT_NE(gap.url.find("after_seq=1"), std::string::npos);
    h.reply(gap, 200, Harness::ok(Json{{"list", {Harness::chat_frame(2, 2, 20, "b")["data"],
                                                 Harness::chat_frame(3, 3, 20, "c")["data"],
                                                 Harness::chat_frame(4, 4, 20, "d")["data"]}}}));
    std::vector<int64_t> seqs;
    for (auto& m : h.s.open_messages()) seqs.push_back(m.seq);
    EXPECT_EQ(seqs, (std::vector<int64_t>{1, 2, 3, 4}));
}

TEST(Session, MessageForAnotherConversationCountsUnread) {
    Harness h;
    h.bootstrap_to_chat();
    Json f = Harness::chat_frame(9, 1, 20, "elsewhere");
    f["data"]["to_id"] = 8;
    f["data"]["to_name"] = "other";
    h.feed(ev::SocketMessage{f.dump()});
    auto snap = h.s.snapshot();
    bool found = false;
    for (auto& c : snap["conversations"])
        if (c["id"] == 8) { found = true; EXPECT_EQ(c["unread"], 1); EXPECT_EQ(c["title"], "other"); }
    EXPECT_TRUE(found);
    EXPECT_EQ(h.s.open_messages().size(), 0u);
}

TEST(Session, SnapshotHasTheDocumentedShape) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"hi"});
    Json s = h.s.snapshot();
    EXPECT_EQ(s["user"]["id"], 10);
    EXPECT_EQ(s["user"]["role"], "visitor");
    EXPECT_EQ(s["connection"], "online");
    EXPECT_EQ(s["screen"], "chat");
    EXPECT_EQ(s["open"]["chatType"], "group");
    EXPECT_EQ(s["open"]["id"], 3);
    EXPECT_EQ(s["open"]["messages"][0]["status"], "pending");
    EXPECT_EQ(s["conversations"][0]["title"], "imchat 演示群");
}

TEST(Session, NoGroupInUrlShowsList) {
    Harness h;
    h.feed(ev::Start{"http://h:8080/", kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    EXPECT_EQ(h.s.screen(), Screen::List);
    auto req = h.http_to("/api/chat/grouplist/1");
    h.reply(req, 200, Harness::ok(Json::array({{{"id", 3}, {"name", "g"}}})));
    ASSERT_EQ(h.s.conversations().size(), 1u);
    h.feed(ev::OpenConversation{{"group", 3}});
    EXPECT_EQ(h.s.screen(), Screen::Chat);
    h.http_to("/api/chat/history/group/3");
}

TEST(Session, LiveMessageBeforeFirstHistoryStillLoadsTheLatestPage) {
    Harness h;
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    const act::Http info = h.http_to("/api/chat/groupinfo/3");
    h.feed(ev::SocketOpened{});
    h.reply(info, 200, Harness::ok(h.group_json(false)));
    const act::Http join = h.http_to("/api/chat/groupInviteUser");
    // Our own join notice arrives on the socket before the join answer.
    h.feed(ev::SocketMessage{Harness::chat_frame(3, 3, 0, "joined").dump()});
    h.reply(join, 200, Harness::ok(h.group_json(true)));
    auto hist = h.http_to("/api/chat/history/group/3");
    EXPECT_EQ(hist.url.find("after_seq"), std::string::npos) << "asks for the latest page, not after seq 3";
    h.reply(hist, 200, Harness::ok(Json{{"list", {Harness::chat_frame(1, 1, 0, "welcome")["data"],
                                                  Harness::chat_frame(2, 2, 7, "hi")["data"],
                                                  Harness::chat_frame(3, 3, 0, "joined")["data"]}}}));
    EXPECT_EQ(h.s.open_messages().size(), 3u);
}

// ---- delivery across reloads, timeouts and reconnects ----------------------------

namespace {
std::string persisted(const std::vector<Action>& acts, const std::string& key) {
    std::string v = "<none>";
    for (auto& a : acts)
        if (auto* p = std::get_if<act::Persist>(&a); p && p->key == key) v = p->value;
    return v;
}
}  // namespace

TEST(Session, PendingSendSurvivesReloadAndIsResentOnConnect) {
    std::string outbox, cmid;
    {
        Harness h;
        h.bootstrap_to_chat();
        h.feed(ev::SendText{"offline words"});
        outbox = persisted(h.last, kKeyOutbox);
        ASSERT_NE(outbox, "<none>");
        cmid = Json::parse(h.http_to("sendmessage").body)["client_msg_id"];
        // The page dies before any answer.
    }
    Harness h;
    ev::Start st{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now};
    st.outbox_json = outbox;
    h.feed(st);
    const act::Http info = h.http_to("/api/chat/groupinfo/3");
    h.reply(info, 200, Harness::ok(h.group_json(true)));
    h.reply(h.http_to("/api/chat/history/group/3"), 200, Harness::ok(Json{{"list", Json::array()}}));
    ASSERT_EQ(h.s.open_messages().size(), 1u);
    EXPECT_EQ(h.s.open_messages()[0].status, SendStatus::Pending);
    h.feed(ev::SocketOpened{});
    auto resend = h.http_to("sendmessage");
    EXPECT_EQ(Json::parse(resend.body)["client_msg_id"], cmid) << "same idempotency key";
    h.reply(resend, 200, Harness::ok(Harness::chat_frame(70, 5, 10, "offline words", cmid)["data"]));
    EXPECT_EQ(h.s.open_messages()[0].status, SendStatus::Sent);
    EXPECT_EQ(persisted(h.last, kKeyOutbox), "") << "outbox emptied once acknowledged";
}

TEST(Session, SendTimeoutShowsFailedAndLateAckStillConfirms) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"slow"});
    const act::Http req = h.http_to("sendmessage");
    const std::string cmid = Json::parse(req.body)["client_msg_id"];
    h.tick(9999);
    EXPECT_EQ(h.s.open_messages()[0].status, SendStatus::Pending);
    h.tick(1);
    EXPECT_EQ(h.s.open_messages()[0].status, SendStatus::Failed);
    h.reply(req, 200, Harness::ok(Harness::chat_frame(71, 1, 10, "slow", cmid)["data"]));
    EXPECT_EQ(h.s.open_messages()[0].status, SendStatus::Sent);
}

TEST(Session, RetrySendResendsAFailedMessageOnce) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"x"});
    const act::Http req = h.http_to("sendmessage");
    const std::string cmid = Json::parse(req.body)["client_msg_id"];
    h.reply(req, 0, Json());   // network error
    EXPECT_EQ(h.s.open_messages()[0].status, SendStatus::Failed);
    h.feed(ev::RetrySend{cmid});
    auto again = h.http_to("sendmessage");
    EXPECT_EQ(Json::parse(again.body)["client_msg_id"], cmid);
    EXPECT_EQ(h.s.open_messages()[0].status, SendStatus::Pending);
    h.feed(ev::RetrySend{cmid});
    EXPECT_TRUE(h.all<act::Http>().empty()) << "not twice while one is in flight";
}

TEST(Session, ReconnectSyncsConversationListAndResendsUnsent) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"during outage"});
    h.reply(h.http_to("sendmessage"), 0, Json());
    h.feed(ev::SocketClosed{1006, ""});
    h.tick(1000);
    h.feed(ev::SocketOpened{});
    h.http_to("sendmessage");
    h.http_to("/api/chat/grouplist/1");
    h.http_to("/api/chat/history/group/3");
}

TEST(Session, UserKickedWith4001BecomesGuestAndNeverReusesTheToken) {
    Harness h;
    Json user = h.user_json();
    user["role"] = "user";
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, user.dump(), h.now});
    h.feed(ev::SocketOpened{});
    h.feed(ev::SocketClosed{kCloseLoggedInElsewhere, "logged in elsewhere"});
    EXPECT_NE(h.s.modal().find("账号异地登录"), std::string::npos);
    EXPECT_EQ(persisted(h.last, kKeyUser), "") << "logged out";
    auto reg = h.http_to("/api/visitorRegister");
    EXPECT_TRUE(h.all<act::OpenSocket>().empty()) << "the old token is never reconnected";
    Json guest = h.user_json(11);
    guest["token"] = std::string(64, 'c');
    h.reply(reg, 200, Harness::ok(guest));
    auto open = h.one<act::OpenSocket>();
    EXPECT_NE(open.url.find(std::string(64, 'c')), std::string::npos);
    EXPECT_EQ(h.s.snapshot()["user"]["role"], "visitor");
}

TEST(Session, KickedGuestContinuesOnlyWhenTheUserSaysSo) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SocketClosed{kCloseLoggedInElsewhere, ""});
    EXPECT_EQ(h.s.snapshot()["connection"], "kicked");
    EXPECT_FALSE(h.s.modal().empty());
    h.tick(60000);
    EXPECT_TRUE(h.all<act::Http>().empty());
    h.feed(ev::DismissModal{});
    h.http_to("/api/visitorRegister");
    EXPECT_TRUE(h.s.modal().empty());
}

TEST(Session, DisabledAccountStopsPolicyCloseBacksOff) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SocketClosed{kCloseDisabled, "disabled"});
    EXPECT_EQ(h.s.connection(), Conn::Offline);
    h.tick(60000);
    EXPECT_TRUE(h.all<act::OpenSocket>().empty());

    Harness p;
    p.bootstrap_to_chat();
    p.feed(ev::SocketClosed{kClosePolicy, "rate limit"});
    EXPECT_EQ(p.s.connection(), Conn::Backoff);
}

TEST(Session, BackoffResetsOnlyAfterAStableConnection) {
    Harness h;
    h.rnd = 0.999999;   // always the ceiling
    h.bootstrap_to_chat();
    std::vector<int64_t> waits;
    for (int i = 0; i < 4; ++i) {
        h.feed(ev::SocketClosed{1006, ""});
        waits.push_back(h.s.retry_at() - h.now);
        h.tick(waits.back());
        h.feed(ev::SocketOpened{});
        h.tick(1000);   // online, but only briefly
    }
    EXPECT_EQ(waits, (std::vector<int64_t>{500, 1000, 2000, 4000})) << "flapping keeps growing";
    h.tick(10000);     // now stable
    h.feed(ev::SocketClosed{1006, ""});
    EXPECT_EQ(h.s.retry_at() - h.now, 500);
}

TEST(Session, CacheShowsTheConversationBeforeTheSocketIsUp) {
    std::string cache;
    {
        Harness h;
        h.bootstrap_to_chat();
        h.feed(ev::SocketMessage{Harness::chat_frame(1, 1, 20, "cached hello").dump()});
        h.tick(1000);
        cache = persisted(h.last, kKeyCache);
        ASSERT_NE(cache, "<none>");
    }
    Harness h;
    ev::Start st{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now};
    st.cache_json = cache;
    h.feed(st);
    EXPECT_EQ(h.s.screen(), Screen::Chat);
    ASSERT_EQ(h.s.open_messages().size(), 1u);
    EXPECT_EQ(h.s.open_messages()[0].data, "cached hello");
    EXPECT_EQ(h.s.connection(), Conn::Connecting);
    // Once confirmed, only what came after the cache is fetched.
    h.reply(h.http_to("/api/chat/groupinfo/3"), 200, Harness::ok(h.group_json(true)));
    EXPECT_NE(h.http_to("/api/chat/history/group/3").url.find("after_seq=1"), std::string::npos);
}

TEST(Session, CacheOfAnotherUserIsIgnored) {
    Harness h;
    ev::Start st{kHref, kOrigin, "zh-CN", kDevice, h.user_json(99).dump(), h.now};
    st.cache_json = Json{{"user", 10}, {"conversations", Json::array({{{"chatType", "group"}, {"id", 3},
        {"messages", Json::array({Harness::chat_frame(1, 1, 20, "not yours")["data"]})}}})}}.dump();
    h.feed(st);
    EXPECT_TRUE(h.s.open_messages().empty());
    EXPECT_EQ(h.s.screen(), Screen::Loading);
}

TEST(Session, LoadEarlierPagesBackwardsUntilTheStart) {
    Harness h;
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    h.reply(h.http_to("/api/chat/groupinfo/3"), 200, Harness::ok(h.group_json(true)));
    Json page = Json::array();
    for (int i = 51; i <= 100; ++i) page.push_back(Harness::chat_frame(i, i, 20, "m")["data"]);
    h.reply(h.http_to("/api/chat/history/group/3"), 200, Harness::ok(Json{{"list", page}}));
    EXPECT_TRUE(h.s.can_load_earlier());
    h.feed(ev::LoadEarlier{});
    auto req = h.http_to("before_seq=51");
    EXPECT_TRUE(h.s.loading_earlier());
    h.feed(ev::LoadEarlier{});
    EXPECT_TRUE(h.all<act::Http>().empty()) << "one page at a time";
    Json older = Json::array();
    for (int i = 1; i <= 50; ++i) older.push_back(Harness::chat_frame(i, i, 20, "m")["data"]);
    h.reply(req, 200, Harness::ok(Json{{"list", older}}));
    EXPECT_EQ(h.s.open_messages().size(), 100u);
    EXPECT_EQ(h.s.open_messages().front().seq, 1);
    EXPECT_FALSE(h.s.can_load_earlier());
}

// ---- accounts --------------------------------------------------------------------

TEST(Session, SignUpThenSignInSwitchesIdentityAndRejoins) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"as a guest"});
    h.feed(ev::ShowLogin{});
    EXPECT_EQ(h.s.screen(), Screen::Login);
    h.feed(ev::SignIn{"alice", "secret1", true});
    auto reg = h.http_to("/api/visitorregChat");   // a guest registers in place
    EXPECT_EQ(Json::parse(reg.body)["repassword"], "secret1");
    EXPECT_EQ(reg.token, kToken) << "as the guest";
    Json user{{"id", 30}, {"username", "alice"}, {"role", "user"}, {"token", std::string(64, 'd')}};
    h.reply(reg, 200, Harness::ok(user));
    EXPECT_EQ(h.all<act::CloseSocket>().size(), 1u) << "the guest's socket goes";
    EXPECT_NE(h.one<act::OpenSocket>().url.find(std::string(64, 'd')), std::string::npos);
    EXPECT_EQ(h.s.user().id, 30);
    EXPECT_EQ(h.http_to("/api/chat/groupinfo/3").token, std::string(64, 'd')) << "the join continues as the user";
    EXPECT_TRUE(h.s.open_messages().empty()) << "the guest's messages are not shown as the user's";
}

TEST(Session, WrongPasswordStaysOnLoginWithTheReason) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::ShowLogin{});
    h.feed(ev::SignIn{"alice", "nope", false});
    h.reply(h.http_to("/api/visitorloginChat"), 400, Harness::fail("用户名或密码错误"));
    EXPECT_EQ(h.s.screen(), Screen::Login);
    EXPECT_EQ(h.s.notice(), "用户名或密码错误");
    EXPECT_EQ(h.s.user().id, 10) << "still the guest";
}

TEST(Session, LogoutBecomesTheDevicesGuest) {
    Harness h;
    Json user = h.user_json(30);
    user["role"] = "user";
    h.feed(ev::Start{"http://h:8080/", kOrigin, "zh-CN", kDevice, user.dump(), h.now});
    h.feed(ev::SocketOpened{});
    h.feed(ev::Logout{});
    h.http_to("/api/chat/logout");
    auto reg = h.http_to("/api/visitorRegister");
    EXPECT_EQ(Json::parse(reg.body)["deviceId"], kDevice);
    EXPECT_EQ(h.all<act::CloseSocket>().size(), 1u);
}

TEST(Session, BrowserOfflineIsReportedAndOnlineRetriesAtOnce) {
    Harness h;
    h.bootstrap_to_chat();
    h.rnd = 0.999999;
    h.feed(ev::NetworkOffline{});
    EXPECT_EQ(h.s.connection(), Conn::Online) << "a socket that still works is believed";
    h.feed(ev::SocketClosed{1006, ""});
    EXPECT_EQ(h.s.connection(), Conn::Offline);
    EXPECT_EQ(h.s.snapshot()["connection"], "offline");
    h.feed(ev::NetworkOnline{});
    EXPECT_EQ(h.all<act::OpenSocket>().size(), 1u);
    EXPECT_EQ(h.s.connection(), Conn::Connecting);
}

TEST(Session, LoggedInUserSignsUpThroughRegChatThenLogin) {
    Harness h;
    Json user = h.user_json(30);
    user["role"] = "user";
    h.feed(ev::Start{"http://h:8080/", kOrigin, "zh-CN", kDevice, user.dump(), h.now});
    h.feed(ev::SignIn{"bobby1", "secret1", true});
    h.reply(h.http_to("/api/regChat"), 200, Harness::ok(Json{{"id", 31}, {"username", "bobby1"}, {"role", "user"}}));
    h.reply(h.http_to("/api/loginChat"), 200,
            Harness::ok(Json{{"id", 31}, {"username", "bobby1"}, {"role", "user"}, {"token", std::string(64, 'e')}}));
    EXPECT_EQ(h.s.user().id, 31);
}

// ---- groups ---------------------------------------------------------------------------

namespace {
Json card(int policy, int my_status = -1) {
    Json g{{"id", 3}, {"name", "审核群"}, {"invite_confirm", policy}, {"member_count", 4}, {"user_id", 99}};
    if (my_status != -1) g["my_status"] = my_status;
    return g;
}
}  // namespace

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

TEST(Session, RecallOwnMessageAndShowOthersRecalls) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SocketMessage{Harness::chat_frame(5, 1, 10, "mine").dump()});
    h.s.handle(ev::Tick{h.now});
    h.feed(ev::Recall{5});
    auto req = h.http_to("/api/chat/revokeMessage");
    EXPECT_EQ(Json::parse(req.body)["id"], 5);
    Json removed = Harness::chat_frame(5, 1, 10, "")["data"];
    removed["isremove"] = 1;
    removed["actionType"] = "revoke";
    h.reply(req, 200, Harness::ok(removed));
    EXPECT_EQ(h.s.open_messages()[0].isremove, 1);
    EXPECT_EQ(h.s.open_messages()[0].data, "");
    // Someone else's message cannot be recalled by us (not the owner), and their recall reaches us.
    h.feed(ev::SocketMessage{Harness::chat_frame(6, 2, 20, "theirs").dump()});
    h.feed(ev::Recall{6});
    EXPECT_TRUE(h.all<act::Http>().empty());
    Json f = Harness::chat_frame(6, 2, 20, "");
    f["data"]["isremove"] = 1;
    f["data"]["actionType"] = "revoke";
    h.feed(ev::SocketMessage{f.dump()});
    EXPECT_EQ(h.s.open_messages()[1].isremove, 1);
    EXPECT_EQ(h.s.open_messages().size(), 2u);
}

TEST(Session, OwnLoginClosingTheGuestSocketIsNotAKick) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::ShowLogin{});
    h.feed(ev::SignIn{"alice01", "secret1", false});
    const act::Http login = h.http_to("/api/visitorloginChat");
    h.feed(ev::SocketClosed{kCloseLoggedInElsewhere, ""});   // raced ahead of the answer
    EXPECT_TRUE(h.s.modal().empty());
    Json user{{"id", 30}, {"username", "alice01"}, {"role", "user"}, {"token", std::string(64, 'd')}};
    h.reply(login, 200, Harness::ok(user));
    EXPECT_EQ(h.all<act::OpenSocket>().size(), 1u);
    EXPECT_EQ(h.s.user().role, "user");
}

TEST(Session, PersonalQrAddsAContactAndOpensTheChat) {
    Harness h;
    h.feed(ev::Start{"http://h:8080/?user=00aa11bb22cc33dd", kOrigin, "en", kDevice, h.user_json().dump(), h.now});
    auto info = h.http_to("/api/chat/contactInfo/00aa11bb22cc33dd");
    h.reply(info, 200, Harness::ok(Json{{"id", 40}, {"name", "alice01"}, {"is_contact", false}, {"is_self", false}}));
    EXPECT_EQ(h.s.screen(), Screen::Join);
    EXPECT_TRUE(h.s.join_card().contact);
    h.feed(ev::RequestJoin{""});
    auto add = h.http_to("/api/chat/addContact");
    EXPECT_EQ(Json::parse(add.body)["code"], "00aa11bb22cc33dd");
    h.reply(add, 200, Harness::ok(Json{{"id", 40}, {"name", "alice01"}}));
    EXPECT_EQ(h.s.screen(), Screen::Chat);
    EXPECT_EQ(h.s.open_conversation()->key, (ConversationKey{"single", 40}));
    EXPECT_EQ(h.s.open_conversation()->title, "alice01");
    h.http_to("/api/chat/history/single/40");
}

TEST(Session, HeartbeatsAndQuietTicksChangeNothingVisible) {
    Harness h;
    h.bootstrap_to_chat();
    h.tick(5000);
    EXPECT_FALSE(h.s.changed()) << "sending a ping";
    h.feed(ev::SocketMessage{R"({"type":"pong"})"});
    EXPECT_FALSE(h.s.changed());
    h.feed(ev::SocketMessage{Harness::chat_frame(1, 1, 20, "a").dump()});
    EXPECT_TRUE(h.s.changed());
    h.feed(ev::SocketClosed{1006, ""});
    EXPECT_TRUE(h.s.changed());
}

TEST(Session, ImageMessagesCarryTheUploadUrl) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"/uploads/0123456789abcdef0123456789abcdef.png", "image"});
    Json b = Json::parse(h.http_to("sendmessage").body);
    EXPECT_EQ(b["type"], "image");
    EXPECT_EQ(b["data"], "/uploads/0123456789abcdef0123456789abcdef.png");
    h.feed(ev::SendText{"x", "video"});
    EXPECT_TRUE(h.all<act::Http>().empty()) << "unknown types are not sent";
}
