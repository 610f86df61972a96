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

// ---- Join requests stored, invites (issue 9) ----

TEST_F(Joins, ARequestIsStoredWithItsReasonForAnOwnerWhoWasAway) {
    Who owner = user("owner1");
    const int64_t gid = create_group(owner, 1);
    Who member = user("member1");
    EXPECT_EQ(join(member, gid).status, 200);
    ASSERT_EQ(post(owner, "/api/chat/groupAgreeOrNo", Json{{"group_id", gid}, {"user_id", member.id}, {"type", "agree"}}).status, 200);
    hub.detach(owner.id, *owner.sock);   // the owner goes away: the live event reaches no one
    const size_t frames = owner.sock->sent.size();
    Who g = guest();
    clock += 1000;
    const int64_t asked_at = clock;
    ASSERT_EQ(data(join(g, gid, "我是小王，朋友介绍来的"))["pending"], true);
    EXPECT_EQ(owner.sock->sent.size(), frames);
    clock += 60 * 60 * 1000;
    // Later, from another device (a new login: a new token).
    auto r = call("POST", "/api/loginChat", "", Json{{"username", "owner1"}, {"password", "secret1"}});
    const std::string phone = data(r)["token"];
    Json info = data(call("GET", "/api/chat/groupinfo/" + std::to_string(gid), phone));
    Json req;
    for (auto& m : info["group_users"]) if (m["user_id"] == g.id) req = m;
    ASSERT_FALSE(req.is_null()) << info.dump();
    EXPECT_EQ(req["status"], 2);
    EXPECT_EQ(req["reason"], "我是小王，朋友介绍来的");
    EXPECT_EQ(req["request_time"], asked_at);
    for (auto& m : info["group_users"]) if (m["status"] != 2) EXPECT_FALSE(m.contains("reason")) << m.dump();
    // Members other than the owner do not see requests.
    Json seen = data(call("GET", "/api/chat/groupinfo/" + std::to_string(gid), member.token));
    for (auto& m : seen["group_users"]) EXPECT_NE(m["user_id"], g.id);
    // Asking again replaces the reason and the time.
    clock += 1000;
    join(g, gid, "再问一次");
    info = data(call("GET", "/api/chat/groupinfo/" + std::to_string(gid), phone));
    for (auto& m : info["group_users"])
        if (m["user_id"] == g.id) { EXPECT_EQ(m["reason"], "再问一次"); EXPECT_EQ(m["request_time"], clock); }
    ASSERT_EQ(call("POST", "/api/chat/groupAgreeOrNo", phone, Json{{"group_id", gid}, {"user_id", g.id}, {"type", "agree"}}).status, 200);
    EXPECT_EQ(store->member(gid, g.id)->status, 1);
    EXPECT_TRUE(store->join_requests(gid).empty()) << "an answered request is gone";
}

TEST_F(Joins, ARequestReasonIsCountedInCharacters) {
    Who owner = user("owner1");
    const int64_t gid = create_group(owner, 1);
    Who g = guest();
    std::string zh;
    for (int i = 0; i < 500; ++i) zh += "字";   // 500 characters, 1500 bytes
    EXPECT_EQ(join(g, gid, zh).status, 200);
    ASSERT_EQ(store->join_requests(gid).size(), 1u);
    EXPECT_EQ(store->join_requests(gid)[0].reason, zh);
    EXPECT_EQ(join(g, gid, zh + "字").status, 400);
}

