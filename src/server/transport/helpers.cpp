#include "server/transport/helpers.hpp"

#include "server/api/api.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>

namespace imchat::server {

std::string host_of(std::string_view url_or_host) {
    auto s = url_or_host;
    if (auto p = s.find("://"); p != std::string_view::npos) s = s.substr(p + 3);
    if (auto p = s.find('/'); p != std::string_view::npos) s = s.substr(0, p);
    return std::string(s);
}

bool origin_allowed(std::string_view origin, std::string_view host, const std::vector<std::string>& allowed) {
    if (origin.empty()) return true;
    if (allowed.empty()) return host_of(origin) == host;
    for (const auto& o : allowed)
        if (o == "*" || o == origin) return true;
    return false;
}

std::string remote_ip(const tcp::socket& s) {
    beast::error_code ec;
    auto ep = s.remote_endpoint(ec);
    return ec ? std::string("?") : ep.address().to_string();
}

std::string client_ip(const tcp::socket& s, const HttpRequest& req, const TrustedProxies& proxies) {
    const std::string peer = remote_ip(s);
    if (proxies.empty()) return peer;
    std::string forwarded;
    for (auto [it, end] = req.equal_range("X-Forwarded-For"); it != end; ++it) {
        if (!forwarded.empty()) forwarded += ',';
        forwarded += std::string_view(it->value());
    }
    return proxies.client_ip(peer, forwarded);
}

std::string redact(std::string_view target) {
    auto q = target.find('?');
    return std::string(target.substr(0, q)) + (q == std::string_view::npos ? "" : "?…");
}

HttpResponse text_response(http::status st, std::string_view text) {
    HttpResponse res{st, 11};
    res.set(http::field::content_type, "text/plain; charset=utf-8");
    res.body() = std::string(text);
    return res;
}

HttpResponse fail_response(const ApiError& e, std::string_view detail) {
    const Response r = fail(e, detail);
    HttpResponse res{static_cast<http::status>(r.status), 11};
    res.set(http::field::content_type, r.content_type);
    res.body() = r.body;
    return res;
}

bool read_file(const std::string& path, std::string& out) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return false;
    std::ifstream f(path, std::ios::binary);
    if (!f) return false;
    std::ostringstream ss;
    ss << f.rdbuf();
    out = ss.str();
    return true;
}

}  // namespace imchat::server
