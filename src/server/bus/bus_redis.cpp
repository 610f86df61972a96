// Redis bus (see bus_redis.hpp). Everything touching sockets runs on the bus's
// own io thread; publish()/kick() post to it.
#include "server/bus/bus_redis.hpp"

#include <utility>  // first: Boost 1.74 asio uses std::exchange without including it

#include <boost/asio.hpp>

#include <array>
#include <cctype>
#include <charconv>
#include <deque>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

#include "server/bus/resp.hpp"

namespace imchat::server {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;

namespace {

// The atomic "newest login" step: INCR the user's login counter and publish the
// kick carrying it, in one script so no other kick can come between.
constexpr std::string_view kKickScript =
    "local n = redis.call('INCR', KEYS[1]) "
    "redis.call('PUBLISH', ARGV[1], ARGV[2] .. n) "
    "return n";

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
// Splits off the text up to the next '|'; false if there is none.
bool field(std::string_view& rest, std::string_view& out) {
    const size_t bar = rest.find('|');
    if (bar == std::string_view::npos) return false;
    out = rest.substr(0, bar);
    rest.remove_prefix(bar + 1);
    return true;
}

// One TCP connection to Redis: resolve, connect (with a deadline), write what it
// is given, hand every decoded value to on_value. Any error closes it and calls
// on_down once; close() ends it silently.
class Conn : public std::enable_shared_from_this<Conn> {
public:
    using OnValue = std::function<void(resp::Value&&)>;
    using OnDown = std::function<void(const std::string&)>;

    explicit Conn(asio::io_context& io) : io_(io), sock_(io), resolver_(io), timer_(io) {}

