// Messages: send and fan-out, validation, history, offline delivery, mute, recall, 1:1 rules.
#include <gtest/gtest.h>

#include "api_fixture.hpp"

using namespace imchat::server;
using imchat::protocol::Json;
using Messages = imchat::server::testing::ApiFixture;

TEST_F(Messages, SendFansOutToOtherMembersAfterCommitAndIsIdempotent) {
    GroupRow g = api.ensure_demo_group();
    Who a = guest(1), b = guest(2);
    for (auto* x : {&a, &b})
        call("POST", "/api/chat/groupInviteUser", x->token, Json{{"group_id", g.id}, {"inviteuser_id", -1}});
    auto ca = connect(a), cb = connect(b);
    Json r = send(a, g.id, "你好", nullptr, "group", "cm-1");
    ASSERT_EQ(r["msg"], "ok") << r.dump();
    const int64_t id = r["data"]["id"];
    EXPECT_GT(r["data"]["seq"].get<int64_t>(), 0);
    const size_t stored = count(g.id);
    ASSERT_EQ(cb->sent.size(), 1u);
    Json frame = Json::parse(cb->sent[0]);
    EXPECT_EQ(frame["type"], "singleChat");
    EXPECT_EQ(frame["data"]["id"], id);
    EXPECT_EQ(frame["data"]["data"], "你好");
    EXPECT_TRUE(ca->sent.empty()) << "the sender gets its copy in the HTTP answer";
    // A retry with the same client_msg_id: same message, nothing stored twice, published
    // again (its first attempt may have died before publishing; clients dedup by id/seq).
    Json again = send(a, g.id, "你好", nullptr, "group", "cm-1");
    EXPECT_EQ(again["data"]["id"], id);
    EXPECT_EQ(count(g.id), stored);
    ASSERT_EQ(cb->sent.size(), 2u);
    EXPECT_EQ(Json::parse(cb->sent[1])["data"]["id"], id);
}

// The first attempt committed, then its process died before publishing (simulated: the
// row goes straight into the store, no bus). The retry publishes the stored copy.
TEST_F(Messages, RetryPublishesWhatAnEarlierAttemptCommittedButNeverPublished) {
    GroupRow g = api.ensure_demo_group();
    Who a = guest(1), b = guest(2);
    for (auto* x : {&a, &b})
        call("POST", "/api/chat/groupInviteUser", x->token, Json{{"group_id", g.id}, {"inviteuser_id", -1}});
    auto cb = connect(b);
    imchat::protocol::Message m;
    m.from_id = a.id;
    m.from_name = "a";
    m.to_id = g.id;
    m.chat_type = "group";
    m.type = "text";
    m.data = "committed";
    m.create_time = clock;
    m.client_msg_id = "cm-lost";
    auto first = store->append_message(conv_key("group", g.id), m);
    ASSERT_TRUE(first.created);
    const size_t stored = count(g.id);
    EXPECT_TRUE(cb->sent.empty());
    Json r = send(a, g.id, "committed", nullptr, "group", "cm-lost");
    ASSERT_EQ(r["msg"], "ok") << r.dump();
    EXPECT_EQ(r["data"]["id"], first.message.id);
    ASSERT_EQ(cb->sent.size(), 1u) << "the retry published the stored message";
    Json frame = Json::parse(cb->sent[0]);
    EXPECT_EQ(frame["data"]["id"], first.message.id);
    EXPECT_EQ(frame["data"]["seq"], first.message.seq);
    EXPECT_EQ(count(g.id), stored);
}

TEST_F(Messages, SingleChatRetryPublishesAgain) {
    Who owner = user("owner1"), alice = user("alice01"), bob = user("bob0001");
    const int64_t gid = create_group(owner);
    join(alice, gid);
    join(bob, gid);
    const size_t before = alice.sock->sent.size();
    Json r = send(bob, alice.id, "hi", nullptr, "single", "cm-s1");
    ASSERT_EQ(r["msg"], "ok") << r.dump();
    Json again = send(bob, alice.id, "hi", nullptr, "single", "cm-s1");
    EXPECT_EQ(again["data"]["id"], r["data"]["id"]);
    ASSERT_EQ(alice.sock->sent.size(), before + 2);
    EXPECT_EQ(Json::parse(alice.sock->sent.back())["data"]["id"], r["data"]["id"]);
}

