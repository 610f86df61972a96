// imchat::server Scheduler: runs a callback once, later, on some thread (transport: an
// io timer handing it to the API workers; tests: a manual fake).
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
