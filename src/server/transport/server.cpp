// Server: the io threads, the API workers, the Listener and the signals; run() until a
// signal or stop(), then drain (stop accepting, close every socket with 1001, finish the
// HTTP requests in flight; a watchdog bounds the whole in exit_deadline_ms).
#include "server/transport/server.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <thread>

#include "server/metrics/metrics.hpp"

#include "server/api/backpressure.hpp"
#include "server/api/scheduler.hpp"
#include "server/hub.hpp"
#include "server/transport/asio.hpp"
#include "server/transport/listener.hpp"
#include "server/transport/workers.hpp"

namespace imchat::server {

namespace {

int or_cores(int n) { return n > 0 ? n : std::max(1u, std::thread::hardware_concurrency()); }

// Timers on the io threads; the callback (it may touch the store) runs on a worker.
class TimerScheduler final : public Scheduler {
public:
    TimerScheduler(net::io_context& ioc, Workers& w) : ioc_(ioc), workers_(w) {}
    void after(int64_t delay_ms, std::function<void()> fn) override {
        auto t = std::make_shared<net::steady_timer>(ioc_, std::chrono::milliseconds(delay_ms));
        t->async_wait([this, t, fn = std::move(fn)](beast::error_code ec) mutable {
            if (!ec) workers_.post(std::move(fn));
        });
    }

private:
    net::io_context& ioc_;
    Workers&         workers_;
};

class HubBackpressure final : public Backpressure {
public:
    HubBackpressure(Hub& hub, size_t threshold) : hub_(hub), threshold_(threshold) {}
    bool behind(const std::vector<int64_t>& audience) override { return hub_.behind(audience, threshold_); }

private:
    Hub&   hub_;
    size_t threshold_;
};

}  // namespace

struct Server::Impl {
    ServerConfig      cfg;
    Hub&              hub;
    net::io_context   ioc;
    Workers           workers;
    Listener          listener;
    net::signal_set   signals{ioc, SIGINT, SIGTERM};
    TimerScheduler    scheduler{ioc, workers};
    HubBackpressure   backpressure;
    std::atomic<bool> stopping{false};

    Impl(ServerConfig c, Api& a, Hub& h)
        : cfg(std::move(c)),
          hub(h),
          ioc(or_cores(cfg.threads)),
          workers(or_cores(cfg.workers)),
          listener(ioc, cfg, a, h, workers),
          backpressure(h, cfg.backlog_bytes) {
        auto& m = metrics::registry();
        m.set_sockets([this] { return static_cast<int64_t>(hub.online_count()); });
        m.set_fanout_depth([this] { return static_cast<int64_t>(workers.pending()); });
        m.set_socket_queued_bytes([this] { return static_cast<int64_t>(hub.queued_bytes()); });
    }
    ~Impl() {
        auto& m = metrics::registry();
        m.set_sockets(nullptr);
        m.set_fanout_depth(nullptr);
        m.set_socket_queued_bytes(nullptr);
    }

    void drain() {
        if (stopping.exchange(true)) return;
        spdlog::info("shutting down: no new connections, sockets closed with 1001, {} HTTP request(s) in flight",
                     metrics::registry().http_in_flight.value());
        start_watchdog();
        listener.stop();
        hub.close_all(1001, "server going away");
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(cfg.drain_wait_ms);
        // Close frames need a moment to leave (at least 300 ms), in-flight requests their answers.
        wait_then_stop(std::chrono::steady_clock::now() + std::chrono::milliseconds(300), deadline);
    }

    void wait_then_stop(std::chrono::steady_clock::time_point not_before, std::chrono::steady_clock::time_point deadline) {
        auto t = std::make_shared<net::steady_timer>(ioc, std::chrono::milliseconds(50));
        t->async_wait([this, t, not_before, deadline](beast::error_code) {
            const auto now = std::chrono::steady_clock::now();
            const int64_t in_flight = metrics::registry().http_in_flight.value();
            if (now < not_before || (in_flight > 0 && now < deadline)) return wait_then_stop(not_before, deadline);
            if (in_flight > 0) spdlog::warn("drain: {} HTTP request(s) still running at the deadline", in_flight);
            ioc.stop();
        });
    }

    // The hard deadline: whatever still runs (a worker stuck in the store), the process ends.
    void start_watchdog() {
        const int ms = cfg.exit_deadline_ms;
        if (ms <= 0) return;
        std::thread([ms] {
            std::this_thread::sleep_for(std::chrono::milliseconds(ms));
            spdlog::error("drain did not finish within {} ms: exiting now", ms);
            spdlog::default_logger()->flush();
            _exit(0);
        }).detach();
    }
};

Server::Server(ServerConfig cfg, Api& api, Hub& hub) : impl_(std::make_unique<Impl>(std::move(cfg), api, hub)) {}
Server::~Server() = default;

uint16_t Server::port() const { return impl_->listener.port(); }
Scheduler& Server::scheduler() { return impl_->scheduler; }
Backpressure& Server::backpressure() { return impl_->backpressure; }

void Server::run() {
    impl_->signals.async_wait([this](beast::error_code, int) { impl_->drain(); });
    impl_->listener.run();
    const int n = or_cores(impl_->cfg.threads);
    spdlog::info("{} io threads, {} API workers", n, or_cores(impl_->cfg.workers));
    std::vector<std::thread> extra;
    for (int i = 1; i < n; ++i) extra.emplace_back([this] { impl_->ioc.run(); });
    impl_->ioc.run();
    for (auto& t : extra) t.join();
    impl_->workers.stop();
}

void Server::stop() {
    net::post(impl_->ioc, [this] { impl_->drain(); });
}

}  // namespace imchat::server
