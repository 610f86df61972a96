#include <gtest/gtest.h>

#include "core/url.hpp"

using namespace imchat::core;

TEST(Url, PersonalCode) {
    EXPECT_EQ(parse_join_target("http://h/?user=0a1b2c3d4e5f"), (JoinTarget{"single", 1, "0a1b2c3d4e5f"}));
    EXPECT_EQ(parse_join_target("http://h/?user=<script>")->id, -1);
    EXPECT_EQ(parse_join_target("http://h/?user=12")->id, -1);
}

TEST(Url, GroupQueryParameter) {
    EXPECT_EQ(parse_join_target("http://192.168.1.5:8080/?group=12"), (JoinTarget{"group", 12}));
    EXPECT_EQ(parse_join_target("http://h/?x=1&group=3#top"), (JoinTarget{"group", 3}));
    EXPECT_FALSE(parse_join_target("http://h/"));
    EXPECT_FALSE(parse_join_target("http://h/?groups=3"));
}

TEST(Url, ReferenceHashForm) {
    auto t = parse_join_target(
        "http://h:8080/#/pages/setpageInfo/setpageInfo?action=autoAddGroup&title=%E7%BE%A4&id=7&chatType=group&name=x");
    EXPECT_EQ(t, (JoinTarget{"group", 7, ""}));
}

TEST(Url, MalformedIdGivesMinusOne) {
    EXPECT_EQ(parse_join_target("http://h/?group=abc")->id, -1);
    EXPECT_EQ(parse_join_target("http://h/?group=")->id, -1);
    EXPECT_EQ(parse_join_target("http://h/?group=-4")->id, -1);
    EXPECT_EQ(parse_join_target("http://h/#/p?action=autoAddGroup&id=9&chatType=single")->id, -1);
}

TEST(Url, QueryParamDecodes) {
    EXPECT_EQ(query_param("a=1&name=%E4%BD%A0+b", "name"), "你 b");
    EXPECT_EQ(query_param("a", "a"), "");
    EXPECT_FALSE(query_param("a=1", "b"));
    EXPECT_EQ(percent_decode("%zz%4"), "%zz%4");
}

TEST(Url, WebsocketOrigin) {
    EXPECT_EQ(websocket_origin("http://h:8080/"), "ws://h:8080");
    EXPECT_EQ(websocket_origin("https://chat.example"), "wss://chat.example");
}

TEST(Url, PercentEncodeRoundTrip) {
    EXPECT_EQ(percent_decode(percent_encode("a b/你")), "a b/你");
}
