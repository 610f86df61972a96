// In-process bus: one server process, handlers called synchronously.
#include <mutex>

#include "server/bus/bus.hpp"

namespace imchat::server {
namespace {
class MemoryBus final : public Bus {
public:
    void subscribe(Handler h) override {
        std::lock_guard lk(mu_);
        handlers_.push_back(std::move(h));
    }
    void publish(const std::vector<int64_t>& user_ids, const Frame& frame) override {
        for (const auto& h : snapshot())
            for (int64_t u : user_ids) h.deliver(u, frame);
    }
    void kick(int64_t user_id, uint64_t keep_session) override {
        for (const auto& h : snapshot()) h.kick(user_id, keep_session);
    }

private:
    std::vector<Handler> snapshot() {
        std::lock_guard lk(mu_);
        return handlers_;
    }
    std::mutex           mu_;
    std::vector<Handler> handlers_;
};
}  // namespace

std::unique_ptr<Bus> make_memory_bus() { return std::make_unique<MemoryBus>(); }

}  // namespace imchat::server
