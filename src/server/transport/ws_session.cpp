#include "server/transport/ws_session.hpp"

#include <atomic>

#include "protocol/codes.hpp"
#include "protocol/envelope.hpp"
#include "protocol/frames.hpp"
#include "protocol/message.hpp"
#include "core/url.hpp"
#include "server/transport/fail.hpp"
#include "server/transport/server.hpp"

namespace imchat::server {

namespace {
std::atomic<uint64_t> g_next_conn_id{1};
}  // namespace

WsSession::WsSession(tcp::socket&& s, const ServerConfig& cfg, Api& api, Hub& hub)
    : ws_(std::move(s)), cfg_(cfg), api_(api), hub_(hub), id_(g_next_conn_id++) {}

// The Hub holds only a weak reference: leaving it here covers every way out.
WsSession::~WsSession() { detach(); }

void WsSession::start(HttpRequest req) {
    websocket::stream_base::timeout t{};
    t.handshake_timeout = std::chrono::seconds(10);
    t.idle_timeout = std::chrono::seconds(cfg_.idle_timeout_s);
    t.keep_alive_pings = true;   // Beast pings at idle/2 and closes a silent peer
    ws_.set_option(t);
    ws_.read_message_max(cfg_.max_frame_bytes);
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
        res.set(http::field::server, "imchat");
    }));
    const std::string target(req.target());
    const auto q = target.find('?');
    const std::string_view query = q == std::string::npos ? "" : std::string_view(target).substr(q + 1);
    token_ = core::query_param(query, "token").value_or("");
    ack_socket_ = core::query_param(query, "ack").value_or("") == "1";
    ws_.async_accept(req, [self = shared_from_this()](beast::error_code ec) { self->on_accept(ec); });
}

void WsSession::send(const Frame& f) {
    net::post(ws_.get_executor(), [self = shared_from_this(), f] { self->enqueue(f); });
}

void WsSession::close(int code, const std::string& reason) {
    net::post(ws_.get_executor(), [self = shared_from_this(), code, reason] { self->close_now(code, reason); });
}

void WsSession::on_accept(beast::error_code ec) {
    if (ec) return fail(ec, "ws accept");
    auto user = api_.authenticate(token_);
    if (!user) {
        // Reference behaviour: a fail frame, then close (4002: token invalid).
        enqueue(std::make_shared<const std::string>(
            protocol::Json{{"msg", "fail"}, {"data", protocol::kErrTokenInvalid}}.dump()));
        close_now(protocol::kCloseTokenInvalid, "token invalid");
        read();   // keep reading so the close handshake completes
        return;
    }
    user_ = *user;
    if (!ack_socket_) delivery_ = api_.reference_delivery(user_);   // a reference client: writes are deliveries
    hub_.attach(user_.id, shared_from_this());
    attached_ = true;
    enqueue(std::make_shared<const std::string>(api_.welcome_frame()));
    window_start_ = std::chrono::steady_clock::now();
    read();
}

void WsSession::read() {
    ws_.async_read(buf_, [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void WsSession::on_read(beast::error_code ec) {
    // message_too_big: Beast has already sent close 1009.
    if (ec) { detach(); return fail(ec, "ws read"); }
    const std::string text = beast::buffers_to_string(buf_.data());
    buf_.consume(buf_.size());
    if (closing_) { read(); return; }
    auto now = std::chrono::steady_clock::now();
    if (now - window_start_ > std::chrono::seconds(10)) { window_start_ = now; frames_ = 0; }
    if (++frames_ > cfg_.frames_per_10s) {
        close_now(protocol::kClosePolicy, "rate limit");
    } else if (auto reply = api_.socket_text(user_, text)) {
        enqueue(std::make_shared<const std::string>(std::move(*reply)));
    }
    read();
}

void WsSession::enqueue(const Frame& f) {
    if (closing_) return;
    queued_bytes_ += f->size();
    if (queued_bytes_ > cfg_.max_queue_bytes) {   // a slow consumer: drop it, memory stays bounded
        // Only the frames not started yet go; `writing_` stays alive until its write completes
        // (async_write holds a non-owning buffer into it).
        queue_.clear();
        queued_bytes_ = writing_ ? writing_->size() : 0;
        close_now(protocol::kClosePolicy, "slow consumer");
        return;
    }
    queue_.push_back(f);
    if (!writing_ && !writing_close_) write_next();
}

// Starts the next frame (skipping what a reference socket already wrote), else the pending close.
void WsSession::write_next() {
    while (!queue_.empty()) {
        Frame f = std::move(queue_.front());
        queue_.pop_front();
        if (delivery_ && !delivery_->should_write(*f)) {
            queued_bytes_ -= f->size();
            continue;
        }
        writing_ = std::move(f);
        ws_.text(true);
        ws_.async_write(net::buffer(*writing_),
                        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
        return;
    }
    if (pending_close_) do_close();
}

void WsSession::on_write(beast::error_code ec) {
    queued_bytes_ -= writing_->size();
    writing_.reset();
    if (ec) {
        queue_.clear();
        queued_bytes_ = 0;
        detach();
        return fail(ec, "ws write");
    }
    if (delivery_) delivery_->written();
    write_next();
}

void WsSession::close_now(int code, const std::string& reason) {
    if (closing_) return;
    closing_ = true;
    detach();
    close_reason_.code = static_cast<std::uint16_t>(code);
    close_reason_.reason = reason;
    pending_close_ = true;
    if (!writing_) do_close();   // else after the queued frames (the fail frame) are out
}

void WsSession::do_close() {
    pending_close_ = false;
    writing_close_ = true;
    ws_.async_close(close_reason_, [self = shared_from_this()](beast::error_code ec) {
        if (ec) return fail(ec, "ws close");
    });
}

void WsSession::detach() {
    if (attached_) { attached_ = false; hub_.detach(user_.id, *this); }
}

}  // namespace imchat::server
