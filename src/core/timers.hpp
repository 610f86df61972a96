// imchat::core the session's timers as one table (after quinn-proto's
// connection/timer.rs): every deadline the client keeps, so "when must the
// platform wake us next" is one minimum, and a reset is one stop_all().
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace imchat::core {

enum class Timer {
    Connect,      // the socket must be open by then, or it is closed and retried
    Ping,         // the next heartbeat (and the missed-pong check)
    Reconnect,    // backoff over: reopen the socket
    Stable,       // online this long: the backoff starts from its first step again
    Bootstrap,    // a failed register / link lookup is retried
    CacheWrite,   // the message cache is dirty: written at most once a second
    Count
};

inline constexpr int64_t kNever = std::numeric_limits<int64_t>::max();

class Timers {
public:
    void    set(Timer t, int64_t at)            { at_[idx(t)] = at; }
    void    stop(Timer t)                       { at_[idx(t)] = kNever; }
    void    stop_all()                          { at_.fill(kNever); }
    bool    armed(Timer t) const                { return at_[idx(t)] != kNever; }
    int64_t get(Timer t) const                  { return at_[idx(t)]; }          // kNever when stopped
    bool    expired(Timer t, int64_t now) const { return armed(t) && now >= at_[idx(t)]; }
    int64_t next() const;                                                          // earliest, kNever if none

private:
    static constexpr std::size_t kCount = static_cast<std::size_t>(Timer::Count);
    static constexpr std::size_t idx(Timer t) { return static_cast<std::size_t>(t); }
    static constexpr std::array<int64_t, kCount> all_never() {
        std::array<int64_t, kCount> a{};
        for (auto& x : a) x = kNever;
        return a;
    }
    std::array<int64_t, kCount> at_ = all_never();
};

}  // namespace imchat::core
