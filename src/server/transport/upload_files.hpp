// imchat::server transport: uploaded files at /uploads/<32 hex>.<ext> (issue 13).
// Immutable, unguessable names. Media (image, audio, video) with the type their content was
// judged to be when uploaded (the extension records it) and `nosniff`; files (bin) always as
// an attachment, application/octet-stream, under their original name. Every upload also
// carries `Content-Security-Policy: sandbox`, so nothing from /uploads/ can run script as
// this site. Single byte ranges (206) for audio and video: Safari plays media only so.
#pragma once
#include <string>

#include "server/transport/asio.hpp"

namespace imchat::server {

struct ServerConfig;

HttpResponse upload_file(const ServerConfig& cfg, const std::string& name, const HttpRequest& req);
// attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded> (RFC 6266/8187).
std::string attachment_disposition(const std::string& utf8_name);

}  // namespace imchat::server
