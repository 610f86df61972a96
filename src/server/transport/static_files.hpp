// imchat::server transport: the built site and uploaded images as files.
// Site files: gz twins when the client takes gzip (with X-Decoded-Length for the
// loading bar), revalidated on every load. Uploads: immutable, never sniffed.
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
