// imchat::server transport: RFC 6455 framing for the server side, without I/O.
// WsSession reads and writes the socket itself (after Beast-free handshake) so
// that one shared payload is written to every recipient as-is (server frames
// are unmasked: only a 2-10 byte header differs by length, not by socket) and
// everything queued for a socket leaves in one gathered write.
//
// The parser takes bytes as they arrive and yields whole messages and control
// frames; it never buffers more than one message (bounded by max_message).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace imchat::server::ws {

enum Opcode : uint8_t { kCont = 0x0, kText = 0x1, kBinary = 0x2, kClose = 0x8, kPing = 0x9, kPong = 0xA };

// Close codes the parser answers with (RFC 6455 7.4.1).
constexpr int kCloseNormal      = 1000;
constexpr int kCloseGoingAway   = 1001;
constexpr int kCloseProtocol    = 1002;
constexpr int kCloseTooBig      = 1009;

// A header for an unmasked, final frame of `len` payload bytes. Returns its size (2, 4 or 10).
size_t encode_header(std::array<uint8_t, 10>& out, uint8_t opcode, uint64_t len);
// A whole control frame (close: code + reason; ping/pong: payload <= 125 bytes).
std::string encode_close(int code, std::string_view reason);
std::string encode_control(uint8_t opcode, std::string_view payload);

// What one call to Parser::next() found.
struct Event {
    enum Kind { kNeedMore, kMessage, kPing, kPong, kClose, kError } kind = kNeedMore;
    std::string_view payload;   // message text / control payload: valid until the next call
    int              code = 0;  // kClose: the peer's code (1005 if none); kError: the close code to send
};

class Parser {
public:
    explicit Parser(size_t max_message) : max_(max_message) {}
    // Appends what the socket read. Events are then taken with next() until kNeedMore.
    void  feed(std::string_view bytes) { buf_.append(bytes); }
    Event next();
    // Nothing buffered: the caller may release memory (an idle socket holds none).
    bool  idle() const { return buf_.empty() && msg_.empty(); }
    void  release() { if (idle()) { std::string().swap(buf_); std::string().swap(msg_); } }

private:
    size_t      max_;
    std::string buf_;        // bytes not parsed yet (at most one frame's worth plus what follows)
    size_t      pos_ = 0;    // parsed prefix of buf_ (dropped at the next feed/next)
    std::string msg_;        // a fragmented message being assembled
    bool        in_msg_ = false;
};

}  // namespace imchat::server::ws
