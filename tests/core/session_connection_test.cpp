// Session: socket lifecycle, heartbeat, backoff and close codes (src/core/session_connection.cpp).
#include "session_harness.hpp"

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

TEST(Session, NextDeadlineFollowsTheConnectionsTimers) {
    Harness h;
    EXPECT_EQ(h.s.next_deadline(), INT64_MAX) << "nothing scheduled before Start";
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    EXPECT_EQ(h.s.connection(), Conn::Connecting);
    EXPECT_EQ(h.s.next_deadline(), h.now + 10000) << "the connect timeout";
    h.feed(ev::SocketOpened{});
    EXPECT_EQ(h.s.next_deadline(), h.now + 5000) << "the first heartbeat";
    h.tick(5000);
    EXPECT_EQ(h.all<act::SendSocket>().size(), 1u);
    EXPECT_EQ(h.s.next_deadline(), h.now + 5000) << "the next heartbeat";
    h.feed(ev::SocketClosed{1006, ""});
    EXPECT_EQ(h.s.connection(), Conn::Backoff);
    EXPECT_EQ(h.s.next_deadline(), h.s.retry_at()) << "the reconnect";
    h.now = h.s.next_deadline();
    h.feed(ev::Tick{h.now});
    EXPECT_EQ(h.all<act::OpenSocket>().size(), 1u) << "a tick at the deadline does the work";
    EXPECT_GT(h.s.next_deadline(), h.now);
}

TEST(Session, NoDeadlineIsLeftInThePastAfterATick) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"hello"});
    for (int i = 0; i < 40; ++i) {
        h.tick(777);
        if (i % 3 == 0) h.feed(ev::SocketMessage{R"({"type":"pong"})"});
        EXPECT_GT(h.s.next_deadline(), h.now) << "after tick " << i;
    }
}

TEST(Session, DisabledAccountSchedulesNothing) {
    Harness h;
    h.bootstrap_to_chat();
    h.tick(1);   // the history answer dirtied the cache: written now
    h.feed(ev::SocketClosed{kCloseDisabled, "disabled"});
    EXPECT_EQ(h.s.connection(), Conn::Offline);
    EXPECT_EQ(h.s.next_deadline(), INT64_MAX) << "no heartbeat, no reconnect: the platform can sleep";
}
