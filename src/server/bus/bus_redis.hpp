// imchat::server Redis bus: the Bus over Redis pub/sub, for several server
// processes (each a "node") sharing one Redis.
//
// Design:
//  - One channel per cluster, "<prefix>:bus": every node subscribes to it and
//    gets every frame; each hub drops frames for users it does not hold. No
//    presence state can be stale (a user moving between nodes mid-publish loses
//    nothing), and one channel keeps one total order for all publishers. The cost:
//    each node reads every frame, fine for a handful of processes; beyond that a
//    per-node channel plus a presence hash (user -> nodes) would cut the fan-out.
//  - Two connections: one SUBSCRIBEd, one for PUBLISH/EVAL. Both run on the
//    bus's own io thread: publish() only posts there (never blocks a server or
//    worker thread), and the bus works without a Server (tests, tools).
//  - Local delivery first: publish() hands the frame to this process's
//    subscribers synchronously, then sends it with this node's id; a node ignores
//    its own echo.
//  - Kicks: one EVAL increments "<prefix>:login:<user>" and publishes the kick
//    with that number, atomically. A node applies another node's kick only if its
//    number is above every login this node made for that user (remote kicks
//    wait while one of this node's own numbers is in flight): the newest login
//    wins everywhere.
//  - Health: a probe to itself every probe_every; none back within
//    probe_timeout, or either connection lost = unhealthy: handlers hear
//    health(false), the bus reconnects with backoff, then health(true) once its
//    own probe comes back. A publish while unhealthy is dropped and counted.
//  - Presence: per-node sets "<prefix>:presence:<node>" with a TTL the probe
//    renews (a SIGKILLed node's users read offline within presence_ttl), listed
//    in "<prefix>:nodes"; online() is one script over the live nodes' sets.
//  - Audience notices ("A|node|group|user"): another node's Api changed a group's
//    members; handlers drop their cached audience. Lost while unhealthy, like
//    frames; the hub's 1012 on the way back does not cover them (see Api).
#pragma once
#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "server/bus/bus.hpp"

namespace imchat::server {

struct RedisBusConfig {
    std::string host = "127.0.0.1";
    uint16_t    port = 6379;
    std::string node_id;                 // [A-Za-z0-9_.-]{1,64}; empty: random_node_id()
    std::string prefix = "imchat";       // channel "<prefix>:bus", keys "<prefix>:login:<user>"
    std::chrono::milliseconds probe_every{2000};
    std::chrono::milliseconds probe_timeout{6000};   // noticed within probe_timeout + probe_every
    std::chrono::milliseconds connect_timeout{2000};
    std::chrono::milliseconds backoff_min{100};
    std::chrono::milliseconds backoff_max{2000};
    size_t max_queue_bytes = 64u << 20;  // not yet written to Redis; beyond it publishes drop
    std::chrono::milliseconds presence_ttl{8000};      // renewed every probe_every
    std::chrono::milliseconds presence_timeout{1000};  // online(): beyond it, this node's users only
};

struct RedisBusStats {
    uint64_t published = 0;   // messages written to Redis
    uint64_t dropped = 0;     // publishes/kicks not sent (unhealthy or queue full)
    uint64_t received = 0;    // messages from other nodes
    uint64_t reconnects = 0;  // connection attempts after a loss
};

class RedisBus : public Bus {
public:
    virtual RedisBusStats      stats() const = 0;
    virtual const std::string& node_id() const = 0;
};

// Starts connecting at once (in the background); healthy() turns true when the
// first probe comes back. Throws std::invalid_argument on a bad node id.
std::unique_ptr<RedisBus> make_redis_bus(RedisBusConfig cfg);

// "HOST:PORT" (or "[v6]:PORT") -> host, port; false if malformed.
bool parse_host_port(const std::string& s, std::string& host, uint16_t& port);
// 12 hex digits from the OS's random source.
std::string random_node_id();
bool valid_node_id(const std::string& id);

}  // namespace imchat::server