TEST_F(Messages, NonMemberCannotSendOrReadAndNothingIsStored) {
    GroupRow g = api.ensure_demo_group();
    Who outsider = guest(3);
    const int64_t before = count(g.id);
    int status = 0;
    Json r = send(outsider, g.id, "spam", &status);
    EXPECT_EQ(status, 403) << "not a member: the one status of that condition (errors.hpp)";
    EXPECT_EQ(r["data"], "您不是该群成员");
    EXPECT_EQ(count(g.id), before);
    EXPECT_EQ(call("GET", "/api/chat/history/group/" + std::to_string(g.id), outsider.token).status, 403);
}

TEST_F(Messages, SendValidatesInput) {
    GroupRow g = api.ensure_demo_group();
    Who a = guest(1);
    call("POST", "/api/chat/groupInviteUser", a.token, Json{{"group_id", g.id}, {"inviteuser_id", -1}});
    int status = 0;
    EXPECT_EQ(send(a, g.id, "", &status)["data"], "消息内容不能为空");
    EXPECT_EQ(send(a, g.id, std::string(9000, 'x'), &status)["data"], "消息内容太长");
    EXPECT_EQ(send(a, 12345, "x", &status)["data"], "群不存在或者已解散或者被封禁，无法发消息");
    EXPECT_EQ(status, 400);
    auto bad = call("POST", "/api/chat/socket/sendmessage", a.token, nullptr);
    Request raw; raw.method = "POST"; raw.path = "/api/chat/socket/sendmessage"; raw.token = a.token;
    raw.body = "[broken";
    EXPECT_EQ(api.handle(raw)->status, 400);
    (void)bad;
}

