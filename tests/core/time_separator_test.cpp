// The chat's time separators and exact times (src/core/time_label.*), with fixed
// clocks and zones: no test reads the machine's clock or time zone.
#include <gtest/gtest.h>

#include "core/time_label.hpp"

using namespace imchat::core;

namespace {
constexpr int64_t kMin = 60 * 1000, kHour = 60 * kMin, kDay = 24 * kHour;
constexpr int64_t kNow = 1795763040000;   // Friday 2026-11-27 07:04 UTC = 15:04 in UTC+8
constexpr int     kCst = 480;
}  // namespace

TEST(TimeSeparator, FirstMessageAndFiveMinuteGaps) {
    EXPECT_TRUE(needs_separator(nullptr, kNow)) << "the first message";
    const int64_t prev = kNow;
    EXPECT_FALSE(needs_separator(&prev, kNow + 4 * kMin + 59 * 1000));
    EXPECT_TRUE(needs_separator(&prev, kNow + 5 * kMin)) << "exactly 5 minutes";
    EXPECT_TRUE(needs_separator(&prev, kNow + 3 * kDay));
    EXPECT_FALSE(needs_separator(&prev, 0)) << "an unknown time never separates";
    const int64_t unknown = 0;
    EXPECT_TRUE(needs_separator(&unknown, kNow)) << "after one without a time";
    EXPECT_FALSE(needs_separator(&prev, kNow - kHour)) << "out of order: no negative gap separator";
}

TEST(TimeSeparator, LabelsInChinese) {
    auto zh = [](int64_t t) { return separator_label(t, kNow, kCst, kCst, Lang::ZhCN); };
    EXPECT_EQ(zh(kNow), "今天 15:04");
    EXPECT_EQ(zh(kNow - 15 * kHour), "今天 00:04") << "still today in UTC+8";
    EXPECT_EQ(zh(kNow - 16 * kHour), "昨天 23:04");
    EXPECT_EQ(zh(kNow - 2 * kDay), "星期三 15:04");
    EXPECT_EQ(zh(kNow - 6 * kDay), "星期六 15:04");
    EXPECT_EQ(zh(kNow - 7 * kDay), "11月20日 15:04") << "a week ago: the date";
    EXPECT_EQ(zh(kNow - 330 * kDay), "1月1日 15:04");
    EXPECT_EQ(zh(kNow - 340 * kDay), "2025年12月22日 15:04");
    EXPECT_EQ(zh(kNow + kHour), "今天 16:04") << "a clock ahead of ours reads as today";
    EXPECT_EQ(zh(0), "");
}

TEST(TimeSeparator, LabelsInEnglish) {
    auto en = [](int64_t t) { return separator_label(t, kNow, kCst, kCst, Lang::En); };
    EXPECT_EQ(en(kNow - 4 * kHour), "Today 11:04");
    EXPECT_EQ(en(kNow - kDay), "Yesterday 15:04");
    EXPECT_EQ(en(kNow - 2 * kDay), "Wednesday 15:04");
    EXPECT_EQ(en(kNow - 8 * kDay), "Nov 19 15:04");
    EXPECT_EQ(en(kNow - 340 * kDay), "Dec 22, 2025 15:04");
}

TEST(TimeSeparator, TheZoneDecidesTheDay) {
    // 2026-11-27 07:04 UTC: Friday afternoon in Beijing, still Thursday night in New York.
    EXPECT_EQ(separator_label(kNow - kHour, kNow, 0, 0, Lang::En), "Today 06:04");
    EXPECT_EQ(separator_label(kNow - 3 * kHour, kNow, -300, -300, Lang::En), "Yesterday 23:04")
        << "UTC-5: 04:04 UTC was 23:04 the day before";
    EXPECT_EQ(separator_label(kNow - 8 * kHour, kNow, kCst, kCst, Lang::ZhCN), "今天 07:04");
}

TEST(TimeSeparator, EachTimeUsesItsOwnOffsetAcrossDst) {
    // Europe/Berlin: 2026-03-29 01:00 UTC summer time starts (+60 -> +120). A message at
    // 2026-03-28 22:30 UTC is 23:30 local (winter); "now" 2026-03-29 10:00 UTC is 12:00 (summer).
    const int64_t msg = 1774737000000;   // 2026-03-28T22:30:00Z
    const int64_t now = 1774778400000;   // 2026-03-29T10:00:00Z
    EXPECT_EQ(separator_label(msg, now, 60, 120, Lang::En), "Yesterday 23:30");
    EXPECT_EQ(separator_label(msg, now, 120, 120, Lang::En), "Today 00:30") << "one offset for both would be wrong";
    EXPECT_EQ(exact_time(msg, 60), "2026-03-28 23:30:00");
}

TEST(TimeSeparator, ExactTime) {
    EXPECT_EQ(exact_time(kNow + 9 * 1000 + 123, kCst), "2026-11-27 15:04:09");
    EXPECT_EQ(exact_time(kNow, 0), "2026-11-27 07:04:00");
    EXPECT_EQ(exact_time(kNow, -300), "2026-11-27 02:04:00");
    EXPECT_EQ(exact_time(0, kCst), "");
}
