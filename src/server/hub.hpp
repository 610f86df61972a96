// imchat::server Hub: which user has which socket on this process.
// Single session per account: registering a newer socket closes the older one
// with 4001; an older socket going away never removes the newer one (the
// reference system's bug).
// Presence: the hub tells the bus which users it holds (Bus::set_online); online()
// asks the bus, so it answers for every process. is_online() is this process only.
// While the bus is unhealthy, attach() refuses sockets with 1013 (try again later):
// frames from other processes could not reach them; the client backs off and retries.
#pragma once
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "server/bus/bus.hpp"

namespace imchat::server {

// What the hub needs from a socket (transport's websocket session, or a test fake).
class Connection {
public:
    virtual ~Connection() = default;
    virtual uint64_t id() const = 0;                                  // Hub::next_connection_id()
    virtual void     send(const Frame& frame) = 0;                    // queue, never blocks
    virtual void     close(int code, const std::string& reason) = 0;  // idempotent
    virtual size_t   queued_bytes() const { return 0; }               // written to it, not yet out
};

class Hub {
public:
    explicit Hub(Bus& bus);

    // Kicks older sockets (via the bus). False (and c closed with 1013) while the bus is unhealthy.
    bool   attach(int64_t user_id, const std::shared_ptr<Connection>& c);
    void   detach(int64_t user_id, const Connection& c);                   // only if still the current one
    size_t online_count() const;                                           // sockets on this process
    bool   is_online(int64_t user_id) const;                               // a socket on this process
    std::vector<bool> online(const std::vector<int64_t>& user_ids) const;  // a socket on any process
    // Ids unique across processes: a random 32-bit prefix per process, then a counter
    // (kicks never carry an id to another process, but logs and tests may compare them).
    static uint64_t next_connection_id();
    void   close_all(int code, const std::string& reason);
    // Issue 14: closes this user's socket on this process (an operator disabled the account: 4003).
    // False if it has none here.
    bool   close_user(int64_t user_id, int code, const std::string& reason);
    size_t queued_bytes() const;                                           // metrics: over every socket here
    // The server is behind on this audience: more than half of its members online here,
    // and at least two, have more than `threshold` bytes queued. One stalled reader (a
    // phone gone to the background) never blocks a group: it is closed with 4008 at its
    // own bound, or by the idle timeout once it stops answering pings.
    bool   behind(const std::vector<int64_t>& audience, size_t threshold) const;

private:
    void deliver(int64_t user_id, const Frame& f);
    void kick(int64_t user_id, uint64_t keep);
    void erase_locked(std::unordered_map<int64_t, std::weak_ptr<Connection>>::iterator it);   // mu_ held
    // Detaches the user's live connection (unless it is `keep`) and returns it to close, or
    // nullptr; an expired entry is erased only if `drop_expired`. attach_mu_ held.
    std::shared_ptr<Connection> take_user(int64_t user_id, uint64_t keep, bool drop_expired);

    Bus& bus_;
    std::recursive_mutex attach_mu_;   // an attach (kick + insert) is one step for kicks
    mutable std::mutex mu_;
    std::unordered_map<int64_t, std::weak_ptr<Connection>> by_user_;
};

}  // namespace imchat::server
