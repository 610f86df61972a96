// A blocking WebSocket test client over a real socket (handshake, masked frames out,
// frames in with a receive timeout), so a test can stop reading, stop answering pings,
// or send what a browser never would. Shared by ws_socket_test.cpp and the two-server
// tests (tests/server/xproc_*_test.cpp).
#pragma once
#include <poll.h>
#include <sys/socket.h>

#include <string>
#include <string_view>

#include "server/transport/asio.hpp"
#include "ws_client_frame.hpp"

namespace imchat::server::testing {

struct WsFrameIn {
    int         opcode = -1;   // -1: the connection ended (or timed out)
    std::string payload;
    int         close_code() const {
        return payload.size() >= 2 ? (static_cast<uint8_t>(payload[0]) << 8) | static_cast<uint8_t>(payload[1]) : 0;
    }
};

// A blocking client: handshake, masked frames out, frames in (with a receive timeout).
class RawClient {
public:
    RawClient(uint16_t port, const std::string& token, int rcvbuf = 0) : sock_(ioc_) {
        sock_.open(tcp::v4());
        if (rcvbuf > 0) {
            int v = rcvbuf;
            setsockopt(sock_.native_handle(), SOL_SOCKET, SO_RCVBUF, &v, sizeof v);
        }
        sock_.connect({net::ip::make_address("127.0.0.1"), port});
        timeout(5000);
        const std::string req = "GET /ws?token=" + token + "&ack=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
        net::write(sock_, net::buffer(req));
        std::string head;
        char c;
        while (head.find("\r\n\r\n") == std::string::npos && net::read(sock_, net::buffer(&c, 1))) head += c;
        status_line = head.substr(0, head.find("\r\n"));
        accept_ok = head.find("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") != std::string::npos;
    }
    void timeout(int ms) {
        timeval tv{ms / 1000, (ms % 1000) * 1000};
        setsockopt(sock_.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    // Whether a read would find bytes within `ms` (asio's blocking read waits past
    // SO_RCVTIMEO: it polls again on EAGAIN, so a bounded wait needs this first).
    bool readable(int ms) {
        pollfd p{sock_.native_handle(), POLLIN, 0};
        return ::poll(&p, 1, ms) > 0;
    }
    void send(uint8_t opcode, std::string_view payload) {
        const std::string f = client_frame(opcode, payload);
        beast::error_code ec;
        net::write(sock_, net::buffer(f), ec);
    }
    void text(std::string_view s) { send(0x1, s); }
    WsFrameIn read() {
        WsFrameIn out;
        beast::error_code ec;
        unsigned char h[2];
        if (net::read(sock_, net::buffer(h, 2), ec) != 2) return out;
        uint64_t n = h[1] & 0x7F;
        if (n >= 126) {
            unsigned char ext[8];
            const size_t k = n == 126 ? 2 : 8;
            if (net::read(sock_, net::buffer(ext, k), ec) != k) return out;
            n = 0;
            for (size_t i = 0; i < k; ++i) n = (n << 8) | ext[i];
        }
        out.payload.resize(n);
        if (n && net::read(sock_, net::buffer(out.payload), ec) != n) return out;
        out.opcode = h[0] & 0x0F;
        return out;
    }
    // Reads until a close frame (answering pings), the end, or `limit` frames; counts texts.
    WsFrameIn read_until_close(size_t* texts = nullptr, const std::string& marker = "") {
        for (;;) {
            WsFrameIn f = read();
            if (f.opcode == -1 || f.opcode == 0x8) return f;
            if (f.opcode == 0x9) send(0xA, f.payload);
            if (texts && f.opcode == 0x1 && (marker.empty() || f.payload.find(marker) != std::string::npos)) ++*texts;
        }
    }

    std::string status_line;
    bool        accept_ok = false;

private:
    net::io_context ioc_;
    tcp::socket     sock_;
};

}  // namespace imchat::server::testing
