#include "server/bus/resp.hpp"

#include <charconv>

namespace imchat::server::resp {
namespace {

struct Reader {
    std::string_view in;
    size_t           pos = 0;
    const Limits&    limits;

    // A CRLF-terminated line from pos; NeedMore if no CRLF yet.
    Status line(std::string_view& out) {
        const size_t cr = in.find("\r\n", pos);
        if (cr == std::string_view::npos) {
            // A line longer than any sane header is garbage, not a partial read.
            return in.size() - pos > 1024 ? Status::Error : Status::NeedMore;
        }
        out = in.substr(pos, cr - pos);
        pos = cr + 2;
        return Status::Value;
    }

    static bool to_int(std::string_view s, int64_t& v) {
        if (s.empty()) return false;
        const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
        return r.ec == std::errc() && r.ptr == s.data() + s.size();
    }

    Status value(Value& v, int depth) {
        if (depth > limits.max_depth) return Status::Error;
        if (pos >= in.size()) return Status::NeedMore;
        const char t = in[pos++];
        std::string_view l;
        if (const Status s = line(l); s != Status::Value) return s;
        switch (t) {
            case '+': v.type = Value::Type::Simple; v.str.assign(l); return Status::Value;
            case '-': v.type = Value::Type::Error; v.str.assign(l); return Status::Value;
            case ':':
                v.type = Value::Type::Integer;
                return to_int(l, v.integer) ? Status::Value : Status::Error;
            case '$': {
                int64_t n = 0;
                if (!to_int(l, n) || n < -1) return Status::Error;
                if (n == -1) { v.type = Value::Type::Nil; return Status::Value; }
                if (static_cast<uint64_t>(n) > limits.max_bulk) return Status::Error;
                const size_t len = static_cast<size_t>(n);
                if (in.size() - pos < len + 2) return Status::NeedMore;
                if (in[pos + len] != '\r' || in[pos + len + 1] != '\n') return Status::Error;
                v.type = Value::Type::Bulk;
                v.str.assign(in.substr(pos, len));
                pos += len + 2;
                return Status::Value;
            }
            case '*': {
                int64_t n = 0;
                if (!to_int(l, n) || n < -1) return Status::Error;
                if (n == -1) { v.type = Value::Type::Nil; return Status::Value; }
                if (static_cast<uint64_t>(n) > limits.max_elements) return Status::Error;
                v.type = Value::Type::Array;
                // Every element takes at least 3 bytes: never reserve more than the input can hold.
                v.elements.reserve(std::min<size_t>(static_cast<size_t>(n), (in.size() - pos) / 3 + 1));
                for (int64_t i = 0; i < n; ++i) {
                    v.elements.emplace_back();
                    if (const Status s = value(v.elements.back(), depth + 1); s != Status::Value) return s;
                }
                return Status::Value;
            }
            default: return Status::Error;
        }
    }
};

}  // namespace

Parsed parse(std::string_view in, const Limits& limits) {
    Reader r{in, 0, limits};
    Parsed p;
    p.status = r.value(p.value, 0);
    if (p.status == Status::Value) p.consumed = r.pos;
    else p.value = Value{};
    return p;
}

void encode_command(std::string& out, const std::vector<std::string_view>& args) {
    out += '*';
    out += std::to_string(args.size());
    out += "\r\n";
    for (auto a : args) {
        out += '$';
        out += std::to_string(a.size());
        out += "\r\n";
        out.append(a.data(), a.size());
        out += "\r\n";
    }
}

}  // namespace imchat::server::resp
