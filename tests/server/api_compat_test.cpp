// Reference compatibility (issue 9): what a client written for the reference API
// reads: the `group` of group messages, the recall push's shape, the token in a
// JSON body, the personal QR through groupQrcode?chatType=single.
#include <gtest/gtest.h>

#include "api_fixture.hpp"

using namespace imchat::server;
using imchat::protocol::Json;
using Compat = imchat::server::testing::ApiFixture;

TEST_F(Compat, GroupMessagesCarryTheGroupEverywhere) {
    Who owner = user("owner1"), b = user("bobby01");
    const int64_t gid = create_group(owner);
    join(b, gid);
    const Json want{{"id", gid}, {"name", "测试群"}, {"avatar", ""}};
    Json answer = send(owner, gid, "hello")["data"];
    EXPECT_EQ(answer["group"], want) << "the send answer";
    EXPECT_EQ(last_frame(b)["group"], want) << "the push";
    auto hist = data(call("GET", "/api/chat/history/group/" + std::to_string(gid), b.token))["list"];
    ASSERT_FALSE(hist.empty());
    for (auto& m : hist) EXPECT_EQ(m["group"], want) << "history, notices included: " << m.dump();
    auto off = data(post(b, "/api/chat/chatGetmessageOffLine", Json::object()));
    ASSERT_TRUE(off.is_array());
    ASSERT_FALSE(off.empty());
    for (auto& m : off) EXPECT_EQ(m["group"], want) << "offline";
    // 1:1 messages have none.
    Json single = send(owner, b.id, "hi", nullptr, "single")["data"];
    EXPECT_FALSE(single.contains("group"));
}

TEST_F(Compat, ARecallPushHasTheReferenceShapeAndImchatsFields) {
    Who owner = user("owner1"), a = user("alice01"), b = user("bobby01");
    const int64_t gid = create_group(owner);
    join(a, gid);
    join(b, gid);
    Json sent = send(a, gid, "oops")["data"];
    auto r = post(a, "/api/chat/revokeMessage", Json{{"to_id", gid}, {"chatType", "group"}, {"id", sent["id"]}});
    ASSERT_EQ(r.status, 200) << r.body;
    for (const Json& f : {last_frame(b), data(r)}) {
        EXPECT_EQ(f["actionType"], "revoke");
        EXPECT_EQ(f["type"], "systemNotice") << "what a reference client recognises";
        EXPECT_EQ(f["id"], sent["id"]) << "the recalled message's id";
        EXPECT_EQ(f["original_type"], "text");
        EXPECT_EQ(f["seq"], sent["seq"]);
        EXPECT_EQ(f["chatType"], "group");
        EXPECT_EQ(f["to_id"], gid);
        EXPECT_EQ(f["from_id"], a.id);
        EXPECT_EQ(f["isremove"], 1);
        EXPECT_EQ(f["revoked_by"], a.id);
        EXPECT_EQ(f["revoked_by_name"], "alice01");
    }
    // What is stored keeps its own type.
    EXPECT_EQ(store->message_by_id(sent["id"])->type, "text");
}

TEST_F(Compat, TheTokenMayTravelInTheJsonBody) {
    Who g = guest();
    auto r = call("POST", "/api/chat/updateUserinfo", "", Json{{"nickname", "小王"}, {"token", g.token}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(data(r)["nickname"], "小王");
    // The header comes first; a body token does not rescue a bad header.
    r = call("POST", "/api/chat/updateUserinfo", std::string(64, 'f'), Json{{"nickname", "x"}, {"token", g.token}});
    EXPECT_EQ(data(r), "Token 令牌不合法！");
    EXPECT_EQ(data(call("POST", "/api/chat/updateUserinfo", "", Json{{"nickname", "x"}, {"token", 5}})), "Token 令牌不合法！");
}

TEST_F(Compat, GroupQrcodeWithChatTypeSingleIsThePersonalQr) {
    Who a = user("alice01");
    const Json mine = data(call("GET", "/api/chat/userQrcode?format=matrix", a.token));
    const Json got = data(call("GET", "/api/chat/groupQrcode/0?type=H5&chatType=single&format=matrix", a.token));
    EXPECT_EQ(got["url"], mine["url"]) << "`:id` is ignored";
    ASSERT_EQ(mine["url"].get<std::string>().rfind("http://192.168.1.5:8080/?user=", 0), 0u);
    auto png = call("GET", "/api/chat/groupQrcode/123?chatType=single", a.token);
    EXPECT_EQ(png.content_type, "image/png");
    EXPECT_EQ(call("GET", "/api/chat/groupQrcode/0?chatType=group", a.token).status, 400) << "groups as before";
}
