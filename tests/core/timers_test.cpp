#include <gtest/gtest.h>

#include "core/timers.hpp"

using namespace imchat::core;

TEST(Timers, StartStoppedAndNextIsTheEarliest) {
    Timers t;
    EXPECT_EQ(t.next(), kNever);
    EXPECT_FALSE(t.armed(Timer::Ping));
    EXPECT_FALSE(t.expired(Timer::Ping, kNever - 1)) << "a stopped timer never expires";
    t.set(Timer::Ping, 500);
    t.set(Timer::Connect, 300);
    t.set(Timer::CacheWrite, 900);
    EXPECT_EQ(t.next(), 300);
    t.stop(Timer::Connect);
    EXPECT_EQ(t.next(), 500);
    EXPECT_FALSE(t.expired(Timer::Ping, 499));
    EXPECT_TRUE(t.expired(Timer::Ping, 500));
    EXPECT_EQ(t.get(Timer::CacheWrite), 900);
    t.stop_all();
    EXPECT_EQ(t.next(), kNever);
}
