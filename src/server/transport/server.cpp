// Beast transport. One file on purpose (compile time); sections:
//   [SECTION] helpers (mime types, static files, origin check)
//   [SECTION] WsSession   websocket: auth, read loop, bounded write queue
//   [SECTION] HttpSession request routing: /ws upgrade, /api, static files
//   [SECTION] Listener + Server
#include "server/transport/server.hpp"

#include <utility>

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <atomic>
#include <deque>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "protocol/envelope.hpp"
#include "protocol/codes.hpp"
#include "protocol/frames.hpp"
#include "protocol/message.hpp"
#include "core/url.hpp"
#include "server/api/api.hpp"
#include "server/hub.hpp"

namespace imchat::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace websocket = beast::websocket;
namespace net = boost::asio;
using tcp = net::ip::tcp;
namespace fs = std::filesystem;

// [SECTION] helpers ------------------------------------------------------------------

namespace {
std::atomic<uint64_t> g_next_conn_id{1};

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

bool read_file(const fs::path& p, std::string& out) {
    std::ifstream f(p, std::ios::binary);
    if (!f) return false;
    std::ostringstream ss;
    ss << f.rdbuf();
    out = ss.str();
    return true;
}

std::string host_of(std::string_view url_or_host) {
    auto s = url_or_host;
    if (auto p = s.find("://"); p != std::string_view::npos) s = s.substr(p + 3);
    if (auto p = s.find('/'); p != std::string_view::npos) s = s.substr(0, p);
    return std::string(s);
}

std::string remote_ip(const tcp::socket& s) {
    beast::error_code ec;
    auto ep = s.remote_endpoint(ec);
    return ec ? std::string("?") : ep.address().to_string();
}

// Query without the token (tokens are never logged).
std::string redact(std::string_view target) {
    auto q = target.find('?');
    return std::string(target.substr(0, q)) + (q == std::string_view::npos ? "" : "?…");
}
}  // namespace

// [SECTION] WsSession ------------------------------------------------------------------

class WsSession : public Connection, public std::enable_shared_from_this<WsSession> {
public:
    WsSession(tcp::socket&& s, const ServerConfig& cfg, Api& api, Hub& hub)
        : ws_(std::move(s)), cfg_(cfg), api_(api), hub_(hub), id_(g_next_conn_id++) {}

    uint64_t id() const override { return id_; }

    void start(http::request<http::string_body> req) {
        websocket::stream_base::timeout t{};
        t.handshake_timeout = std::chrono::seconds(10);
        t.idle_timeout = std::chrono::seconds(cfg_.idle_timeout_s);
        t.keep_alive_pings = true;   // Beast pings at idle/2 and closes a silent peer
        ws_.set_option(t);
        ws_.read_message_max(cfg_.max_frame_bytes);
        ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
            res.set(http::field::server, "imchat");
        }));
        const std::string target(req.target());
        const auto q = target.find('?');
        token_ = core::query_param(q == std::string::npos ? "" : std::string_view(target).substr(q + 1), "token")
                     .value_or("");
        ws_.async_accept(req, [self = shared_from_this()](beast::error_code ec) { self->on_accept(ec); });
    }

    void send(const Frame& f) override {
        net::post(ws_.get_executor(), [self = shared_from_this(), f] { self->enqueue(f); });
    }

    void close(int code, const std::string& reason) override {
        net::post(ws_.get_executor(), [self = shared_from_this(), code, reason] { self->close_now(code, reason); });
    }

