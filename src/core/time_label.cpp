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
struct Local { int64_t day = 0; int y = 0, m = 0, d = 0, hh = 0, mm = 0, ss = 0; };
Local local_of(int64_t t_ms, int offset_min) {
    Local l;
    const int64_t local = t_ms + static_cast<int64_t>(offset_min) * 60 * 1000;
    l.day = floor_div(local, kDayMs);
    const int64_t ms = local - l.day * kDayMs;
    l.hh = static_cast<int>(ms / 3600000);
    l.mm = static_cast<int>(ms / 60000 % 60);
    l.ss = static_cast<int>(ms / 1000 % 60);
    civil(l.day, l.y, l.m, l.d);
    return l;
}
constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
}  // namespace

bool needs_separator(const int64_t* prev_ms, int64_t t_ms) {
    if (t_ms <= 0) return false;
    if (!prev_ms || *prev_ms <= 0) return true;
    return t_ms - *prev_ms >= kSeparatorGapMs;
}

std::string separator_label(int64_t t_ms, int64_t now_ms, int t_offset_min, int now_offset_min, Lang lang) {
    if (t_ms <= 0) return {};
    const Local t = local_of(t_ms, t_offset_min), now = local_of(now_ms, now_offset_min);
    const bool zh = lang == Lang::ZhCN;
    char hm[8], buf[64];
    std::snprintf(hm, sizeof hm, "%02d:%02d", t.hh, t.mm);
    if (t.day >= now.day) return std::string(tr(lang, Str::Today)) + " " + hm;   // a clock ahead: today
    if (t.day == now.day - 1) return std::string(tr(lang, Str::Yesterday)) + " " + hm;
    if (t.day > now.day - 7) {
        const int weekday = static_cast<int>(((t.day + 4) % 7 + 7) % 7);   // 1970-01-01 was a Thursday
        return std::string(tr(lang, static_cast<Str>(static_cast<int>(Str::Sunday) + weekday))) + " " + hm;
    }
    if (t.y == now.y) {
        if (zh) std::snprintf(buf, sizeof buf, "%d月%d日 %s", t.m, t.d, hm);
        else std::snprintf(buf, sizeof buf, "%s %d %s", kMonths[t.m - 1], t.d, hm);
    } else {
        if (zh) std::snprintf(buf, sizeof buf, "%d年%d月%d日 %s", t.y, t.m, t.d, hm);
        else std::snprintf(buf, sizeof buf, "%s %d, %d %s", kMonths[t.m - 1], t.d, t.y, hm);
    }
    return buf;
}

std::string exact_time(int64_t t_ms, int utc_offset_min) {
    if (t_ms <= 0) return {};
    const Local t = local_of(t_ms, utc_offset_min);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", t.y, t.m, t.d, t.hh, t.mm, t.ss);
    return buf;
}

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
