// Issue 14: who may read /metrics (metrics_access.hpp): loopback by default, --metrics-allow
// networks otherwise, nobody when off; a request relayed by an untrusted proxy never.
#include <gtest/gtest.h>

#include "server/metrics/metrics_access.hpp"

using namespace imchat::server;

namespace {

TrustedProxies nets(const std::string& list) {
    TrustedProxies t;
    std::string error;
    EXPECT_TRUE(t.parse({list}, error)) << error;
    return t;
}

TEST(MetricsAccess, LoopbackOnlyByDefault) {
    metrics::Access a;
    const TrustedProxies none;
    EXPECT_TRUE(metrics::allowed(a, none, "127.0.0.1", "127.0.0.1", false));
    EXPECT_TRUE(metrics::allowed(a, none, "::1", "::1", false));
    EXPECT_TRUE(metrics::allowed(a, none, "::ffff:127.0.0.1", "::ffff:127.0.0.1", false));
    EXPECT_FALSE(metrics::allowed(a, none, "192.168.1.20", "192.168.1.20", false));
    EXPECT_FALSE(metrics::allowed(a, none, "?", "?", false)) << "the peer is gone";
}

TEST(MetricsAccess, AnUntrustedProxyOnLoopbackDoesNotPublishThem) {
    metrics::Access a;
    EXPECT_FALSE(metrics::allowed(a, TrustedProxies{}, "127.0.0.1", "127.0.0.1", true));
}

TEST(MetricsAccess, ThroughATrustedProxyTheClientItNamesMustBeAllowed) {
    metrics::Access a;
    a.allow = nets("10.0.0.0/8");
    const auto proxies = nets("127.0.0.1/32");
    EXPECT_TRUE(metrics::allowed(a, proxies, "127.0.0.1", "10.1.2.3", true));
    EXPECT_FALSE(metrics::allowed(a, proxies, "127.0.0.1", "203.0.113.9", true));
    EXPECT_FALSE(metrics::allowed(a, TrustedProxies{}, "127.0.0.1", "127.0.0.1", false))
        << "an allow list replaces the loopback default";
    EXPECT_TRUE(metrics::allowed(a, TrustedProxies{}, "10.9.9.9", "10.9.9.9", false));
}

TEST(MetricsAccess, OffMeansNobody) {
    metrics::Access a;
    a.enabled = false;
    EXPECT_FALSE(metrics::allowed(a, TrustedProxies{}, "127.0.0.1", "127.0.0.1", false));
}

}  // namespace
