// Socket frames: welcome, ping/pong, malformed input.
#include <gtest/gtest.h>

#include "api_fixture.hpp"

using namespace imchat::server;
using imchat::protocol::Json;
using Socket = imchat::server::testing::ApiFixture;

TEST_F(Socket, SocketFrames) {
    Who a = guest(1);
    auto u = api.authenticate(a.token);
    ASSERT_TRUE(u);
    EXPECT_EQ(Json::parse(*api.socket_text(*u, R"({"type":"ping","token":"x","timestamp":1})"))["type"], "pong");
    Json err = Json::parse(*api.socket_text(*u, "{oops"));
    EXPECT_EQ(err["type"], "error");
    EXPECT_EQ(Json::parse(api.welcome_frame())["type"], "system");
}
