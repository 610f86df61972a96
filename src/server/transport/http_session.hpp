// imchat::server transport: one HTTP connection (keep-alive). Each request is
// a /ws upgrade (handed to a WsSession), an /api route (answered by the Api) or
// a static file. Bodies are bounded: max_body_bytes, max_upload_bytes for uploads.
// API requests run on the Workers (never on the io thread); past max_pending_jobs
// waiting, the answer is 503 with Retry-After at once.
#pragma once
#include <chrono>
#include <memory>
#include <optional>

#include "server/api/api.hpp"
#include "server/hub.hpp"
#include "server/transport/asio.hpp"

namespace imchat::server {

struct ServerConfig;
class Workers;

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(tcp::socket&& s, const ServerConfig& cfg, Api& api, Hub& hub, Workers& workers);
    ~HttpSession();
    void start();                         // read the first request

private:
    void         read();
    void         on_header(beast::error_code ec);
    void         on_read(beast::error_code ec);
    void         upgrade(HttpRequest&& req, const std::string& path);
    void         call_api(HttpRequest&& req, const std::string& target);
    Request      to_request(HttpRequest& req, const std::string& target);
    void         finish(HttpResponse&& res, unsigned version, bool keep_alive);
    void         reply(HttpResponse&& res);
    void         on_write(beast::error_code ec, bool keep_alive);
    void         drain();
    // Issue 14 (metrics, drain): a request counts as in flight from its header read to its
    // answer written; its time then goes to the route's histogram.
    void         begin_request();
    void         end_request();
    HttpResponse metrics_page(const HttpRequest& req);

    beast::tcp_stream   stream_;
    const ServerConfig& cfg_;
    Api&                api_;
    Hub&                hub_;
    Workers&            workers_;
    beast::flat_buffer  buf_;
    std::optional<http::request_parser<http::string_body>> parser_;   // fresh per request
    std::shared_ptr<HttpResponse> res_;                               // the answer being written
    bool                draining_ = false;
    bool                in_flight_ = false;
    const char*         route_ = "other";
    std::chrono::steady_clock::time_point started_;
};

}  // namespace imchat::server
