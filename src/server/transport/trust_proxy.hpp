// imchat::server transport: which reverse proxies may tell us the client's address
// (--trust-proxy CIDR, env IMCHAT_TRUST_PROXY). A request whose TCP peer is inside one of
// these networks is taken to come from the right-most X-Forwarded-For address that is not
// itself trusted; any other request's X-Forwarded-For is ignored (a client can write
// anything there). No Boost here: ServerConfig carries a TrustedProxies and server.hpp
// stays light.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imchat::server {

// One network: IPv4 addresses are kept as IPv4 (4 bytes); an IPv4-mapped IPv6 address
// (::ffff:a.b.c.d) counts as the IPv4 one.
struct Cidr {
    bool                     v4 = true;
    std::array<uint8_t, 16>  bytes{};   // the first 4 (IPv4) or 16 (IPv6), host bits cleared
    unsigned                 prefix = 0;
};

struct IpAddress {
    bool                     v4 = true;
    std::array<uint8_t, 16>  bytes{};
};

// "192.168.0.0/16", "10.1.2.3" (= /32), "fd00::/8", "::1" (= /128). Surrounding blanks are
// allowed; anything else (a bad address, prefix past 32/128, "1.2.3.4/", a zone) is nullopt.
std::optional<Cidr>      parse_cidr(std::string_view text);
// "1.2.3.4", "::1", "[::1]" (brackets as in some X-Forwarded-For entries); nullopt otherwise.
std::optional<IpAddress> parse_ip(std::string_view text);
std::string              to_string(const IpAddress& ip);
bool                     contains(const Cidr& net, const IpAddress& ip);

class TrustedProxies {
public:
    // Each item is one CIDR or a comma list of them (empty parts skipped). False (and `error` names the bad item)
    // on any bad entry: the server refuses to start rather than trust the wrong peers.
    bool parse(const std::vector<std::string>& items, std::string& error);
    bool empty() const { return nets_.empty(); }
    bool trusted(const IpAddress& ip) const;
    // The address rate limits and logs use. `peer` is the TCP peer as text; `forwarded` the
    // request's X-Forwarded-For values joined with commas. Untrusted (or unparsable) peer:
    // the peer. Trusted peer: walk X-Forwarded-For from the right, skipping trusted
    // addresses; the first untrusted one is the client. All trusted: the left-most. An
    // entry that is not an address stops the walk at the last trusted hop before it.
    std::string client_ip(std::string_view peer, std::string_view forwarded) const;

private:
    std::vector<Cidr> nets_;
};

}  // namespace imchat::server