TEST_F(Messages, HistoryPagesBySeq) {
    GroupRow g = api.ensure_demo_group();   // seq 1: welcome notice
    Who a = guest(1);
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

// Ack mode (imchat's client: the body has an `ack` array, even []): at-least-once.
TEST_F(Messages, OfflineMessagesDeleteNothingUntilAcknowledged) {
    GroupRow g = api.ensure_demo_group();
    Who a = guest(1), b = guest(2);
    for (auto* x : {&a, &b})
        call("POST", "/api/chat/groupInviteUser", x->token, Json{{"group_id", g.id}, {"inviteuser_id", -1}});
    send(a, g.id, "while b was away");
    const Json no_acks{{"ack", Json::array()}};
    auto first = data(call("POST", "/api/chat/chatGetmessageOffLine", b.token, no_acks));
    ASSERT_GE(first.size(), 1u);
    EXPECT_EQ(first.back()["data"], "while b was away");
    auto cb = connect(b);
    auto second = data(call("POST", "/api/chat/chatGetmessageOffLine", b.token, no_acks));
    EXPECT_EQ(second, first) << "a drop during delivery loses nothing: the same messages come again";
    EXPECT_EQ(cb->sent.size(), second.size()) << "and are pushed over the socket too";
    const int64_t last = second.back()["seq"];
    auto after_ack = data(call("POST", "/api/chat/chatGetmessageOffLine", b.token,
                               Json{{"ack", {{{"chatType", "group"}, {"id", g.id}, {"seq", last}}}}}));
    EXPECT_TRUE(after_ack.empty());
    // An ack for a group the user is not in moves nothing.
    Who c = guest(3);
    call("POST", "/api/chat/chatGetmessageOffLine", c.token,
         Json{{"ack", {{{"chatType", "group"}, {"id", g.id}, {"seq", 999}}}}});
    EXPECT_EQ(store->ack_cursor(c.id, conv_key("group", g.id)), 0);
}

TEST_F(Messages, MutedMemberCannotSendAndNothingIsStored) {
    Who owner = user("owner1"), member = user("member1");
    const int64_t gid = create_group(owner);
    join(member, gid);
    EXPECT_EQ(post(owner, "/api/chat/groupMuteUser", Json{{"group_id", gid}, {"user_id", member.id}, {"mute", 1}}).status, 200);
    const size_t before = count(gid);
    int status = 0;
    EXPECT_EQ(send(member, gid, "hello", &status)["data"], "您已被禁言");
    EXPECT_EQ(status, 403);
    EXPECT_EQ(count(gid), before);
    post(owner, "/api/chat/groupMuteUser", Json{{"group_id", gid}, {"user_id", member.id}, {"mute", 0}});
    send(member, gid, "hello", &status);
    EXPECT_EQ(status, 200);
}

TEST_F(Messages, RecallRules) {
    Who owner = user("owner1"), a = user("member1"), b = user("member2");
    const int64_t gid = create_group(owner);
    join(a, gid);
    join(b, gid);
    const int64_t id = send(a, gid, "oops")["data"]["id"];
    auto recall = [&](const Who& w, int64_t mid) {
        return post(w, "/api/chat/revokeMessage", Json{{"to_id", gid}, {"chatType", "group"}, {"id", mid}});
    };
    EXPECT_EQ(recall(b, id).status, 403) << "not someone else's message (the reference forgot this)";
    EXPECT_EQ(store->message_by_id(id)->isremove, 0);
    EXPECT_EQ(recall(a, id).status, 200);
    Json f = last_frame(b);
    EXPECT_EQ(f["actionType"], "revoke");
    EXPECT_EQ(f["id"], id);
    EXPECT_EQ(f["isremove"], 1);
    EXPECT_EQ(f["data"], "") << "the text is gone for everyone";
    const int64_t late = send(a, gid, "old news")["data"]["id"];
    clock += 5 * 60 * 1000 + 1;
    auto r = recall(a, late);
    EXPECT_EQ(data(r), "消息超过5分钟，不能撤回");
    EXPECT_EQ(recall(owner, late).status, 200) << "the owner may recall any time";
}

TEST_F(Messages, SingleChatNeedsACommonGroupAndRespectsSendCount) {
    Who owner = user("owner1"), alice = user("alice01");
    const int64_t gid = create_group(owner);
    Who g = guest();
    int status = 0;
    send(g, alice.id, "hi", &status, "single");
    EXPECT_EQ(status, 403) << "no common group yet";
    join(g, gid);
    join(alice, gid);
    // Default sendCount 1: one message, then register.
    send(g, alice.id, "hi", &status, "single");
    EXPECT_EQ(status, 200);
    EXPECT_EQ(last_frame(alice)["data"], "hi");
    Json second = send(g, alice.id, "hi again", &status, "single");
    EXPECT_EQ(status, 403);
    EXPECT_EQ(second["data"], "对方只允许游客发送一条消息，请先注册或登录");
    // sendCount 0: never; 2: unlimited.
    post(alice, "/api/chat/userset", Json{{"userset", R"({"chatset":{"visitor":{"sendCount":0}}})"}});
    EXPECT_EQ(send(g, alice.id, "x", &status, "single")["data"], "对方不接收游客的消息，请先注册或登录");
    post(alice, "/api/chat/userset", Json{{"userset", R"({"chatset":{"visitor":{"sendCount":2}}})"}});
    send(g, alice.id, "x", &status, "single");
    EXPECT_EQ(status, 200);
    // Users are not limited, and both sides read the same conversation.
    send(alice, g.id, "reply", &status, "single");
    EXPECT_EQ(status, 200);
    auto hist = data(call("GET", "/api/chat/history/single/" + std::to_string(alice.id), g.token))["list"];
    EXPECT_EQ(hist.size(), 3u);
    EXPECT_EQ(post(alice, "/api/chat/userset", Json{{"userset", R"({"chatset":{"visitor":{"sendCount":7}}})"}}).status, 400);
}
