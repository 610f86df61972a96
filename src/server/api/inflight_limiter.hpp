// imchat::server InflightLimiter: how many group messages are being stored and fanned
// out at once per group; a send beyond the bound is refused (503 busy) instead of
// queueing more work for a group the server is already behind on. Thread-safe.
#pragma once
#include <cstdint>
#include <mutex>
#include <unordered_map>

namespace imchat::server {

class InflightLimiter {
public:
    // Holds one slot of a group until destroyed; converts to false when refused.
    class Slot {
    public:
        Slot(InflightLimiter* l, int64_t g, bool ok) : l_(l), g_(g), ok_(ok) {}
        Slot(Slot&& o) noexcept : l_(o.l_), g_(o.g_), ok_(o.ok_) { o.l_ = nullptr; }
        Slot& operator=(Slot&&) = delete;
        ~Slot() { if (l_) l_->release(g_); }
        explicit operator bool() const { return ok_; }
    private:
        InflightLimiter* l_;   // non-null: a counted slot to give back
        int64_t          g_;
        bool             ok_;
    };

    // limit <= 0: unbounded (nothing counted).
    Slot acquire(int64_t group_id, int limit) {
        if (limit <= 0) return Slot(nullptr, group_id, true);
        std::lock_guard lk(mu_);
        auto it = counts_.find(group_id);
        if (it != counts_.end() && it->second >= limit) return Slot(nullptr, group_id, false);
        ++counts_[group_id];
        return Slot(this, group_id, true);
    }

    int inflight(int64_t group_id) const {
        std::lock_guard lk(mu_);
        auto it = counts_.find(group_id);
        return it == counts_.end() ? 0 : it->second;
    }

private:
    void release(int64_t group_id) {
        std::lock_guard lk(mu_);
        auto it = counts_.find(group_id);
        if (it != counts_.end() && --it->second <= 0) counts_.erase(it);
    }
    mutable std::mutex               mu_;
    std::unordered_map<int64_t, int> counts_;
};

}  // namespace imchat::server
