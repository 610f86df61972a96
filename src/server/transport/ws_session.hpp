// imchat::server transport: one WebSocket. Authenticates `?token=`, attaches to
// the Hub, answers text frames through the Api, and writes a bounded queue of
// shared frames (one write at a time; a peer too slow to drain max_queue_bytes
// is closed with 4008). Leaves the Hub when it closes or is destroyed. A socket opened
// without `ack=1` is a reference client's: each message frame written to it is reported to
// the Api's SocketDelivery (delivered), which also skips one already written.
#pragma once
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <string>

#include "server/api/api.hpp"
#include "server/hub.hpp"
#include "server/transport/asio.hpp"

namespace imchat::server {

struct ServerConfig;

class WsSession : public Connection, public std::enable_shared_from_this<WsSession> {
public:
    WsSession(tcp::socket&& s, const ServerConfig& cfg, Api& api, Hub& hub);
    ~WsSession() override;

    void     start(HttpRequest req);                               // accept the upgrade `req`
    uint64_t id() const override { return id_; }
    void     send(const Frame& f) override;                        // any thread; posts to the strand
    void     close(int code, const std::string& reason) override;  // any thread; idempotent

private:
    void on_accept(beast::error_code ec);
    void read();
    void on_read(beast::error_code ec);
    void enqueue(const Frame& f);
    void write_next();
    void on_write(beast::error_code ec);
    void close_now(int code, const std::string& reason);
    void do_close();
    void detach();

    websocket::stream<beast::tcp_stream> ws_;
    const ServerConfig&     cfg_;
    Api&                    api_;
    Hub&                    hub_;
    const uint64_t          id_;
    std::string             token_;
    UserRow                 user_;
    bool                    ack_socket_ = false;  // `ack=1`: imchat's client, which acks
    std::unique_ptr<SocketDelivery> delivery_;    // reference sockets only
    bool                    attached_ = false;
    beast::flat_buffer      buf_;
    Frame                   writing_;            // the frame async_write is sending: alive until it completes
    std::deque<Frame>       queue_;              // frames not started yet (all a slow consumer loses)
    size_t                  queued_bytes_ = 0;   // writing_ + queue_
    bool                    closing_ = false;         // close_now ran: nothing more is queued
    bool                    pending_close_ = false;   // close once writing_ is out
    bool                    writing_close_ = false;   // async_close started
    websocket::close_reason close_reason_;
    std::chrono::steady_clock::time_point window_start_;   // frames_per_10s window
    int                     frames_ = 0;
};

}  // namespace imchat::server
