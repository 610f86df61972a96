// imchat::core reconnect backoff: exponential with full jitter, bounded.
#pragma once
#include <cstdint>
#include <functional>

namespace imchat::core {

class Backoff {
public:
    int64_t min_ms = 500;     // = 500, the shortest wait
    int64_t max_ms = 30000;   // = 30000, the cap

    // Next wait: uniform in [min_ms, min(max_ms, min_ms * 2^attempt)]; attempt++.
    // `uniform01` returns a double in [0, 1).
    int64_t next(const std::function<double()>& uniform01);
    void    reset() { attempt_ = 0; }
    int     attempt() const { return attempt_; }

private:
    int attempt_ = 0;
};

}  // namespace imchat::core
