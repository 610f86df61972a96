// Session: guest registration, sign up / in / out, losing the token (src/core/session_identity.cpp).
#include "session_harness.hpp"

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
    EXPECT_EQ(h.one<act::OpenSocket>().url, "ws://192.168.1.5:8080/ws?token=" + kToken + "&ack=1");
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
