// imchat::server transport: a sliding-window rate limit for one socket's frames.
// A fixed window lets ~2x the limit through around its boundary (the end of one
// window, then the start of the next); this one weighs the previous window's count
// by how much of it still overlaps the last `window` (the sliding-window counter),
// so any span of `window` sees at most about `limit` frames. Three integers a socket.
#pragma once
#include <cstdint>

namespace imchat::server {

class RateWindow {
public:
    RateWindow(int limit, int64_t window_ms) : limit_(limit), window_(window_ms) {}
    int64_t start() const { return start_; }   // the current window's start (-1 before the first event)
    // Counts one event at `now_ms`; false if it goes over the limit.
    bool allow(int64_t now_ms) {
        if (start_ < 0) start_ = now_ms;
        if (now_ms - start_ >= window_) {
            const int64_t windows = (now_ms - start_) / window_;
            prev_ = windows == 1 ? cur_ : 0;
            cur_ = 0;
            start_ += windows * window_;
        }
        const double overlap = 1.0 - static_cast<double>(now_ms - start_) / static_cast<double>(window_);
        if (prev_ * overlap + cur_ + 1 > limit_) return false;
        ++cur_;
        return true;
    }

private:
    int     limit_;
    int64_t window_;
    int64_t start_ = -1;
    int     prev_ = 0, cur_ = 0;
};

}  // namespace imchat::server
