// imchat::server transport: one HTTP connection (keep-alive). Each request is
// a /ws upgrade (handed to a WsSession), an /api route (answered by the Api) or
// a static file. Bodies are bounded: max_body_bytes, max_upload_bytes for uploads.
// API requests run on the Workers (never on the io thread); past max_pending_jobs
// waiting, the answer is 503 with Retry-After at once.
// Limits (limits.hpp, issue 14): the connection is counted for its client address
// (conn_limit.hpp; over the limit: 429 and close); a header over max_header_bytes: 431
// and close; a header not complete header_timeout_s after its first byte (after accept
// for the first request), or no next request within keepalive_timeout_s: closed.
#pragma once
#include <chrono>
#include <memory>
#include <optional>

#include "server/api/api.hpp"
#include "server/hub.hpp"
#include "server/transport/asio.hpp"
#include "server/transport/conn_limit.hpp"

namespace imchat::server {

struct ServerConfig;
class Workers;

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(tcp::socket&& s, const ServerConfig& cfg, Api& api, Hub& hub, Workers& workers,
                std::shared_ptr<ConnLimit> conns);
    ~HttpSession();
    void start();                         // count the connection, read the first request

private:
    void         read();
    void         read_header();
    bool         count_client();            // trusted proxy: count the request's client; false: over the limit
    void         refuse(const ApiError& e, std::string detail);   // answer, then close
    void         on_header(beast::error_code ec, std::size_t header_bytes);
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
    std::shared_ptr<ConnLimit> conns_;
    ConnLimit::Hold     hold_;                // this connection's count (null: refused, or not yet counted)
    bool                via_proxy_ = false;   // the peer is a --trust-proxy proxy: count per request
    bool                over_limit_ = false;  // refused at accept: answer the first request 429
    unsigned            served_ = 0;          // requests answered on this connection
    bool                in_flight_ = false;
    const char*         route_ = "other";
    std::chrono::steady_clock::time_point started_;
};

}  // namespace imchat::server