    void start(const std::string& host, uint16_t port, std::chrono::milliseconds timeout,
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

    void send(std::string_view bytes) {
        if (closed_) return;
        next_.append(bytes.data(), bytes.size());
        flush();
    }
    size_t buffered() const { return next_.size() + writing_.size(); }
    bool   up() const { return up_ && !closed_; }

    void close() {
        on_up_ = nullptr;
        on_value_ = nullptr;
        on_down_ = nullptr;
        shut();
    }

private:
    void shut() {
        if (closed_) return;
        closed_ = true;
        up_ = false;
        boost::system::error_code ignore;
        timer_.cancel();
        resolver_.cancel();
        sock_.shutdown(tcp::socket::shutdown_both, ignore);
        sock_.close(ignore);
    }
    void fail(const std::string& why) {
        if (closed_) return;
        auto down = std::move(on_down_);
        on_up_ = nullptr;
        on_value_ = nullptr;
        shut();
        if (down) down(why);
    }

    void flush() {
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

    void read() {
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

    asio::io_context&     io_;
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

class RedisBusImpl final : public RedisBus {
public:
    explicit RedisBusImpl(RedisBusConfig cfg)
        : cfg_(std::move(cfg)),
          channel_(cfg_.prefix + ":bus"),
          tick_(io_),
          retry_(io_),
          work_(asio::make_work_guard(io_)) {
        if (cfg_.node_id.empty()) cfg_.node_id = random_node_id();
        if (!valid_node_id(cfg_.node_id)) throw std::invalid_argument("bad node id '" + cfg_.node_id + "'");
        backoff_ = cfg_.backoff_min;
        asio::post(io_, [this] { connect(); schedule_tick(); });
        thread_ = std::thread([this] { io_.run(); });
    }

    ~RedisBusImpl() override {
        asio::post(io_, [this] {
            stopping_ = true;
            drop_conns();
            tick_.cancel();
            retry_.cancel();
            work_.reset();
        });
        thread_.join();
    }

    void subscribe(Handler h) override {
        std::lock_guard lk(handlers_mu_);
        auto next = std::make_shared<std::vector<Handler>>(*handlers_);
        next->push_back(std::move(h));
        handlers_ = std::move(next);
    }

    void publish(const std::vector<int64_t>& user_ids, const Frame& frame) override {
        if (user_ids.empty()) return;
        const auto hs = snapshot();
        for (const auto& h : *hs)
            for (int64_t u : user_ids) h.deliver(u, frame);
        std::string msg = "F|" + cfg_.node_id + "|";
        for (size_t i = 0; i < user_ids.size(); ++i) {
            if (i) msg += ',';
            msg += std::to_string(user_ids[i]);
        }
        msg += '|';
        msg += *frame;
        std::string cmd;
        resp::encode_command(cmd, {"PUBLISH", channel_, msg});
        enqueue(std::move(cmd), false, 0);
    }

    void kick(int64_t user_id, uint64_t keep_session) override {
        const auto hs = snapshot();
        for (const auto& h : *hs) h.kick(user_id, keep_session);
        // Counted before anything leaves: a remote kick read meanwhile waits for our number.
        {
            std::lock_guard lk(kick_mu_);
            ++pending_[user_id];
        }
        const std::string key = cfg_.prefix + ":login:" + std::to_string(user_id);
        const std::string msg =
            "K|" + cfg_.node_id + "|" + std::to_string(user_id) + "|" + std::to_string(keep_session) + "|";
        std::string cmd;
        resp::encode_command(cmd, {"EVAL", kKickScript, "1", key, channel_, msg});
        enqueue(std::move(cmd), true, user_id);
    }

    bool healthy() const override { return healthy_.load(); }

    RedisBusStats stats() const override {
        RedisBusStats s;
        s.published = published_.load();
        s.dropped = dropped_.load();
        s.received = received_.load();
        s.reconnects = reconnects_.load();
        return s;
    }
    const std::string& node_id() const override { return cfg_.node_id; }

private:
    using Handlers = std::shared_ptr<const std::vector<Handler>>;
    Handlers snapshot() const {
        std::lock_guard lk(handlers_mu_);
        return handlers_;
    }

    // Any thread. Never blocks: over the bound or while unhealthy the command is dropped.
    void enqueue(std::string cmd, bool is_kick, int64_t user) {
        const size_t n = cmd.size();
        if (!healthy_.load() || queued_.load() + n > cfg_.max_queue_bytes) {
            drop(is_kick, user);
            return;
        }
        queued_ += n;
        asio::post(io_, [this, cmd = std::move(cmd), is_kick, user, n] {
            if (!pub_ || !pub_->up() || pub_->buffered() + n > cfg_.max_queue_bytes) {
                queued_ -= n;
                drop(is_kick, user);
                return;
            }
            pub_->send(cmd);
            queued_ -= n;
            ++published_;
            replies_.push_back(is_kick ? std::optional<int64_t>(user) : std::nullopt);
        });
    }

    void drop(bool is_kick, int64_t user) {
        ++dropped_;
        if (is_kick) own_number(user, 0);
    }

    // A reply to one of our kicks (n = 0: it never got a number). Releases the
    // remote kicks held back for this user once none of ours is in flight.
    void own_number(int64_t user, int64_t n) {
        std::vector<std::pair<int64_t, uint64_t>> ready;  // (n, keep) of remote kicks, in order
        std::vector<int64_t> apply;
        {
            std::lock_guard lk(kick_mu_);
            auto& mine = own_max_[user];
            mine = std::max(mine, n);
            auto it = pending_.find(user);
            if (it != pending_.end() && --it->second > 0) return;
            if (it != pending_.end()) pending_.erase(it);
            auto d = deferred_.find(user);
            if (d == deferred_.end()) return;
            for (int64_t rn : d->second) {
                if (rn > mine) apply.push_back(rn);
            }
            deferred_.erase(d);
        }
        if (!apply.empty()) kick_locally(user);
    }

    // A kick from another node, numbered n.
    void remote_kick(int64_t user, int64_t n) {
        {
            std::lock_guard lk(kick_mu_);
            if (pending_.count(user)) {
                deferred_[user].push_back(n);
                return;
            }
            auto it = own_max_.find(user);
            if (it != own_max_.end() && it->second > n) return;  // one of our logins is newer
        }
        kick_locally(user);
    }

    // Connection ids are per process: another node's session id means nothing
    // here, so every local socket of this user goes (0 is no connection's id).
    void kick_locally(int64_t user) {
        const auto hs = snapshot();
        for (const auto& h : *hs) h.kick(user, 0);
    }

    // --- io thread only from here ---

    void connect() {
        if (stopping_) return;
        const uint64_t gen = ++gen_;
        attempt_at_ = Clock::now();
        sub_ready_ = pub_ready_ = false;
        pub_ = std::make_shared<Conn>(io_);
        sub_ = std::make_shared<Conn>(io_);
        auto down = [this, gen](const std::string& why) {
            if (gen == gen_) lost("connection " + why);
        };
        pub_->start(cfg_.host, cfg_.port, cfg_.connect_timeout,
                    [this, gen] { if (gen == gen_) { pub_ready_ = true; probe(); } },
                    [this, gen](resp::Value&& v) { if (gen == gen_) on_reply(std::move(v)); }, down);
        sub_->start(cfg_.host, cfg_.port, cfg_.connect_timeout,
                    [this, gen] {
                        std::string cmd;
                        resp::encode_command(cmd, {"SUBSCRIBE", channel_});
                        if (gen == gen_) sub_->send(cmd);
                    },
                    [this, gen](resp::Value&& v) { if (gen == gen_) on_push(std::move(v)); }, down);
    }

    void drop_conns() {
        ++gen_;
        if (pub_) pub_->close();
        if (sub_) sub_->close();
        pub_.reset();
        sub_.reset();
        sub_ready_ = pub_ready_ = false;
        // Our kicks in flight will never get a number: release what waits on them.
        if (stopping_) return;
        auto replies = std::move(replies_);
        replies_.clear();
        for (auto& r : replies)
            if (r) own_number(*r, 0);
    }

    void lost(const std::string& why) {
        if (stopping_) return;
        drop_conns();
        set_healthy(false, why);
        ++reconnects_;
        retry_.expires_after(backoff_);
        backoff_ = std::min(backoff_ * 2, cfg_.backoff_max);
        retry_.async_wait([this](boost::system::error_code ec) {
            if (!ec) connect();
        });
    }

    void set_healthy(bool h, const std::string& why) {
        if (healthy_.exchange(h) == h) return;
        (void)why;
        const auto hs = snapshot();
        for (const auto& hd : *hs)
            if (hd.health) hd.health(h);
    }

    void schedule_tick() {
        tick_.expires_after(cfg_.probe_every);
        tick_.async_wait([this](boost::system::error_code ec) {
            if (ec || stopping_) return;
            if (pub_ && sub_) {
                const auto since = std::max(last_probe_, attempt_at_);
                if (Clock::now() - since > cfg_.probe_timeout) lost("no probe back");
                else probe();
            }
            schedule_tick();
        });
    }

    void probe() {
        if (!pub_ready_ || !sub_ready_ || !pub_) return;
        std::string cmd;
        resp::encode_command(cmd, {"PUBLISH", channel_, "P|" + cfg_.node_id + "|" + std::to_string(++probe_seq_)});
        pub_->send(cmd);
        replies_.push_back(std::nullopt);
    }

    void on_reply(resp::Value&& v) {
        if (replies_.empty()) return lost("unexpected reply");
        const auto user = replies_.front();
        replies_.pop_front();
        if (!user) return;
        own_number(*user, v.type == resp::Value::Type::Integer ? v.integer : 0);
    }

    void on_push(resp::Value&& v) {
        using T = resp::Value::Type;
        if (v.type != T::Array || v.elements.empty() || v.elements[0].type != T::Bulk) return;
        const std::string& kind = v.elements[0].str;
        if (kind == "subscribe") {
            sub_ready_ = true;
            probe();
            return;
        }
        if (kind != "message" || v.elements.size() != 3 || v.elements[2].type != T::Bulk) return;
        on_message(v.elements[2].str);
    }

    void on_message(std::string_view m) {
        std::string_view type, node;
        if (!field(m, type) || !field(m, node)) return;
        const bool mine = node == cfg_.node_id;
        if (type == "P") {
            if (!mine) return;
            last_probe_ = Clock::now();
            backoff_ = cfg_.backoff_min;
            set_healthy(true, "");
            return;
        }
        if (mine) return;  // delivered locally when published
        ++received_;
        if (type == "F") {
            std::string_view users;
            if (!field(m, users)) return;
            auto frame = std::make_shared<const std::string>(m);
            const auto hs = snapshot();
            while (!users.empty()) {
                const size_t comma = users.find(',');
                int64_t u = 0;
                if (to_i64(users.substr(0, comma), u))
                    for (const auto& h : *hs) h.deliver(u, frame);
                if (comma == std::string_view::npos) break;
                users.remove_prefix(comma + 1);
            }
        } else if (type == "K") {
            std::string_view user_s, keep_s;
            int64_t user = 0, n = 0;
            uint64_t keep = 0;
            if (!field(m, user_s) || !field(m, keep_s)) return;
            if (!to_i64(user_s, user) || !to_u64(keep_s, keep) || !to_i64(m, n)) return;
            remote_kick(user, n);
        }
    }

    RedisBusConfig    cfg_;
    const std::string channel_;
    asio::io_context  io_;
    asio::steady_timer tick_, retry_;
    asio::executor_work_guard<asio::io_context::executor_type> work_;
    std::thread       thread_;

    mutable std::mutex handlers_mu_;
    Handlers           handlers_ = std::make_shared<std::vector<Handler>>();

    std::atomic<bool>     healthy_{false};
    std::atomic<size_t>   queued_{0};
    std::atomic<uint64_t> published_{0}, dropped_{0}, received_{0}, reconnects_{0};

    std::mutex kick_mu_;
    std::unordered_map<int64_t, int>                  pending_;   // our kicks without a number yet
    std::unordered_map<int64_t, int64_t>              own_max_;   // our newest login number per user
    std::unordered_map<int64_t, std::vector<int64_t>> deferred_;  // remote kick numbers waiting

    // io thread only
    std::shared_ptr<Conn> pub_, sub_;
    bool      pub_ready_ = false, sub_ready_ = false, stopping_ = false;
    uint64_t  gen_ = 0, probe_seq_ = 0;
    std::deque<std::optional<int64_t>> replies_;  // per command on pub_: the kick's user, if a kick
    Clock::time_point last_probe_{}, attempt_at_{};
    std::chrono::milliseconds backoff_;
};

}  // namespace

bool valid_node_id(const std::string& id) {
    if (id.empty() || id.size() > 64) return false;
    for (char c : id)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
    return true;
}

std::string random_node_id() {
    std::random_device rd;
    static const char* hex = "0123456789abcdef";
    std::string s;
    for (int i = 0; i < 12; ++i) s += hex[rd() & 15];
    return s;
}

bool parse_host_port(const std::string& s, std::string& host, uint16_t& port) {
    const size_t colon = s.rfind(':');
    if (colon == std::string::npos || colon == 0) return false;
    host = s.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    uint64_t p = 0;
    if (!to_u64(std::string_view(s).substr(colon + 1), p) || p == 0 || p > 65535) return false;
    port = static_cast<uint16_t>(p);
    return !host.empty();
}

std::unique_ptr<RedisBus> make_redis_bus(RedisBusConfig cfg) {
    return std::make_unique<RedisBusImpl>(std::move(cfg));
}

}  // namespace imchat::server
