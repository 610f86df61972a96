#include <gtest/gtest.h>

#include "protocol/envelope.hpp"
#include "protocol/frames.hpp"
#include "protocol/message.hpp"

using namespace imchat::protocol;

TEST(Protocol, MessageRoundTripKeepsReferenceFieldNames) {
    Message m;
    m.id = 7; m.seq = 3; m.from_id = 1; m.from_name = "VISabc"; m.to_id = 2; m.chat_type = "group";
    m.data = "你好"; m.create_time = 123; m.client_msg_id = "c1";
    Json j = to_json(m);
    EXPECT_EQ(j["chatType"], "group");
    EXPECT_EQ(j["sendUUid"], "c1");
    Message back = message_from_json(j);
    EXPECT_EQ(back.id, 7);
    EXPECT_EQ(back.seq, 3);
    EXPECT_EQ(back.data, "你好");
    EXPECT_EQ(back.client_msg_id, "c1");
}

TEST(Protocol, MessageFromJsonToleratesStringsAndMissingFields) {
    Message m = message_from_json(Json{{"id", "42"}, {"sendUUid", "u"}, {"data", 5}});
    EXPECT_EQ(m.id, 42);
    EXPECT_EQ(m.client_msg_id, "u");
    EXPECT_EQ(m.data, "");       // wrong type: default, no throw
    EXPECT_EQ(m.chat_type, "group");
}

TEST(Protocol, ParsesServerFrames) {
    auto chat = parse_server_frame(R"({"type":"singleChat","data":{"id":1,"seq":1,"data":"hi"},"timestamp":5})");
    ASSERT_TRUE(chat);
    EXPECT_EQ(chat->kind, ServerFrame::Kind::Chat);
    EXPECT_EQ(chat->message.data, "hi");
    auto fail = parse_server_frame(R"({"msg":"fail","data":"Token 令牌不合法！"})");
    ASSERT_TRUE(fail);
    EXPECT_EQ(fail->kind, ServerFrame::Kind::Fail);
    EXPECT_EQ(fail->text, kErrTokenInvalid);
    EXPECT_EQ(parse_server_frame(R"({"type":"pong"})")->kind, ServerFrame::Kind::Pong);
    EXPECT_FALSE(parse_server_frame("not json"));
    EXPECT_FALSE(parse_server_frame("[1,2]"));
    EXPECT_FALSE(parse_server_frame(R"({"type":"singleChat","data":"x"})"));
}

TEST(Protocol, ApiResultEnvelope) {
    auto ok = parse_api_result(200, R"({"msg":"ok","data":{"id":1}})");
    EXPECT_TRUE(ok.ok);
    EXPECT_EQ(ok.data["id"], 1);
    auto bad = parse_api_result(400, R"({"msg":"fail","data":"Token 令牌不合法！"})");
    EXPECT_FALSE(bad.ok);
    EXPECT_EQ(bad.reason(), kErrTokenInvalid);
    auto net = parse_api_result(0, "");
    EXPECT_FALSE(net.ok);
    EXPECT_EQ(net.reason(), "network error");
}

TEST(Protocol, PingHasReferenceShape) {
    Json j = Json::parse(make_ping("tok", 99));
    EXPECT_EQ(j["type"], "ping");
    EXPECT_EQ(j["token"], "tok");
    EXPECT_EQ(j["timestamp"], 99);
}

TEST(Protocol, ConversationOfSingleChatIsTheOtherUser) {
    Message m; m.chat_type = "single"; m.from_id = 5; m.to_id = 9;
    EXPECT_EQ(conversation_of(m, 5), (ConversationKey{"single", 9}));
    EXPECT_EQ(conversation_of(m, 9), (ConversationKey{"single", 5}));
    m.chat_type = "group";
    EXPECT_EQ(conversation_of(m, 5), (ConversationKey{"group", 9}));
}
