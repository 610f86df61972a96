#include "core/time_label.hpp"

#include <cstdio>

namespace imchat::core {

namespace {
constexpr int64_t kDayMs = 24LL * 60 * 60 * 1000;

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Days since 1970-01-01 -> civil date (Howard Hinnant's algorithm).
void civil(int64_t days, int& y, int& m, int& d) {
    days += 719468;
    const int64_t era = floor_div(days, 146097);
    const int64_t doe = days - era * 146097;
    const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const int64_t mp = (5 * doy + 2) / 153;
    d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
    m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
    y = static_cast<int>(yoe + era * 400 + (m <= 2));
}
}  // namespace

std::string time_label(int64_t t_ms, int64_t now_ms, int utc_offset_min, Lang lang) {
    if (t_ms <= 0) return {};
    const int64_t off = static_cast<int64_t>(utc_offset_min) * 60 * 1000;
    const int64_t local = t_ms + off;
    const int64_t day = floor_div(local, kDayMs), today = floor_div(now_ms + off, kDayMs);
    char buf[32];
    if (day >= today) {
        const int64_t ms = local - day * kDayMs;
        std::snprintf(buf, sizeof buf, "%02d:%02d", static_cast<int>(ms / 3600000), static_cast<int>(ms / 60000 % 60));
        return buf;
    }
    if (day == today - 1) return tr(lang, Str::Yesterday);
    if (day > today - 7) {   // 1970-01-01 was a Thursday
        const int weekday = static_cast<int>(((day + 4) % 7 + 7) % 7);   // 0 Sunday
        return tr(lang, static_cast<Str>(static_cast<int>(Str::Sunday) + weekday));
    }
    int y = 0, m = 0, d = 0;
    civil(day, y, m, d);
    if (lang == Lang::En) std::snprintf(buf, sizeof buf, "%d/%d/%d", m, d, y);
    else std::snprintf(buf, sizeof buf, "%d/%d/%d", y, m, d);
    return buf;
}

}  // namespace imchat::core
