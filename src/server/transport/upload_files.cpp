#include "server/transport/upload_files.hpp"

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "server/api/sniff.hpp"
#include "server/blob/blob_store.hpp"
#include "server/transport/helpers.hpp"
#include "server/transport/server.hpp"

namespace imchat::server {

namespace fs = std::filesystem;

namespace {

// "bytes=a-b", "bytes=a-", "bytes=-n" (one range) within `size`: [first, last]. False: none
// or unsatisfiable (several ranges are answered whole, as RFC 9110 allows).
bool parse_range(std::string_view h, size_t size, size_t& first, size_t& last, bool& unsatisfiable) {
    unsatisfiable = false;
    static const std::regex kRange("^bytes=([0-9]{0,18})-([0-9]{0,18})$");
    std::match_results<std::string_view::const_iterator> m;
    if (!std::regex_match(h.begin(), h.end(), m, kRange) || (m[1].length() == 0 && m[2].length() == 0)) return false;
    if (size == 0) return unsatisfiable = true, false;
    if (m[1].length() == 0) {   // the last n bytes
        const size_t n = std::stoull(m[2].str());
        if (n == 0) return unsatisfiable = true, false;
        first = n >= size ? 0 : size - n;
        last = size - 1;
        return true;
    }
    first = std::stoull(m[1].str());
    last = m[2].length() ? std::min<size_t>(std::stoull(m[2].str()), size - 1) : size - 1;
    if (first >= size || first > last) return unsatisfiable = true, false;
    return true;
}

bool attr_char(unsigned char c) {
    return std::isalnum(c) || std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

}  // namespace

std::string attachment_disposition(const std::string& utf8_name) {
    const std::string name = utf8_name.empty() ? std::string("file") : utf8_name;
    std::string ascii, encoded;
    for (unsigned char c : name) {
        ascii += c < 0x80 && (std::isalnum(c) || c == '.' || c == '-' || c == '_') ? static_cast<char>(c) : '_';
        if (attr_char(c)) {
            encoded += static_cast<char>(c);
        } else {
            static const char* kHex = "0123456789ABCDEF";
            encoded += '%';
            encoded += kHex[c >> 4];
            encoded += kHex[c & 15];
        }
    }
    return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

HttpResponse upload_file(const ServerConfig& cfg, const std::string& name, const HttpRequest& req) {
    static const std::regex kName(std::string("^[0-9a-f]{32}\\.(") + kUploadExtAlternation + ")$");
    std::string body;
    if (cfg.uploads_dir.empty() || !std::regex_match(name, kName) ||
        !read_file((fs::path(cfg.uploads_dir) / name).string(), body))
        return text_response(http::status::not_found, "not found");
    const std::string ext = name.substr(33);
    UploadKind kind = UploadKind::file;
    kind_of_ext(ext, kind);
    HttpResponse res{http::status::ok, req.version()};
    res.set(http::field::content_type, upload_mime(ext));
    res.set(http::field::cache_control, "public, max-age=31536000, immutable");
    res.set("X-Content-Type-Options", "nosniff");
    res.set("Content-Security-Policy", "default-src 'none'; sandbox");
    if (kind == UploadKind::file)
        res.set(http::field::content_disposition, attachment_disposition(blob_original_name(cfg.uploads_dir, name)));
    res.set(http::field::accept_ranges, "bytes");
    size_t first = 0, last = 0;
    bool unsatisfiable = false;
    const std::string_view range = req[http::field::range];
    if (!range.empty() && parse_range(range, body.size(), first, last, unsatisfiable)) {
        res.result(http::status::partial_content);
        res.set(http::field::content_range,
                "bytes " + std::to_string(first) + "-" + std::to_string(last) + "/" + std::to_string(body.size()));
        body = body.substr(first, last - first + 1);
    } else if (unsatisfiable) {
        res.result(http::status::range_not_satisfiable);
        res.set(http::field::content_range, "bytes */" + std::to_string(body.size()));
        body.clear();
    }
    res.body() = std::move(body);
    res.prepare_payload();
    if (req.method() == http::verb::head) res.body().clear();
    return res;
}

}  // namespace imchat::server
