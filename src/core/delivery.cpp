#include "core/delivery.hpp"

#include <algorithm>
#include <climits>

namespace imchat::core {

int64_t Delivery::next_send_deadline() const {
    int64_t next = INT64_MAX;
    for (const auto& [id, at] : send_deadlines) next = std::min(next, at);
    return next;
}

}  // namespace imchat::core
