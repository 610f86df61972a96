// The API as pure logic: real SQLite (in memory), in-process bus, fake sockets.
#include <gtest/gtest.h>

#include "server/api/api.hpp"
#include "server/hub.hpp"
#include "api_fixture.hpp"
#include "fake_connection.hpp"

using namespace imchat::server;
using imchat::protocol::Json;
using imchat::server::testing::FakeConnection;

namespace {

class ApiTest : public imchat::server::testing::ApiFixture {
protected:
    struct Guest { int64_t id; std::string token; };
    Guest guest(int n) {
        char dev[40];
        std::snprintf(dev, sizeof dev, "%08d-0000-4000-8000-000000000000", n);
        auto r = call("POST", "/api/visitorRegister", "", Json{{"deviceId", dev}, {"timestamp", clock}});
        EXPECT_EQ(r.status, 200) << r.body;
        Json d = data(r);
        return {d["id"].get<int64_t>(), d["token"].get<std::string>()};
    }
    std::shared_ptr<FakeConnection> connect(const Guest& g) {
        static uint64_t next = 100;
        auto c = std::make_shared<FakeConnection>(next++);
        hub.attach(g.id, c);
        return c;
    }
    Json send(const Guest& g, int64_t gid, const std::string& text, const std::string& cmid = "",
              int* status = nullptr) {
        auto r = call("POST", "/api/chat/socket/sendmessage", g.token,
                      Json{{"sendto_id", gid}, {"chatType", "group"}, {"type", "text"}, {"data", text},
                           {"options", ""}, {"client_msg_id", cmid}});
        if (status) *status = r.status;
        return Json::parse(r.body);
    }
    int64_t message_count(int64_t gid) { return store->messages_after(conv_key("group", gid), 0, 1000).size(); }
};

}  // namespace

TEST_F(ApiTest, NonApiPathsAreNotHandled) {
    Request r; r.method = "GET"; r.path = "/index.html";
    EXPECT_FALSE(api.handle(r));
}

TEST_F(ApiTest, VisitorRegisterReturnsUserWithRandomTokenStoredHashed) {
    Guest a = guest(1);
    EXPECT_EQ(a.token.size(), 64u);
    EXPECT_FALSE(store->user_by_token_hash(a.token)) << "the raw token is never stored";
    EXPECT_TRUE(api.authenticate(a.token));
    Guest again = guest(1);
    EXPECT_EQ(again.id, a.id) << "same device, same guest";
    EXPECT_NE(again.token, a.token);
    EXPECT_FALSE(api.authenticate(a.token)) << "one session per account: the older token is dead";
}

