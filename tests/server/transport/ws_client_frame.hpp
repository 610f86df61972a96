// A client's WebSocket frame (masked, as browsers send them), for the transport tests.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace imchat::server::testing {

inline std::string client_frame(uint8_t opcode, std::string_view payload, bool fin = true, uint8_t extra_bits = 0) {
    std::string f;
    f.push_back(static_cast<char>((fin ? 0x80 : 0) | extra_bits | opcode));
    const uint64_t n = payload.size();
    if (n < 126) {
        f.push_back(static_cast<char>(0x80 | n));
    } else if (n <= 0xFFFF) {
        f.push_back(static_cast<char>(0x80 | 126));
        f.push_back(static_cast<char>(n >> 8));
        f.push_back(static_cast<char>(n));
    } else {
        f.push_back(static_cast<char>(0x80 | 127));
        for (int i = 7; i >= 0; --i) f.push_back(static_cast<char>(n >> (8 * i)));
    }
    const char mask[4] = {0x12, 0x34, 0x56, 0x78};
    f.append(mask, 4);
    for (size_t i = 0; i < n; ++i) f.push_back(static_cast<char>(payload[i] ^ mask[i & 3]));
    return f;
}

}  // namespace imchat::server::testing
