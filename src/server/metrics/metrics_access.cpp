#include "server/metrics/metrics_access.hpp"

namespace imchat::server::metrics {

namespace {
bool loopback(const IpAddress& ip) {
    static const Cidr v4 = *parse_cidr("127.0.0.0/8");
    static const Cidr v6 = *parse_cidr("::1/128");
    return contains(v4, ip) || contains(v6, ip);
}
}  // namespace

bool allowed(const Access& a, const TrustedProxies& proxies, std::string_view peer, std::string_view client,
             bool forwarded) {
    if (!a.enabled) return false;
    const auto peer_ip = parse_ip(peer);
    if (!peer_ip) return false;
    const bool via_trusted = proxies.trusted(*peer_ip);
    if (forwarded && !via_trusted) return false;   // relayed by a proxy we were not told about
    const auto ip = parse_ip(via_trusted ? client : peer);
    if (!ip) return false;
    return a.allow.empty() ? loopback(*ip) : a.allow.trusted(*ip);
}

}  // namespace imchat::server::metrics
