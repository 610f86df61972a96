// Redis bus: presence across nodes. Each node keeps the users it holds in a set,
// "<prefix>:presence:<node>", with a TTL (presence_ttl) that every probe tick
// renews, and lists itself in "<prefix>:nodes". A node killed without a word
// stops renewing: its key expires and its users read as offline within
// presence_ttl. A query is one script over the live nodes' sets (dead nodes are
// dropped from the list on the way). While unhealthy, or if Redis does not answer
// within presence_timeout, a query answers from this node's own users.
#include "server/bus/bus_redis_impl.hpp"

#include <future>

namespace imchat::server::redis_link {

namespace {
// KEYS[1] = nodes set; ARGV[1] = presence key prefix; ARGV[2..] = user ids. Answers 0/1 per user.
constexpr std::string_view kOnlineScript =
    "local out = {} "
    "for i = 2, #ARGV do out[i - 1] = 0 end "
    "for _, n in ipairs(redis.call('SMEMBERS', KEYS[1])) do "
    "  local k = ARGV[1] .. n "
    "  if redis.call('EXISTS', k) == 0 then redis.call('SREM', KEYS[1], n) "
    "  else for i = 2, #ARGV do "
    "    if out[i - 1] == 0 and redis.call('SISMEMBER', k, ARGV[i]) == 1 then out[i - 1] = 1 end "
    "  end end "
    "end "
    "return out";
}  // namespace

void RedisBusImpl::set_online(int64_t user_id, bool online) {
    {
        std::lock_guard lk(presence_mu_);
        if (online) local_users_.insert(user_id);
        else local_users_.erase(user_id);
    }
    asio::post(io_, [this, user_id, online] {
        if (!pub_ready_ || !pub_) return;   // presence_rewrite() on the next link carries it
        const std::string key = presence_key(), u = std::to_string(user_id);
        const std::string ttl = std::to_string(cfg_.presence_ttl.count());
        std::string cmd;
        resp::encode_command(cmd, {online ? "SADD" : "SREM", key, u});
        resp::encode_command(cmd, {"PEXPIRE", key, ttl});
        resp::encode_command(cmd, {"SADD", nodes_key(), cfg_.node_id});
        pub_->send(cmd);
        for (int i = 0; i < 3; ++i) replies_.push_back(nullptr);
    });
}

void RedisBusImpl::presence_rewrite() {
    const std::string key = presence_key();
    std::vector<std::string> users;
    {
        std::lock_guard lk(presence_mu_);
        for (int64_t u : local_users_) users.push_back(std::to_string(u));
    }
    std::vector<std::string_view> add{"SADD", key};
    for (const auto& u : users) add.push_back(u);
    std::string cmd;
    int n = 0;
    resp::encode_command(cmd, {"DEL", key});
    ++n;
    if (add.size() > 2) {
        resp::encode_command(cmd, add);
        resp::encode_command(cmd, {"PEXPIRE", key, std::to_string(cfg_.presence_ttl.count())});
        n += 2;
    }
    resp::encode_command(cmd, {"SADD", nodes_key(), cfg_.node_id});
    ++n;
    pub_->send(cmd);
    for (int i = 0; i < n; ++i) replies_.push_back(nullptr);
}

void RedisBusImpl::presence_refresh() {
    if (!pub_ready_ || !pub_) return;
    std::string cmd;
    resp::encode_command(cmd, {"PEXPIRE", presence_key(), std::to_string(cfg_.presence_ttl.count())});
    resp::encode_command(cmd, {"SADD", nodes_key(), cfg_.node_id});
    pub_->send(cmd);
    replies_.push_back(nullptr);
    replies_.push_back(nullptr);
}

std::vector<bool> RedisBusImpl::local_online(const std::vector<int64_t>& user_ids) const {
    std::lock_guard lk(presence_mu_);
    std::vector<bool> out;
    out.reserve(user_ids.size());
    for (int64_t u : user_ids) out.push_back(local_users_.count(u) > 0);
    return out;
}

std::vector<bool> RedisBusImpl::online(const std::vector<int64_t>& user_ids) {
    if (user_ids.empty()) return {};
    if (!healthy_.load()) return local_online(user_ids);
    const std::string nodes = nodes_key(), key_prefix = cfg_.prefix + ":presence:";
    std::vector<std::string> ids;
    ids.reserve(user_ids.size());
    for (int64_t u : user_ids) ids.push_back(std::to_string(u));
    std::vector<std::string_view> cmd_args{"EVAL", kOnlineScript, "1", nodes, key_prefix};
    for (const auto& u : ids) cmd_args.push_back(u);
    std::string cmd;
    resp::encode_command(cmd, cmd_args);
    auto answer = std::make_shared<std::promise<std::vector<bool>>>();
    auto got = answer->get_future();
    const size_t n = user_ids.size();
    asio::post(io_, [this, cmd = std::move(cmd), answer, n] {
        if (!pub_ready_ || !pub_) return answer->set_value(std::vector<bool>());
        send_pub(cmd, [answer, n](const resp::Value* v) {
            std::vector<bool> out;
            if (v && v->type == resp::Value::Type::Array && v->elements.size() == n) {
                for (const auto& e : v->elements) out.push_back(e.type == resp::Value::Type::Integer && e.integer);
            }
            answer->set_value(std::move(out));   // empty: no answer
        });
    });
    auto local = local_online(user_ids);
    if (got.wait_for(cfg_.presence_timeout) != std::future_status::ready) return local;
    auto remote = got.get();
    if (remote.size() != n) return local;
    for (size_t i = 0; i < n; ++i) remote[i] = remote[i] || local[i];
    return remote;
}

}  // namespace imchat::server::redis_link
