#include "server/transport/http_session.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>

#include "core/url.hpp"
#include "server/metrics/metrics.hpp"
#include "server/transport/fail.hpp"
#include "server/transport/helpers.hpp"
#include "server/transport/server.hpp"
#include "server/transport/static_files.hpp"
#include "server/transport/workers.hpp"
#include "server/transport/ws_session.hpp"

namespace imchat::server {

namespace {
constexpr std::string_view kNodeHeader = "X-Imchat-Node";

bool is_api_path(std::string_view path) {
    return path == "/api" || path.rfind("/api/", 0) == 0 || path == "/healthz" || path == "/readyz";
}
}  // namespace

HttpSession::HttpSession(tcp::socket&& s, const ServerConfig& cfg, Api& api, Hub& hub, Workers& workers,
                         std::shared_ptr<ConnLimit> conns)
    : stream_(std::move(s)), cfg_(cfg), api_(api), hub_(hub), workers_(workers), conns_(std::move(conns)) {}

HttpSession::~HttpSession() { end_request(); }

void HttpSession::start() {
    // A proxy's connection carries many clients: counted per request (count_client); any other
    // peer is the client, counted now. Over the limit, the first request is answered 429.
    const auto peer = parse_ip(remote_ip(stream_.socket()));
    via_proxy_ = peer && cfg_.trusted_proxies.trusted(*peer);
    if (!via_proxy_ && conns_) {
        hold_ = conns_->acquire(remote_ip(stream_.socket()));
        over_limit_ = !hold_;
    }
    read();
}

void HttpSession::begin_request() {
    if (in_flight_) return;
    in_flight_ = true;
    route_ = "other";
    started_ = std::chrono::steady_clock::now();
    metrics::registry().http_in_flight.add(1);
}

void HttpSession::end_request() {
    if (!in_flight_) return;
    in_flight_ = false;
    auto& m = metrics::registry();
    m.http(route_).observe(std::chrono::steady_clock::now() - started_);
    m.http_in_flight.add(-1);
}

// GET /metrics (issue 14): the Prometheus text, only to --metrics-allow networks (metrics_access.hpp).
HttpResponse HttpSession::metrics_page(const HttpRequest& req) {
    route_ = "metrics";
    const bool forwarded = req.count("X-Forwarded-For") > 0 || req.count(http::field::forwarded) > 0;
    if (!metrics::allowed(cfg_.metrics_access, cfg_.trusted_proxies, remote_ip(stream_.socket()),
                          client_ip(stream_.socket(), req, cfg_.trusted_proxies), forwarded))
        return fail_response(metrics::kErrMetricsForbidden);
    HttpResponse res{http::status::ok, req.version()};
    res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
    res.set(http::field::cache_control, "no-store");
    res.body() = metrics::registry().render();
    return res;
}

void HttpSession::read() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(cfg_.limits.max_header_bytes));
    // Beast checks a Content-Length against the limit in force when the header ends, so the
    // larger one here; on_header applies the route's own (issue 13: uploads over 1 MiB were refused).
    parser_->body_limit(std::max(cfg_.max_body_bytes, cfg_.max_upload_bytes));
    if (served_ == 0 || buf_.size() > 0) return read_header();
    // Kept alive and idle: wait up to keepalive_timeout_s for the next request's first byte;
    // from there its header has header_timeout_s.
    stream_.expires_after(std::chrono::seconds(cfg_.limits.keepalive_timeout_s));
    stream_.async_read_some(buf_.prepare(4096), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
        if (ec) return fail(ec, "http keep-alive");   // idle past the timeout, or the client left
        self->buf_.commit(n);
        self->read_header();
    });
}

void HttpSession::read_header() {
    stream_.expires_after(std::chrono::seconds(cfg_.limits.header_timeout_s));
    // The header first: uploads get a larger body limit than the JSON routes.
    http::async_read_header(stream_, buf_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t n) {
        self->on_header(ec, n);
    });
}

