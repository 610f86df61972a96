#include "server/transport/ws_session.hpp"

#include <array>
#include <boost/beast/websocket/detail/hybi13.hpp>

#include "core/url.hpp"
#include "protocol/codes.hpp"
#include "protocol/envelope.hpp"
#include "protocol/frames.hpp"
#include "protocol/message.hpp"
#include "server/metrics/metrics.hpp"
#include "server/transport/fail.hpp"
#include "server/transport/server.hpp"

namespace imchat::server {

namespace {
constexpr int64_t     kCloseGraceMs = 5000;   // after our close frame: the peer's answer, else drop

Frame shared(std::string s) { return std::make_shared<const std::string>(std::move(s)); }
}  // namespace

WsSession::WsSession(tcp::socket&& s, const ServerConfig& cfg, Api& api, Hub& hub)
    : sock_(std::move(s)),
      timer_(sock_.get_executor()),
      flush_timer_(sock_.get_executor()),
      cfg_(cfg),
      api_(api),
      hub_(hub),
      id_(Hub::next_connection_id()),
      parser_(cfg.max_frame_bytes),
      rate_(cfg.frames_per_window, cfg.rate_window_ms) {}

// The Hub holds only a weak reference: leaving it here covers every way out.
WsSession::~WsSession() { detach(); }

int64_t WsSession::now_ms() const {
    using namespace std::chrono;
    return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}

// The handshake (RFC 6455 4.2.2); the HttpSession checked the path and the Origin.
void WsSession::start(const HttpRequest& req) {
    beast::error_code ec;
    sock_.non_blocking(true, ec);
    sock_.set_option(tcp::no_delay(true), ec);
    if (cfg_.socket_send_buffer > 0) sock_.set_option(net::socket_base::send_buffer_size(cfg_.socket_send_buffer), ec);
    last_read_ms_ = now_ms();
    const std::string node = cfg_.node_id.empty() ? "" : "X-Imchat-Node: " + cfg_.node_id + "\r\n";
    const std::string_view key = req[http::field::sec_websocket_key];
    if (req[http::field::sec_websocket_version] != "13" || key.empty() || key.size() > 24) {
        close_queued_ = peer_closed_ = true;   // nothing to say in WebSocket terms: drop once written
        enqueue(shared("HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n"
                       "Connection: close\r\n" + node + "\r\n"),
                kCloseRaw);
        return;
    }
    websocket::detail::sec_ws_accept_type accept;
    websocket::detail::make_sec_ws_accept(accept, key);
    enqueue(shared("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Accept: " + std::string(accept.data(), accept.size()) +
                   "\r\nServer: imchat\r\n" + node + "\r\n"),
            kRaw);

    const std::string target(req.target());
    const auto q = target.find('?');
    const std::string_view query = q == std::string::npos ? "" : std::string_view(target).substr(q + 1);
    const std::string token = core::query_param(query, "token").value_or("");
    const bool ack_socket = core::query_param(query, "ack").value_or("") == "1";
    auto user = api_.token_user(token);
    if (!user) {
        // Reference behaviour: a fail frame, then close (4002: token invalid).
        metrics::registry().refuse(metrics::Reason::auth);
        enqueue(shared(protocol::Json{{"msg", "fail"}, {"data", protocol::kErrTokenInvalid}}.dump()), ws::kText);
        close_now(protocol::kCloseTokenInvalid, "token invalid", false);
    } else if (user->status != 1) {
        // Issue 14: an operator disabled the account (imchat-server --disable-user): 4003, the client stops.
        metrics::registry().refuse(metrics::Reason::disabled);
        enqueue(shared(protocol::Json{{"msg", "fail"}, {"data", kErrDisabled.text}}.dump()), ws::kText);
        close_now(protocol::kCloseDisabled, "account disabled", false);
    } else {
        user_ = *user;
        if (!ack_socket) delivery_ = api_.reference_delivery(user_);   // a reference client: writes are deliveries
        // Refused while the bus is unhealthy: the hub closes us with 1013 and the client retries.
        attached_ = hub_.attach(user_.id, shared_from_this());
        if (attached_) enqueue(shared(api_.welcome_frame()), ws::kText);
    }
    arm_timer();
    read();
}

// ---- writing ----------------------------------------------------------------------------

void WsSession::send(const Frame& f) { enqueue(f, ws::kText); }

void WsSession::enqueue(Frame f, uint8_t opcode) {
    bool post = false, overflow = false;
    {
        std::lock_guard lk(mu_);
        if (!accepting_) return;
        const size_t queued = queued_.load(std::memory_order_relaxed) + f->size();
        if (queued > cfg_.max_queue_bytes) {
            // A slow consumer: drop what is not started yet (memory stays bounded), close with
            // 4008. The batch being written stays alive until its write completes.
            overflow = true;
            accepting_ = false;
            pending_.clear();
            queued_.store(writing_bytes_, std::memory_order_relaxed);
        } else {
            pending_.push_back(Out{std::move(f), opcode});
            queued_.store(queued, std::memory_order_relaxed);
            post = !flush_posted_;
            flush_posted_ = true;
        }
    }
    if (overflow) {
        net::post(sock_.get_executor(), [self = shared_from_this()] {
            metrics::registry().refuse(metrics::Reason::slow_consumer);
            self->close_now(protocol::kClosePolicy, "slow consumer", true);
        });
    } else if (post) {
        const int64_t wait = cfg_.write_coalesce_ms - (now_ms() - last_flush_ms_.load(std::memory_order_relaxed));
        if (wait <= 0) {
            net::post(sock_.get_executor(), [self = shared_from_this()] { self->flush(); });
        } else {   // wrote moments ago: let what arrives meanwhile share the next write
            net::post(sock_.get_executor(), [self = shared_from_this(), wait] {
                self->flush_timer_.expires_after(std::chrono::milliseconds(wait));
                self->flush_timer_.async_wait([self](beast::error_code ec) {
                    if (!ec) self->flush();
                });
            });
        }
    }
}

void WsSession::flush() {
    if (write_in_flight_ || dead_) return;
    for (;;) {
        {
            std::lock_guard lk(mu_);
            if (pending_.empty()) {
                flush_posted_ = false;
                return;
            }
            if (delivery_) {   // a reference socket: one frame a write (its deliveries are counted a frame at a time)
                writing_.push_back(std::move(pending_.front()));
                pending_.erase(pending_.begin());
            } else {
                writing_.swap(pending_);
            }
            writing_bytes_ = 0;
            for (const auto& o : writing_) writing_bytes_ += o.data->size();
        }
        counted_delivery_ = false;
        if (!delivery_ || writing_.front().opcode != ws::kText) break;
        if (delivery_->should_write(*writing_.front().data)) {
            counted_delivery_ = true;
            break;
        }
        std::lock_guard lk(mu_);   // already written once to this socket: skip it
        queued_.fetch_sub(writing_bytes_, std::memory_order_relaxed);
        writing_bytes_ = 0;
        writing_.clear();
    }
    last_flush_ms_.store(now_ms(), std::memory_order_relaxed);
    headers_.resize(writing_.size());
    bufs_.clear();
    for (size_t i = 0; i < writing_.size(); ++i) {
        const Out& o = writing_[i];
        if (o.opcode != kRaw && o.opcode != kCloseRaw) {
            const size_t n = ws::encode_header(headers_[i], o.opcode, o.data->size());
            bufs_.emplace_back(headers_[i].data(), n);
        }
        bufs_.emplace_back(o.data->data(), o.data->size());
    }
    write_in_flight_ = true;
    net::async_write(sock_, bufs_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->on_write(ec);
    });
}