private:
    void on_accept(beast::error_code ec) {
        if (ec) return;
        auto user = api_.authenticate(token_);
        if (!user) {
            // Reference behaviour: a fail frame, then close (4002: token invalid).
            enqueue(std::make_shared<const std::string>(
                protocol::Json{{"msg", "fail"}, {"data", protocol::kErrTokenInvalid}}.dump()));
            close_now(protocol::kCloseTokenInvalid, "token invalid");
            read();   // keep reading so the close handshake completes
            return;
        }
        user_ = *user;
        hub_.attach(user_.id, shared_from_this());
        attached_ = true;
        enqueue(std::make_shared<const std::string>(api_.welcome_frame()));
        window_start_ = std::chrono::steady_clock::now();
        read();
    }

    void read() {
        ws_.async_read(buf_, [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
    }

    void on_read(beast::error_code ec) {
        if (ec) {
            // message_too_big: Beast has already sent close 1009.
            if (ec != websocket::error::closed && ec != net::error::operation_aborted)
                spdlog::debug("ws {} read: {}", id_, ec.message());
            detach();
            return;
        }
        const std::string text = beast::buffers_to_string(buf_.data());
        buf_.consume(buf_.size());
        if (closing_) { read(); return; }
        auto now = std::chrono::steady_clock::now();
        if (now - window_start_ > std::chrono::seconds(10)) { window_start_ = now; frames_ = 0; }
        if (++frames_ > cfg_.frames_per_10s) {
            close_now(protocol::kClosePolicy, "rate limit");
        } else if (auto reply = api_.socket_text(user_, text)) {
            enqueue(std::make_shared<const std::string>(std::move(*reply)));
        }
        read();
    }

    void enqueue(const Frame& f) {
        if (closing_) return;
        queued_bytes_ += f->size();
        if (queued_bytes_ > cfg_.max_queue_bytes) {   // a slow consumer: drop it, memory stays bounded
            queue_.clear();
            queued_bytes_ = 0;
            close_now(protocol::kClosePolicy, "slow consumer");
            return;
        }
        queue_.push_back(f);
        if (queue_.size() == 1 && !writing_close_) write_next();
    }

    void write_next() {
        ws_.text(true);
        ws_.async_write(net::buffer(*queue_.front()),
                        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_write(ec); });
    }

    void on_write(beast::error_code ec) {
        if (queue_.empty()) return;
        queued_bytes_ -= queue_.front()->size();
        queue_.pop_front();
        if (ec) { queue_.clear(); detach(); return; }
        if (!queue_.empty()) write_next();
        else if (pending_close_) do_close();
    }

    void close_now(int code, const std::string& reason) {
        if (closing_) return;
        closing_ = true;
        detach();
        close_reason_.code = static_cast<std::uint16_t>(code);
        close_reason_.reason = reason;
        pending_close_ = true;
        if (queue_.empty()) do_close();   // else after the queued frames (the fail frame) are out
    }

    void do_close() {
        pending_close_ = false;
        writing_close_ = true;
        ws_.async_close(close_reason_, [self = shared_from_this()](beast::error_code) {});
    }

    void detach() {
        if (attached_) { attached_ = false; hub_.detach(user_.id, *this); }
    }

    websocket::stream<beast::tcp_stream> ws_;
    const ServerConfig&       cfg_;
    Api&                      api_;
    Hub&                      hub_;
    const uint64_t            id_;
    std::string               token_;
    UserRow                   user_;
    bool                      attached_ = false;
    beast::flat_buffer        buf_;
    std::deque<Frame>         queue_;
    size_t                    queued_bytes_ = 0;
    bool                      closing_ = false, pending_close_ = false, writing_close_ = false;
    websocket::close_reason   close_reason_;
    std::chrono::steady_clock::time_point window_start_;
    int                       frames_ = 0;
};

// [SECTION] HttpSession ------------------------------------------------------------------

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(tcp::socket&& s, const ServerConfig& cfg, Api& api, Hub& hub)
        : stream_(std::move(s)), cfg_(cfg), api_(api), hub_(hub) {}

    void start() { read(); }

