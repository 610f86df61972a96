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

// ---- issue 11: fewer round trips (answers that carry what the next screen needs) ----

// The history route's latest page, as a client would fetch it, beside what answers carry.
class JoinsLatest : public Joins {
protected:
    Json history_page(const std::string& token, int64_t gid, int limit) {
        return data(call("GET", "/api/chat/history/group/" + std::to_string(gid) + "?limit=" + std::to_string(limit), token));
    }
};

TEST_F(JoinsLatest, JoinAnswerCarriesTheLatestPageOnlyWhenAsked) {
    Who owner = user("owner11");
    const int64_t gid = create_group(owner);
    for (const char* t : {"你好", "欢迎", "第三条"}) send(owner, gid, t);
    Who a = guest();
    Json plain = data(join(a, gid));
    EXPECT_FALSE(plain.contains("latest")) << "a reference client's join answer is unchanged";
    Who b = guest();
    auto r = post(b, "/api/chat/groupInviteUser",
                  Json{{"group_id", gid}, {"user_id", b.id}, {"inviteuser_id", -1}, {"latest", 3}});
    ASSERT_EQ(r.status, 200) << r.body;
    Json j = data(r);
    EXPECT_EQ(j["my_status"], 1);
    ASSERT_TRUE(j.contains("latest"));
    EXPECT_EQ(j["latest"], history_page(b.token, gid, 3)) << "the history route's answer, same shape";
    EXPECT_EQ(j["latest"]["list"].size(), 3u);
    EXPECT_EQ(j["latest"]["list"].back()["type"], "systemNotice") << "ends with this join's notice";
    // Scanned again: the same answer, with the page.
    Json again = data(post(b, "/api/chat/groupInviteUser", Json{{"group_id", gid}, {"inviteuser_id", -1}, {"latest", "50"}}));
    EXPECT_EQ(again["latest"], history_page(b.token, gid, 50));
}

TEST_F(JoinsLatest, ApplyingToAnApprovalGroupCarriesNoMessages) {
    Who owner = user("owner12");
    const int64_t gid = create_group(owner, 1);
    send(owner, gid, "内部消息");
    Who g = guest();
    Json pending = data(post(g, "/api/chat/groupInviteUser",
                             Json{{"group_id", gid}, {"user_id", g.id}, {"inviteuser_id", -1}, {"latest", 50}}));
    EXPECT_EQ(pending["pending"], true);
    EXPECT_FALSE(pending.contains("latest")) << "an applicant sees no messages";
    EXPECT_FALSE(pending.contains("group_users"));
}

TEST_F(JoinsLatest, GroupInfoCarriesTheLatestPageOnlyToActiveMembers) {
    Who owner = user("owner13");
    const int64_t gid = create_group(owner, 1);
    send(owner, gid, "只给成员看");
    const std::string info = "/api/chat/groupinfo/" + std::to_string(gid);
    // The owner (a member): the full group as before, and the page when asked.
    Json mine = data(call("GET", info + "?latest=50", owner.token));
    ASSERT_TRUE(mine.contains("group_users"));
    ASSERT_TRUE(mine.contains("latest"));
    EXPECT_EQ(mine["latest"], history_page(owner.token, gid, 50));
    EXPECT_FALSE(data(call("GET", info, owner.token)).contains("latest")) << "not asked: the reference answer";
    // A stranger to a policy-1 group: the card, no messages.
    Who stranger = guest();
    Json card = data(call("GET", info + "?latest=50", stranger.token));
    EXPECT_FALSE(card.contains("latest"));
    EXPECT_FALSE(card.contains("group_users"));
    // An applicant waiting for approval: none.
    Who applicant = guest();
    EXPECT_EQ(data(join(applicant, gid, "请通过"))["pending"], true);
    Json waiting = data(call("GET", info + "?latest=50", applicant.token));
    EXPECT_EQ(waiting["my_status"], 2);
    EXPECT_FALSE(waiting.contains("latest"));
    // Approved, then removed by the owner (banned from the group): none again.
    ASSERT_EQ(post(owner, "/api/chat/groupAgreeOrNo", Json{{"group_id", gid}, {"user_id", applicant.id}, {"type", "agree"}}).status, 200);
    EXPECT_TRUE(data(call("GET", info + "?latest=50", applicant.token)).contains("latest"));
    ASSERT_EQ(post(owner, "/api/chat/groupDeleteUser", Json{{"group_id", gid}, {"user_id", applicant.id}}).status, 200);
    Json removed = data(call("GET", info + "?latest=50", applicant.token));
    EXPECT_FALSE(removed.contains("latest"));
    EXPECT_FALSE(removed.contains("group_users"));
    // A muted member still reads the history (as the history route allows): the page too.
    Who m = guest();
    join(m, gid);
    ASSERT_EQ(post(owner, "/api/chat/groupAgreeOrNo", Json{{"group_id", gid}, {"user_id", m.id}, {"type", "agree"}}).status, 200);
    ASSERT_EQ(post(owner, "/api/chat/groupMuteUser", Json{{"group_id", gid}, {"user_id", m.id}, {"mute", 1}}).status, 200);
    EXPECT_EQ(data(call("GET", info + "?latest=2", m.token))["latest"]["list"].size(), 2u);
}

