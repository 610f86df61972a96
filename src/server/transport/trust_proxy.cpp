#include "server/transport/trust_proxy.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

namespace imchat::server {

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

// Splits on commas, trimming each part; empty parts are kept (the caller decides).
std::vector<std::string_view> split_commas(std::string_view s) {
    std::vector<std::string_view> out;
    for (;;) {
        const auto c = s.find(',');
        out.push_back(trim(s.substr(0, c)));
        if (c == std::string_view::npos) return out;
        s.remove_prefix(c + 1);
    }
}

std::optional<IpAddress> parse_plain_ip(std::string_view text) {
    if (text.empty() || text.size() > 45) return std::nullopt;   // INET6_ADDRSTRLEN - 1
    char buf[46];
    std::memcpy(buf, text.data(), text.size());
    buf[text.size()] = '\0';
    IpAddress ip;
    if (inet_pton(AF_INET, buf, ip.bytes.data()) == 1) return ip;
    if (inet_pton(AF_INET6, buf, ip.bytes.data()) != 1) return std::nullopt;
    static constexpr uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(ip.bytes.data(), kMapped, 12) == 0) {   // ::ffff:a.b.c.d is IPv4
        std::memmove(ip.bytes.data(), ip.bytes.data() + 12, 4);
        std::memset(ip.bytes.data() + 4, 0, 12);
        return ip;
    }
    ip.v4 = false;
    return ip;
}

}  // namespace

std::optional<IpAddress> parse_ip(std::string_view text) {
    text = trim(text);
    if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
    return parse_plain_ip(text);
}

std::string to_string(const IpAddress& ip) {
    char buf[INET6_ADDRSTRLEN];
    if (!inet_ntop(ip.v4 ? AF_INET : AF_INET6, ip.bytes.data(), buf, sizeof buf)) return "?";
    return buf;
}

std::optional<Cidr> parse_cidr(std::string_view text) {
    text = trim(text);
    const auto slash = text.find('/');
    const auto ip = parse_plain_ip(text.substr(0, slash));
    if (!ip) return std::nullopt;
    Cidr net;
    net.v4 = ip->v4;
    const unsigned max = ip->v4 ? 32 : 128;
    net.prefix = max;
    if (slash != std::string_view::npos) {
        const auto digits = text.substr(slash + 1);
        if (digits.empty() || digits.size() > 3) return std::nullopt;
        const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), net.prefix);
        if (ec != std::errc() || end != digits.data() + digits.size() || net.prefix > max) return std::nullopt;
    }
    // Keep the network part only, so contains() compares whole bytes plus one partial byte.
    for (unsigned i = 0; i < 16; ++i) {
        const unsigned bit = i * 8;
        uint8_t mask = 0;
        if (bit + 8 <= net.prefix) mask = 0xff;
        else if (bit < net.prefix) mask = static_cast<uint8_t>(0xff << (8 - (net.prefix - bit)));
        net.bytes[i] = ip->bytes[i] & mask;
    }
    return net;
}

bool contains(const Cidr& net, const IpAddress& ip) {
    if (net.v4 != ip.v4) return false;
    const unsigned full = net.prefix / 8, rest = net.prefix % 8;
    if (std::memcmp(net.bytes.data(), ip.bytes.data(), full) != 0) return false;
    if (rest == 0) return true;
    const auto mask = static_cast<uint8_t>(0xff << (8 - rest));
    return (ip.bytes[full] & mask) == net.bytes[full];
}

bool TrustedProxies::parse(const std::vector<std::string>& items, std::string& error) {
    std::vector<Cidr> nets;
    for (const auto& item : items) {
        for (auto part : split_commas(item)) {
            if (part.empty()) continue;   // "a,,b" or a trailing comma
            auto net = parse_cidr(part);
            if (!net) {
                error = "not an IPv4 or IPv6 network (CIDR such as 10.0.0.0/8, 127.0.0.1 or fd00::/8): '" +
                        std::string(part) + "'";
                return false;
            }
            nets.push_back(*net);
        }
    }
    nets_ = std::move(nets);
    return true;
}

bool TrustedProxies::trusted(const IpAddress& ip) const {
    for (const auto& n : nets_)
        if (contains(n, ip)) return true;
    return false;
}

std::string TrustedProxies::client_ip(std::string_view peer, std::string_view forwarded) const {
    const auto peer_ip = parse_ip(peer);
    if (!peer_ip || !trusted(*peer_ip)) return std::string(peer);
    IpAddress last = *peer_ip;   // the nearest trusted hop so far
    if (trim(forwarded).empty()) return to_string(last);
    const auto hops = split_commas(forwarded);
    for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
        const auto ip = parse_ip(*it);
        if (!ip) return to_string(last);
        if (!trusted(*ip)) return to_string(*ip);
        last = *ip;
    }
    return to_string(last);
}

}  // namespace imchat::server
