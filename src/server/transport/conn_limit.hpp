// imchat::server transport: open connections per client address (--max-conns-per-ip).
// Every HTTP connection and every WebSocket holds one Hold for the address it is counted
// under: the TCP peer, or, when the peer is a --trust-proxy proxy, the client address its
// X-Forwarded-For names (counted per request, since one proxy connection carries many
// clients over its life). The Hold gives its count back when the last copy goes away
// (a WebSocket takes over its HTTP connection's Hold). Thread-safe.
#pragma once
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

namespace imchat::server {

class ConnLimit : public std::enable_shared_from_this<ConnLimit> {
public:
    class Entry;
    using Hold = std::shared_ptr<Entry>;
    class Entry {
    public:
        Entry(std::shared_ptr<ConnLimit> l, std::string key) : l_(std::move(l)), key_(std::move(key)) {}
        ~Entry() { l_->release(key_); }
        Entry(const Entry&) = delete;
        Entry& operator=(const Entry&) = delete;
        const std::string& key() const { return key_; }
    private:
        std::shared_ptr<ConnLimit> l_;   // outlives every Hold (sessions may outlive the Listener)
        std::string key_;
    };

    // Make it with std::make_shared (each Hold keeps it alive).
    explicit ConnLimit(size_t per_key) : per_key_(per_key) {}
    // One more connection for `key`; null when it already has per_key (0: no limit).
    Hold acquire(const std::string& key) {
        {
            std::lock_guard lk(mu_);
            size_t& n = counts_[key];
            if (per_key_ > 0 && n >= per_key_) {
                if (n == 0) counts_.erase(key);
                return nullptr;
            }
            ++n;
        }
        return std::make_shared<Entry>(shared_from_this(), key);
    }
    size_t count(const std::string& key) const {
        std::lock_guard lk(mu_);
        auto it = counts_.find(key);
        return it == counts_.end() ? 0 : it->second;
    }
    size_t limit() const { return per_key_; }

private:
    void release(const std::string& key) {
        std::lock_guard lk(mu_);
        auto it = counts_.find(key);
        if (it != counts_.end() && --it->second == 0) counts_.erase(it);
    }
    const size_t                            per_key_;
    mutable std::mutex                      mu_;
    std::unordered_map<std::string, size_t> counts_;
};

}  // namespace imchat::server
