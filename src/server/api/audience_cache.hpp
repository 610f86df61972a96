// imchat::server AudienceCache: per group, the ids of its active members (pending
// excluded, muted included), the audience of every message the group fans out.
// Read once from the store, then shared (immutable) by every fan-out until a route
// that changes the group's membership or status invalidates it. Thread-safe.
//
// A fill that raced an invalidation is not kept: get() notes the generation before
// reading the store and keeps the list only if no invalidation happened meanwhile.
// Writers call invalidate() or refresh() AFTER their store write, so a list read before
// the write is either refused here or corrected by that call.
#pragma once
#include <algorithm>
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

    // One member's row of `group_id` changed (joined, approved, quit, kicked): the cached
    // list, if any, is brought up to date from active() (true: a member now, not pending)
    // instead of being dropped, so a join costs O(1) store reads, not a reload of n members.
    // Refreshes are serialised and each reads the store after its write, so the last one
    // applied saw the latest state of that member whatever order the writers ran in.
    template <class Active>
    void refresh(int64_t group_id, int64_t user_id, Active&& active) {
        std::lock_guard order(refresh_mu_);
        const bool now_in = active();
        std::lock_guard lk(mu_);
        ++gen_;   // a fill that read the store before this write is not kept
        auto it = map_.find(group_id);
        if (it == map_.end()) return;
        const auto& old = *it->second;
        const bool was_in = std::find(old.begin(), old.end(), user_id) != old.end();
        if (was_in == now_in) return;
        auto next = std::make_shared<std::vector<int64_t>>();
        next->reserve(old.size() + 1);
        for (int64_t id : old)
            if (id != user_id) next->push_back(id);
        if (now_in) next->push_back(user_id);
        it->second = std::move(next);
    }

    // Every group (the notices of other processes may have been lost: the bus was down).
    void clear() {
        std::lock_guard lk(mu_);
        ++gen_;
        map_.clear();
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
    std::mutex                                refresh_mu_;   // taken before mu_, never inside it
    mutable std::mutex                        mu_;
    uint64_t                                  gen_ = 0;
    uint64_t                                  loads_ = 0, hits_ = 0;
    std::unordered_map<int64_t, Ids>          map_;
};

}  // namespace imchat::server
