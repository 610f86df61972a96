// Issue 9: offline delivery in its two modes (delivery mode for reference clients that never
// ack; ack mode for imchat's client), the reference socket's delivery bookkeeping, and the
// server-side conversation routes (list, read, hide).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "api_fixture.hpp"

using namespace imchat::server;
using imchat::protocol::Json;

namespace {

class Conversations : public imchat::server::testing::ApiFixture {
protected:
    static constexpr const char* kOffline = "/api/chat/chatGetmessageOffLine";
    // Delivery mode: a reference client posts no body at all.
    Json offline(const Who& w) {
        auto r = call("POST", kOffline, w.token);
        EXPECT_EQ(r.status, 200) << r.body;
        return data(r);
    }
    Json list(const Who& w) {
        auto r = call("GET", "/api/chat/conversationList", w.token);
        EXPECT_EQ(r.status, 200) << r.body;
        return data(r);
    }
    void say(const Who& w, int64_t to, int n, const std::string& type = "group") {
        for (int i = 0; i < n; ++i) {
            int status = 0;
            send(w, to, type + std::to_string(i), &status, type);
            ASSERT_EQ(status, 200);
            clock += 60;   // under the per-user send limit (200 per 10 s), as a person types
        }
    }
};

}  // namespace

TEST_F(Conversations, DeliveryModeAnswersEachMessageOnceInPagesAfterJoining) {
    Who a = user("alice01"), b = user("bobby01");
    const int64_t g1 = create_group(a), g2 = create_group(a);
    say(a, g1, 5);                       // before b joined: never b's
    join(b, g1);
    join(b, g2);
    say(a, g1, 149);                     // + the join notice = 150 after b joined
    say(a, g2, 149);
    say(a, b.id, 10, "single");          // a 1:1 while b was away
    say(b, g1, 3);                       // b's own: never delivered to b
    b.sock->sent.clear();

    Json p1 = offline(b);
    ASSERT_EQ(p1.size(), 200u) << "at most 200 in all";
    Json p2 = offline(b);
    ASSERT_EQ(p2.size(), 110u) << "the next page: 50 + 50 + the 10 1:1 messages";
    EXPECT_TRUE(offline(b).empty()) << "then nothing: the answer was the delivery";
    EXPECT_TRUE(offline(b).empty());

    std::map<std::string, std::vector<int64_t>> per_conv;
    std::set<int64_t> seen;
    for (const Json* page : {&p1, &p2})
        for (const auto& m : *page) {
            EXPECT_TRUE(seen.insert(m["id"].get<int64_t>()).second) << "each message once";
            EXPECT_NE(m["from_id"], b.id) << "never the user's own";
            if (m["chatType"] == "group")
                EXPECT_GT(m["seq"].get<int64_t>(), store->joined_seq(b.id, conv_key("group", m["to_id"])))
                    << "nothing from before the join";
            per_conv[m["chatType"].get<std::string>() + std::to_string(m["to_id"].get<int64_t>())]
                .push_back(m["seq"]);
        }
    size_t per_group_page1 = 0;
    for (const auto& m : p1) per_group_page1 += m["to_id"] == g1;
    EXPECT_EQ(per_group_page1, 100u) << "at most 100 per conversation";
    for (auto& [conv, seqs] : per_conv) EXPECT_TRUE(std::is_sorted(seqs.begin(), seqs.end())) << conv;
    EXPECT_EQ(per_conv["group" + std::to_string(g1)].front(), 7) << "after the creation notice and 5 messages: b's join notice";
    EXPECT_EQ(per_conv["single" + std::to_string(b.id)].size(), 10u) << "1:1 included";
    EXPECT_EQ(b.sock->sent.size(), 310u) << "each answered message is pushed as a singleChat frame too";
    EXPECT_EQ(Json::parse(b.sock->sent[0])["type"], "singleChat");

    // New messages after the last page: only those.
    say(a, g2, 2);
    EXPECT_EQ(offline(b).size(), 2u);
}