void WsSession::on_write(beast::error_code ec) {
    write_in_flight_ = false;
    bool wrote_close = false;
    for (const auto& o : writing_) wrote_close |= o.opcode == kCloseRaw;
    {
        std::lock_guard lk(mu_);
        queued_.fetch_sub(writing_bytes_, std::memory_order_relaxed);
        writing_bytes_ = 0;
        writing_.clear();   // now the frames may go
    }
    if (bufs_.capacity() > 256) { std::vector<net::const_buffer>().swap(bufs_); std::vector<std::array<uint8_t, 10>>().swap(headers_); }
    if (ec) {
        fail(ec, "ws write");
        return shut();
    }
    if (counted_delivery_ && delivery_) delivery_->written();
    counted_delivery_ = false;
    if (wrote_close) close_sent_ = true;
    if (close_sent_ && peer_closed_) return shut();   // both sides said close
    flush();
}

// ---- reading ----------------------------------------------------------------------------

void WsSession::read() {
    sock_.async_wait(tcp::socket::wait_read, [self = shared_from_this()](beast::error_code ec) { self->on_readable(ec); });
}

void WsSession::on_readable(beast::error_code ec) {
    if (dead_) return;
    if (ec) {
        fail(ec, "ws read");
        return shut();
    }
    thread_local std::array<char, 16384> scratch;
    for (;;) {
        const size_t n = sock_.read_some(net::buffer(scratch), ec);
        if (ec == net::error::would_block || ec == net::error::try_again) break;
        if (ec) {   // eof or reset: the peer is gone
            fail(ec, "ws read");
            return shut();
        }
        last_read_ms_ = now_ms();
        parser_.feed(std::string_view(scratch.data(), n));
        if (!handle_input()) return;
        if (n < scratch.size()) break;
    }
    parser_.release();   // idle: no buffer kept
    read();
}

