// imchat-server: the address phones use when --public-url is not given: the first
// non-loopback IPv4 address of an interface that is up, else 127.0.0.1 (and a warning).
// The choice takes the interface list as input, so it is testable without the host's.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace imchat::server {

struct HostInterface {
    std::string name;       // "eth0"
    std::string ipv4;       // "192.168.1.5"; empty: not an IPv4 address
    bool        up = false;
    bool        loopback = false;
};

// The host's interfaces (getifaddrs); empty if it fails.
std::vector<HostInterface> host_interfaces();
// The first IPv4 address of an interface that is up and not loopback; "" if none.
std::string lan_address(const std::vector<HostInterface>& interfaces);
// "http://<lan>:<port>", or "http://127.0.0.1:<port>" when `lan` is empty.
std::string default_public_url(const std::string& lan, uint16_t port);

}  // namespace imchat::server
