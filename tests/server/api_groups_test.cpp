// Groups: list and info, the owner's actions, dissolving and quitting.
#include <gtest/gtest.h>

#include "api_fixture.hpp"

using namespace imchat::server;
using imchat::protocol::Json;
using Groups = imchat::server::testing::ApiFixture;

TEST_F(Groups, UnknownGroupIsAClearError) {
    Who a = guest(1);
    auto r = call("GET", "/api/chat/groupinfo/999", a.token);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(data(r), "群不存在或者已解散");
    EXPECT_EQ(call("GET", "/api/chat/groupinfo/abc", a.token).status, 400);
}

TEST_F(Groups, GroupListCarriesLastSeqAndHistoryPagesBackwards) {
    GroupRow g = api.ensure_demo_group();
    Who a = guest(1);
    call("POST", "/api/chat/groupInviteUser", a.token, Json{{"group_id", g.id}, {"inviteuser_id", -1}});
    for (int i = 0; i < 3; ++i) send(a, g.id, "m" + std::to_string(i));
    Json list = data(call("GET", "/api/chat/grouplist/1", a.token));
    EXPECT_EQ(list[0]["last_seq"], 5);
    Json before = data(call("GET", "/api/chat/history/group/" + std::to_string(g.id) + "?before_seq=3&limit=50",
                            a.token))["list"];
    ASSERT_EQ(before.size(), 2u);
    EXPECT_EQ(before[0]["seq"], 1);
}

// Found with fuzz/http_api (issue 14; the UBSan report replays from fuzz/regressions/http_api/):
// a huge page made the offset (page - 1) * limit overflow (UB), and the wrapped offset answered
// the first page again.
TEST_F(Groups, GroupListPageFarPastTheEndIsEmpty) {
    GroupRow g = api.ensure_demo_group();
    Who a = guest(1);
    call("POST", "/api/chat/groupInviteUser", a.token, Json{{"group_id", g.id}, {"inviteuser_id", -1}});
    ASSERT_EQ(data(call("GET", "/api/chat/grouplist/1", a.token)).size(), 1u);
    for (const char* page : {"9223372036854775807", "92233720368547758", "2147483647", "21474837"}) {
        auto r = call("GET", std::string("/api/chat/grouplist/") + page + "?limit=100", a.token);
        EXPECT_EQ(r.status, 200) << page;
        EXPECT_EQ(data(r), Json::array()) << page;
    }
}

TEST_F(Groups, OwnerActionsAreTheOwnersOnly) {
    Who owner = user("owner1"), member = user("member1"), other = user("member2");
    const int64_t gid = create_group(owner);
    join(member, gid);
    join(other, gid);
    const size_t before = count(gid);
    for (auto [route, body] : std::vector<std::pair<std::string, Json>>{
             {"/api/chat/groupDeleteUser", {{"group_id", gid}, {"user_id", other.id}}},
             {"/api/chat/groupUpdateName", {{"id", gid}, {"name", "hijack"}}},
             {"/api/chat/groupremark", {{"id", gid}, {"remark", "x"}}},
             {"/api/chat/groupMuteUser", {{"group_id", gid}, {"user_id", other.id}}},
             {"/api/chat/groupAddUserSet", {{"group_id", gid}, {"addGroupSet", 1}}}}) {
        auto r = post(member, route, body);
        EXPECT_EQ(r.status, 403) << route;
        EXPECT_EQ(data(r), "只有群主可以这样做") << route;
    }
    EXPECT_EQ(count(gid), before) << "no notice, no change";
    EXPECT_TRUE(store->member(gid, other.id));
    EXPECT_EQ(store->group_by_id(gid)->name, "测试群");

    EXPECT_EQ(post(owner, "/api/chat/groupUpdateName", Json{{"id", gid}, {"name", "新名字"}}).status, 200);
    EXPECT_EQ(post(owner, "/api/chat/groupremark", Json{{"id", gid}, {"remark", "周五开会"}}).status, 200);
    EXPECT_EQ(post(owner, "/api/chat/groupDeleteUser", Json{{"group_id", gid}, {"user_id", other.id}}).status, 200);
    EXPECT_FALSE(store->member(gid, other.id));
    EXPECT_EQ(last_frame(other)["actionType"], "removed");
    auto notices = store->messages_after(conv_key("group", gid), before, 10);
    ASSERT_EQ(notices.size(), 3u) << "every change is a notice";
    EXPECT_NE(notices[0].data.find("新名字"), std::string::npos);
    EXPECT_NE(notices[2].data.find("移出"), std::string::npos);
}

TEST_F(Groups, DissolvedGroupIsReadOnlyButKeepsItsHistory) {
    Who owner = user("owner1"), member = user("member1");
    const int64_t gid = create_group(owner);
    join(member, gid);
    send(member, gid, "before");
    EXPECT_EQ(post(owner, "/api/chat/groupDeleteOrQuit", Json{{"id", gid}}).status, 200);
    EXPECT_EQ(last_frame(member)["data"], "群主已解散该群");
    const size_t before = count(gid);
    int status = 0;
    EXPECT_EQ(send(owner, gid, "still there?", &status)["data"], "群不存在或者已解散或者被封禁，无法发消息");
    EXPECT_EQ(status, 400);
    EXPECT_EQ(count(gid), before);
    Json info = data(call("GET", "/api/chat/groupinfo/" + std::to_string(gid), member.token));
    EXPECT_EQ(info["status"], 0) << "members still see it, read-only";
    EXPECT_EQ(call("GET", "/api/chat/history/group/" + std::to_string(gid), member.token).status, 200);
    Who stranger = guest();
    EXPECT_EQ(call("GET", "/api/chat/groupinfo/" + std::to_string(gid), stranger.token).status, 400);
    EXPECT_EQ(join(stranger, gid).status, 400);
}

TEST_F(Groups, MemberQuitsWithANotice) {
    Who owner = user("owner1"), member = user("member1");
    const int64_t gid = create_group(owner);
    join(member, gid);
    EXPECT_EQ(post(member, "/api/chat/groupDeleteOrQuit", Json{{"id", gid}}).status, 200);
    EXPECT_FALSE(store->member(gid, member.id));
    EXPECT_EQ(store->group_by_id(gid)->status, 1);
    EXPECT_NE(last_frame(owner)["data"].get<std::string>().find("退出了群聊"), std::string::npos);
}
