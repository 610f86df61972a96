#include "core/timers.hpp"

#include <algorithm>

namespace imchat::core {

int64_t Timers::next() const { return *std::min_element(at_.begin(), at_.end()); }

}  // namespace imchat::core
