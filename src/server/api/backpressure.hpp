// imchat::server Backpressure: is the server behind delivering to this audience?
// (transport: from the sockets' queues; tests: a fake).
#pragma once
#include <cstdint>
#include <vector>

namespace imchat::server {

class Backpressure {
public:
    virtual ~Backpressure() = default;
    virtual bool behind(const std::vector<int64_t>& audience) = 0;
};

}  // namespace imchat::server
