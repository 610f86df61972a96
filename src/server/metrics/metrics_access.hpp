// imchat::server metrics: who may read /metrics. Closed to the public by default: only
// peers inside --metrics-allow networks (default loopback, 127.0.0.0/8 and ::1; env
// IMCHAT_METRICS_ALLOW; "off" turns /metrics off). A request relayed by a proxy that is not
// a --trust-proxy network (it carries X-Forwarded-For or Forwarded) is refused even from
// loopback: a reverse proxy on the same host would otherwise publish the metrics to anyone.
// Through a trusted proxy, the client it names (X-Forwarded-For) must be allowed.
#pragma once
#include <string_view>

#include "server/api/errors.hpp"
#include "server/transport/trust_proxy.hpp"

namespace imchat::server::metrics {

inline constexpr ApiError kErrMetricsForbidden{"metrics are served only to --metrics-allow networks", 403};

struct Access {
    bool           enabled = true;
    TrustedProxies allow;   // empty: loopback only
};

// peer: the TCP peer; client: client_ip() (the peer, or the client a trusted proxy names);
// forwarded: the request carries X-Forwarded-For or Forwarded.
bool allowed(const Access& a, const TrustedProxies& proxies, std::string_view peer, std::string_view client,
             bool forwarded);

}  // namespace imchat::server::metrics
