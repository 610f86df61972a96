// Redis bus: the two connections (one SUBSCRIBEd, one for commands), the command
// queue, the probe and health. A probe to itself every probe_every; none back
// within probe_timeout, or either connection lost = unhealthy: handlers hear
// health(false), the bus reconnects with backoff, then health(true) once its own
// probe comes back. A publish while unhealthy is dropped and counted.
#include "server/bus/bus_redis_impl.hpp"

#include <algorithm>

namespace imchat::server::redis_link {

// Any thread. Never blocks: over the bound or while unhealthy the command is dropped.
void RedisBusImpl::enqueue(std::string cmd, bool is_kick, int64_t user) {
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
        queued_ -= n;
        ++published_;
        OnReply on_reply;
        if (is_kick)
            on_reply = [this, user](const resp::Value* v) {
                own_number(user, v && v->type == resp::Value::Type::Integer ? v->integer : 0);
            };
        send_pub(cmd, std::move(on_reply));
    });
}

void RedisBusImpl::drop(bool is_kick, int64_t user) {
    ++dropped_;
    if (is_kick) own_number(user, 0);
}

void RedisBusImpl::send_pub(const std::string& cmd, OnReply on_reply) {
    pub_->send(cmd);
    replies_.push_back(std::move(on_reply));
}

// --- io thread only from here ---

void RedisBusImpl::connect() {
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
                [this, gen] {
                    if (gen != gen_) return;
                    pub_ready_ = true;
                    presence_rewrite();
                    probe();
                },
                [this, gen](resp::Value&& v) { if (gen == gen_) on_reply(std::move(v)); }, down);
    sub_->start(cfg_.host, cfg_.port, cfg_.connect_timeout,
                [this, gen] {
                    std::string cmd;
                    resp::encode_command(cmd, {"SUBSCRIBE", channel_});
                    if (gen == gen_) sub_->send(cmd);
                },
                [this, gen](resp::Value&& v) { if (gen == gen_) on_push(std::move(v)); }, down);
}

void RedisBusImpl::drop_conns() {
    ++gen_;
    if (pub_) pub_->close();
    if (sub_) sub_->close();
    pub_.reset();
    sub_.reset();
    sub_ready_ = pub_ready_ = false;
    // Our commands in flight will never be answered: release what waits on them
    // (kicks without a number, presence queries).
    auto replies = std::move(replies_);
    replies_.clear();
    if (stopping_) return;
    for (auto& r : replies)
        if (r) r(nullptr);
}

void RedisBusImpl::lost(const std::string& why) {
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

void RedisBusImpl::set_healthy(bool h, const std::string& why) {
    if (healthy_.exchange(h) == h) return;
    (void)why;
    const auto hs = snapshot();
    for (const auto& hd : *hs)
        if (hd.health) hd.health(h);
}

void RedisBusImpl::schedule_tick() {
    tick_.expires_after(cfg_.probe_every);
    tick_.async_wait([this](boost::system::error_code ec) {
        if (ec || stopping_) return;
        if (pub_ && sub_) {
            const auto since = std::max(last_probe_, attempt_at_);
            if (Clock::now() - since > cfg_.probe_timeout) {
                lost("no probe back");
            } else {
                probe();
                presence_refresh();
            }
        }
        schedule_tick();
    });
}

void RedisBusImpl::probe() {
    if (!pub_ready_ || !sub_ready_ || !pub_) return;
    std::string cmd;
    resp::encode_command(cmd, {"PUBLISH", channel_, "P|" + cfg_.node_id + "|" + std::to_string(++probe_seq_)});
    send_pub(cmd, nullptr);
}

void RedisBusImpl::on_reply(resp::Value&& v) {
    if (replies_.empty()) return lost("unexpected reply");
    auto r = std::move(replies_.front());
    replies_.pop_front();
    if (r) r(&v);
}

}  // namespace imchat::server::redis_link
