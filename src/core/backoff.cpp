#include "core/backoff.hpp"

#include <algorithm>

namespace imchat::core {

int64_t Backoff::next(const std::function<double()>& uniform01) {
    const int shift = std::min(attempt_, 20);
    const int64_t ceiling = std::min<int64_t>(max_ms, min_ms << shift);
    ++attempt_;
    const double u = std::clamp(uniform01(), 0.0, 0.999999);
    return min_ms + static_cast<int64_t>(u * static_cast<double>(ceiling - min_ms + 1));
}

}  // namespace imchat::core
