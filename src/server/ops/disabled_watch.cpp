#include "server/ops/disabled_watch.hpp"

#include <spdlog/spdlog.h>

#include <atomic>

#include "protocol/codes.hpp"
#include "server/api/scheduler.hpp"
#include "server/hub.hpp"
#include "server/store/store.hpp"

namespace imchat::server {

struct DisabledWatch::State {
    Store&            store;
    Hub&              hub;
    Scheduler&        scheduler;
    int64_t           interval_ms;
    std::atomic<bool> alive{true};

    int tick() {
        int closed = 0;
        try {
            for (int64_t id : store.disabled_user_ids())
                if (hub.close_user(id, protocol::kCloseDisabled, "account disabled")) {
                    spdlog::info("user {}: account disabled, socket closed (4003)", id);
                    ++closed;
                }
        } catch (const std::exception& e) {
            spdlog::warn("disabled accounts: cannot read the store: {}", e.what());
        }
        return closed;
    }

    static void schedule(const std::shared_ptr<State>& s) {
        std::weak_ptr<State> weak = s;
        s->scheduler.after(s->interval_ms, [weak] {
            auto self = weak.lock();
            if (!self || !self->alive) return;
            self->tick();
            schedule(self);
        });
    }
};

DisabledWatch::DisabledWatch(Store& store, Hub& hub, Scheduler& scheduler, int64_t interval_ms)
    : state_(new State{store, hub, scheduler, interval_ms}) {}

DisabledWatch::~DisabledWatch() { state_->alive = false; }

void DisabledWatch::start() {
    if (state_->interval_ms > 0) State::schedule(state_);
}

int DisabledWatch::tick() { return state_->tick(); }

}  // namespace imchat::server
