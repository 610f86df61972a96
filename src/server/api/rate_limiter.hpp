// imchat::server RateLimiter: a fixed-window counter per key (device, IP).
// Not thread-safe by itself: the Api holds it behind its own mutex.
#pragma once
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>

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
