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

HttpSession::HttpSession(tcp::socket&& s, const ServerConfig& cfg, Api& api, Hub& hub, Workers& workers)
    : stream_(std::move(s)), cfg_(cfg), api_(api), hub_(hub), workers_(workers) {}

HttpSession::~HttpSession() { end_request(); }

void HttpSession::start() { read(); }

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
    // Beast checks a Content-Length against the limit in force when the header ends, so the
    // larger one here; on_header applies the route's own (issue 13: uploads over 1 MiB were refused).
    parser_->body_limit(std::max(cfg_.max_body_bytes, cfg_.max_upload_bytes));
    stream_.expires_after(std::chrono::seconds(30));
    // The header first: uploads get a larger body limit than the JSON routes.
    http::async_read_header(stream_, buf_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
        self->on_header(ec);
    });
}

void HttpSession::on_header(beast::error_code ec) {
    if (ec) return on_read(ec);
    begin_request();   // from here the request is in flight: a drain waits for its body and answer
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
        auto res = fail_response(kErrBodyTooLarge);
        res.keep_alive(false);
        res.set(http::field::access_control_allow_origin, "*");   // a page elsewhere may read the reason
        return reply(std::move(res));
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
    std::make_shared<WsSession>(stream_.release_socket(), cfg_, api_, hub_)->start(req);
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
