// imchat::core the time a conversation list row shows for its last message, the way
// WeChat does: today "HH:mm", yesterday "昨天" / "Yesterday", within the last week the
// weekday ("星期三" / "Wednesday"), older the date ("2026/11/3" / "11/3/2026").
// The chat's time separators (separator_label) and the exact time of a message.
// Pure: the local time zone comes from the platform as an offset (the web reads it
// from JS Date), so tests pin it.
#pragma once
#include <cstdint>
#include <string>

#include "core/i18n.hpp"

namespace imchat::core {

// t_ms, now_ms: ms since the epoch (UTC); utc_offset_min: local time minus UTC in
// minutes (UTC+8 is 480; JS gives -getTimezoneOffset()). A time in the future (a
// clock ahead of ours) reads as today. "" for t_ms <= 0.
std::string time_label(int64_t t_ms, int64_t now_ms, int utc_offset_min, Lang lang);

// A separator goes above a message when it is the first, or when at least 5 minutes
// passed since the one before (times in ms; an unknown time (<= 0) never separates).
inline constexpr int64_t kSeparatorGapMs = 5 * 60 * 1000;
bool needs_separator(const int64_t* prev_ms, int64_t t_ms);

// The chat separator, WeChat's way: "今天 14:05" / "Today 14:05", "昨天 09:30" /
// "Yesterday 09:30", within the week "星期三 20:11" / "Wednesday 20:11", this year
// "3月5日 08:00" / "Mar 5 08:00", before "2025年3月5日 08:00" / "Mar 5, 2025 08:00".
// t_offset_min: the zone's offset at t_ms; now_offset_min: at now_ms (they differ
// across a DST change; the web asks JS Date for each). "" for t_ms <= 0.
std::string separator_label(int64_t t_ms, int64_t now_ms, int t_offset_min, int now_offset_min, Lang lang);

// "2026-11-28 14:05:09": the exact local time (the long-press menu).
std::string exact_time(int64_t t_ms, int utc_offset_min);

}  // namespace imchat::core