TEST_F(JoinsLatest, RegisterJoinsTheLinksOpenGroupAndCarriesThePage) {
    Who owner = user("owner14");
    const int64_t gid = create_group(owner);
    for (const char* t : {"一", "二", "三"}) send(owner, gid, t);
    const std::string dev = "11111111-0000-4000-8000-000000000014";
    auto r = call("POST", "/api/visitorRegister", "",
                  Json{{"deviceId", dev}, {"timestamp", clock}, {"join_group_id", gid}, {"latest", 50}});
    ASSERT_EQ(r.status, 200) << r.body;
    Json d = data(r);
    const std::string token = d["token"];
    ASSERT_TRUE(d.contains("group"));
    EXPECT_EQ(d["group"]["id"], gid);
    EXPECT_EQ(d["group"]["my_status"], 1) << "an open group is joined at once, as the client's join would";
    EXPECT_EQ(d["group"]["member_count"], 2);
    EXPECT_EQ(d["group"]["latest"], history_page(token, gid, 50));
    EXPECT_EQ(d["group"]["latest"]["list"].back()["type"], "systemNotice") << "the join notice is in the page";
    // The same device again (a lost token): the same guest, still a member, the page again.
    Json again = data(call("POST", "/api/visitorRegister", "",
                           Json{{"deviceId", dev}, {"timestamp", clock}, {"join_group_id", gid}, {"latest", 2}}));
    EXPECT_EQ(again["id"], d["id"]);
    EXPECT_EQ(again["group"]["latest"]["list"].size(), 2u);
    EXPECT_EQ(data(call("GET", "/api/chat/groupinfo/" + std::to_string(gid), owner.token))["group_users"].size(), 2u)
        << "joined once";
}

TEST_F(JoinsLatest, RegisterNeverAppliesToAGroupThatNeedsApproval) {
    Who owner = user("owner15");
    const int64_t gid1 = create_group(owner, 1);
    const int64_t gid2 = create_group(owner, 2);
    send(owner, gid1, "秘密");
    for (int64_t gid : {gid1, gid2}) {
        auto r = call("POST", "/api/visitorRegister", "",
                      Json{{"deviceId", "22222222-0000-4000-8000-00000000000" + std::to_string(gid % 10)},
                           {"timestamp", clock}, {"join_group_id", gid}, {"latest", 50}});
        ASSERT_EQ(r.status, 200) << r.body;
        Json g = data(r)["group"];
        EXPECT_EQ(g["id"], gid);
        EXPECT_EQ(g["invite_confirm"], gid == gid1 ? 1 : 2) << "the card the join screen shows";
        EXPECT_FALSE(g.contains("my_status")) << "no request was made";
        EXPECT_FALSE(g.contains("latest"));
        EXPECT_FALSE(g.contains("group_users"));
        EXPECT_FALSE(g.contains("pending"));
    }
    Json info = data(call("GET", "/api/chat/groupinfo/" + std::to_string(gid1), owner.token));
    EXPECT_EQ(info["group_users"].size(), 1u) << "no pending request for the owner";
}

TEST_F(JoinsLatest, RegisterWithoutALinkOrWithAnUnknownGroupAnswersAsBefore) {
    Json plain = data(call("POST", "/api/visitorRegister", "",
                           Json{{"deviceId", "33333333-0000-4000-8000-000000000001"}, {"timestamp", clock}}));
    EXPECT_FALSE(plain.contains("group"));
    EXPECT_TRUE(plain.contains("token"));
    Json unknown = data(call("POST", "/api/visitorRegister", "",
                             Json{{"deviceId", "33333333-0000-4000-8000-000000000002"}, {"timestamp", clock},
                                  {"join_group_id", 9999}, {"latest", 50}}));
    EXPECT_FALSE(unknown.contains("group")) << "the client asks groupinfo, which says not found";
    EXPECT_TRUE(unknown.contains("token"));
    // A dissolved group is gone to a non-member.
    Who owner = user("owner16");
    const int64_t gid = create_group(owner);
    ASSERT_EQ(post(owner, "/api/chat/groupDeleteOrQuit", Json{{"id", gid}}).status, 200);
    Json gone = data(call("POST", "/api/visitorRegister", "",
                          Json{{"deviceId", "33333333-0000-4000-8000-000000000003"}, {"timestamp", clock},
                               {"join_group_id", gid}}));
    EXPECT_FALSE(gone.contains("group"));
}
