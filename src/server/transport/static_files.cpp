#include "server/transport/static_files.hpp"

#include <sodium.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "server/transport/helpers.hpp"
#include "server/transport/server.hpp"
#include "server/transport/upload_files.hpp"

namespace imchat::server {

namespace fs = std::filesystem;

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool iequals(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i])))
            return false;
    return true;
}

// Calls fn(item) for each comma-separated item of a header value, trimmed.
template <class Fn> void each_item(std::string_view list, Fn fn) {
    while (!list.empty()) {
        const auto comma = list.find(',');
        fn(trim(list.substr(0, comma)));
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
}

// Whether Accept-Encoding lists `coding` with a q-value above 0 (or, not listing it, * so).
bool accepts(std::string_view accept_encoding, std::string_view coding) {
    int named = -1, any = -1;   // -1 unlisted, 0 refused (q=0), 1 accepted
    each_item(accept_encoding, [&](std::string_view item) {
        const auto semi = item.find(';');
        const auto name = trim(item.substr(0, semi));
        double q = 1;
        if (semi != std::string_view::npos) {
            auto param = trim(item.substr(semi + 1));
            if (param.size() > 2 && (param[0] == 'q' || param[0] == 'Q') && param[1] == '=')
                q = std::strtod(std::string(param.substr(2)).c_str(), nullptr);
        }
        if (iequals(name, coding)) named = q > 0;
        else if (name == "*") any = q > 0;
    });
    return named >= 0 ? named == 1 : any == 1;
}

// Site files whose name carries their content's hash (name.1a2b3c4d.ext, shell/site-build.py):
// a new build gives new names, so a copy never needs revalidating.
bool content_hashed(const std::string& rel) {
    static const std::regex kHashed("^(.*/)?[^/]+\\.[0-9a-f]{8}\\.[A-Za-z0-9]+$");
    return std::regex_match(rel, kHashed);
}

// A strong validator of the bytes sent (each encoding its own): BLAKE2b-128 in hex.
std::string etag_of(const std::string& body) {
    unsigned char raw[16];
    crypto_generichash(raw, sizeof raw, reinterpret_cast<const unsigned char*>(body.data()), body.size(), nullptr, 0);
    char hex[2 * sizeof raw + 1];
    sodium_bin2hex(hex, sizeof hex, raw, sizeof raw);
    return "\"" + std::string(hex) + "\"";
}

// If-None-Match (weak comparison, as RFC 9110 asks for it): * or any listed tag equal to ours.
bool none_match_hits(std::string_view header, const std::string& etag) {
    bool hit = false;
    each_item(header, [&](std::string_view tag) {
        if (tag.rfind("W/", 0) == 0) tag.remove_prefix(2);
        if (tag == "*" || tag == etag) hit = true;
    });
    return hit;
}

}  // namespace

std::string_view mime_type(std::string_view path) {
    auto ext = path.substr(path.rfind('.') == std::string_view::npos ? path.size() : path.rfind('.'));
    if (ext == ".html") return "text/html; charset=utf-8";
    if (ext == ".js") return "text/javascript; charset=utf-8";
    if (ext == ".wasm") return "application/wasm";
    if (ext == ".css") return "text/css; charset=utf-8";
    if (ext == ".json") return "application/json";
    if (ext == ".png") return "image/png";
    if (ext == ".jpg") return "image/jpeg";
    if (ext == ".gif") return "image/gif";
    if (ext == ".webp") return "image/webp";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".ttf") return "font/ttf";
    if (ext == ".ico") return "image/x-icon";
    return "application/octet-stream";
}

HttpResponse static_file(const ServerConfig& cfg, const std::string& path, const HttpRequest& req) {
    if (req.method() != http::verb::get && req.method() != http::verb::head)
        return text_response(http::status::method_not_allowed, "method not allowed");
    // "..", a backslash, an empty segment ("//etc/passwd": joined to the web root, an absolute
    // path replaces it) or a target that is not a path (absolute-form, "*"): never a file of ours.
    if (path.empty() || path[0] != '/' || path.find("..") != std::string::npos ||
        path.find('\\') != std::string::npos || path.find("//") != std::string::npos ||
        path.find('\0') != std::string::npos)
        return text_response(http::status::bad_request, "bad path");
    if (path.rfind("/uploads/", 0) == 0) return upload_file(cfg, path.substr(9), req);
    const std::string rel = path == "/" ? "index.html" : path.substr(1);
    fs::path file = fs::path(cfg.web_root) / rel;
    const std::string_view accept_encoding = req[http::field::accept_encoding];
    std::string body;
    const char* coding = nullptr;
    if (accepts(accept_encoding, "br") && read_file(file.string() + ".br", body)) coding = "br";
    else if (accepts(accept_encoding, "gzip") && read_file(file.string() + ".gz", body)) coding = "gzip";
    else if (!read_file(file.string(), body)) return text_response(http::status::not_found, "not found");

    HttpResponse res{http::status::ok, req.version()};
    res.set(http::field::vary, "Accept-Encoding");
    res.set(http::field::content_type, mime_type(rel));
    if (coding) {
        res.set(http::field::content_encoding, coding);
        // The page's loading bar counts decoded bytes; tell it how many to expect.
        std::error_code fec;
        if (auto n = fs::file_size(file, fec); !fec) res.set("X-Decoded-Length", std::to_string(n));
    }
    if (content_hashed(rel)) {
        res.set(http::field::cache_control, "public, max-age=31536000, immutable");
    } else {
        // index.html (and manifest.json): revalidated on every load, 304 when unchanged.
        const std::string etag = etag_of(body);
        res.set(http::field::cache_control, "no-cache");
        res.set(http::field::etag, etag);
        if (none_match_hits(req[http::field::if_none_match], etag)) {
            res.result(http::status::not_modified);
            res.erase(http::field::content_encoding);
            res.erase("X-Decoded-Length");
            return res;   // no body, no Content-Length
        }
    }
    res.body() = std::move(body);
    res.prepare_payload();
    if (req.method() == http::verb::head) res.body().clear();
    return res;
}

}  // namespace imchat::server
