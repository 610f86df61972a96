// One connection to Redis (see bus_redis_conn.hpp).
#include "server/bus/bus_redis_conn.hpp"

#include <charconv>

namespace imchat::server::redis_link {

bool to_i64(std::string_view s, int64_t& v) {
    if (s.empty()) return false;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}
bool to_u64(std::string_view s, uint64_t& v) {
    if (s.empty()) return false;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    return r.ec == std::errc() && r.ptr == s.data() + s.size();
}
bool field(std::string_view& rest, std::string_view& out) {
    const size_t bar = rest.find('|');
    if (bar == std::string_view::npos) return false;
    out = rest.substr(0, bar);
    rest.remove_prefix(bar + 1);
    return true;
}

void Conn::start(const std::string& host, uint16_t port, std::chrono::milliseconds timeout,
                 std::function<void()> on_up, OnValue on_value, OnDown on_down) {
    on_up_ = std::move(on_up);
    on_value_ = std::move(on_value);
    on_down_ = std::move(on_down);
    auto self = shared_from_this();
    timer_.expires_after(timeout);
    timer_.async_wait([self](boost::system::error_code ec) {
        if (!ec && !self->up_) self->fail("connect timed out");
    });
    resolver_.async_resolve(host, std::to_string(port),
        [self](boost::system::error_code ec, tcp::resolver::results_type rs) {
            if (self->closed_) return;
            if (ec) return self->fail("resolve: " + ec.message());
            asio::async_connect(self->sock_, rs, [self](boost::system::error_code ec, const tcp::endpoint&) {
                if (self->closed_) return;
                if (ec) return self->fail("connect: " + ec.message());
                self->up_ = true;
                self->timer_.cancel();
                boost::system::error_code ignore;
                self->sock_.set_option(tcp::no_delay(true), ignore);
                self->read();
                if (self->on_up_) self->on_up_();
                self->flush();
            });
        });
}

void Conn::send(std::string_view bytes) {
    if (closed_) return;
    next_.append(bytes.data(), bytes.size());
    flush();
}

void Conn::close() {
    on_up_ = nullptr;
    on_value_ = nullptr;
    on_down_ = nullptr;
    shut();
}

void Conn::shut() {
    if (closed_) return;
    closed_ = true;
    up_ = false;
    boost::system::error_code ignore;
    timer_.cancel();
    resolver_.cancel();
    sock_.shutdown(tcp::socket::shutdown_both, ignore);
    sock_.close(ignore);
}

void Conn::fail(const std::string& why) {
    if (closed_) return;
    auto down = std::move(on_down_);
    on_up_ = nullptr;
    on_value_ = nullptr;
    shut();
    if (down) down(why);
}

void Conn::flush() {
    if (!up_ || closed_ || !writing_.empty() || next_.empty()) return;
    writing_.swap(next_);
    auto self = shared_from_this();
    asio::async_write(sock_, asio::buffer(writing_), [self](boost::system::error_code ec, size_t) {
        if (self->closed_) return;
        if (ec) return self->fail("write: " + ec.message());
        self->writing_.clear();
        self->flush();
    });
}

void Conn::read() {
    auto self = shared_from_this();
    sock_.async_read_some(asio::buffer(chunk_), [self](boost::system::error_code ec, size_t n) {
        if (self->closed_) return;
        if (ec) return self->fail(ec == asio::error::eof ? "closed by Redis" : "read: " + ec.message());
        self->in_.append(self->chunk_.data(), n);
        size_t used = 0;
        for (;;) {
            auto p = resp::parse(std::string_view(self->in_).substr(used));
            if (p.status == resp::Status::NeedMore) break;
            if (p.status == resp::Status::Error) return self->fail("protocol error from Redis");
            used += p.consumed;
            if (self->on_value_) self->on_value_(std::move(p.value));
            if (self->closed_) return;
        }
        self->in_.erase(0, used);
        self->read();
    });
}

}  // namespace imchat::server::redis_link
