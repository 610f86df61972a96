#include "server/transport/static_files.hpp"

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "server/transport/helpers.hpp"
#include "server/transport/server.hpp"

namespace imchat::server {

namespace fs = std::filesystem;

namespace {

bool read_file(const fs::path& p, std::string& out) {
    std::ifstream f(p, std::ios::binary);
    if (!f) return false;
    std::ostringstream ss;
    ss << f.rdbuf();
    out = ss.str();
    return true;
}

// Uploaded images: immutable, unguessable names; never sniffed as anything else.
HttpResponse upload_file(const ServerConfig& cfg, const std::string& name, const HttpRequest& req) {
    static const std::regex kName("^[0-9a-f]{32}\\.(png|jpg|gif|webp)$");
    std::string body;
    if (cfg.uploads_dir.empty() || !std::regex_match(name, kName) ||
        !read_file(fs::path(cfg.uploads_dir) / name, body))
        return text_response(http::status::not_found, "not found");
    HttpResponse res{http::status::ok, req.version()};
    res.set(http::field::content_type, mime_type(name));
    res.set(http::field::cache_control, "public, max-age=31536000, immutable");
    res.set("X-Content-Type-Options", "nosniff");
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
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
    if (path.find("..") != std::string::npos || path.find('\\') != std::string::npos)
        return text_response(http::status::bad_request, "bad path");
    if (path.rfind("/uploads/", 0) == 0) return upload_file(cfg, path.substr(9), req);
    const std::string rel = path == "/" ? "index.html" : path.substr(1);
    fs::path file = fs::path(cfg.web_root) / rel;
    HttpResponse res{http::status::ok, req.version()};
    const bool gz_ok = std::string_view(req[http::field::accept_encoding]).find("gzip") != std::string_view::npos;
    std::string body;
    if (gz_ok && read_file(file.string() + ".gz", body)) {
        res.set(http::field::content_encoding, "gzip");
        // The page's loading bar counts decoded bytes; tell it how many to expect.
        std::error_code fec;
        if (auto n = fs::file_size(file, fec); !fec) res.set("X-Decoded-Length", std::to_string(n));
    } else if (!read_file(file, body)) {
        return text_response(http::status::not_found, "not found");
    }
    res.set(http::field::vary, "Accept-Encoding");
    res.set(http::field::content_type, mime_type(rel));
    res.set(http::field::cache_control, "no-cache");   // revalidate: names are not content-hashed yet
    res.body() = std::move(body);
    res.prepare_payload();
    if (req.method() == http::verb::head) res.body().clear();
    return res;
}

}  // namespace imchat::server
