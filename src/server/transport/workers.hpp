// imchat::server transport: the API worker pool. HTTP API requests (argon2id logins,
// SQLite reads and writes, fan-out) run here, never on the io threads, so a burst of
// logins cannot delay another socket's pong. Workers run at a lower priority (nice) than
// the io threads for the same reason. pending() counts jobs queued or running: the
// HttpSession answers 503 + Retry-After past a bound instead of queueing without end.
#pragma once
#include <atomic>
#include <cstddef>
#include <functional>
#include <thread>
#include <vector>

#include "server/transport/asio.hpp"

namespace imchat::server {

class Workers {
public:
    explicit Workers(int threads, int nice_level = 5);
    ~Workers();
    void   post(std::function<void()> job);
    size_t pending() const { return pending_.load(std::memory_order_relaxed); }
    void   stop();   // finishes running jobs, drops queued ones, joins

private:
    net::io_context                                          ioc_;
    net::executor_work_guard<net::io_context::executor_type> guard_;
    std::vector<std::thread>                                 threads_;
    std::atomic<size_t>                                      pending_{0};
};

}  // namespace imchat::server
