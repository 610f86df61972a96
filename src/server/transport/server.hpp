// imchat::server transport: the Boost.Beast listener, HTTP sessions (API and
// static files) and WebSocket sessions. Beast stays inside transport/ (it is
// slow to compile); the rest of the server sees only this header.
//
// Files, one class each: server (this: run/stop, signals, io threads), workers (the API
// thread pool), listener (accept),
// http_session (one connection: /ws upgrade, /api, static files), ws_session
// (one socket: handshake, auth, reads, gathered writes), ws_frame (RFC 6455 framing),
// rate_window (sliding-window limit), static_files (mime types, gz
// twins, cache headers), helpers (origin check, client ip, redact), trust_proxy
// (--trust-proxy networks, X-Forwarded-For), fail (the
// one error report every completion handler uses).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "server/transport/limits.hpp"
#include "server/metrics/metrics_access.hpp"
#include "server/transport/trust_proxy.hpp"

namespace imchat::server {

class Api;
class Hub;
class Scheduler;
class Backpressure;

struct ServerConfig {
    std::string              host = "0.0.0.0";
    uint16_t                 port = 8080;            // 0: pick a free port
    std::string              web_root;               // the built site (index.html, app.js, app.wasm)
    std::vector<std::string> allowed_origins;        // empty: same host as the request, or no Origin
    size_t                   max_frame_bytes = 64 * 1024;        // = 64 KiB; larger: close 1009
    size_t                   max_queue_bytes = 4 * 1024 * 1024;  // = 4 MiB per socket; slower: close 4008
    size_t                   max_body_bytes = 1024 * 1024;       // = 1 MiB per HTTP request
    size_t                   max_upload_bytes = 5 * 1024 * 1024; // = 5 MiB for /api/chat/upload
    std::string              uploads_dir;                        // served at /uploads/
    int                      idle_timeout_s = 30;    // pinged after half silent (ticks at a quarter); silent sockets close
    int                      frames_per_window = 200;   // more in any rate_window_ms: close 4008
    int64_t                  rate_window_ms = 10000;    // sliding window
    int                      threads = 0;            // io threads; 0: one per core
    int                      workers = 0;            // API worker threads; 0: one per core
    size_t                   max_pending_jobs = 4096;   // API requests waiting for a worker; more: 503
    size_t                   backlog_bytes = 512 * 1024;  // a socket this far behind counts as backlogged
    int                      write_coalesce_ms = 50;  // a busy socket writes at most once per this (frames batch); an idle one at once
    int                      socket_send_buffer = 0;  // SO_SNDBUF of WebSockets; 0: the kernel's (autotuned)
    std::string              node_id;                 // sent as X-Imchat-Node on every HTTP answer (empty: none)
    TrustedProxies           trusted_proxies;         // peers whose X-Forwarded-For names the client
    HttpLimits               limits;                  // connections per IP, header size, idle timeouts (limits.hpp)
    // Operations (issue 14): who may read /metrics; how long a drain waits for in-flight HTTP
    // requests; the hard deadline from SIGTERM/SIGINT to exit (a stuck drain still ends).
    metrics::Access          metrics_access;
    int                      drain_wait_ms = 8000;
    int                      exit_deadline_ms = 0;      // 0: no watchdog (tests embedding a Server); main sets 10 s
};

class Server {
public:
    Server(ServerConfig cfg, Api& api, Hub& hub);
    ~Server();
    uint16_t port() const;          // the bound port
    // Blocks until SIGINT/SIGTERM or stop(), then drains (issue 14): stop accepting, close every
    // WebSocket with 1001 (going away), let in-flight HTTP requests finish (up to drain_wait_ms),
    // stop the io threads and the workers. A watchdog exits the process with status 0 if all of
    // this has not ended exit_deadline_ms after the signal.
    void     run();
    void     stop();                // the same drain, from any thread
    // For the Api (issue 10): timers on the io threads, callbacks on the workers; and
    // whether a group's sockets are behind (most of its online members backlogged).
    Scheduler&    scheduler();
    Backpressure& backpressure();

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace imchat::server