bool HttpSession::count_client() {
    if (!via_proxy_ || !conns_) return true;
    const std::string ip = client_ip(stream_.socket(), parser_->get(), cfg_.trusted_proxies);
    if (hold_ && hold_->key() == ip) return true;
    hold_.reset();
    hold_ = conns_->acquire(ip);
    return hold_ != nullptr;
}

void HttpSession::refuse(const ApiError& e, std::string detail) {
    spdlog::debug("refused {} from {}: {}", e.status, remote_ip(stream_.socket()), detail);
    auto res = fail_response(e, detail);
    res.keep_alive(false);
    res.set(http::field::access_control_allow_origin, "*");   // a page elsewhere may read the reason
    reply(std::move(res));
}

void HttpSession::on_header(beast::error_code ec, std::size_t header_bytes) {
    // Beast's own limit stops a huge header early but counts loosely (it let ~60 bytes more
    // through); the bytes the header took, request line to the blank line, are exact.
    if (ec == http::error::header_limit || (!ec && header_bytes > cfg_.limits.max_header_bytes)) {
        begin_request();
        return refuse(kErrHeaderTooLarge, "最多" + std::to_string(cfg_.limits.max_header_bytes / 1024) + "KB");
    }
    if (ec) return on_read(ec);
    begin_request();   // from here the request is in flight: a drain waits for its body and answer
    if (over_limit_ || !count_client())
        return refuse(kErrTooManyConns, "最多" + std::to_string(conns_->limit()) + "个");
    stream_.expires_after(std::chrono::seconds(30));   // the body
    const bool upload = std::string_view(parser_->get().target()).rfind("/api/chat/upload", 0) == 0;
    const size_t limit = upload ? cfg_.max_upload_bytes : cfg_.max_body_bytes;
    if (auto len = parser_->content_length(); len && *len > limit) return on_read(http::error::body_limit);
    parser_->body_limit(limit);   // chunked bodies
    if (upload) stream_.expires_after(std::chrono::seconds(300));   // up to 50 MiB from a phone (issue 13)
    http::async_read(stream_, buf_, *parser_,
                     [self = shared_from_this()](beast::error_code ec2, std::size_t) { self->on_read(ec2); });
}

void HttpSession::on_read(beast::error_code ec) {
    if (ec == http::error::end_of_stream) {   // the client is done: close our side politely
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        return;
    }
    if (ec == http::error::body_limit) {
        begin_request();
        return refuse(kErrBodyTooLarge, "");
    }
    if (ec) return fail(ec, "http read");
    auto req = parser_->release();
    const std::string target(req.target());
    const std::string path = target.substr(0, target.find('?'));
    begin_request();
    if (websocket::is_upgrade(req)) return upgrade(std::move(req), path);
    if (req.method() != http::verb::options && is_api_path(path)) return call_api(std::move(req), target);
    if (path == "/metrics" && req.method() == http::verb::get)
        return finish(metrics_page(req), req.version(), req.keep_alive());

    route_ = "static";
    HttpResponse res = req.method() == http::verb::options ? text_response(http::status::no_content, "")
                                                           : static_file(cfg_, path, req);
    finish(std::move(res), req.version(), req.keep_alive());
}

void HttpSession::finish(HttpResponse&& res, unsigned version, bool keep_alive) {
    res.version(version);
    res.keep_alive(keep_alive);
    // The site may be hosted elsewhere (static host) and call this API cross-origin.
    res.set(http::field::access_control_allow_origin, "*");
    res.set(http::field::access_control_allow_headers, "token, content-type");
    res.set(http::field::access_control_allow_methods, "GET, POST, OPTIONS");
    res.set(http::field::access_control_expose_headers, "Retry-After");
    reply(std::move(res));
}