TEST_F(Joins, AMemberInvitesAContactOrACoMemberAndThePolicyApplies) {
    Who owner = user("owner1"), alice = user("alice01"), bob = user("bobby01"), carol = user("carol01");
    Who stranger = user("stranger1");
    const int64_t open = create_group(owner, 0), asks = create_group(owner, 1);
    join(alice, open);
    ASSERT_EQ(join(alice, asks).status, 200);
    post(owner, "/api/chat/groupAgreeOrNo", Json{{"group_id", asks}, {"user_id", alice.id}, {"type", "agree"}});
    join(bob, open);                           // bob shares `open` with alice
    store->add_contact(alice.id, carol.id, clock);   // carol is alice's contact
    auto invite = [&](const Who& by, int64_t gid, const Who& whom) {
        return post(by, "/api/chat/groupInviteUser", Json{{"group_id", gid}, {"inviteuser_id", whom.id}});
    };
    // Policy 1: a member's invite is a request the owner approves, with the inviter as its reason.
    auto r = invite(alice, asks, bob);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(data(r)["invitee_status"], 2);
    EXPECT_EQ(store->member(asks, bob.id)->status, 2);
    ASSERT_EQ(store->join_requests(asks).size(), 1u);
    EXPECT_EQ(store->join_requests(asks)[0].reason, "由 alice01 邀请");
    Json ev = last_frame(owner);
    EXPECT_EQ(ev["actionType"], "joinRequest");
    EXPECT_EQ(ev["from_id"], bob.id);
    // A contact too; refused for someone who is neither.
    EXPECT_EQ(data(invite(alice, asks, carol))["invitee_status"], 2);
    r = invite(alice, asks, stranger);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(data(r), "只能邀请联系人或共同群成员");
    EXPECT_FALSE(store->member(asks, stranger.id));
    // The owner's invite adds at once, and settles a waiting request.
    store->add_contact(owner.id, stranger.id, clock);
    const size_t notices = count(asks);
    EXPECT_EQ(data(invite(owner, asks, stranger))["invitee_status"], 1);
    EXPECT_EQ(store->member(asks, stranger.id)->status, 1);
    EXPECT_EQ(count(asks), notices + 1) << "a notice: X 邀请 Y 加入了群聊";
    EXPECT_EQ(data(invite(owner, asks, bob))["invitee_status"], 1);
    EXPECT_EQ(store->member(asks, bob.id)->status, 1);
    // Policy 0: a member's invite adds at once.
    store->add_contact(bob.id, carol.id, clock);
    EXPECT_EQ(data(invite(bob, open, carol))["invitee_status"], 1);
    EXPECT_EQ(store->member(open, carol.id)->status, 1);
    EXPECT_EQ(data(invite(bob, open, carol))["invitee_status"], 1) << "already in: nothing changes";
    // Only members invite, never themselves.
    Who outsider = user("outsider1");
    store->add_contact(outsider.id, alice.id, clock);
    EXPECT_EQ(invite(outsider, asks, alice).status, 403);
    EXPECT_EQ(invite(alice, asks, alice).status, 400);
}

TEST_F(Joins, AGuestInviteeCannotEnterALoginOnlyGroup) {
    Who owner = user("owner1");
    const int64_t gid = create_group(owner, 2), other = create_group(owner, 0);
    Who g = guest();
    join(g, other);
    auto r = post(owner, "/api/chat/groupInviteUser", Json{{"group_id", gid}, {"inviteuser_id", g.id}});
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(data(r), "该群需要登录后才能加入") << "not even by the owner";
    EXPECT_FALSE(store->member(gid, g.id));
}

TEST_F(Joins, InviteCandidatesAreContactsAndCoMembersNotYetInTheGroup) {
    Who owner = user("owner1"), alice = user("alice01"), bob = user("bobby01"), carol = user("carol01");
    const int64_t target = create_group(owner, 1), other = create_group(owner, 0);
    join(alice, other);
    join(bob, other);
    store->add_contact(owner.id, carol.id, clock);
    join(bob, target);   // bob asked: pending, so no candidate
    auto r = call("GET", "/api/chat/groupInviteCandidates/" + std::to_string(target), owner.token);
    ASSERT_EQ(r.status, 200) << r.body;
    std::vector<int64_t> ids;
    for (auto& u : data(r)) {
        ids.push_back(u["id"]);
        EXPECT_TRUE(u.contains("name") && u.contains("avatar"));
    }
    EXPECT_EQ(ids, (std::vector<int64_t>{alice.id, carol.id}));
    EXPECT_EQ(data(r)[0]["name"], "alice01");
    Who g = guest();
    EXPECT_EQ(call("GET", "/api/chat/groupInviteCandidates/" + std::to_string(target), g.token).status, 403)
        << "members only";
}
