#include <gtest/gtest.h>

#include "protocol/envelope.hpp"

using namespace imchat::protocol;

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

TEST(Protocol, ApiFailureWithoutAReasonSaysTheStatus) {
    EXPECT_EQ(parse_api_result(500, "<html>").reason(), "HTTP 500");
    EXPECT_EQ(parse_api_result(400, R"({"msg":"fail","data":{"x":1}})").reason(), "HTTP 400");
    EXPECT_FALSE(parse_api_result(400, R"({"msg":"ok","data":1})").ok) << "ok needs status 200";
    EXPECT_FALSE(parse_api_result(200, R"({"msg":"OK","data":1})").ok);
}