TEST_F(Conversations, AckModeIsAtLeastOnceForGroupsAndSingles) {
    Who a = user("alice01"), b = user("bobby01");
    const int64_t g = create_group(a);
    say(a, g, 4);
    join(b, g);
    say(a, g, 2);
    say(a, b.id, 3, "single");
    const Json no_acks{{"ack", Json::array()}};
    Json first = data(post(b, kOffline, no_acks));
    ASSERT_EQ(first.size(), 6u) << "join notice + 2 group (not the 4 before b joined) + 3 single";
    EXPECT_EQ(data(post(b, kOffline, no_acks)), first) << "again until acknowledged";
    Json acks = Json::array();
    acks.push_back({{"chatType", "group"}, {"id", g}, {"seq", 999}});
    acks.push_back({{"chatType", "single"}, {"id", a.id}, {"seq", 2}});
    Json rest = data(post(b, kOffline, Json{{"ack", acks}}));
    ASSERT_EQ(rest.size(), 1u);
    EXPECT_EQ(rest[0]["chatType"], "single");
    EXPECT_EQ(rest[0]["seq"], 3);
    // Ack mode leaves the delivered cursor alone: a reference client would still get everything.
    EXPECT_EQ(offline(b).size(), 6u);
    // An ack for a 1:1 that does not exist moves nothing.
    Who c = user("carol01");
    post(c, kOffline, Json{{"ack", {{{"chatType", "single"}, {"id", a.id}, {"seq", 3}}}}});
    EXPECT_EQ(store->ack_cursor(c.id, conv_key("single", a.id, c.id)), 0);
}

TEST_F(Conversations, PendingRequestGetsNothingUntilApprovedThenOnlyFromApproval) {
    Who a = user("alice01"), b = user("bobby01");
    const int64_t g = create_group(a, 1);
    say(a, g, 2);
    join(b, g, "let me in");
    say(a, g, 2);
    EXPECT_TRUE(offline(b).empty()) << "pending";
    ASSERT_EQ(post(a, "/api/chat/groupAgreeOrNo", Json{{"group_id", g}, {"user_id", b.id}, {"type", "agree"}}).status, 200);
    Json page = offline(b);
    ASSERT_EQ(page.size(), 1u) << "only the join notice after approval";
    EXPECT_EQ(page[0]["type"], "systemNotice");
}

TEST_F(Conversations, ReferenceSocketWritesCountAsDeliveryAndAreNotRepeated) {
    Who a = user("alice01"), b = user("bobby01");
    const int64_t g = create_group(a);
    join(b, g);
    offline(b);   // the join notice
    const size_t before = b.sock->sent.size();
    say(a, g, 3);
    auto d = api.reference_delivery(*store->user_by_id(b.id));
    // The live pushes of the first two reach the reference socket.
    for (size_t i = before; i < before + 2; ++i) {
        ASSERT_TRUE(d->should_write(b.sock->sent[i]));
        d->written();
    }
    Json page = offline(b);
    ASSERT_EQ(page.size(), 1u) << "only the one not written yet";
    // Its push, racing a live push of the same message: the socket writes it once.
    ASSERT_TRUE(d->should_write(b.sock->sent.back()));
    d->written();
    EXPECT_FALSE(d->should_write(b.sock->sent.back()));
    EXPECT_TRUE(offline(b).empty());
    // A recall frame (actionType) is not a new message: always written, moves nothing.
    Json sent = send(a, g, "oops");
    ASSERT_EQ(post(a, "/api/chat/revokeMessage",
                   Json{{"id", sent["data"]["id"]}, {"chatType", "group"}, {"to_id", g}}).status, 200);
    const std::string revoke_frame = b.sock->sent.back();
    EXPECT_NE(Json::parse(revoke_frame)["data"].value("actionType", ""), "");
    EXPECT_TRUE(d->should_write(revoke_frame));
    d->written();
    EXPECT_TRUE(d->should_write(revoke_frame));
    EXPECT_EQ(offline(b).size(), 1u) << "the recalled message itself was never written: delivered now";
}

