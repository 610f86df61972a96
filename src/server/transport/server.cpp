// Server: the io_context, the Listener and the signals; run() until a signal or
// stop(), then drain (stop accepting, close every socket with 1001).
#include "server/transport/server.hpp"

#include <spdlog/spdlog.h>

#include "server/transport/asio.hpp"
#include "server/transport/listener.hpp"

namespace imchat::server {

struct Server::Impl {
    ServerConfig    cfg;
    Hub&            hub;
    net::io_context ioc{1};
    Listener        listener;
    net::signal_set signals{ioc, SIGINT, SIGTERM};
    bool            stopping = false;

    Impl(ServerConfig c, Api& a, Hub& h) : cfg(std::move(c)), hub(h), listener(ioc, cfg, a, h) {}

    void drain() {
        if (stopping) return;
        stopping = true;
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

void Server::run() {
    impl_->signals.async_wait([this](beast::error_code, int) { impl_->drain(); });
    impl_->listener.run();
    impl_->ioc.run();
}

void Server::stop() {
    net::post(impl_->ioc, [this] { impl_->drain(); });
}

}  // namespace imchat::server
