#include "core/url.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace imchat::core {

namespace {
int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int64_t parse_id(std::string_view s) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return -1;
    return v;
}
}  // namespace

std::string percent_decode(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '%' && i + 2 < s.size() && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hexval(s[i + 1]) * 16 + hexval(s[i + 2])));
            i += 2;
        } else if (s[i] == '+') {
            out.push_back(' ');
        } else {
            out.push_back(s[i]);
        }
    }
    return out;
}

std::string percent_encode(std::string_view s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out.push_back(static_cast<char>(c));
        } else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

std::optional<std::string> query_param(std::string_view query, std::string_view key) {
    size_t pos = 0;
    while (pos <= query.size()) {
        size_t amp = query.find('&', pos);
        if (amp == std::string_view::npos) amp = query.size();
        std::string_view pair = query.substr(pos, amp - pos);
        size_t eq = pair.find('=');
        std::string_view k = pair.substr(0, eq);
        if (k == key) {
            return eq == std::string_view::npos ? std::string() : percent_decode(pair.substr(eq + 1));
        }
        pos = amp + 1;
    }
    return std::nullopt;
}

std::optional<JoinTarget> parse_join_target(std::string_view href) {
    std::string_view hash;
    if (size_t h = href.find('#'); h != std::string_view::npos) {
        hash = href.substr(h + 1);
        href = href.substr(0, h);
    }
    // Reference form inside the hash: "#/pages/...?action=autoAddGroup&id=ID&chatType=group".
    if (size_t q = hash.find('?'); q != std::string_view::npos) {
        std::string_view hq = hash.substr(q + 1);
        if (query_param(hq, "action") == std::optional<std::string>("autoAddGroup")) {
            JoinTarget t;
            t.chat_type = query_param(hq, "chatType").value_or("group");
            t.id = parse_id(query_param(hq, "id").value_or(""));
            if (t.chat_type != "group") t.id = -1;
            return t;
        }
    }
    if (size_t q = href.find('?'); q != std::string_view::npos) {
        if (auto g = query_param(href.substr(q + 1), "group")) {
            return JoinTarget{"group", parse_id(*g), ""};
        }
        if (auto u = query_param(href.substr(q + 1), "user")) {
            const bool ok = u->size() >= 8 && u->size() <= 64 &&
                            std::all_of(u->begin(), u->end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
            return JoinTarget{"single", ok ? 1 : -1, ok ? *u : ""};
        }
    }
    return std::nullopt;
}

std::string websocket_origin(std::string_view http_origin) {
    std::string o(http_origin);
    while (!o.empty() && o.back() == '/') o.pop_back();
    if (o.rfind("https://", 0) == 0) return "wss://" + o.substr(8);
    if (o.rfind("http://", 0) == 0) return "ws://" + o.substr(7);
    return o;
}

}  // namespace imchat::core
