#include "server/transport/ws_frame.hpp"

namespace imchat::server::ws {

size_t encode_header(std::array<uint8_t, 10>& out, uint8_t opcode, uint64_t len) {
    out[0] = static_cast<uint8_t>(0x80 | (opcode & 0x0F));   // FIN, never fragmented
    if (len < 126) {
        out[1] = static_cast<uint8_t>(len);
        return 2;
    }
    if (len <= 0xFFFF) {
        out[1] = 126;
        out[2] = static_cast<uint8_t>(len >> 8);
        out[3] = static_cast<uint8_t>(len);
        return 4;
    }
    out[1] = 127;
    for (int i = 0; i < 8; ++i) out[2 + i] = static_cast<uint8_t>(len >> (56 - 8 * i));
    return 10;
}

std::string encode_control(uint8_t opcode, std::string_view payload) {
    if (payload.size() > 125) payload = payload.substr(0, 125);
    std::array<uint8_t, 10> h{};
    const size_t n = encode_header(h, opcode, payload.size());
    std::string out(reinterpret_cast<const char*>(h.data()), n);
    out.append(payload);
    return out;
}

std::string encode_close(int code, std::string_view reason) {
    std::string p;
    p.push_back(static_cast<char>((code >> 8) & 0xFF));
    p.push_back(static_cast<char>(code & 0xFF));
    p.append(reason.substr(0, 123));
    return encode_control(kClose, p);
}

namespace {
uint64_t be(const unsigned char* p, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
    return v;
}
Event error(int code) {
    Event e;
    e.kind = Event::kError;
    e.code = code;
    return e;
}
}  // namespace

Event Parser::next() {
    if (pos_ > 0) {
        buf_.erase(0, pos_);
        pos_ = 0;
    }
    if (!in_msg_ && !msg_.empty()) msg_.clear();   // the message handed out last time
    for (;;) {
        if (buf_.size() < 2) return {};
        const auto* b = reinterpret_cast<const unsigned char*>(buf_.data());
        const bool    fin = b[0] & 0x80;
        const uint8_t op = b[0] & 0x0F;
        if (b[0] & 0x70) return error(kCloseProtocol);   // no extension was negotiated
        if (!(b[1] & 0x80)) return error(kCloseProtocol);   // client frames are masked
        uint64_t len = b[1] & 0x7F;
        size_t   hdr = 2;
        if (len == 126) {
            if (buf_.size() < 4) return {};
            len = be(b + 2, 2);
            hdr = 4;
        } else if (len == 127) {
            if (buf_.size() < 10) return {};
            len = be(b + 2, 8);
            if (len >> 63) return error(kCloseProtocol);
            hdr = 10;
        }
        const bool control = op & 0x8;
        if (control) {
            if (!fin || len > 125) return error(kCloseProtocol);
            if (op != kClose && op != kPing && op != kPong) return error(kCloseProtocol);
        } else {
            if (op != kCont && op != kText && op != kBinary) return error(kCloseProtocol);
            if ((op == kCont) != in_msg_) return error(kCloseProtocol);
            if (len > max_ || msg_.size() + len > max_) return error(kCloseTooBig);
        }
        const size_t whole = hdr + 4 + static_cast<size_t>(len);
        if (buf_.size() < whole) return {};
        char*       payload = buf_.data() + hdr + 4;
        const char* mask = buf_.data() + hdr;
        for (size_t i = 0; i < len; ++i) payload[i] ^= mask[i & 3];
        pos_ = whole;
        const std::string_view data(payload, static_cast<size_t>(len));

        if (control) {
            Event e;
            if (op == kClose) {
                if (len == 1) return error(kCloseProtocol);
                e.kind = Event::kClose;
                e.code = len >= 2 ? static_cast<int>(be(reinterpret_cast<const unsigned char*>(payload), 2)) : 1005;
                e.payload = len >= 2 ? data.substr(2) : std::string_view{};
            } else {
                e.kind = op == kPing ? Event::kPing : Event::kPong;
                e.payload = data;
            }
            return e;
        }
        if (fin && !in_msg_) {   // the common case: one frame, no copy
            Event e;
            e.kind = Event::kMessage;
            e.payload = data;
            return e;
        }
        msg_.append(data);
        in_msg_ = !fin;
        if (fin) {
            Event e;
            e.kind = Event::kMessage;
            e.payload = msg_;
            return e;
        }
        buf_.erase(0, pos_);   // a fragment: keep only what follows it
        pos_ = 0;
    }
}

}  // namespace imchat::server::ws
