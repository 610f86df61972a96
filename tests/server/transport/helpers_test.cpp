// transport/helpers: the origin check, host extraction, redaction, plain answers.
#include "server/transport/helpers.hpp"

#include <gtest/gtest.h>

using namespace imchat::server;

TEST(TransportHelpers, HostOfStripsSchemeAndPath) {
    EXPECT_EQ(host_of("http://192.168.1.5:8080/x?y"), "192.168.1.5:8080");
    EXPECT_EQ(host_of("example.com:80"), "example.com:80");
    EXPECT_EQ(host_of("https://example.com"), "example.com");
}

TEST(TransportHelpers, OriginCheck) {
    EXPECT_TRUE(origin_allowed("", "h:1", {})) << "no Origin: not a browser";
    EXPECT_TRUE(origin_allowed("http://h:1", "h:1", {})) << "same host";
    EXPECT_FALSE(origin_allowed("http://evil.example", "h:1", {}));
    EXPECT_TRUE(origin_allowed("https://site.example", "h:1", {"https://site.example"}));
    EXPECT_FALSE(origin_allowed("http://h:1", "h:1", {"https://site.example"})) << "a list replaces same-host";
    EXPECT_TRUE(origin_allowed("http://anything", "h:1", {"*"}));
}

TEST(TransportHelpers, RedactDropsTheQuery) {
    EXPECT_EQ(redact("/api/chat/grouplist/1?token=secret"), "/api/chat/grouplist/1?…");
    EXPECT_EQ(redact("/api/chat/grouplist/1"), "/api/chat/grouplist/1");
}

TEST(TransportHelpers, TextResponseAndRemoteIpOfAClosedSocket) {
    auto res = text_response(http::status::forbidden, "origin not allowed");
    EXPECT_EQ(res.result(), http::status::forbidden);
    EXPECT_EQ(res[http::field::content_type], "text/plain; charset=utf-8");
    EXPECT_EQ(res.body(), "origin not allowed");
    net::io_context ioc;
    tcp::socket s(ioc);
    EXPECT_EQ(remote_ip(s), "?");
}

TEST(TransportHelpers, FailuresTheTransportAnswersKeepTheApiEnvelope) {
    auto res = fail_response(kErrBodyTooLarge);
    EXPECT_EQ(res.result(), http::status::payload_too_large);
    EXPECT_EQ(res[http::field::content_type], "application/json; charset=utf-8");
    auto j = imchat::protocol::parse_json(res.body());
    EXPECT_EQ(j, (imchat::protocol::Json{{"msg", "fail"}, {"data", std::string(kErrBodyTooLarge.text)}}));
    EXPECT_EQ(fail_response(kErrOrigin).result(), http::status::forbidden);
}
