// imchat::core the time a conversation list row shows for its last message, the way
// WeChat does: today "HH:mm", yesterday "昨天" / "Yesterday", within the last week the
// weekday ("星期三" / "Wednesday"), older the date ("2026/11/3" / "11/3/2026").
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

}  // namespace imchat::core
