// imchat::server RateLimiter: a fixed-window counter per key (device, IP).
// Not thread-safe by itself: the Api holds it behind its own mutex.
#pragma once
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

#include "server/transport/rate_window.hpp"

namespace imchat::server {

class RateLimiter {
public:
    // True if one more event for `key` fits in `limit` per `window_ms`; counts it.
    bool allow(const std::string& key, int limit, int64_t window_ms, int64_t now) {
        std::lock_guard lk(mu_);
        if (windows_.size() > 100000) prune(now, window_ms);
        auto& w = windows_[key];
        if (now - w.start >= window_ms) w = {now, 0};
        if (w.count >= limit) return false;
        ++w.count;
        return true;
    }

private:
    struct Window { int64_t start = 0; int count = 0; };
    void prune(int64_t now, int64_t window_ms) {
        for (auto it = windows_.begin(); it != windows_.end();)
            it = now - it->second.start >= window_ms ? windows_.erase(it) : std::next(it);
    }
    std::mutex mu_;
    std::unordered_map<std::string, Window> windows_;
};

}  // namespace imchat::server

namespace imchat::server {

// A sliding-window counter per key (per-user sends, issue 14): transport's RateWindow,
// one per key, so no span of window_ms lets much more than `limit` through, unlike a
// fixed window (up to 2x around its boundary). Thread-safe.
class SlidingRateLimiter {
public:
    // True if one more event for `key` at `now` stays within `limit` per `window_ms`; counts it.
    // limit <= 0: no limit. A key's limit and window are those of its first event.
    bool allow(const std::string& key, int limit, int64_t window_ms, int64_t now) {
        if (limit <= 0) return true;
        std::lock_guard lk(mu_);
        if (windows_.size() > 100000) prune(now, window_ms);
        return windows_.try_emplace(key, limit, window_ms).first->second.allow(now);
    }

private:
    void prune(int64_t now, int64_t window_ms) {
        for (auto it = windows_.begin(); it != windows_.end();)
            it = now - it->second.start() >= 2 * window_ms ? windows_.erase(it) : std::next(it);
    }
    std::mutex mu_;
    std::unordered_map<std::string, RateWindow> windows_;
};

}  // namespace imchat::server
