#include "server/hub.hpp"

#include <atomic>
#include <random>
#include <vector>

#include "protocol/envelope.hpp"
#include "protocol/codes.hpp"
#include "protocol/frames.hpp"
#include "protocol/message.hpp"
#include "server/metrics/metrics.hpp"

namespace imchat::server {
namespace {
// WebSocket "service restart": the client reconnects and resyncs by seq.
constexpr int kCloseServiceRestart = 1012;
// WebSocket "try again later": the bus is down; the client backs off and reconnects.
constexpr int kCloseTryAgainLater = 1013;
}  // namespace

Hub::Hub(Bus& bus) : bus_(bus) {
    bus_.subscribe(Bus::Handler{
        [this](int64_t u, const Frame& f) { deliver(u, f); },
        [this](int64_t u, uint64_t keep) { kick(u, keep); },
        // Frames from other processes may have been lost: every local socket resyncs.
        [this](bool healthy) { if (!healthy) close_all(kCloseServiceRestart, "bus unavailable"); },
        nullptr,
    });
}

bool Hub::attach(int64_t user_id, const std::shared_ptr<Connection>& c) {
    if (!bus_.healthy()) {
        c->close(kCloseTryAgainLater, "bus unavailable, retry later");
        return false;
    }
    {
        // A kick from another process (on the bus's thread) waits until c is in the map: it
        // sees either the sockets before c or c itself, never a map c has not reached yet.
        std::lock_guard order(attach_mu_);
        // Tell every process (this one included) to close this user's other sockets.
        bus_.kick(user_id, c->id());
        std::lock_guard lk(mu_);
        auto [it, fresh] = by_user_.insert_or_assign(user_id, c);
        (void)it;
        if (fresh) bus_.set_online(user_id, true);
    }
    // The bus turned unhealthy meanwhile: its close_all (which follows the flag) may have
    // run before c was in the map, so c goes now.
    if (!bus_.healthy()) {
        {
            std::lock_guard lk(mu_);
            auto it = by_user_.find(user_id);
            if (it != by_user_.end() && it->second.lock() == c) erase_locked(it);
        }
        c->close(kCloseTryAgainLater, "bus unavailable, retry later");
        return false;
    }
    return true;
}

void Hub::erase_locked(std::unordered_map<int64_t, std::weak_ptr<Connection>>::iterator it) {
    bus_.set_online(it->first, false);
    by_user_.erase(it);
}

uint64_t Hub::next_connection_id() {
    static const uint64_t prefix = [] {
        std::random_device rd;
        return static_cast<uint64_t>(rd()) << 32;
    }();
    static std::atomic<uint32_t> counter{0};
    return prefix | (++counter);
}

std::vector<bool> Hub::online(const std::vector<int64_t>& user_ids) const { return bus_.online(user_ids); }

void Hub::detach(int64_t user_id, const Connection& c) {
    std::lock_guard lk(mu_);
    auto it = by_user_.find(user_id);
    if (it == by_user_.end()) return;
    auto cur = it->second.lock();
    if (!cur || cur->id() == c.id()) erase_locked(it);
}

void Hub::deliver(int64_t user_id, const Frame& f) {
    std::shared_ptr<Connection> c;
    {
        std::lock_guard lk(mu_);
        auto it = by_user_.find(user_id);
        if (it == by_user_.end()) return;
        c = it->second.lock();
    }
    if (c) {
        c->send(f);
        metrics::registry().deliveries_out.inc();
    }
}

std::shared_ptr<Connection> Hub::take_user(int64_t user_id, uint64_t keep, bool drop_expired) {
    std::lock_guard lk(mu_);
    auto it = by_user_.find(user_id);
    if (it == by_user_.end()) return nullptr;
    std::shared_ptr<Connection> c = it->second.lock();
    if (c ? c->id() == keep : !drop_expired) return nullptr;
    erase_locked(it);
    return c;
}

void Hub::kick(int64_t user_id, uint64_t keep) {
    std::lock_guard order(attach_mu_);   // recursive: attach's own kick comes back here
    if (auto c = take_user(user_id, keep, false)) c->close(protocol::kCloseLoggedInElsewhere, "logged in elsewhere");
}

bool Hub::close_user(int64_t user_id, int code, const std::string& reason) {
    std::lock_guard order(attach_mu_);
    auto c = take_user(user_id, 0, true);
    if (c) c->close(code, reason);
    return c != nullptr;
}

size_t Hub::queued_bytes() const {
    size_t total = 0;
    std::lock_guard lk(mu_);
    for (const auto& [u, w] : by_user_)
        if (auto c = w.lock()) total += c->queued_bytes();
    return total;
}

size_t Hub::online_count() const {
    std::lock_guard lk(mu_);
    return by_user_.size();
}

bool Hub::is_online(int64_t user_id) const {
    std::lock_guard lk(mu_);
    auto it = by_user_.find(user_id);
    return it != by_user_.end() && !it->second.expired();
}

bool Hub::behind(const std::vector<int64_t>& audience, size_t threshold) const {
    size_t online = 0, backlogged = 0;
    std::lock_guard lk(mu_);
    for (int64_t u : audience) {
        auto it = by_user_.find(u);
        if (it == by_user_.end()) continue;
        auto c = it->second.lock();
        if (!c) continue;
        ++online;
        if (c->queued_bytes() > threshold) ++backlogged;
    }
    return backlogged >= 2 && backlogged * 2 > online;
}

void Hub::close_all(int code, const std::string& reason) {
    std::vector<std::shared_ptr<Connection>> all;
    {
        std::lock_guard lk(mu_);
        for (auto& [u, w] : by_user_) {
            if (auto c = w.lock()) all.push_back(c);
            bus_.set_online(u, false);
        }
        by_user_.clear();
    }
    for (auto& c : all) c->close(code, reason);
}

}  // namespace imchat::server
