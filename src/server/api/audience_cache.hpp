// imchat::server AudienceCache: per group, the ids of its active members (pending
// excluded, muted included), the audience of every message the group fans out.
// Read once from the store, then shared (immutable) by every fan-out until a route
// that changes the group's membership or status invalidates it. Thread-safe.
//
// A fill that raced an invalidation is not kept: get() notes the generation before
// reading the store and keeps the list only if no invalidation happened meanwhile.
// Writers call invalidate() AFTER their store write, so a list read before the write
// is either refused here or erased by that invalidate().
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace imchat::server {

class AudienceCache {
public:
    using Ids = std::shared_ptr<const std::vector<int64_t>>;

    explicit AudienceCache(size_t max_groups = 20000) : max_groups_(max_groups) {}

    // The cached audience of `group_id`, else load() (a std::vector<int64_t>), kept if still current.
    template <class Load>
    Ids get(int64_t group_id, Load&& load) {
        uint64_t gen;
        {
            std::lock_guard lk(mu_);
            if (auto it = map_.find(group_id); it != map_.end()) { ++hits_; return it->second; }
            gen = gen_;
        }
        Ids ids = std::make_shared<const std::vector<int64_t>>(load());
        std::lock_guard lk(mu_);
        ++loads_;
        if (gen_ == gen) {
            if (map_.size() >= max_groups_) map_.clear();   // crude bound; refills on demand
            map_.insert_or_assign(group_id, ids);
        }
        return ids;
    }

    void invalidate(int64_t group_id) {
        std::lock_guard lk(mu_);
        ++gen_;
        map_.erase(group_id);
    }

    // For tests: store reads so far, cache hits so far.
    uint64_t loads() const { std::lock_guard lk(mu_); return loads_; }
    uint64_t hits() const { std::lock_guard lk(mu_); return hits_; }

private:
    const size_t                              max_groups_;
    mutable std::mutex                        mu_;
    uint64_t                                  gen_ = 0;
    uint64_t                                  loads_ = 0, hits_ = 0;
    std::unordered_map<int64_t, Ids>          map_;
};

}  // namespace imchat::server
