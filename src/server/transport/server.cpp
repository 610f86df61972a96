// Server: the io threads, the API workers, the Listener and the signals; run() until a
// signal or stop(), then drain (stop accepting, close every socket with 1001).
#include "server/transport/server.hpp"

#include <spdlog/spdlog.h>

#include <thread>

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
          backpressure(h, cfg.backlog_bytes) {}

    void drain() {
        if (stopping.exchange(true)) return;
        spdlog::info("shutting down: closing sockets with 1001");
        listener.stop();
        hub.close_all(1001, "server going away");
        // Give close frames a moment to leave, then stop.
        auto t = std::make_shared<net::steady_timer>(ioc, std::chrono::milliseconds(300));
        t->async_wait([this, t](beast::error_code) { ioc.stop(); });
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
