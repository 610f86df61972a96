// imchat::server Backpressure: whether the server is behind delivering to an
// audience (the transport answers from its sockets' send-queue sizes). A group
// message to an audience it is behind on is refused with 503 + Retry-After
// (kErrBusy) and nothing is stored: the sender retries, nothing acknowledged is lost.
// Called concurrently from the Api's worker threads: implementations must be thread-safe.
#pragma once
#include <cstdint>
#include <vector>

namespace imchat::server {

class Backpressure {
public:
    virtual ~Backpressure() = default;
    // `audience`: the group's active members (pending ones excluded), sender included.
    virtual bool behind(const std::vector<int64_t>& audience) = 0;
};

}  // namespace imchat::server
