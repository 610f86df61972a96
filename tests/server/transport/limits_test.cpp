// Limits (issue 14): connections per address (ConnLimit) and the per-user send window
// (SlidingRateLimiter), at their exact numbers.
#include <gtest/gtest.h>

#include <vector>

#include "server/api/rate_limiter.hpp"
#include "server/transport/conn_limit.hpp"
#include "server/transport/limits.hpp"

using namespace imchat::server;

TEST(ConnLimit, TheLimitThNthConnectionFitsTheNextIsRefusedAndAClosedOneFreesItsPlace) {
    auto limit = std::make_shared<ConnLimit>(3);
    std::vector<ConnLimit::Hold> held;
    for (int i = 0; i < 3; ++i) {
        held.push_back(limit->acquire("10.0.0.1"));
        ASSERT_TRUE(held.back()) << i;
    }
    EXPECT_FALSE(limit->acquire("10.0.0.1"));        // the 4th
    EXPECT_EQ(limit->count("10.0.0.1"), 3u);         // a refusal is not counted
    EXPECT_TRUE(limit->acquire("10.0.0.2"));         // another address has its own count
    held.pop_back();                                 // one closes
    EXPECT_EQ(limit->count("10.0.0.1"), 2u);
    auto again = limit->acquire("10.0.0.1");
    EXPECT_TRUE(again);
    held.clear();
    again.reset();
    EXPECT_EQ(limit->count("10.0.0.1"), 0u);
}

TEST(ConnLimit, ZeroMeansNoLimitAndAHoldOutlivesItsLimiter) {
    auto limit = std::make_shared<ConnLimit>(0);
    std::vector<ConnLimit::Hold> held;
    for (int i = 0; i < 5000; ++i) held.push_back(limit->acquire("127.0.0.1"));
    for (auto& h : held) ASSERT_TRUE(h);
    std::weak_ptr<ConnLimit> weak = limit;
    limit.reset();                 // the Listener goes first; sockets still hold their count
    EXPECT_FALSE(weak.expired());
    held.clear();
    EXPECT_TRUE(weak.expired());
}

TEST(HttpLimits, Defaults) {
    HttpLimits l;
    EXPECT_EQ(l.max_conns_per_ip, 1000u);
    EXPECT_EQ(l.max_header_bytes, 16u * 1024);
    EXPECT_EQ(l.header_timeout_s, 10);
    EXPECT_EQ(l.keepalive_timeout_s, 60);
}

TEST(SendRate, ExactlyTheLimitInOneWindowThenRefusedPerUser) {
    SlidingRateLimiter r;
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(r.allow("7", 200, 10000, 1000 + i)) << i;
    EXPECT_FALSE(r.allow("7", 200, 10000, 1300));   // the 201st within 10 s
    EXPECT_TRUE(r.allow("8", 200, 10000, 1300));    // another user
}

TEST(SendRate, SlidingNotFixed_NoBurstOfTwiceTheLimitAcrossAWindowEdge) {
    SlidingRateLimiter r;
    int allowed = 0;
    // 200 at the end of one window, then as many as fit right after its edge.
    for (int i = 0; i < 200; ++i) allowed += r.allow("u", 200, 10000, 9900);
    for (int i = 0; i < 200; ++i) allowed += r.allow("u", 200, 10000, 10100);
    EXPECT_LE(allowed, 205);   // a fixed window would let 400 through in 200 ms
    // A whole window later everything is forgotten.
    for (int i = 0; i < 200; ++i) ASSERT_TRUE(r.allow("u", 200, 10000, 40000 + i)) << i;
}

TEST(SendRate, ZeroMeansNoLimit) {
    SlidingRateLimiter r;
    for (int i = 0; i < 10000; ++i) ASSERT_TRUE(r.allow("u", 0, 10000, 5));
}
