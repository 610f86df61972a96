#include <gtest/gtest.h>

#include "core/backoff.hpp"

using imchat::core::Backoff;

TEST(Backoff, StaysWithinBoundsAndGrows) {
    Backoff b;
    // Highest draw each time: the ceiling doubles from 500 ms to the 30 s cap.
    auto hi = [] { return 0.999999; };
    std::vector<int64_t> got;
    for (int i = 0; i < 10; ++i) got.push_back(b.next(hi));
    EXPECT_EQ(got[0], 500);
    EXPECT_EQ(got[1], 1000);
    EXPECT_EQ(got[2], 2000);
    EXPECT_EQ(got[6], 30000);
    EXPECT_EQ(got[9], 30000);
}

TEST(Backoff, FullJitterUsesTheWholeRange) {
    Backoff b;
    auto lo = [] { return 0.0; };
    for (int i = 0; i < 30; ++i) EXPECT_EQ(b.next(lo), 500);   // never below the floor
    b.reset();
    EXPECT_EQ(b.attempt(), 0);
    auto mid = [] { return 0.5; };
    b.next(mid); b.next(mid);
    EXPECT_EQ(b.next(mid), 500 + 750);   // ceiling 2000: 500 + 0.5 * 1501
}