void HttpSession::upgrade(HttpRequest&& req, const std::string& path) {
    route_ = "ws";
    if (path != "/ws") return reply(fail_response(kErrNoRoute));
    const std::string_view origin = req[http::field::origin];
    if (!origin_allowed(origin, req[http::field::host], cfg_.allowed_origins)) {
        spdlog::warn("ws origin refused: {} (from {})", std::string(origin),
                     client_ip(stream_.socket(), req, cfg_.trusted_proxies));
        return reply(fail_response(kErrOrigin));
    }
    stream_.expires_never();
    end_request();   // a socket is not an HTTP request in flight (the drain closes it with 1001)
    auto ws = std::make_shared<WsSession>(stream_.release_socket(), cfg_, api_, hub_);
    ws->hold(std::move(hold_));   // the socket keeps this connection's count
    ws->start(req);
}

Request HttpSession::to_request(HttpRequest& req, const std::string& target) {
    const auto qpos = target.find('?');
    Request r;
    r.method = std::string(req.method_string());
    r.path = target.substr(0, qpos);
    r.query = qpos == std::string::npos ? "" : target.substr(qpos + 1);
    r.token = std::string(req["token"]);
    if (r.token.empty()) r.token = core::query_param(r.query, "token").value_or("");
    r.content_type = std::string(req[http::field::content_type]);
    r.body = std::move(req.body());
    r.remote = client_ip(stream_.socket(), req, cfg_.trusted_proxies);
    return r;
}

// The Api on a worker; the answer is written back on this connection's strand.
void HttpSession::call_api(HttpRequest&& req, const std::string& target) {
    const unsigned version = req.version();
    const bool     keep_alive = req.keep_alive();
    if (workers_.pending() >= cfg_.max_pending_jobs) {
        auto res = fail_response(kErrBusy);
        res.set(http::field::retry_after, "1");
        spdlog::debug("{} {} -> 503 (workers busy)", std::string(req.method_string()), redact(target));
        return finish(std::move(res), version, keep_alive);
    }
    workers_.post([self = shared_from_this(), r = to_request(req, target), version, keep_alive]() mutable {
        std::optional<Response> api = self->api_.handle(r);
        HttpResponse res;
        if (!api) {
            res = text_response(http::status::not_found, "not found");
        } else {
            res.result(api->status);
            res.set(http::field::content_type, api->content_type);
            res.set(http::field::cache_control, "no-store");
            if (api->retry_after_s > 0) res.set(http::field::retry_after, std::to_string(api->retry_after_s));
            res.body() = std::move(api->body);
            spdlog::debug("{} {} -> {}", r.method, redact(r.path), api->status);
        }
        const char* route = api ? api->route : "other";
        net::post(self->stream_.get_executor(), [self, res = std::move(res), version, keep_alive, route]() mutable {
            self->route_ = route;
            self->finish(std::move(res), version, keep_alive);
        });
    });
}

// Every answer on this connection passes here: API, static files, errors, refused upgrades.
void HttpSession::reply(HttpResponse&& res) {
    if (!cfg_.node_id.empty()) res.set(kNodeHeader, cfg_.node_id);   // which process answered (behind a balancer)
    res.prepare_payload();
    res_ = std::make_shared<HttpResponse>(std::move(res));
    http::async_write(stream_, *res_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->on_write(ec, self->res_->keep_alive());
    });
}

void HttpSession::on_write(beast::error_code ec, bool keep_alive) {
    res_.reset();
    end_request();
    if (ec) return fail(ec, "http write");
    ++served_;
    if (!keep_alive) {
        stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
        return drain();
    }
    read();
}

// After answering a request we refused mid-body, read and drop what the client is
// still sending (bounded in time), so closing does not reset the connection
// before the client has read our answer.
void HttpSession::drain() {
    if (!draining_) stream_.expires_after(std::chrono::seconds(2));   // one deadline for all of it
    draining_ = true;
    auto scratch = std::make_shared<std::array<char, 16384>>();
    stream_.async_read_some(net::buffer(*scratch), [self = shared_from_this(), scratch](beast::error_code ec, std::size_t) {
        if (ec) return fail(ec, "http drain");
        self->drain();
    });
}

}  // namespace imchat::server