private:
    void read() {
        parser_.emplace();
        parser_->body_limit(cfg_.max_body_bytes);
        stream_.expires_after(std::chrono::seconds(30));
        // The header first: uploads get a larger body limit than the JSON routes.
        http::async_read_header(stream_, buf_, *parser_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
            if (ec) return self->on_read(ec);
            if (std::string_view(self->parser_->get().target()).rfind("/api/chat/upload", 0) == 0)
                self->parser_->body_limit(self->cfg_.max_upload_bytes);
            http::async_read(self->stream_, self->buf_, *self->parser_,
                             [self](beast::error_code ec2, std::size_t) { self->on_read(ec2); });
        });
    }

    void on_read(beast::error_code ec) {
        if (ec == http::error::end_of_stream) { stream_.socket().shutdown(tcp::socket::shutdown_send, ec); return; }
        if (ec == http::error::body_limit) {
            auto res = simple(http::status::payload_too_large, "请求内容太大");
            res.keep_alive(false);
            reply(std::move(res));
            return;
        }
        if (ec) return;
        auto req = parser_->release();

        const std::string target(req.target());
        const auto qpos = target.find('?');
        const std::string path = target.substr(0, qpos);
        const std::string query = qpos == std::string::npos ? "" : target.substr(qpos + 1);

        if (websocket::is_upgrade(req)) {
            if (path != "/ws") { reply(simple(http::status::not_found, "not found")); return; }
            if (!origin_allowed(req)) {
                spdlog::warn("ws origin refused: {}", std::string(req[http::field::origin]));
                reply(simple(http::status::forbidden, "origin not allowed"));
                return;
            }
            stream_.expires_never();
            std::make_shared<WsSession>(stream_.release_socket(), cfg_, api_, hub_)->start(std::move(req));
            return;
        }

        Request r;
        r.method = std::string(req.method_string());
        r.path = path;
        r.query = query;
        r.token = std::string(req["token"]);
        if (r.token.empty()) r.token = core::query_param(query, "token").value_or("");
        r.body = std::move(req.body());
        r.remote = remote_ip(stream_.socket());

        http::response<http::string_body> res;
        if (req.method() == http::verb::options) {
            res = simple(http::status::no_content, "");
        } else if (auto api = api_.handle(r)) {
            res.result(api->status);
            res.set(http::field::content_type, api->content_type);
            res.set(http::field::cache_control, "no-store");
            res.body() = std::move(api->body);
            spdlog::debug("{} {} -> {}", r.method, redact(target), api->status);
        } else {
            res = static_file(path, req);
        }
        res.version(req.version());
        res.keep_alive(req.keep_alive());
        // The site may be hosted elsewhere (static host) and call this API cross-origin.
        res.set(http::field::access_control_allow_origin, "*");
        res.set(http::field::access_control_allow_headers, "token, content-type");
        res.set(http::field::access_control_allow_methods, "GET, POST, OPTIONS");
        reply(std::move(res));
    }

    bool origin_allowed(const http::request<http::string_body>& req) const {
        const std::string origin(req[http::field::origin]);
        if (origin.empty()) return true;   // not a browser
        if (cfg_.allowed_origins.empty()) return host_of(origin) == std::string(req[http::field::host]);
        for (const auto& o : cfg_.allowed_origins)
            if (o == "*" || o == origin) return true;
        return false;
    }

    http::response<http::string_body> static_file(const std::string& path,
                                                  const http::request<http::string_body>& req) {
        if (req.method() != http::verb::get && req.method() != http::verb::head)
            return simple(http::status::method_not_allowed, "method not allowed");
        if (path.find("..") != std::string::npos || path.find('\\') != std::string::npos)
            return simple(http::status::bad_request, "bad path");
        if (path.rfind("/uploads/", 0) == 0) return upload_file(path.substr(9), req);
        const std::string rel = path == "/" ? "index.html" : path.substr(1);
        fs::path file = fs::path(cfg_.web_root) / rel;
        http::response<http::string_body> res{http::status::ok, req.version()};
        const bool gz_ok = std::string_view(req[http::field::accept_encoding]).find("gzip") != std::string_view::npos;
        std::string body;
        if (gz_ok && read_file(file.string() + ".gz", body)) {
            res.set(http::field::content_encoding, "gzip");
            // The page's loading bar counts decoded bytes; tell it how many to expect.
            std::error_code fec;
            if (auto n = fs::file_size(file, fec); !fec) res.set("X-Decoded-Length", std::to_string(n));
        } else if (!read_file(file, body)) {
            return simple(http::status::not_found, "not found");
        }
        res.set(http::field::vary, "Accept-Encoding");
        res.set(http::field::content_type, mime_type(rel));
        res.set(http::field::cache_control, "no-cache");   // revalidate: names are not content-hashed yet
        res.body() = std::move(body);
        res.prepare_payload();
        if (req.method() == http::verb::head) res.body().clear();
        return res;
    }

    // Uploaded images: immutable, unguessable names; never sniffed as anything else.
    http::response<http::string_body> upload_file(const std::string& name,
                                                  const http::request<http::string_body>& req) {
        static const std::regex kName("^[0-9a-f]{32}\\.(png|jpg|gif|webp)$");
        std::string body;
        if (cfg_.uploads_dir.empty() || !std::regex_match(name, kName) ||
            !read_file(fs::path(cfg_.uploads_dir) / name, body))
            return simple(http::status::not_found, "not found");
        http::response<http::string_body> res{http::status::ok, req.version()};
        res.set(http::field::content_type, mime_type(name));
        res.set(http::field::cache_control, "public, max-age=31536000, immutable");
        res.set("X-Content-Type-Options", "nosniff");
        res.body() = std::move(body);
        res.prepare_payload();
        return res;
    }

    // After answering a request we refused mid-body, read and drop what the client is
    // still sending (bounded in time), so closing does not reset the connection
    // before the client has read our answer.
    void drain() {
        if (!draining_) stream_.expires_after(std::chrono::seconds(2));   // one deadline for all of it
        draining_ = true;
        auto scratch = std::make_shared<std::array<char, 16384>>();
        stream_.async_read_some(net::buffer(*scratch), [self = shared_from_this(), scratch](beast::error_code ec, std::size_t) {
            if (!ec) self->drain();
        });
    }

    static http::response<http::string_body> simple(http::status st, std::string_view text) {
        http::response<http::string_body> res{st, 11};
        res.set(http::field::content_type, "text/plain; charset=utf-8");
        res.body() = std::string(text);
        return res;
    }

    void reply(http::response<http::string_body>&& res) {
        res.prepare_payload();
        auto sp = std::make_shared<http::response<http::string_body>>(std::move(res));
        http::async_write(stream_, *sp, [self = shared_from_this(), sp](beast::error_code ec, std::size_t) {
            if (ec) return;
            if (!sp->keep_alive()) {
                self->stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
                self->drain();
                return;
            }
            self->read();
        });
    }

    beast::tcp_stream   stream_;
    const ServerConfig& cfg_;
    Api&                api_;
    Hub&                hub_;
    beast::flat_buffer  buf_;
    std::optional<http::request_parser<http::string_body>> parser_;
    bool                draining_ = false;
};

