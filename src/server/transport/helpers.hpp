// imchat::server transport: small helpers the HTTP and WebSocket sessions share.
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "server/api/errors.hpp"
#include "server/transport/asio.hpp"
#include "server/transport/trust_proxy.hpp"

namespace imchat::server {

// "http://host:port/path" or "host:port" -> "host:port".
std::string  host_of(std::string_view url_or_host);
// May a page from `origin` open /ws? No Origin (not a browser): yes. No allow-list:
// only the request's own Host. Else the list ("*" allows all).
bool         origin_allowed(std::string_view origin, std::string_view host, const std::vector<std::string>& allowed);
// The peer's address; "?" once the peer is gone.
std::string  remote_ip(const tcp::socket& s);
// The client's address for rate limits and logs: the peer's, or, when the peer is a trusted
// proxy, the one its X-Forwarded-For names (every such header, in order; see trust_proxy.hpp).
std::string  client_ip(const tcp::socket& s, const HttpRequest& req, const TrustedProxies& proxies);
// The target without its query: tokens ride in the query and are never logged.
std::string  redact(std::string_view target);
// The whole file at `path` into `out`; false if it is not a regular file or unreadable
// (static files and uploads).
bool         read_file(const std::string& path, std::string& out);
// A plain-text answer (static files: 404, 405, ...).
HttpResponse text_response(http::status st, std::string_view text);
// A failure the transport answers itself (413, a refused upgrade) in the API's
// envelope, {"msg":"fail","data":"<text>"} with the error's status, like every API failure.
HttpResponse fail_response(const ApiError& e, std::string_view detail = {});   // text + detail

}  // namespace imchat::server
