// imchat::server Scheduler: runs a function once, later, on some thread. The
// transport implements it with an asio timer; tests use a manual fake. The Api
// uses it to end a group's join-notice window (api_joins.cpp).
// Contract: fn runs at most once, never inline inside after(), and not after the
// Api that scheduled it is destroyed (the transport stops its timers first).
#pragma once
#include <cstdint>
#include <functional>

namespace imchat::server {

class Scheduler {
public:
    virtual ~Scheduler() = default;
    virtual void after(int64_t delay_ms, std::function<void()> fn) = 0;
};

}  // namespace imchat::server
