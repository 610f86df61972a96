// imchat::server transport: the Boost.Beast listener, HTTP sessions (API and
// static files) and WebSocket sessions. Beast stays inside transport/ (it is
// slow to compile); the rest of the server sees only this header.
//
// Files, one class each: server (this: run/stop, signals), listener (accept),
// http_session (one connection: /ws upgrade, /api, static files), ws_session
// (one socket: auth, reads, bounded write queue), static_files (mime types, gz
// twins, cache headers), helpers (origin check, remote ip, redact), fail (the
// one error report every completion handler uses).
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace imchat::server {

class Api;
class Hub;

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
    int                      idle_timeout_s = 30;    // server pings at half; silent sockets close
    int                      frames_per_10s = 200;   // more: close 4008
};

class Server {
public:
    Server(ServerConfig cfg, Api& api, Hub& hub);
    ~Server();
    uint16_t port() const;          // the bound port
    void     run();                 // blocks until SIGINT/SIGTERM or stop()
    void     stop();                // drain: stop accepting, close sockets with 1001

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace imchat::server
