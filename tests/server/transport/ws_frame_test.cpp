// RFC 6455 framing (server side) and the sliding-window rate limit, without sockets.
#include <gtest/gtest.h>

#include "server/transport/rate_window.hpp"
#include "server/transport/ws_frame.hpp"
#include "ws_client_frame.hpp"

using namespace imchat::server;
using ws::Event;

using imchat::server::testing::client_frame;

TEST(WsFrame, HeaderSizesFollowThePayloadLength) {
    std::array<uint8_t, 10> h{};
    EXPECT_EQ(ws::encode_header(h, ws::kText, 0), 2u);
    EXPECT_EQ(h[0], 0x81);
    EXPECT_EQ(ws::encode_header(h, ws::kText, 125), 2u);
    EXPECT_EQ(h[1], 125);
    EXPECT_EQ(ws::encode_header(h, ws::kText, 126), 4u);
    EXPECT_EQ(h[1], 126);
    EXPECT_EQ((h[2] << 8) | h[3], 126);
    EXPECT_EQ(ws::encode_header(h, ws::kText, 65535), 4u);
    EXPECT_EQ(ws::encode_header(h, ws::kText, 65536), 10u);
    EXPECT_EQ(h[1], 127);
    EXPECT_EQ(h[7], 1);   // 0x00 00 00 00 00 01 00 00
    EXPECT_EQ(h[8], 0);
}

TEST(WsFrame, CloseFrameCarriesCodeAndReason) {
    const std::string f = ws::encode_close(4008, "slow consumer");
    ASSERT_GE(f.size(), 4u);
    EXPECT_EQ(static_cast<uint8_t>(f[0]), 0x88);
    EXPECT_EQ(static_cast<uint8_t>(f[1]), 2 + 13);
    EXPECT_EQ((static_cast<uint8_t>(f[2]) << 8) | static_cast<uint8_t>(f[3]), 4008);
    EXPECT_EQ(f.substr(4), "slow consumer");
}

TEST(WsParser, WholeMessagesArriveByteByByte) {
    ws::Parser p(1 << 16);
    const std::string in = client_frame(ws::kText, "hello") + client_frame(ws::kText, std::string(300, 'x'));
    std::vector<std::string> got;
    for (char c : in) {
        p.feed(std::string_view(&c, 1));
        for (Event e = p.next(); e.kind != Event::kNeedMore; e = p.next()) {
            ASSERT_EQ(e.kind, Event::kMessage);
            got.emplace_back(e.payload);
        }
    }
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0], "hello");
    EXPECT_EQ(got[1], std::string(300, 'x'));
    EXPECT_TRUE(p.idle());
}

TEST(WsParser, FragmentsAreJoinedAndControlFramesMayInterleave) {
    ws::Parser p(1 << 16);
    p.feed(client_frame(ws::kText, "he", false) + client_frame(ws::kPing, "p1") +
           client_frame(ws::kCont, "ll", false) + client_frame(ws::kCont, "o", true));
    Event e = p.next();
    ASSERT_EQ(e.kind, Event::kPing);
    EXPECT_EQ(e.payload, "p1");
    e = p.next();
    ASSERT_EQ(e.kind, Event::kMessage);
    EXPECT_EQ(e.payload, "hello");
    EXPECT_EQ(p.next().kind, Event::kNeedMore);
}

TEST(WsParser, CloseGivesThePeersCode) {
    ws::Parser p(1024);
    p.feed(client_frame(ws::kClose, std::string("\x03\xe8", 2) + "bye"));
    Event e = p.next();
    ASSERT_EQ(e.kind, Event::kClose);
    EXPECT_EQ(e.code, 1000);
    EXPECT_EQ(e.payload, "bye");
    ws::Parser q(1024);
    q.feed(client_frame(ws::kClose, ""));
    EXPECT_EQ(q.next().code, 1005);
}

TEST(WsParser, ProtocolErrorsAnswer1002) {
    auto first = [](const std::string& bytes) {
        ws::Parser p(1 << 16);
        p.feed(bytes);
        return p.next();
    };
    std::string unmasked = "\x81\x02hi";
    EXPECT_EQ(first(unmasked).code, ws::kCloseProtocol);
    EXPECT_EQ(first(client_frame(ws::kText, "x", true, 0x40)).code, ws::kCloseProtocol);   // RSV1, no extension
    EXPECT_EQ(first(client_frame(ws::kPing, std::string(126, 'p'))).code, ws::kCloseProtocol);
    EXPECT_EQ(first(client_frame(ws::kPing, "p", false)).code, ws::kCloseProtocol);        // fragmented control
    EXPECT_EQ(first(client_frame(ws::kCont, "x")).code, ws::kCloseProtocol);               // nothing to continue
    EXPECT_EQ(first(client_frame(ws::kText, "a", false) + client_frame(ws::kText, "b")).code,
              ws::kCloseProtocol);                                                          // new message mid-message
    EXPECT_EQ(first(client_frame(0x3, "x")).code, ws::kCloseProtocol);                     // reserved opcode
}

TEST(WsParser, TooBigAnswers1009BeforeBuffering) {
    ws::Parser p(1000);
    // Only the header of a 2000-byte frame: refused before its payload is read.
    p.feed(client_frame(ws::kText, std::string(2000, 'x')).substr(0, 8));
    EXPECT_EQ(p.next().code, ws::kCloseTooBig);
    ws::Parser q(1000);   // fragments adding up past the limit
    q.feed(client_frame(ws::kText, std::string(600, 'x'), false) + client_frame(ws::kCont, std::string(600, 'y')));
    EXPECT_EQ(q.next().code, ws::kCloseTooBig);
}

TEST(RateWindow, AllowsTheLimitInAWindow) {
    RateWindow r(10, 1000);
    for (int i = 0; i < 10; ++i) EXPECT_TRUE(r.allow(i));
    EXPECT_FALSE(r.allow(20));
}

// A fixed window lets 9 at its end and 9 more at the next one's start (18 in 0.2 s).
TEST(RateWindow, SlidingAcrossTheBoundary) {
    RateWindow r(10, 1000);
    for (int i = 0; i < 9; ++i) EXPECT_TRUE(r.allow(900 + i));   // window [900, 1900)
    int allowed = 0;
    for (int i = 0; i < 9; ++i) allowed += r.allow(1950 + i);    // 5 % into the next window
    EXPECT_LE(allowed, 2);
}

TEST(RateWindow, SteadyTrafficUnderTheLimitPasses) {
    RateWindow r(10, 1000);
    for (int t = 0; t < 10000; t += 125) EXPECT_TRUE(r.allow(t)) << t;   // 8 a second
    RateWindow q(10, 1000);
    for (int i = 0; i < 10; ++i) EXPECT_TRUE(q.allow(i));
    EXPECT_TRUE(q.allow(3000));   // long quiet: the old window no longer counts
}
