// Accounts: guests by device, registration and login, upgrades, tokens, rate limits.
#include <gtest/gtest.h>

#include "api_fixture.hpp"

using namespace imchat::server;
using imchat::protocol::Json;
using Accounts = imchat::server::testing::ApiFixture;

TEST_F(Accounts, VisitorRegisterReturnsUserWithRandomTokenStoredHashed) {
    Who a = guest(1);
    EXPECT_EQ(a.token.size(), 64u);
    EXPECT_FALSE(store->user_by_token_hash(a.token)) << "the raw token is never stored";
    EXPECT_TRUE(api.authenticate(a.token));
    Who again = guest(1);
    EXPECT_EQ(again.id, a.id) << "same device, same guest";
    EXPECT_NE(again.token, a.token);
    EXPECT_FALSE(api.authenticate(a.token)) << "one session per account: the older token is dead";
}

TEST_F(Accounts, VisitorRegisterRejectsBadInput) {
    auto r = call("POST", "/api/visitorRegister", "", Json{{"deviceId", "short"}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(data(r), "设备id不合法");
    Request raw; raw.method = "POST"; raw.path = "/api/visitorRegister"; raw.body = "{not json";
    EXPECT_EQ(api.handle(raw)->status, 400);
}

TEST_F(Accounts, VisitorRegisterIsRateLimitedPerDevice) {
    for (int i = 0; i < 10; ++i) guest(7);
    auto r = call("POST", "/api/visitorRegister", "", Json{{"deviceId", "00000007-0000-4000-8000-000000000000"}});
    EXPECT_EQ(r.status, 429);
    clock += 3600 * 1000;
    guest(7);   // a new window
}

TEST_F(Accounts, RegisterLoginLogoutWithArgon2id) {
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
    auto sock = connect(Who{data(l1)["id"].get<int64_t>(), t1, nullptr});
    auto l2 = call("POST", "/api/loginChat", "", Json{{"username", "alice"}, {"password", "secret1"}});
    const std::string t2 = data(l2)["token"];
    EXPECT_FALSE(api.authenticate(t1)) << "a new login ends the older session";
    EXPECT_EQ(sock->closed_with, 4001) << "and closes its socket as 'logged in elsewhere'";
    EXPECT_EQ(call("POST", "/api/chat/logout", t2).status, 200);
    EXPECT_FALSE(api.authenticate(t2));
}

TEST_F(Accounts, LoginIsRateLimited) {
    call("POST", "/api/regChat", "", Json{{"username", "bobby"}, {"password", "secret1"}});
    int last = 0;
    for (int i = 0; i < 11; ++i)
        last = call("POST", "/api/loginChat", "", Json{{"username", "bobby"}, {"password", "nope!!"}}).status;
    EXPECT_EQ(last, 429);
}

TEST_F(Accounts, GuestUpgradeKeepsIdGroupsAndHistory) {
    Who owner = user("owner1");
    const int64_t gid = create_group(owner);
    Who g = guest();
    join(g, gid);
    send(g, gid, "as a guest");
    auto r = post(g, "/api/visitorregChat", Json{{"username", "upgraded"}, {"password", "secret1"}, {"repassword", "secret1"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(data(r)["id"], g.id);
    EXPECT_EQ(data(r)["role"], "user");
    const std::string token = data(r)["token"];
    EXPECT_EQ(g.sock->closed_with, 0) << "no 'logged in elsewhere' for upgrading oneself";
    EXPECT_FALSE(api.authenticate(g.token)) << "the guest token is replaced";
    auto hist = data(call("GET", "/api/chat/history/group/" + std::to_string(gid), token))["list"];
    bool mine = false;
    for (auto& m : hist) mine |= m["data"] == "as a guest" && m["from_id"] == g.id;
    EXPECT_TRUE(mine);
    EXPECT_EQ(call("POST", "/api/loginChat", "", Json{{"username", "upgraded"}, {"password", "secret1"}}).status, 200);
}

TEST_F(Accounts, GuestLoginMovesMembershipsIntoTheAccount) {
    Who owner = user("owner1"), account = user("member1");
    const int64_t gid = create_group(owner);
    Who g = guest();
    join(g, gid);
    auto r = post(g, "/api/visitorloginChat", Json{{"username", "member1"}, {"password", "secret1"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(data(r)["id"], account.id);
    EXPECT_TRUE(store->member(gid, account.id));
    EXPECT_FALSE(api.authenticate(g.token)) << "the guest session ends";
    EXPECT_EQ(post(g, "/api/visitorloginChat", Json{{"username", "member1"}, {"password", "bad"}}).status, 400);
}

// ---- Names in characters (issue 9) ----

TEST_F(Accounts, NamesAndPasswordsAreCountedInCharactersNotBytes) {
    auto reg = [&](const std::string& name, const std::string& pass) {
        return call("POST", "/api/regChat", "", Json{{"username", name}, {"password", pass}, {"repassword", pass}});
    };
    // 7 characters, 21 bytes: accepted (it was refused as over 20 bytes).
    auto r = reg("张三丰李四王五", "secret1");
    ASSERT_EQ(r.status, 200) << r.body;
    auto login = call("POST", "/api/loginChat", "", Json{{"username", "张三丰李四王五"}, {"password", "secret1"}});
    ASSERT_EQ(login.status, 200) << login.body;
    EXPECT_EQ(data(login)["username"], "张三丰李四王五");
    // 20 characters yes, 21 no; 3 characters (9 bytes) no.
    std::string twenty;
    for (int i = 0; i < 20; ++i) twenty += "名";
    EXPECT_EQ(reg(twenty, "secret1").status, 200);
    EXPECT_EQ(data(reg(twenty + "名", "secret1")), "用户名长度为4到20个字符");
    EXPECT_EQ(data(reg("张三丰", "secret1")), "用户名长度为4到20个字符");
    // Passwords likewise: 7 Chinese characters (21 bytes) yes, 5 (15 bytes) no.
    EXPECT_EQ(reg("密码用户", "一二三四五六七").status, 200);
    EXPECT_EQ(call("POST", "/api/loginChat", "", Json{{"username", "密码用户"}, {"password", "一二三四五六七"}}).status, 200);
    EXPECT_EQ(data(reg("密码用户二", "一二三四五")), "密码长度为6到20个字符");
    // A guest upgrading in place with a Chinese name.
    Who g = guest();
    EXPECT_EQ(post(g, "/api/visitorregChat", Json{{"username", "游客变用户"}, {"password", "secret1"}}).status, 200);
    // Nicknames (20) and group names (30) too.
    Who u{data(login)["id"].get<int64_t>(), data(login)["token"].get<std::string>(), nullptr};
    EXPECT_EQ(post(u, "/api/chat/updateUserinfo", Json{{"nickname", twenty}}).status, 200);
    EXPECT_EQ(post(u, "/api/chat/updateUserinfo", Json{{"nickname", twenty + "名"}}).status, 400);
    std::string thirty = twenty + "一二三四五六七八九十";
    EXPECT_EQ(post(u, "/api/chat/group/create", Json{{"name", thirty}}).status, 200);
    EXPECT_EQ(post(u, "/api/chat/group/create", Json{{"name", thirty + "名"}}).status, 400);
}
