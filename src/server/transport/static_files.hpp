// imchat::server transport: the built site and uploaded images as files.
// Site files: the br twin when the client takes br, else the gz twin when it takes
// gzip (with X-Decoded-Length for the loading bar), else the file. Content-hashed
// names (name.1a2b3c4d.ext) are immutable; the rest (index.html) is revalidated on
// every load with a strong ETag, 304 when If-None-Match has it. Uploads: immutable,
// never sniffed.
#pragma once
#include <string>
#include <string_view>

#include "server/transport/asio.hpp"

namespace imchat::server {

struct ServerConfig;

// Content-Type by extension; application/octet-stream when unknown.
std::string_view mime_type(std::string_view path);
// GET/HEAD `path` (no query) under cfg.web_root, or /uploads/<name> under cfg.uploads_dir.
HttpResponse     static_file(const ServerConfig& cfg, const std::string& path, const HttpRequest& req);

}  // namespace imchat::server
