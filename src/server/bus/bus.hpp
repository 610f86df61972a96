// imchat::server Bus: carries frames to users wherever their socket lives.
// Implementations: in-process (default, bus_memory.cpp); Redis pub/sub
// (bus_redis.cpp) for several server processes. The conformance suite in
// tests/server/bus_conformance_test.cpp runs against each.
//
// Guarantees every implementation keeps:
//  - Frames published to a user are handed to every subscriber (each process's
//    hub) in publish order for that user; at-most-once (recovery is the
//    store's job: clients fetch what they miss by seq).
//  - A kick published for (user, session) reaches every subscriber.
//  - publish() and kick() never block and never fail: a bus that cannot carry a
//    frame drops it (and says so through healthy() and health()).
//  - Presence: each hub reports its own users (set_online); online() answers for
//    every process on the bus. A process that dies without a word (SIGKILL) drops
//    out within ~10 s (the Redis bus: per-node keys with a TTL the probe refreshes).
#pragma once
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace imchat::server {

using Frame = std::shared_ptr<const std::string>;

class Bus {
public:
    struct Handler {
        std::function<void(int64_t user_id, const Frame& frame)>      deliver;
        std::function<void(int64_t user_id, uint64_t keep_session)>   kick;   // close others with 4001
        // Optional: the bus lost (false) or regained (true) its link to the other processes.
        // Frames may have been lost meanwhile: the hub closes its sockets (1012) so clients resync.
        std::function<void(bool healthy)>                             health;
        // Optional: another process changed a group's members (user 0: several of them).
        // The Api drops its cached audience of that group.
        std::function<void(int64_t group_id, int64_t user_id)>        audience;
    };
    // deliver and kick may be empty (a subscriber that only wants audience notices).
    virtual ~Bus() = default;
    virtual void subscribe(Handler h) = 0;
    virtual void publish(const std::vector<int64_t>& user_ids, const Frame& frame) = 0;
    virtual void kick(int64_t user_id, uint64_t keep_session) = 0;
    // False while frames may not reach the other processes (the memory bus: always true).
    virtual bool healthy() const { return true; }
    // Tell the other processes that a group's members changed (this process's Api has
    // updated itself). Never blocks; the memory bus: nothing to tell.
    virtual void audience_changed(int64_t group_id, int64_t user_id) { (void)group_id; (void)user_id; }

    // This process's hub: `user_id` got its (first) socket here (true) or lost it (false).
    // Never blocks; calls for one user are applied in call order.
    virtual void set_online(int64_t user_id, bool online) = 0;
    // For each user: has a socket on some process. May wait for one round trip (the Redis
    // bus: bounded, and answers from this process alone while unhealthy); never call it
    // from a Handler.
    virtual std::vector<bool> online(const std::vector<int64_t>& user_ids) = 0;
};

std::unique_ptr<Bus> make_memory_bus();

}  // namespace imchat::server
