#include <gtest/gtest.h>

#include "protocol/envelope.hpp"
#include "protocol/frames.hpp"

using namespace imchat::protocol;

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

TEST(Protocol, PingHasReferenceShape) {
    Json j = Json::parse(make_ping("tok", 99));
    EXPECT_EQ(j["type"], "ping");
    EXPECT_EQ(j["token"], "tok");
    EXPECT_EQ(j["timestamp"], 99);
}

TEST(Protocol, FrameFieldsOfTheWrongTypeReadAsDefaults) {
    auto f = parse_server_frame(R"({"type":"system","data":{"a":1},"timestamp":"7"})");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->kind, ServerFrame::Kind::System);
    EXPECT_EQ(f->text, "");
    EXPECT_EQ(f->timestamp, 7);
    EXPECT_EQ(parse_server_frame(R"({"type":5})")->kind, ServerFrame::Kind::Unknown);
    EXPECT_EQ(parse_server_frame(R"({"type":"error","data":"bad"})")->text, "bad");
    EXPECT_EQ(Json::parse(make_frame("system", "hi", 3)), (Json{{"type", "system"}, {"data", "hi"}, {"timestamp", 3}}));
}
