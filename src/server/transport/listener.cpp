#include "server/transport/listener.hpp"

#include "server/transport/fail.hpp"
#include "server/transport/http_session.hpp"
#include "server/transport/server.hpp"

namespace imchat::server {

Listener::Listener(net::io_context& ioc, const ServerConfig& cfg, Api& api, Hub& hub, Workers& workers)
    : ioc_(ioc), cfg_(cfg), api_(api), hub_(hub), workers_(workers), acceptor_(net::make_strand(ioc)),
      conns_(std::make_shared<ConnLimit>(cfg.limits.max_conns_per_ip)) {
    tcp::endpoint ep{net::ip::make_address(cfg_.host), cfg_.port};
    acceptor_.open(ep.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen(net::socket_base::max_listen_connections);
}

uint16_t Listener::port() const { return acceptor_.local_endpoint().port(); }

void Listener::run() { accept(); }

// Any thread: the acceptor is touched only on its strand.
void Listener::stop() {
    stopping_ = true;
    net::post(acceptor_.get_executor(), [this] {
        beast::error_code ec;
        acceptor_.close(ec);
    });
}

void Listener::accept() {
    acceptor_.async_accept(net::make_strand(ioc_),
                           [this](beast::error_code ec, tcp::socket s) { on_accept(ec, std::move(s)); });
}

void Listener::on_accept(beast::error_code ec, tcp::socket s) {
    if (stopping_) return;
    // One refused connection (e.g. too many open files) must not stop the server.
    if (ec) fail(ec, "accept");
    else std::make_shared<HttpSession>(std::move(s), cfg_, api_, hub_, workers_, conns_)->start();
    accept();
}

}  // namespace imchat::server
