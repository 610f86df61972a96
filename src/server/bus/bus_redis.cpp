// Redis bus (see bus_redis.hpp; the files are listed in bus_redis_impl.hpp):
// construction, the publish/kick entry points and messages from other nodes.
// Everything touching sockets runs on the bus's own io thread; publish()/kick() post to it.
#include "server/bus/bus_redis_impl.hpp"

#include <cctype>
#include <random>
#include <stdexcept>

namespace imchat::server {
namespace redis_link {

namespace {
// The atomic "newest login" step: INCR the user's login counter and publish the
// kick carrying it, in one script so no other kick can come between.
constexpr std::string_view kKickScript =
    "local n = redis.call('INCR', KEYS[1]) "
    "redis.call('PUBLISH', ARGV[1], ARGV[2] .. n) "
    "return n";
}  // namespace

RedisBusImpl::RedisBusImpl(RedisBusConfig cfg)
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

RedisBusImpl::~RedisBusImpl() {
    asio::post(io_, [this] {
        stopping_ = true;
        drop_conns();
        tick_.cancel();
        retry_.cancel();
        work_.reset();
    });
    thread_.join();
}

void RedisBusImpl::subscribe(Handler h) {
    std::lock_guard lk(handlers_mu_);
    auto next = std::make_shared<std::vector<Handler>>(*handlers_);
    next->push_back(std::move(h));
    handlers_ = std::move(next);
}

void RedisBusImpl::publish(const std::vector<int64_t>& user_ids, const Frame& frame) {
    if (user_ids.empty()) return;
    const auto hs = snapshot();
    for (const auto& h : *hs)
        if (h.deliver)
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

void RedisBusImpl::kick(int64_t user_id, uint64_t keep_session) {
    const auto hs = snapshot();
    for (const auto& h : *hs)
        if (h.kick) h.kick(user_id, keep_session);
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

void RedisBusImpl::audience_changed(int64_t group_id, int64_t user_id) {
    std::string cmd;
    resp::encode_command(cmd, {"PUBLISH", channel_,
                               "A|" + cfg_.node_id + "|" + std::to_string(group_id) + "|" + std::to_string(user_id)});
    enqueue(std::move(cmd), false, 0);
}

RedisBusStats RedisBusImpl::stats() const {
    RedisBusStats s;
    s.published = published_.load();
    s.dropped = dropped_.load();
    s.received = received_.load();
    s.reconnects = reconnects_.load();
    return s;
}

void RedisBusImpl::on_push(resp::Value&& v) {
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

void RedisBusImpl::on_message(std::string_view m) {
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
                for (const auto& h : *hs)
                    if (h.deliver) h.deliver(u, frame);
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
    } else if (type == "A") {
        std::string_view group_s;
        int64_t group = 0, user = 0;
        if (!field(m, group_s) || !to_i64(group_s, group) || !to_i64(m, user)) return;
        const auto hs = snapshot();
        for (const auto& h : *hs)
            if (h.audience) h.audience(group, user);
    }
}

}  // namespace redis_link

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
    if (!redis_link::to_u64(std::string_view(s).substr(colon + 1), p) || p == 0 || p > 65535) return false;
    port = static_cast<uint16_t>(p);
    return !host.empty();
}

std::unique_ptr<RedisBus> make_redis_bus(RedisBusConfig cfg) {
    return std::make_unique<redis_link::RedisBusImpl>(std::move(cfg));
}

}  // namespace imchat::server
