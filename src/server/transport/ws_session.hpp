// imchat::server transport: one WebSocket. Answers the upgrade itself, authenticates
// `?token=`, attaches to the Hub, answers text frames through the Api, and writes what
// is queued for it (issue 10):
//  - send() may be called from any thread (fan-out runs on API workers); it appends the
//    shared frame to a queue under a small mutex and posts one flush to the socket's strand
//    if none is pending: no handler allocation per delivery when a socket is behind.
//  - a socket that wrote less than write_coalesce_ms ago waits out the rest before its next
//    write, so frames arriving meanwhile share it (an idle socket writes at once): fewer
//    syscalls per delivery on busy sockets for at most that much latency.
//  - a flush takes everything queued and writes it in ONE gathered write: each frame's
//    2-10 byte header (server frames are unmasked, so the payload bytes are the same for
//    every recipient and are never copied) followed by the shared payload.
//  - the frames being written stay alive until their write completes, whatever happens
//    meanwhile (the slow-consumer close only drops frames not started yet).
//  - a peer that lets more than max_queue_bytes pile up is closed with 4008 while others
//    keep receiving; more than frames_per_window frames in any window closes with 4008
//    (sliding window); a message over max_frame_bytes closes with 1009; a peer silent for
//    idle_timeout is pinged at half of it and dropped at the end of it.
//  - idle, a socket holds no read or write buffer: it waits for readability and reads
//    into a per-thread scratch buffer, keeping only an incomplete frame's bytes.
// A socket opened without `ack=1` is a reference client's: each message frame written to
// it is reported to the Api's SocketDelivery (one frame a write for those sockets).
#pragma once
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "server/api/api.hpp"
#include "server/hub.hpp"
#include "server/transport/asio.hpp"
#include "server/transport/rate_window.hpp"
#include "server/transport/ws_frame.hpp"

namespace imchat::server {

struct ServerConfig;

class WsSession : public Connection, public std::enable_shared_from_this<WsSession> {
public:
    WsSession(tcp::socket&& s, const ServerConfig& cfg, Api& api, Hub& hub);
    ~WsSession() override;

    void     start(const HttpRequest& req);                        // answer the upgrade `req`
    uint64_t id() const override { return id_; }
    void     send(const Frame& f) override;                        // any thread
    void     close(int code, const std::string& reason) override;  // any thread; idempotent
    size_t   queued_bytes() const override { return queued_.load(std::memory_order_relaxed); }
    void     hold(std::shared_ptr<void> h) { hold_ = std::move(h); }   // its address's connection count (conn_limit.hpp)

private:
    static constexpr uint8_t kRaw = 0xFF;        // pre-encoded bytes (handshake answer, control frames)
    static constexpr uint8_t kCloseRaw = 0xFE;   // pre-encoded, and the last thing this socket says
    struct Out {
        Frame   data;
        uint8_t opcode;
    };

    void enqueue(Frame f, uint8_t opcode);   // any thread
    void flush();
    void on_write(beast::error_code ec);
    void read();
    void on_readable(beast::error_code ec);
    bool handle_input();                      // false: stop reading
    void on_text(std::string_view text);
    void close_now(int code, const std::string& reason, bool drop_queued);
    void arm_timer();
    void on_timer(beast::error_code ec);
    void shut();
    void detach();
    int64_t now_ms() const;

    tcp::socket             sock_;
    net::steady_timer       timer_;
    net::steady_timer       flush_timer_;        // a busy socket's next write (write_coalesce_ms)
    const ServerConfig&     cfg_;
    Api&                    api_;
    Hub&                    hub_;
    const uint64_t          id_;
    UserRow                 user_;
    std::unique_ptr<SocketDelivery> delivery_;   // reference sockets only
    ws::Parser              parser_;
    RateWindow              rate_;
    std::shared_ptr<void>   hold_;               // given back when the socket goes

    // Shared with send() on other threads: under mu_.
    std::mutex              mu_;
    std::vector<Out>        pending_;            // queued, not started
    bool                    accepting_ = true;   // false once a close is queued
    bool                    flush_posted_ = false;
    size_t                  writing_bytes_ = 0;  // bytes of writing_
    std::atomic<size_t>     queued_{0};          // pending_ + writing_
    std::atomic<int64_t>    last_flush_ms_{0};   // when the last write started

    // Strand only.
    std::vector<Out>        writing_;            // the batch in flight: alive until it completes
    std::vector<net::const_buffer> bufs_;
    std::vector<std::array<uint8_t, 10>> headers_;
    bool                    write_in_flight_ = false;
    bool                    counted_delivery_ = false;   // writing_ holds a frame should_write let through
    bool                    attached_ = false;
    bool                    close_queued_ = false;
    bool                    close_sent_ = false;
    bool                    peer_closed_ = false;
    bool                    dead_ = false;
    int64_t                 last_read_ms_ = 0;
    int64_t                 close_started_ms_ = 0;
};

}  // namespace imchat::server
