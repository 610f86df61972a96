// In-process bus: one server process, handlers called synchronously.
#include <memory>
#include <mutex>
#include <unordered_map>

#include "server/bus/bus.hpp"

namespace imchat::server {
namespace {
class MemoryBus final : public Bus {
public:
    void subscribe(Handler h) override {
        std::lock_guard lk(mu_);
        auto next = std::make_shared<std::vector<Handler>>(*handlers_);
        next->push_back(std::move(h));
        handlers_ = std::move(next);
    }
    void publish(const std::vector<int64_t>& user_ids, const Frame& frame) override {
        const auto hs = snapshot();
        for (const auto& h : *hs)
            if (h.deliver)
                for (int64_t u : user_ids) h.deliver(u, frame);
    }
    void kick(int64_t user_id, uint64_t keep_session) override {
        const auto hs = snapshot();
        for (const auto& h : *hs)
            if (h.kick) h.kick(user_id, keep_session);
    }

    // Counted: two hubs on one memory bus (tests) may each hold a socket of the user.
    void set_online(int64_t user_id, bool online) override {
        std::lock_guard lk(presence_mu_);
        int& n = sockets_[user_id];
        n += online ? 1 : -1;
        if (n <= 0) sockets_.erase(user_id);
    }
    std::vector<bool> online(const std::vector<int64_t>& user_ids) override {
        std::lock_guard lk(presence_mu_);
        std::vector<bool> out;
        out.reserve(user_ids.size());
        for (int64_t u : user_ids) out.push_back(sockets_.count(u) > 0);
        return out;
    }

private:
    // Copy-on-subscribe: a publish takes a reference, not a copy of every handler.
    std::shared_ptr<const std::vector<Handler>> snapshot() {
        std::lock_guard lk(mu_);
        return handlers_;
    }
    std::mutex                                  mu_;
    std::shared_ptr<const std::vector<Handler>> handlers_ = std::make_shared<std::vector<Handler>>();
    std::mutex                                  presence_mu_;
    std::unordered_map<int64_t, int>            sockets_;   // user -> hubs holding a socket of theirs
};
}  // namespace

std::unique_ptr<Bus> make_memory_bus() { return std::make_unique<MemoryBus>(); }

}  // namespace imchat::server
