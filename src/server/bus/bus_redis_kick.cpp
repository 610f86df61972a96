// Redis bus: the total order of logins. Each kick() gets a number from Redis (INCR in
// the kick script); a node applies another node's kick only if its number is above
// every login this node made for that user, and holds remote kicks back while one of
// its own numbers is in flight: the newest login wins everywhere.
#include "server/bus/bus_redis_impl.hpp"

#include <algorithm>

namespace imchat::server::redis_link {

// A reply to one of our kicks (n = 0: it never got a number). Releases the
// remote kicks held back for this user once none of ours is in flight.
void RedisBusImpl::own_number(int64_t user, int64_t n) {
    bool apply = false;
    {
        std::lock_guard lk(kick_mu_);
        auto& mine = own_max_[user];
        mine = std::max(mine, n);
        auto it = pending_.find(user);
        if (it != pending_.end() && --it->second > 0) return;
        if (it != pending_.end()) pending_.erase(it);
        auto d = deferred_.find(user);
        if (d == deferred_.end()) return;
        for (int64_t rn : d->second)
            if (rn > mine) apply = true;
        deferred_.erase(d);
    }
    if (apply) kick_locally(user);
}

// A kick from another node, numbered n.
void RedisBusImpl::remote_kick(int64_t user, int64_t n) {
    {
        std::lock_guard lk(kick_mu_);
        if (pending_.count(user)) {
            deferred_[user].push_back(n);
            return;
        }
        auto it = own_max_.find(user);
        if (it != own_max_.end() && it->second > n) return;  // one of our logins is newer
    }
    kick_locally(user);
}

// Another node's connection id means nothing to this node's hub, so every local
// socket of this user goes (0 is no connection's id).
void RedisBusImpl::kick_locally(int64_t user) {
    const auto hs = snapshot();
    for (const auto& h : *hs)
        if (h.kick) h.kick(user, 0);
}

}  // namespace imchat::server::redis_link
