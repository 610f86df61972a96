// imchat::server transport: the HTTP connection limits (issue 14), one place for their
// defaults. main.cpp sets them from --max-conns-per-ip, --max-header-kb,
// --header-timeout-s, --keepalive-timeout-s (env twins IMCHAT_*); each refusal is an
// answer in the API's envelope {"msg":"fail","data":"<reason>"} (errors.hpp).
#pragma once
#include <cstddef>

namespace imchat::server {

struct HttpLimits {
    // Open connections (HTTP keep-alive and WebSockets) per client address; one more is
    // answered 429 and closed (0: no limit). Counted by --trust-proxy's client address.
    size_t max_conns_per_ip = 1000;
    // One request's header, request line to the blank line (bytes); more: 431.
    size_t max_header_bytes = 16 * 1024;
    // A request's header must be complete this long after its first byte (after accept for
    // the first request): a client trickling header bytes (slowloris) is cut here.
    int    header_timeout_s = 10;
    // A kept-alive connection with no next request for this long is closed.
    int    keepalive_timeout_s = 60;
};

}  // namespace imchat::server
