#include "server/lan_address.hpp"

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netinet/in.h>

namespace imchat::server {

std::vector<HostInterface> host_interfaces() {
    std::vector<HostInterface> out;
    ifaddrs* list = nullptr;
    if (getifaddrs(&list) != 0) return out;
    for (auto* a = list; a; a = a->ifa_next) {
        HostInterface i;
        i.name = a->ifa_name ? a->ifa_name : "";
        i.up = (a->ifa_flags & IFF_UP) != 0;
        i.loopback = (a->ifa_flags & IFF_LOOPBACK) != 0;
        if (a->ifa_addr && a->ifa_addr->sa_family == AF_INET) {
            char buf[INET_ADDRSTRLEN];
            inet_ntop(AF_INET, &reinterpret_cast<sockaddr_in*>(a->ifa_addr)->sin_addr, buf, sizeof buf);
            i.ipv4 = buf;
        }
        out.push_back(std::move(i));
    }
    freeifaddrs(list);
    return out;
}

std::string lan_address(const std::vector<HostInterface>& interfaces) {
    for (const auto& i : interfaces)
        if (!i.ipv4.empty() && i.up && !i.loopback) return i.ipv4;
    return "";
}

std::string default_public_url(const std::string& lan, uint16_t port) {
    return "http://" + (lan.empty() ? std::string("127.0.0.1") : lan) + ":" + std::to_string(port);
}

}  // namespace imchat::server
