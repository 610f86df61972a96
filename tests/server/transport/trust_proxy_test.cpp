// transport/trust_proxy: CIDR parsing (IPv4, IPv6, bad input) and which address a request
// is counted as coming from, with and without a trusted proxy in front.
#include "server/transport/trust_proxy.hpp"

#include <gtest/gtest.h>

using namespace imchat::server;

namespace {
bool in(std::string_view cidr, std::string_view ip) {
    auto n = parse_cidr(cidr);
    auto a = parse_ip(ip);
    EXPECT_TRUE(n) << cidr;
    EXPECT_TRUE(a) << ip;
    return n && a && contains(*n, *a);
}
TrustedProxies proxies(std::vector<std::string> items) {
    TrustedProxies p;
    std::string error;
    EXPECT_TRUE(p.parse(items, error)) << error;
    return p;
}
}  // namespace

TEST(TrustProxy, ParsesIpv4Networks) {
    EXPECT_TRUE(in("10.0.0.0/8", "10.255.1.2"));
    EXPECT_FALSE(in("10.0.0.0/8", "11.0.0.1"));
    EXPECT_TRUE(in("192.168.4.0/22", "192.168.7.255"));
    EXPECT_FALSE(in("192.168.4.0/22", "192.168.8.0"));
    EXPECT_TRUE(in("127.0.0.1", "127.0.0.1")) << "no prefix: one host";
    EXPECT_FALSE(in("127.0.0.1", "127.0.0.2"));
    EXPECT_TRUE(in("0.0.0.0/0", "8.8.8.8"));
    EXPECT_TRUE(in(" 10.1.2.3/8 ", "10.9.9.9")) << "host bits and blanks are tolerated";
    EXPECT_EQ(parse_cidr("172.16.0.0/12")->prefix, 12u);
}

TEST(TrustProxy, ParsesIpv6NetworksAndMapsIpv4InIpv6) {
    EXPECT_TRUE(in("fd00::/8", "fd12:3456::1"));
    EXPECT_FALSE(in("fd00::/8", "fe80::1"));
    EXPECT_TRUE(in("::1", "::1"));
    EXPECT_FALSE(in("::1", "::2"));
    EXPECT_TRUE(in("2001:db8::/33", "2001:db8:7fff::1"));
    EXPECT_FALSE(in("2001:db8::/33", "2001:db8:8000::1"));
    EXPECT_TRUE(in("127.0.0.0/8", "::ffff:127.0.0.1")) << "a v4-mapped peer is the IPv4 address";
    EXPECT_FALSE(in("::/0", "1.2.3.4")) << "IPv6 networks never hold IPv4 addresses";
    EXPECT_TRUE(in("::/0", "2001:db8::1"));
}

TEST(TrustProxy, RefusesBadNetworks) {
    for (const char* bad : {"", "10.0.0.0/", "10.0.0.0/33", "10.0.0/8", "10.0.0.0/8x", "10.0.0.0/-1",
                            "::1/129", "fe80::1%eth0", "localhost", "1.2.3.4/8/8", "/8", "10.0.0.0 /8",
                            "256.0.0.1", "10.0.0.0/0008"})
        EXPECT_FALSE(parse_cidr(bad)) << "'" << bad << "'";
    TrustedProxies p;
    std::string error;
    EXPECT_FALSE(p.parse({"127.0.0.1/32", "10.0.0.0/8,bogus"}, error));
    EXPECT_NE(error.find("'bogus'"), std::string::npos) << error;
    EXPECT_TRUE(p.empty()) << "nothing trusted after a bad list";
}

TEST(TrustProxy, AcceptsRepeatedAndCommaLists) {
    auto p = proxies({"127.0.0.1/32, 10.0.0.0/8", "fd00::/8", ""});
    EXPECT_TRUE(p.trusted(*parse_ip("10.2.3.4")));
    EXPECT_TRUE(p.trusted(*parse_ip("fd00::5")));
    EXPECT_TRUE(p.trusted(*parse_ip("127.0.0.1")));
    EXPECT_FALSE(p.trusted(*parse_ip("127.0.0.2")));
    EXPECT_TRUE(proxies({""}).empty()) << "an empty IMCHAT_TRUST_PROXY trusts nobody";
}

TEST(TrustProxy, UntrustedPeerIgnoresXForwardedFor) {
    auto p = proxies({"10.0.0.0/8"});
    EXPECT_EQ(p.client_ip("203.0.113.9", "1.2.3.4"), "203.0.113.9");
    EXPECT_EQ(TrustedProxies{}.client_ip("127.0.0.1", "1.2.3.4"), "127.0.0.1") << "no --trust-proxy";
    EXPECT_EQ(p.client_ip("?", "1.2.3.4"), "?") << "a peer already gone stays unknown";
}

TEST(TrustProxy, TrustedPeerTakesTheRightMostUntrustedHop) {
    auto p = proxies({"10.0.0.0/8", "127.0.0.1"});
    EXPECT_EQ(p.client_ip("127.0.0.1", "198.51.100.7"), "198.51.100.7");
    // The client wrote a fake entry; our proxies appended the real address after it.
    EXPECT_EQ(p.client_ip("127.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.3"), "198.51.100.7");
    EXPECT_EQ(p.client_ip("10.1.1.1", " 2001:db8::7 ,10.0.0.2"), "2001:db8::7");
    EXPECT_EQ(p.client_ip("127.0.0.1", "[2001:db8::8]"), "2001:db8::8");
    EXPECT_EQ(p.client_ip("::ffff:127.0.0.1", "198.51.100.9"), "198.51.100.9") << "v4-mapped peer";
}

TEST(TrustProxy, TrustedPeerEdgeCases) {
    auto p = proxies({"10.0.0.0/8", "127.0.0.1"});
    EXPECT_EQ(p.client_ip("127.0.0.1", ""), "127.0.0.1") << "no header: the proxy itself";
    EXPECT_EQ(p.client_ip("127.0.0.1", "10.0.0.5, 10.0.0.6"), "10.0.0.5") << "all trusted: the left-most";
    EXPECT_EQ(p.client_ip("127.0.0.1", "1.1.1.1, garbage, 10.0.0.6"), "10.0.0.6")
        << "an entry that is no address stops at the last trusted hop";
    EXPECT_EQ(p.client_ip("127.0.0.1", "unknown"), "127.0.0.1");
}
