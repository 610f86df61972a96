// The Redis bus's link (see bus_redis.hpp): one TCP connection to Redis owned by
// Asio, with resp.hpp as the RESP reader/writer, and the small parsers the bus's
// messages need. Internal to src/server/bus.
#pragma once
#include <utility>  // first: Boost 1.74 asio uses std::exchange without including it

#include <boost/asio.hpp>

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "server/bus/resp.hpp"

namespace imchat::server::redis_link {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

bool to_i64(std::string_view s, int64_t& v);
bool to_u64(std::string_view s, uint64_t& v);
// Splits off the text up to the next '|'; false if there is none.
bool field(std::string_view& rest, std::string_view& out);

// One TCP connection to Redis: resolve, connect (with a deadline), write what it
// is given, hand every decoded value to on_value. Any error closes it and calls
// on_down once; close() ends it silently. io thread only.
class Conn : public std::enable_shared_from_this<Conn> {
public:
    using OnValue = std::function<void(resp::Value&&)>;
    using OnDown = std::function<void(const std::string&)>;

    explicit Conn(asio::io_context& io) : sock_(io), resolver_(io), timer_(io) {}

    void start(const std::string& host, uint16_t port, std::chrono::milliseconds timeout,
               std::function<void()> on_up, OnValue on_value, OnDown on_down);
    void send(std::string_view bytes);
    size_t buffered() const { return next_.size() + writing_.size(); }
    bool   up() const { return up_ && !closed_; }
    void   close();

private:
    void shut();
    void fail(const std::string& why);
    void flush();
    void read();

    tcp::socket           sock_;
    tcp::resolver         resolver_;
    asio::steady_timer    timer_;
    std::function<void()> on_up_;
    OnValue               on_value_;
    OnDown                on_down_;
    bool                  up_ = false, closed_ = false;
    std::string           in_, next_, writing_;
    std::array<char, 64 * 1024> chunk_{};
};

}  // namespace imchat::server::redis_link
