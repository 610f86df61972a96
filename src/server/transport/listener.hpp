// imchat::server transport: accepts TCP connections, each on its own strand,
// and hands them to an HttpSession. Binds in the constructor (so the port is
// known before run()); stop() closes the acceptor and ends the loop. Every connection is
// counted per client address in one ConnLimit (--max-conns-per-ip; http_session.hpp).
#pragma once
#include <atomic>
#include <cstdint>

#include "server/api/api.hpp"
#include "server/hub.hpp"
#include "server/transport/asio.hpp"
#include "server/transport/conn_limit.hpp"

namespace imchat::server {

struct ServerConfig;
class Workers;

class Listener {
public:
    Listener(net::io_context& ioc, const ServerConfig& cfg, Api& api, Hub& hub, Workers& workers);   // throws if it cannot bind
    uint16_t port() const;          // the bound port
    void     run();                 // start accepting
    void     stop();                // stop accepting (sockets already open stay)

private:
    void accept();
    void on_accept(beast::error_code ec, tcp::socket s);

    net::io_context&    ioc_;
    const ServerConfig& cfg_;
    Api&                api_;
    Hub&                hub_;
    Workers&            workers_;
    tcp::acceptor       acceptor_;
    std::atomic<bool>   stopping_{false};
    std::shared_ptr<ConnLimit> conns_;   // open connections per client address
};

}  // namespace imchat::server