TEST_F(Conversations, ListHasPreviewUnreadAndActivityOrder) {
    Who a = user("alice01"), b = user("bobby01");
    Who guest_c = guest();
    const int64_t g1 = create_group(a);
    clock += 1000;
    const int64_t g2 = create_group(a, 1);
    join(b, g1);
    join(guest_c, g1);
    join(b, g2, "请让我加入");
    clock += 1000;
    say(a, g1, 2);
    clock += 1000;
    send(a, b.id, std::string(70, 'x'), nullptr, "single");
    clock += 1000;

    Json lb = list(b);
    ASSERT_EQ(lb.size(), 3u) << "g1, g2 (pending) and the 1:1";
    EXPECT_EQ(lb[0]["chatType"], "single") << "newest first";
    EXPECT_EQ(lb[0]["id"], a.id);
    EXPECT_EQ(lb[0]["name"], "alice01");
    EXPECT_EQ(lb[0]["unread"], 1);
    EXPECT_EQ(lb[0]["last"]["text"], std::string(60, 'x')) << "cut to 60 characters";
    EXPECT_EQ(lb[1]["id"], g1);
    EXPECT_EQ(lb[1]["unread"], 2) << "after b joined: a's 2 messages (system notices such as the join notices do not count)";
    EXPECT_EQ(lb[1]["last"]["text"], "group1");
    EXPECT_EQ(lb[1]["last"]["from_name"], "alice01");
    EXPECT_EQ(lb[1]["member_count"], 3);
    EXPECT_EQ(lb[1]["my_status"], 1);
    EXPECT_EQ(lb[1]["pending_count"], 0);
    EXPECT_EQ(lb[2]["id"], g2);
    EXPECT_EQ(lb[2]["my_status"], 2);
    EXPECT_TRUE(lb[2]["last"].is_null());
    EXPECT_EQ(lb[2]["unread"], 0);

    Json la = list(a);
    ASSERT_EQ(la.size(), 3u);
    EXPECT_EQ(la[0]["unread"], 0) << "own messages are not unread";
    for (const auto& c : la)
        if (c["id"] == g2 && c["chatType"] == "group") EXPECT_EQ(c["pending_count"], 1) << "the owner sees requests";
    EXPECT_EQ(list(guest_c).size(), 1u) << "guests may call it";

    // An image, a recalled message: short previews.
    const std::string img = "/uploads/0123456789abcdef0123456789abcdef.png";
    post(a, "/api/chat/socket/sendmessage",
         Json{{"sendto_id", g1}, {"chatType", "group"}, {"type", "image"}, {"data", img}});
    EXPECT_EQ(list(b)[0]["last"]["text"], "[图片]");
    Json s = send(a, g1, "oops");
    post(a, "/api/chat/revokeMessage", Json{{"id", s["data"]["id"]}, {"chatType", "group"}, {"to_id", g1}});
    EXPECT_EQ(list(b)[0]["last"]["text"], "[消息已撤回]");
}

TEST_F(Conversations, ReadMovesForwardOnlyAndHideLastsUntilTheNextMessage) {
    Who a = user("alice01"), b = user("bobby01"), c = user("carol01");
    const int64_t g = create_group(a);
    join(b, g);
    say(a, g, 4);
    const int64_t last = list(b)[0]["last_seq"];
    auto r = post(b, "/api/chat/conversationRead", Json{{"chatType", "group"}, {"id", g}, {"seq", last - 1}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(data(r)["read_seq"], last - 1);
    EXPECT_EQ(data(r)["unread"], 1);
    r = post(b, "/api/chat/conversationRead", Json{{"chatType", "group"}, {"id", g}, {"seq", 1}});
    EXPECT_EQ(data(r)["read_seq"], last - 1) << "only forward";
    r = post(b, "/api/chat/conversationRead", Json{{"chatType", "group"}, {"id", g}, {"seq", 1000}});
    EXPECT_EQ(data(r)["read_seq"], last) << "never past the last seq";
    EXPECT_EQ(data(r)["unread"], 0);
    EXPECT_EQ(list(b)[0]["unread"], 0);
    // Only one's own conversations.
    r = post(c, "/api/chat/conversationRead", Json{{"chatType", "group"}, {"id", g}, {"seq", 1}});
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(data(r), "您不是该群成员");
    r = post(c, "/api/chat/conversationRead", Json{{"chatType", "single"}, {"id", a.id}, {"seq", 1}});
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(post(c, "/api/chat/conversationHide", Json{{"chatType", "group"}, {"id", g}}).status, 403);

    r = post(b, "/api/chat/conversationHide", Json{{"chatType", "group"}, {"id", g}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(data(r)["hidden"], true);
    EXPECT_TRUE(list(b).empty());
    EXPECT_EQ(list(a).size(), 1u) << "hidden for b only";
    say(a, g, 2);
    Json lb = list(b);
    ASSERT_EQ(lb.size(), 1u) << "back on a new message";
    EXPECT_EQ(lb[0]["unread"], 2);
}