TEST_F(ApiTest, VisitorRegisterRejectsBadInput) {
    auto r = call("POST", "/api/visitorRegister", "", Json{{"deviceId", "short"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(data(r), "设备id不合法");
    Request raw; raw.method = "POST"; raw.path = "/api/visitorRegister"; raw.body = "{not json";
    EXPECT_EQ(api.handle(raw)->status, 400);
}

TEST_F(ApiTest, VisitorRegisterIsRateLimitedPerDevice) {
    for (int i = 0; i < 10; ++i) guest(7);
    auto r = call("POST", "/api/visitorRegister", "", Json{{"deviceId", "00000007-0000-4000-8000-000000000000"}});
    EXPECT_EQ(r.status, 429);
    clock += 3600 * 1000;
    guest(7);   // a new window
}

TEST_F(ApiTest, MissingOrBadTokenGetsReferenceText) {
    auto r = call("GET", "/api/chat/grouplist/1", "");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(data(r), "Token 令牌不合法！");
    EXPECT_EQ(data(call("GET", "/api/chat/grouplist/1", std::string(64, 'f'))), "Token 令牌不合法！");
}

TEST_F(ApiTest, UnknownRouteIs404Json) {
    Guest a = guest(1);
    auto r = call("GET", "/api/chat/nope", a.token);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(Json::parse(r.body)["msg"], "fail");
}

TEST_F(ApiTest, QrJoinFlowForAnOpenGroup) {
    GroupRow g = api.ensure_demo_group();
    EXPECT_EQ(api.ensure_demo_group().id, g.id) << "created once";
    EXPECT_EQ(api.join_url(g.id), "http://192.168.1.5:8080/?group=" + std::to_string(g.id));
    Guest a = guest(1);
    // Before joining: the public card only, no member list.
    Json card = data(call("GET", "/api/chat/groupinfo/" + std::to_string(g.id), a.token));
    EXPECT_EQ(card["name"], "imchat 演示群");
    EXPECT_FALSE(card.contains("group_users"));
    EXPECT_EQ(card["invite_confirm"], 0);
    auto j = call("POST", "/api/chat/groupInviteUser", a.token,
                  Json{{"group_id", g.id}, {"user_id", a.id}, {"inviteuser_id", -1}});
    EXPECT_EQ(j.status, 200) << j.body;
    Json full = data(call("GET", "/api/chat/groupinfo/" + std::to_string(g.id), a.token));
    ASSERT_TRUE(full.contains("group_users"));
    EXPECT_EQ(full["group_users"].size(), 2u);
    // Joining twice is fine and adds no second notice.
    const int64_t before = message_count(g.id);
    call("POST", "/api/chat/groupInviteUser", a.token, Json{{"group_id", g.id}, {"inviteuser_id", -1}});
    EXPECT_EQ(message_count(g.id), before);
    Json list = data(call("GET", "/api/chat/grouplist/1", a.token));
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["id"], g.id);
}

TEST_F(ApiTest, UnknownGroupIsAClearError) {
    Guest a = guest(1);
    auto r = call("GET", "/api/chat/groupinfo/999", a.token);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(data(r), "群不存在或者已解散");
    EXPECT_EQ(call("GET", "/api/chat/groupinfo/abc", a.token).status, 400);
}

TEST_F(ApiTest, SendFansOutToOtherMembersAfterCommitAndIsIdempotent) {
    GroupRow g = api.ensure_demo_group();
    Guest a = guest(1), b = guest(2);
    for (auto* x : {&a, &b})
        call("POST", "/api/chat/groupInviteUser", x->token, Json{{"group_id", g.id}, {"inviteuser_id", -1}});
    auto ca = connect(a), cb = connect(b);
    Json r = send(a, g.id, "你好", "cm-1");
    ASSERT_EQ(r["msg"], "ok") << r.dump();
    const int64_t id = r["data"]["id"];
    EXPECT_GT(r["data"]["seq"].get<int64_t>(), 0);
    ASSERT_EQ(cb->sent.size(), 1u);
    Json frame = Json::parse(cb->sent[0]);
    EXPECT_EQ(frame["type"], "singleChat");
    EXPECT_EQ(frame["data"]["id"], id);
    EXPECT_EQ(frame["data"]["data"], "你好");
    EXPECT_TRUE(ca->sent.empty()) << "the sender gets its copy in the HTTP answer";
    // A retry with the same client_msg_id: same message, no second fan-out.
    Json again = send(a, g.id, "你好", "cm-1");
    EXPECT_EQ(again["data"]["id"], id);
    EXPECT_EQ(cb->sent.size(), 1u);
}

TEST_F(ApiTest, NonMemberCannotSendOrReadAndNothingIsStored) {
    GroupRow g = api.ensure_demo_group();
    Guest outsider = guest(3);
    const int64_t before = message_count(g.id);
    int status = 0;
    Json r = send(outsider, g.id, "spam", "", &status);
    EXPECT_EQ(status, 400);
    EXPECT_EQ(r["data"], "您不在群里，无法发消息");
    EXPECT_EQ(message_count(g.id), before);
    EXPECT_EQ(call("GET", "/api/chat/history/group/" + std::to_string(g.id), outsider.token).status, 403);
}

TEST_F(ApiTest, SendValidatesInput) {
    GroupRow g = api.ensure_demo_group();
    Guest a = guest(1);
    call("POST", "/api/chat/groupInviteUser", a.token, Json{{"group_id", g.id}, {"inviteuser_id", -1}});
    int status = 0;
    EXPECT_EQ(send(a, g.id, "", "", &status)["data"], "消息内容不能为空");
    EXPECT_EQ(send(a, g.id, std::string(9000, 'x'), "", &status)["data"], "消息内容太长");
    EXPECT_EQ(send(a, 12345, "x", "", &status)["data"], "群不存在或者已解散或者被封禁，无法发消息");
    EXPECT_EQ(status, 400);
    auto bad = call("POST", "/api/chat/socket/sendmessage", a.token, nullptr);
    Request raw; raw.method = "POST"; raw.path = "/api/chat/socket/sendmessage"; raw.token = a.token;
    raw.body = "[broken";
    EXPECT_EQ(api.handle(raw)->status, 400);
    (void)bad;
}

TEST_F(ApiTest, HistoryPagesBySeq) {
    GroupRow g = api.ensure_demo_group();   // seq 1: welcome notice
    Guest a = guest(1);
    call("POST", "/api/chat/groupInviteUser", a.token, Json{{"group_id", g.id}, {"inviteuser_id", -1}});   // seq 2
    for (int i = 0; i < 5; ++i) send(a, g.id, "m" + std::to_string(i));   // seq 3..7
    const std::string base = "/api/chat/history/group/" + std::to_string(g.id);
    Json latest = data(call("GET", base + "?limit=2", a.token))["list"];
    ASSERT_EQ(latest.size(), 2u);
    EXPECT_EQ(latest[0]["seq"], 6);
    EXPECT_EQ(latest[1]["data"], "m4");
    Json after = data(call("GET", base + "?after_seq=5&limit=50", a.token))["list"];
    ASSERT_EQ(after.size(), 2u);
    EXPECT_EQ(after[0]["seq"], 6);
}

TEST_F(ApiTest, SocketFrames) {
    Guest a = guest(1);
    auto u = api.authenticate(a.token);
    ASSERT_TRUE(u);
    EXPECT_EQ(Json::parse(*api.socket_text(*u, R"({"type":"ping","token":"x","timestamp":1})"))["type"], "pong");
    Json err = Json::parse(*api.socket_text(*u, "{oops"));
    EXPECT_EQ(err["type"], "error");
    EXPECT_EQ(Json::parse(api.welcome_frame())["type"], "system");
}

TEST_F(ApiTest, OfflineMessagesDeleteNothingUntilAcknowledged) {
    GroupRow g = api.ensure_demo_group();
    Guest a = guest(1), b = guest(2);
    for (auto* x : {&a, &b})
        call("POST", "/api/chat/groupInviteUser", x->token, Json{{"group_id", g.id}, {"inviteuser_id", -1}});
    send(a, g.id, "while b was away");
    auto first = data(call("POST", "/api/chat/chatGetmessageOffLine", b.token, Json::object()));
    ASSERT_GE(first.size(), 2u);
    EXPECT_EQ(first.back()["data"], "while b was away");
    auto cb = connect(b);
    auto second = data(call("POST", "/api/chat/chatGetmessageOffLine", b.token, Json::object()));
    EXPECT_EQ(second, first) << "a drop during delivery loses nothing: the same messages come again";
    EXPECT_EQ(cb->sent.size(), second.size()) << "and are pushed over the socket too";
    const int64_t last = second.back()["seq"];
    auto after_ack = data(call("POST", "/api/chat/chatGetmessageOffLine", b.token,
                               Json{{"ack", {{{"chatType", "group"}, {"id", g.id}, {"seq", last}}}}}));
    EXPECT_TRUE(after_ack.empty());
    // An ack for a group the user is not in moves nothing.
    Guest c = guest(3);
    call("POST", "/api/chat/chatGetmessageOffLine", c.token,
         Json{{"ack", {{{"chatType", "group"}, {"id", g.id}, {"seq", 999}}}}});
    EXPECT_EQ(store->ack_cursor(c.id, conv_key("group", g.id)), 0);
}

TEST_F(ApiTest, GroupListCarriesLastSeqAndHistoryPagesBackwards) {
    GroupRow g = api.ensure_demo_group();
    Guest a = guest(1);
    call("POST", "/api/chat/groupInviteUser", a.token, Json{{"group_id", g.id}, {"inviteuser_id", -1}});
    for (int i = 0; i < 3; ++i) send(a, g.id, "m" + std::to_string(i));
    Json list = data(call("GET", "/api/chat/grouplist/1", a.token));
    EXPECT_EQ(list[0]["last_seq"], 5);
    Json before = data(call("GET", "/api/chat/history/group/" + std::to_string(g.id) + "?before_seq=3&limit=50",
                            a.token))["list"];
    ASSERT_EQ(before.size(), 2u);
    EXPECT_EQ(before[0]["seq"], 1);
}

TEST_F(ApiTest, RegisterLoginLogoutWithArgon2id) {
    auto bad = call("POST", "/api/regChat", "", Json{{"username", "abc"}, {"password", "123456"}, {"repassword", "123456"}});
    EXPECT_EQ(data(bad), "用户名长度为4到20个字符");
    EXPECT_EQ(data(call("POST", "/api/regChat", "", Json{{"username", "alice"}, {"password", "123"}})), "密码长度为6到20个字符");
    EXPECT_EQ(data(call("POST", "/api/regChat", "",
                        Json{{"username", "alice"}, {"password", "secret1"}, {"repassword", "secret2"}})),
              "两次输入的密码不一致");
    auto reg = call("POST", "/api/regChat", "", Json{{"username", "alice"}, {"password", "secret1"}, {"repassword", "secret1"}});
    ASSERT_EQ(reg.status, 200) << reg.body;
    EXPECT_EQ(data(reg)["role"], "user");
    EXPECT_FALSE(data(reg).contains("password"));
    EXPECT_EQ(store->credentials("alice")->second.rfind("$argon2id$", 0), 0u) << "stored as an argon2id string";
    EXPECT_EQ(data(call("POST", "/api/regChat", "", Json{{"username", "alice"}, {"password", "secret1"}})), "用户名已存在");

    EXPECT_EQ(data(call("POST", "/api/loginChat", "", Json{{"username", "alice"}, {"password", "wrong!!"}})), "用户名或密码错误");
    EXPECT_EQ(data(call("POST", "/api/loginChat", "", Json{{"username", "nobody"}, {"password", "secret1"}})), "用户名或密码错误");
    auto l1 = call("POST", "/api/loginChat", "", Json{{"username", "alice"}, {"password", "secret1"}});
    ASSERT_EQ(l1.status, 200);
    const std::string t1 = data(l1)["token"];
    auto sock = connect(Guest{data(l1)["id"].get<int64_t>(), t1});
    auto l2 = call("POST", "/api/loginChat", "", Json{{"username", "alice"}, {"password", "secret1"}});
    const std::string t2 = data(l2)["token"];
    EXPECT_FALSE(api.authenticate(t1)) << "a new login ends the older session";
    EXPECT_EQ(sock->closed_with, 4001) << "and closes its socket as 'logged in elsewhere'";
    EXPECT_EQ(call("POST", "/api/chat/logout", t2).status, 200);
    EXPECT_FALSE(api.authenticate(t2));
}

TEST_F(ApiTest, LoginIsRateLimited) {
    call("POST", "/api/regChat", "", Json{{"username", "bobby"}, {"password", "secret1"}});
    int last = 0;
    for (int i = 0; i < 11; ++i)
        last = call("POST", "/api/loginChat", "", Json{{"username", "bobby"}, {"password", "nope!!"}}).status;
    EXPECT_EQ(last, 429);
}
