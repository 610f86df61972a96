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
    };
    virtual ~Bus() = default;
    virtual void subscribe(Handler h) = 0;
    virtual void publish(const std::vector<int64_t>& user_ids, const Frame& frame) = 0;
    virtual void kick(int64_t user_id, uint64_t keep_session) = 0;
    // False while frames may not reach the other processes (the memory bus: always true).
    virtual bool healthy() const { return true; }
};

std::unique_ptr<Bus> make_memory_bus();

}  // namespace imchat::server
