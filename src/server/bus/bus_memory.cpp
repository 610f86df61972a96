// In-process bus: one server process, handlers called synchronously.
#include <memory>
#include <mutex>

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
            for (int64_t u : user_ids) h.deliver(u, frame);
    }
    void kick(int64_t user_id, uint64_t keep_session) override {
        const auto hs = snapshot();
        for (const auto& h : *hs) h.kick(user_id, keep_session);
    }

private:
    // Copy-on-subscribe: a publish takes a reference, not a copy of every handler.
    std::shared_ptr<const std::vector<Handler>> snapshot() {
        std::lock_guard lk(mu_);
        return handlers_;
    }
    std::mutex                                  mu_;
    std::shared_ptr<const std::vector<Handler>> handlers_ = std::make_shared<std::vector<Handler>>();
};
}  // namespace

std::unique_ptr<Bus> make_memory_bus() { return std::make_unique<MemoryBus>(); }

}  // namespace imchat::server
