// Redis bus micro-benchmark (not a test): one redis-server, two RedisBus
// instances in this process; B publishes timestamped frames, A's handler records
// the delay. Prints p50/p99 delivery latency and process CPU per delivery.
// Usage: ./build/tests/bus_bench [messages=20000] [gap_us=50]
#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <mutex>

#include "server/bus/bus_redis.hpp"
#include "redis_server.hpp"

using namespace imchat::server;
using Clock = std::chrono::steady_clock;

static double cpu_seconds() {
    rusage r{};
    getrusage(RUSAGE_SELF, &r);
    return r.ru_utime.tv_sec + r.ru_stime.tv_sec + (r.ru_utime.tv_usec + r.ru_stime.tv_usec) / 1e6;
}

int main(int argc, char** argv) {
    const int n = argc > 1 ? std::atoi(argv[1]) : 20000;
    const int gap_us = argc > 2 ? std::atoi(argv[2]) : 50;
    testing::RedisServer server;
    if (!server.running()) { std::fprintf(stderr, "no redis-server\n"); return 1; }
    RedisBusConfig cfg;
    cfg.port = server.port();
    cfg.node_id = "a";
    auto a = make_redis_bus(cfg);
    cfg.node_id = "b";
    auto b = make_redis_bus(cfg);
    std::mutex mu;
    std::vector<double> lat;
    lat.reserve(n);
    a->subscribe({[&](int64_t, const Frame& f) {
                      const auto sent = std::stoll(*f);
                      const auto now = Clock::now().time_since_epoch().count();
                      std::lock_guard lk(mu);
                      lat.push_back((now - sent) / 1e3);
                  },
                  [](int64_t, uint64_t) {}, nullptr});
    b->subscribe({[](int64_t, const Frame&) {}, [](int64_t, uint64_t) {}, nullptr});
    while (!a->healthy() || !b->healthy()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    const double cpu0 = cpu_seconds();
    const auto t0 = Clock::now();
    for (int i = 0; i < n; ++i) {
        std::string body = std::to_string(Clock::now().time_since_epoch().count());
        body.resize(200, ' ');   // a chat frame's size
        b->publish({42}, std::make_shared<const std::string>(body));
        if (gap_us) std::this_thread::sleep_for(std::chrono::microseconds(gap_us));
    }
    for (;;) {
        { std::lock_guard lk(mu); if (lat.size() >= static_cast<size_t>(n)) break; }
        if (Clock::now() - t0 > std::chrono::seconds(60)) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    const double cpu = cpu_seconds() - cpu0;
    const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
    std::lock_guard lk(mu);
    std::sort(lat.begin(), lat.end());
    auto pct = [&](double p) { return lat.empty() ? 0.0 : lat[std::min(lat.size() - 1, size_t(p * lat.size()))]; };
    std::printf("delivered %zu/%d in %.2f s; latency us p50 %.0f p99 %.0f max %.0f; "
                "bus process CPU %.1f us per delivery (both nodes, publish + receive); dropped %llu\n",
                lat.size(), n, wall, pct(0.50), pct(0.99), lat.empty() ? 0.0 : lat.back(),
                lat.empty() ? 0.0 : cpu / lat.size() * 1e6,
                static_cast<unsigned long long>(b->stats().dropped));
    return 0;
}