bool WsSession::handle_input() {
    for (;;) {
        const ws::Event e = parser_.next();
        switch (e.kind) {
        case ws::Event::kNeedMore: return true;
        case ws::Event::kMessage: on_text(e.payload); break;
        case ws::Event::kPing:
            if (!close_queued_) enqueue(shared(ws::encode_control(ws::kPong, e.payload)), kRaw);
            break;
        case ws::Event::kPong: break;
        case ws::Event::kClose:
            peer_closed_ = true;
            if (close_sent_) {
                shut();
                return false;
            }
            if (!close_queued_) close_now(e.code == 1005 ? ws::kCloseNormal : e.code, "", false);
            return true;   // keep the loop alive until our close is out
        case ws::Event::kError:
            close_now(e.code, e.code == ws::kCloseTooBig ? "message too big" : "protocol error", true);
            peer_closed_ = true;   // nothing more is read from a peer that broke the protocol
            return false;
        }
        if (dead_) return false;
    }
}

void WsSession::on_text(std::string_view text) {
    if (close_queued_) return;
    if (!rate_.allow(now_ms())) {
        metrics::registry().refuse(metrics::Reason::rate_limited);
        return close_now(protocol::kClosePolicy, "rate limit", false);
    }
    if (!attached_) return;
    if (auto reply = api_.socket_text(user_, text)) enqueue(shared(std::move(*reply)), ws::kText);
}

// ---- closing ----------------------------------------------------------------------------

void WsSession::close(int code, const std::string& reason) {
    net::post(sock_.get_executor(), [self = shared_from_this(), code, reason] { self->close_now(code, reason, false); });
}

// Queues our close frame after what is queued (or instead of it: drop_queued), stops
// taking frames, and leaves the hub. The socket ends when both sides said close, or
// kCloseGraceMs later.
void WsSession::close_now(int code, const std::string& reason, bool drop_queued) {
    if (close_queued_ || dead_) return;
    close_queued_ = true;
    close_started_ms_ = now_ms();
    detach();
    Frame f = shared(ws::encode_close(code, reason));
    bool post = false;
    {
        std::lock_guard lk(mu_);
        accepting_ = false;
        if (drop_queued) {
            pending_.clear();
            queued_.store(writing_bytes_, std::memory_order_relaxed);
        }
        queued_.fetch_add(f->size(), std::memory_order_relaxed);
        pending_.push_back(Out{std::move(f), kCloseRaw});
        post = !flush_posted_;
        flush_posted_ = true;
    }
    if (post) net::post(sock_.get_executor(), [self = shared_from_this()] { self->flush(); });
}

void WsSession::arm_timer() {
    const int64_t idle = static_cast<int64_t>(cfg_.idle_timeout_s) * 1000;
    // Ticks at a quarter of the timeout: a peer is pinged once it has been silent for half of
    // it, and its pong has a quarter left to arrive before the drop. (Ticks at half made an
    // answering peer's pong race the tick: a pong just after one tick left it unpinged at the
    // next, and the tick after found it silent for the whole timeout less its round trip.)
    timer_.expires_after(std::chrono::milliseconds(close_queued_ ? 500 : std::max<int64_t>(idle / 4, 100)));
    timer_.async_wait([self = shared_from_this()](beast::error_code ec) { self->on_timer(ec); });
}

void WsSession::on_timer(beast::error_code ec) {
    if (ec || dead_) return;
    const int64_t now = now_ms(), idle = static_cast<int64_t>(cfg_.idle_timeout_s) * 1000;
    if (close_queued_) {
        if (now - close_started_ms_ >= kCloseGraceMs) return shut();
    } else if (now - last_read_ms_ >= idle) {
        return shut();   // silent for the whole idle timeout (pings unanswered)
    } else if (now - last_read_ms_ >= idle / 2) {
        enqueue(shared(ws::encode_control(ws::kPing, "")), kRaw);
    }
    arm_timer();
}

void WsSession::shut() {
    if (dead_) return;
    dead_ = true;
    detach();
    {
        std::lock_guard lk(mu_);
        accepting_ = false;
        pending_.clear();
        queued_.store(writing_bytes_, std::memory_order_relaxed);
    }
    beast::error_code ec;
    timer_.cancel();
    flush_timer_.cancel();
    sock_.shutdown(tcp::socket::shutdown_both, ec);
    sock_.close(ec);
}

void WsSession::detach() {
    if (attached_) {
        attached_ = false;
        hub_.detach(user_.id, *this);
    }
}

}  // namespace imchat::server
