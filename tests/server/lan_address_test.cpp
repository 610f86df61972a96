// The default public URL (README): the first LAN IPv4 address, else 127.0.0.1.
#include <gtest/gtest.h>

#include "server/lan_address.hpp"

using namespace imchat::server;

TEST(LanAddress, FirstUpNonLoopbackIpv4) {
    std::vector<HostInterface> ifs = {
        {"lo", "127.0.0.1", true, true},
        {"eth0", "", true, false},             // IPv6 only
        {"wlan0", "10.1.2.3", false, false},   // down
        {"eth1", "192.168.1.5", true, false},
        {"eth2", "192.168.9.9", true, false},
    };
    EXPECT_EQ(lan_address(ifs), "192.168.1.5");
    EXPECT_EQ(default_public_url(lan_address(ifs), 8080), "http://192.168.1.5:8080");
}

TEST(LanAddress, NoLanAddressFallsBackTo127001) {
    for (const auto& ifs : {std::vector<HostInterface>{},
                            std::vector<HostInterface>{{"lo", "127.0.0.1", true, true}, {"eth0", "10.0.0.2", false, false}}}) {
        EXPECT_EQ(lan_address(ifs), "");
        EXPECT_EQ(default_public_url(lan_address(ifs), 9000), "http://127.0.0.1:9000");
    }
}

TEST(LanAddress, TheHostListIsReadable) {
    // This machine has at least its loopback interface, and it is never chosen.
    auto ifs = host_interfaces();
    const std::string chosen = lan_address(ifs);
    bool loopback_v4 = false;
    for (const auto& i : ifs)
        if (i.loopback && !i.ipv4.empty()) {
            loopback_v4 = true;
            EXPECT_NE(chosen, i.ipv4);
            EXPECT_EQ(i.ipv4.rfind("127.", 0), 0u) << i.name;
        }
    EXPECT_TRUE(loopback_v4) << "getifaddrs found no IPv4 loopback";
}
