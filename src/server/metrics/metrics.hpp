// imchat::server metrics: a small Prometheus registry (text exposition format 0.0.4).
// Every instrument is a fixed object made once (the registry is a function-local static),
// updated with relaxed atomics from any thread (io threads, API workers, the bus thread):
// no lock on the hot path. Label sets are bounded and known at start: the HTTP route label
// is an API route pattern (Api::route_patterns()) or "static", "ws", "metrics", "health",
// "other"; refusals by a fixed Reason; store calls by a fixed StoreOp.
//
// What is exported (render()):
//   imchat_sockets                          gauge   WebSockets attached on this process
//   imchat_messages_in_total                counter messages stored from a send (not replays)
//   imchat_deliveries_out_total             counter frames handed to a socket by the hub
//   imchat_fanout_queue_depth               gauge   jobs waiting for or running on an API worker
//   imchat_socket_queued_bytes              gauge   bytes queued on sockets, not yet written
//   imchat_http_requests_in_flight          gauge   HTTP requests read, not yet answered
//   imchat_http_request_duration_seconds    histogram{route}
//   imchat_store_duration_seconds           histogram{op="read"|"write"|"append"}
//   imchat_refusals_total                   counter{reason}
#pragma once
#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace imchat::server::metrics {

class Counter {
public:
    void     inc(uint64_t n = 1) { v_.fetch_add(n, std::memory_order_relaxed); }
    uint64_t value() const { return v_.load(std::memory_order_relaxed); }

private:
    std::atomic<uint64_t> v_{0};
};

class Gauge {
public:
    void    add(int64_t n) { v_.fetch_add(n, std::memory_order_relaxed); }
    void    set(int64_t n) { v_.store(n, std::memory_order_relaxed); }
    int64_t value() const { return v_.load(std::memory_order_relaxed); }

private:
    std::atomic<int64_t> v_{0};
};

// Cumulative buckets are computed at render time; each observation touches one bucket,
// the count and the sum (nanoseconds, so the sum stays an integer atomic).
class Histogram {
public:
    explicit Histogram(std::vector<double> upper_bounds_s);
    void observe(double seconds);
    void observe(std::chrono::steady_clock::duration d) {
        observe(std::chrono::duration<double>(d).count());
    }
    uint64_t count() const { return count_.load(std::memory_order_relaxed); }
    // Prometheus lines for this series: name_bucket{labels,le=..}, name_sum, name_count.
    void render(std::string& out, std::string_view name, std::string_view labels) const;

private:
    std::vector<double>                          bounds_;
    std::unique_ptr<std::atomic<uint64_t>[]>     buckets_;   // bounds_.size() + 1 (+Inf)
    std::atomic<uint64_t>                        count_{0};
    std::atomic<uint64_t>                        sum_ns_{0};
};

enum class Reason : int {
    rate_limited,    // 429: registration, login, upload quota (and the limits' own refusals)
    too_large,       // 413: a body or an upload over its limit
    origin,          // a /ws from an origin not allowed
    auth,            // a missing/invalid token (HTTP 400, socket 4002)
    disabled,        // a disabled account (HTTP 403, socket 4003)
    overloaded,      // 503 busy: workers or a group's backlog
    storage,         // 503: the store cannot write (full disk, read-only data dir)
    slow_consumer,   // a socket closed with 4008
    forbidden,       // other 403s (guest, not a member, ...)
    kCount
};
std::string_view reason_name(Reason r);

enum class StoreOp : int { read, write, append, kCount };

class Registry {
public:
    Registry();
    Counter   messages_in;
    Counter   deliveries_out;
    Gauge     http_in_flight;
    Histogram& http(std::string_view route);                 // unknown route: "other"
    Histogram& store(StoreOp op) { return *store_[static_cast<int>(op)]; }
    void      refuse(Reason r) { refusals_[static_cast<int>(r)].inc(); }
    uint64_t  refusals(Reason r) const { return refusals_[static_cast<int>(r)].value(); }
    // Gauges read at scrape time (the server sets them once before serving; tests may too).
    void      set_sockets(std::function<int64_t()> f);
    void      set_fanout_depth(std::function<int64_t()> f);
    void      set_socket_queued_bytes(std::function<int64_t()> f);
    std::string render() const;

private:
    struct SvHash {   // lets http(route) look up a string_view without making a string
        using is_transparent = void;
        size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
    };
    std::unordered_map<std::string, std::unique_ptr<Histogram>, SvHash, std::equal_to<>> http_;   // fixed after construction
    std::vector<std::string>                                    http_order_;
    std::array<std::unique_ptr<Histogram>, static_cast<int>(StoreOp::kCount)> store_;
    std::array<Counter, static_cast<int>(Reason::kCount)>       refusals_;
    struct Probes;
    std::shared_ptr<Probes>                                     probes_;
};

Registry& registry();   // the process's one registry

// RAII: observes the time from construction to destruction into `h`.
class ScopedTimer {
public:
    explicit ScopedTimer(Histogram& h) : h_(h), start_(std::chrono::steady_clock::now()) {}
    ~ScopedTimer() { h_.observe(std::chrono::steady_clock::now() - start_); }
    ScopedTimer(const ScopedTimer&) = delete;
    ScopedTimer& operator=(const ScopedTimer&) = delete;

private:
    Histogram&                            h_;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace imchat::server::metrics
