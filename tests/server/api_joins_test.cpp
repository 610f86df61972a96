// Joining by QR code or link under the three join policies, and the owner's answer.
#include <gtest/gtest.h>

#include "api_fixture.hpp"

using namespace imchat::server;
using imchat::protocol::Json;
using Joins = imchat::server::testing::ApiFixture;

TEST_F(Joins, QrJoinFlowForAnOpenGroup) {
    GroupRow g = api.ensure_demo_group();
    EXPECT_EQ(api.ensure_demo_group().id, g.id) << "created once";
    EXPECT_EQ(api.join_url(g.id), "http://192.168.1.5:8080/?group=" + std::to_string(g.id));
    Who a = guest(1);
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
    const int64_t before = count(g.id);
    call("POST", "/api/chat/groupInviteUser", a.token, Json{{"group_id", g.id}, {"inviteuser_id", -1}});
    EXPECT_EQ(count(g.id), before);
    Json list = data(call("GET", "/api/chat/grouplist/1", a.token));
    ASSERT_EQ(list.size(), 1u);
    EXPECT_EQ(list[0]["id"], g.id);
}

TEST_F(Joins, Policy1JoinNeedsTheOwnersApproval) {
    Who owner = user("owner1");
    const int64_t gid = create_group(owner, 1);
    Who g = guest();
    EXPECT_EQ(join(g, gid, std::string(501, 'x')).status, 400) << "reason is at most 500 chars";
    auto r = join(g, gid, "我是小王");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(data(r)["pending"], true);
    EXPECT_EQ(store->member(gid, g.id)->status, 2);
    Json req = last_frame(owner);
    EXPECT_EQ(req["actionType"], "joinRequest");
    EXPECT_NE(req["data"].get<std::string>().find("我是小王"), std::string::npos);
    int status = 0;
    send(g, gid, "let me in", &status);
    EXPECT_EQ(status, 403) << "a pending member cannot send (not a member yet)";
    EXPECT_EQ(call("GET", "/api/chat/history/group/" + std::to_string(gid), g.token).status, 403);
    // The owner sees the request in the member list; others do not.
    Json info = data(call("GET", "/api/chat/groupinfo/" + std::to_string(gid), owner.token));
    bool listed = false;
    for (auto& m : info["group_users"]) listed |= m["user_id"] == g.id && m["status"] == 2;
    EXPECT_TRUE(listed);
    auto ok = post(owner, "/api/chat/groupAgreeOrNo", Json{{"group_id", gid}, {"user_id", g.id}, {"type", "agree"}});
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(store->member(gid, g.id)->status, 1);
    send(g, gid, "thanks", &status);
    EXPECT_EQ(status, 200);
}

TEST_F(Joins, Policy1RejectRemovesTheRequest) {
    Who owner = user("owner1");
    const int64_t gid = create_group(owner, 1);
    Who g = guest();
    join(g, gid);
    post(owner, "/api/chat/groupAgreeOrNo", Json{{"group_id", gid}, {"user_id", g.id}, {"type", "no"}});
    EXPECT_FALSE(store->member(gid, g.id));
    EXPECT_EQ(last_frame(g)["actionType"], "joinRejected");
    EXPECT_EQ(post(owner, "/api/chat/groupAgreeOrNo", Json{{"group_id", gid}, {"user_id", g.id}, {"type", "agree"}}).status, 400);
}

TEST_F(Joins, Policy2AsksGuestsToLogInAndUsersForApproval) {
    Who owner = user("owner1");
    const int64_t gid = create_group(owner, 2);
    Who g = guest();
    auto r = join(g, gid);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(data(r), "加入该群需要先登录或注册");
    EXPECT_FALSE(store->member(gid, g.id));
    Who u = user("joiner1");
    EXPECT_EQ(data(join(u, gid))["pending"], true) << "users are not let straight in (the reference's bug)";
}
