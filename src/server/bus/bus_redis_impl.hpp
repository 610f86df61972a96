// The Redis bus's implementation class (see bus_redis.hpp for the design), split
// by concern over:
//   bus_redis.cpp          construction, publish/kick entry points, incoming messages
//   bus_redis_link.cpp     the two connections, the command queue, probe and health
//   bus_redis_kick.cpp     the total order of logins (which kick applies here)
//   bus_redis_presence.cpp presence: this node's users in Redis, cluster-wide queries
//   bus_redis_conn.cpp     one RESP connection over an Asio socket
// Internal to src/server/bus.
#pragma once
#include "server/bus/bus_redis.hpp"
#include "server/bus/bus_redis_conn.hpp"

#include <atomic>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace imchat::server::redis_link {

using Clock = std::chrono::steady_clock;

class RedisBusImpl final : public RedisBus {
public:
    explicit RedisBusImpl(RedisBusConfig cfg);
    ~RedisBusImpl() override;

    void subscribe(Handler h) override;
    void publish(const std::vector<int64_t>& user_ids, const Frame& frame) override;
    void kick(int64_t user_id, uint64_t keep_session) override;
    bool healthy() const override { return healthy_.load(); }
    void audience_changed(int64_t group_id, int64_t user_id) override;
    void set_online(int64_t user_id, bool online) override;
    std::vector<bool> online(const std::vector<int64_t>& user_ids) override;
    RedisBusStats      stats() const override;
    const std::string& node_id() const override { return cfg_.node_id; }

private:
    using Handlers = std::shared_ptr<const std::vector<Handler>>;
    // Called with the reply to one command on pub_, or nullptr if it never comes (link lost).
    using OnReply = std::function<void(const resp::Value*)>;

    Handlers snapshot() const {
        std::lock_guard lk(handlers_mu_);
        return handlers_;
    }

    // bus_redis_link.cpp
    void enqueue(std::string cmd, bool is_kick, int64_t user);   // any thread; never blocks
    void drop(bool is_kick, int64_t user);
    void send_pub(const std::string& cmd, OnReply on_reply);     // io thread, pub_ ready
    void connect();
    void drop_conns();
    void lost(const std::string& why);
    void set_healthy(bool h, const std::string& why);
    void schedule_tick();
    void probe();
    void on_reply(resp::Value&& v);

    // bus_redis_kick.cpp
    void own_number(int64_t user, int64_t n);
    void remote_kick(int64_t user, int64_t n);
    void kick_locally(int64_t user);

    // bus_redis_presence.cpp (io thread)
    std::string presence_key() const { return cfg_.prefix + ":presence:" + cfg_.node_id; }
    std::string nodes_key() const { return cfg_.prefix + ":nodes"; }
    void presence_rewrite();   // the link is (re)established: our key from local_users_
    void presence_refresh();   // every probe: keep our key alive
    std::vector<bool> local_online(const std::vector<int64_t>& user_ids) const;

    // bus_redis.cpp (io thread)
    void on_push(resp::Value&& v);
    void on_message(std::string_view m);

    RedisBusConfig    cfg_;
    const std::string channel_;
    asio::io_context  io_;
    asio::steady_timer tick_, retry_;
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    std::thread       thread_;

    mutable std::mutex handlers_mu_;
    Handlers           handlers_ = std::make_shared<std::vector<Handler>>();

    std::atomic<bool>     healthy_{false};
    std::atomic<size_t>   queued_{0};
    std::atomic<uint64_t> published_{0}, dropped_{0}, received_{0}, reconnects_{0};

    std::mutex kick_mu_;
    std::unordered_map<int64_t, int>                  pending_;   // our kicks without a number yet
    std::unordered_map<int64_t, int64_t>              own_max_;   // our newest login number per user
    std::unordered_map<int64_t, std::vector<int64_t>> deferred_;  // remote kick numbers waiting

    mutable std::mutex          presence_mu_;
    std::unordered_set<int64_t> local_users_;   // users with a socket on this node

    // io thread only
    std::shared_ptr<Conn> pub_, sub_;
    bool      pub_ready_ = false, sub_ready_ = false, stopping_ = false;
    uint64_t  gen_ = 0, probe_seq_ = 0;
    std::deque<OnReply> replies_;   // per command on pub_, in order
    Clock::time_point last_probe_{}, attempt_at_{};
    std::chrono::milliseconds backoff_;
};

}  // namespace imchat::server::redis_link