// [SECTION] Listener + Server ---------------------------------------------------------------

struct Server::Impl {
    ServerConfig      cfg;
    Api&              api;
    Hub&              hub;
    net::io_context   ioc{1};
    tcp::acceptor     acceptor{ioc};
    net::signal_set   signals{ioc, SIGINT, SIGTERM};
    bool              stopping = false;

    Impl(ServerConfig c, Api& a, Hub& h) : cfg(std::move(c)), api(a), hub(h) {
        auto addr = net::ip::make_address(cfg.host);
        tcp::endpoint ep{addr, cfg.port};
        acceptor.open(ep.protocol());
        acceptor.set_option(net::socket_base::reuse_address(true));
        acceptor.bind(ep);
        acceptor.listen(net::socket_base::max_listen_connections);
    }

    void accept() {
        acceptor.async_accept(net::make_strand(ioc), [this](beast::error_code ec, tcp::socket s) {
            if (ec) { if (!stopping) accept(); return; }
            std::make_shared<HttpSession>(std::move(s), cfg, api, hub)->start();
            accept();
        });
    }

    void drain() {
        if (stopping) return;
        stopping = true;
        spdlog::info("shutting down: closing sockets with 1001");
        beast::error_code ec;
        acceptor.close(ec);
        hub.close_all(1001, "server going away");
        // Give close frames a moment to leave, then stop.
        auto t = std::make_shared<net::steady_timer>(ioc, std::chrono::milliseconds(300));
        t->async_wait([this, t](beast::error_code) { ioc.stop(); });
    }
};

Server::Server(ServerConfig cfg, Api& api, Hub& hub) : impl_(std::make_unique<Impl>(std::move(cfg), api, hub)) {}
Server::~Server() = default;

uint16_t Server::port() const { return impl_->acceptor.local_endpoint().port(); }

void Server::run() {
    impl_->signals.async_wait([this](beast::error_code, int) { impl_->drain(); });
    impl_->accept();
    impl_->ioc.run();
}

void Server::stop() {
    net::post(impl_->ioc, [this] { impl_->drain(); });
}

}  // namespace imchat::server
