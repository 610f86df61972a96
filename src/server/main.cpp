// imchat-server: serves the built site, the HTTP API and /ws on one port.
#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <thread>

#include "server/api/api.hpp"
#include "server/bus/bus.hpp"
#include "server/bus/bus_redis.hpp"
#include "server/hub.hpp"
#include "server/lan_address.hpp"
#include "server/metrics/timed_store.hpp"
#include "server/ops/disabled_watch.hpp"
#include "server/ops/log_format.hpp"
#include "server/qr.hpp"
#include "server/store/store.hpp"
#ifdef IMCHAT_HAVE_POSTGRES
#include "server/store/store_postgres.hpp"
#endif
#include "server/transport/server.hpp"

using namespace imchat::server;

namespace {

int64_t now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

const char* env_or(const char* name, const char* def) {
    const char* v = std::getenv(name);
    return v && *v ? v : def;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"imchat-server: the imchat site, HTTP API and WebSocket on one port"};
    std::string listen = env_or("IMCHAT_LISTEN", "0.0.0.0:8080");
    std::string data_dir = env_or("IMCHAT_DATA_DIR", "data");
    std::string public_url = env_or("IMCHAT_PUBLIC_URL", "");
    std::string web_root = env_or("IMCHAT_WEB_ROOT", "build-web/site");
    std::vector<std::string> origins;
    std::string log_level = env_or("IMCHAT_LOG", "info");
    std::string store_kind = env_or("IMCHAT_STORE", "sqlite");
    std::string pg_conninfo = env_or("IMCHAT_PG", "");
    bool no_qr = false;
    std::string redis = env_or("IMCHAT_REDIS", "");
    std::string node_id = env_or("IMCHAT_NODE_ID", "");
    std::vector<std::string> trust_proxy;
    ServerConfig cfg;
    ApiConfig api_cfg;
    app.add_option("--listen", listen, "HOST:PORT to listen on (env IMCHAT_LISTEN)")->capture_default_str();
    app.add_option("--data-dir", data_dir, "folder for the SQLite database and uploads (env IMCHAT_DATA_DIR)")
        ->capture_default_str();
    app.add_option("--store", store_kind,
                   "sqlite (one process) or postgres (several processes share one database; env IMCHAT_STORE)")
        ->check(CLI::IsMember({"sqlite", "postgres"}))
        ->capture_default_str();
    app.add_option("--pg", pg_conninfo,
                   "PostgreSQL connection string or URI for --store postgres (env IMCHAT_PG; empty: libpq's "
                   "PG* environment variables)");
    app.add_option("--public-url", public_url,
                   "base URL phones use, for join links and QR codes (env IMCHAT_PUBLIC_URL; "
                   "default http://<LAN address>:<port>)");
    app.add_option("--web-root", web_root, "folder of the built site (env IMCHAT_WEB_ROOT)")->capture_default_str();
    app.add_option("--allow-origin", origins, "origins allowed to open /ws (repeatable; default: same host)");
    app.add_option("--log-level", log_level, "trace|debug|info|warn|error (env IMCHAT_LOG)")->capture_default_str();
    app.add_flag("--no-qr", no_qr, "do not print the join QR code");
    app.add_option("--threads", cfg.threads, "io threads (0: one per core)")->capture_default_str();
    app.add_option("--workers", cfg.workers, "API worker threads (0: one per core)")->capture_default_str();
    app.add_option("--socket-queue-bytes", cfg.max_queue_bytes,
                   "bytes queued for one socket before it is closed as a slow consumer (4008)")->capture_default_str();
    app.add_option("--backlog-bytes", cfg.backlog_bytes,
                   "a socket this far behind counts as backlogged; sends to a group whose online members are "
                   "mostly backlogged are refused with 503 + Retry-After")->capture_default_str();
    app.add_option("--write-coalesce-ms", cfg.write_coalesce_ms,
                   "a busy socket writes at most once per this many ms, frames arriving meanwhile share "
                   "the write (0: every flush at once)")->capture_default_str();
    app.add_option("--register-per-ip-hour", api_cfg.register_per_ip_hour,
                   "guest registrations allowed per IP and hour (load tests raise it)")->capture_default_str();
    // Uploads (issue 13): limits per kind and the daily quota per user, in MiB.
    struct UploadMb { const char* flag; const char* env; size_t mib; const char* what; };
    UploadMb upload_mb[] = {
        {"--upload-image-mb", "IMCHAT_UPLOAD_IMAGE_MB", api_cfg.max_image_bytes >> 20, "largest image upload"},
        {"--upload-audio-mb", "IMCHAT_UPLOAD_AUDIO_MB", api_cfg.max_audio_bytes >> 20, "largest audio upload"},
        {"--upload-video-mb", "IMCHAT_UPLOAD_VIDEO_MB", api_cfg.max_video_bytes >> 20, "largest video upload"},
        {"--upload-file-mb", "IMCHAT_UPLOAD_FILE_MB", api_cfg.max_file_bytes >> 20, "largest other file upload"},
        {"--upload-quota-mb", "IMCHAT_UPLOAD_QUOTA_MB", static_cast<size_t>(api_cfg.upload_quota_bytes >> 20),
         "bytes one user may upload per UTC day"},
    };
    for (auto& u : upload_mb) {
        if (const char* v = std::getenv(u.env)) u.mib = std::strtoull(v, nullptr, 10);
        app.add_option(u.flag, u.mib, std::string(u.what) + ", MiB (env " + u.env + ")")
            ->check(CLI::Range(size_t{1}, size_t{4096}))
            ->capture_default_str();
    }
    app.add_option("--redis", redis,
                   "HOST:PORT of the Redis that carries frames and kicks between server processes "
                   "(env IMCHAT_REDIS; needs a shared store: --store postgres)");
    app.add_option("--node-id", node_id, "this process's name on the bus, [A-Za-z0-9_.-] (env IMCHAT_NODE_ID; "
                   "default random)");
    app.add_option("--trust-proxy", trust_proxy,
                   "CIDR of a reverse proxy (repeatable or comma list, e.g. 127.0.0.1/32,10.0.0.0/8; env "
                   "IMCHAT_TRUST_PROXY): requests from it are rate-limited and logged by the right-most "
                   "X-Forwarded-For address outside these networks; others' X-Forwarded-For is ignored");
    // Limits (issue 14): connections per IP, header and body sizes, idle HTTP connections,
    // per-user sends, registrations per device, socket frames. Each refusal answers the API's
    // envelope {"msg":"fail","data":"<reason>"} (errors.hpp); README's "Limits" table.
    app.add_option("--max-conns-per-ip", cfg.limits.max_conns_per_ip,
                   "open connections (HTTP and WebSocket) per client address; more: 429 (0: no limit)")
        ->capture_default_str();
    size_t header_kb = cfg.limits.max_header_bytes >> 10, body_kb = cfg.max_body_bytes >> 10;
    app.add_option("--max-header-kb", header_kb, "request line + header fields, KiB; more: 431")
        ->check(CLI::Range(size_t{1}, size_t{1024}))->capture_default_str();
    app.add_option("--max-body-kb", body_kb, "body of a request other than an upload, KiB; more: 413")
        ->check(CLI::Range(size_t{1}, size_t{1024 * 1024}))->capture_default_str();
    app.add_option("--header-timeout-s", cfg.limits.header_timeout_s,
                   "a request's header must be complete this many seconds after it starts (slowloris)")
        ->check(CLI::Range(1, 3600))->capture_default_str();
    app.add_option("--keepalive-timeout-s", cfg.limits.keepalive_timeout_s,
                   "an idle kept-alive HTTP connection is closed after this many seconds")
        ->check(CLI::Range(1, 3600))->capture_default_str();
    app.add_option("--send-per-user-10s", api_cfg.sends_per_user_window,
                   "messages one user may send per 10 s (sliding window); more: 429 + Retry-After (0: no limit)")
        ->check(CLI::Range(0, 1000000))->capture_default_str();
    app.add_option("--register-per-device-hour", api_cfg.register_per_device_hour,
                   "guest registrations allowed per device id and hour; more: 429")
        ->check(CLI::Range(1, 1000000))->capture_default_str();
    app.add_option("--ws-frames-per-10s", cfg.frames_per_window,
                   "frames one socket may send per 10 s (sliding window); more: close 4008")
        ->check(CLI::Range(1, 1000000))->capture_default_str();
    // ---- Operations (issue 14, ops): /metrics access, log format, disabling accounts ----------
    std::string log_format = env_or("IMCHAT_LOG_FORMAT", "text");
    std::vector<std::string> metrics_allow;
    std::string disable_user = env_or("IMCHAT_DISABLE_USER", "");
    std::string enable_user = env_or("IMCHAT_ENABLE_USER", "");
    int64_t disabled_poll_ms = std::strtoll(env_or("IMCHAT_DISABLED_POLL_MS", "2000"), nullptr, 10);
    app.add_option("--log-format", log_format,
                   "text, or json: one JSON object per line {time,level,msg,thread} (env IMCHAT_LOG_FORMAT)")
        ->check(CLI::IsMember({"text", "json"}))
        ->capture_default_str();
    app.add_option("--metrics-allow", metrics_allow,
                   "CIDR allowed to GET /metrics (repeatable or comma list; env IMCHAT_METRICS_ALLOW; default "
                   "loopback only; 'off' turns /metrics off). Requests relayed by a proxy that is not a "
                   "--trust-proxy network are refused");
    app.add_option("--disable-user", disable_user,
                   "one-shot: disable account NAME in the store and exit; running servers close its sockets "
                   "(4003) within --disabled-poll-ms, its logins and tokens are refused (env IMCHAT_DISABLE_USER)");
    app.add_option("--enable-user", enable_user,
                   "one-shot: enable account NAME again and exit (env IMCHAT_ENABLE_USER)");
    app.add_option("--disabled-poll-ms", disabled_poll_ms,
                   "how often a running server looks for disabled accounts to close their sockets "
                   "(env IMCHAT_DISABLED_POLL_MS; 0: never)")
        ->capture_default_str();
    // ---- end of operations flags -------------------------------------------------------------
    bool print_config = false;
    app.add_flag("--print-config", print_config, "print every option's value (after flags and env) and exit");
    // Every option has an env twin: --some-flag reads IMCHAT_SOME_FLAG (README). Keep this
    // loop after the last add_option/add_flag.
    for (CLI::Option* o : app.get_options()) {
        std::string name = o->get_single_name();
        if (name.empty() || name == "help" || name == "print-config" || !o->get_envname().empty()) continue;
        for (char& ch : name) ch = ch == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        o->envname("IMCHAT_" + name);
    }
    CLI11_PARSE(app, argc, argv);
    cfg.limits.max_header_bytes = header_kb << 10;
    cfg.max_body_bytes = body_kb << 10;
    if (print_config) {
        std::cout << app.config_to_str(true, false);
        return 0;
    }
    if (metrics_allow.empty()) metrics_allow.emplace_back(env_or("IMCHAT_METRICS_ALLOW", ""));
    if (metrics_allow.size() == 1 && metrics_allow[0] == "off") {
        cfg.metrics_access.enabled = false;
    } else {
        std::string error;
        if (!cfg.metrics_access.allow.parse(metrics_allow, error)) {
            std::cerr << "--metrics-allow / IMCHAT_METRICS_ALLOW: " << error << "\n";
            return 2;
        }
    }
    cfg.exit_deadline_ms = 10000;   // SIGTERM/SIGINT: exit within 10 s whatever happens
    if (trust_proxy.empty()) trust_proxy.emplace_back(env_or("IMCHAT_TRUST_PROXY", ""));
    {
        std::string error;
        if (!cfg.trusted_proxies.parse(trust_proxy, error)) {
            std::cerr << "--trust-proxy / IMCHAT_TRUST_PROXY: " << error << "\n";
            return 2;
        }
    }

    spdlog::set_level(spdlog::level::from_str(log_level));
    ops::set_log_format(log_format);
    api_cfg.max_image_bytes = upload_mb[0].mib << 20;
    api_cfg.max_audio_bytes = upload_mb[1].mib << 20;
    api_cfg.max_video_bytes = upload_mb[2].mib << 20;
    api_cfg.max_file_bytes = upload_mb[3].mib << 20;
    api_cfg.upload_quota_bytes = static_cast<int64_t>(upload_mb[4].mib << 20);

    const auto colon = listen.rfind(':');
    if (colon == std::string::npos) {
        std::cerr << "--listen must be HOST:PORT, got '" << listen << "'\n";
        return 2;
    }
    cfg.host = listen.substr(0, colon);
    try {
        cfg.port = static_cast<uint16_t>(std::stoi(listen.substr(colon + 1)));
    } catch (...) {
        std::cerr << "--listen: bad port in '" << listen << "'\n";
        return 2;
    }
    RedisBusConfig redis_cfg;
    // Several processes must share one database: SQLite is one process's file.
    if (!redis.empty() && store_kind != "postgres") {
        std::cerr << "--redis needs a store every process shares (--store postgres); the SQLite store "
                     "belongs to one process, so --redis with SQLite is refused\n";
        return 2;
    }
    if (!node_id.empty() && !valid_node_id(node_id)) {
        std::cerr << "--node-id: use 1-64 of A-Z a-z 0-9 _ . -, got '" << node_id << "'\n";
        return 2;
    }
    if (node_id.empty()) node_id = random_node_id();
    cfg.node_id = node_id;
    cfg.web_root = web_root;
    cfg.allowed_origins = origins;
    if (!std::filesystem::exists(std::filesystem::path(web_root) / "index.html"))
        spdlog::warn("no index.html under --web-root {}: only the API will work", web_root);

    const bool one_shot = !disable_user.empty() || !enable_user.empty();
    if (one_shot && store_kind == "sqlite" && !std::filesystem::exists(std::filesystem::path(data_dir) / "imchat.db")) {
        std::cerr << "imchat-server: no database at " << (std::filesystem::path(data_dir) / "imchat.db").string()
                  << " (--data-dir)\n";
        return 1;
    }
    if (std::error_code ec; !std::filesystem::create_directories(data_dir, ec) && ec) {
        std::cerr << "imchat-server: cannot create --data-dir " << data_dir << ": " << ec.message() << "\n";
        return 1;
    }
    std::unique_ptr<Store> store;
    if (store_kind == "postgres") {
#ifdef IMCHAT_HAVE_POSTGRES
        // A connection for each thread that may be in the store at once: the API workers, the
        // io threads, and a couple more for start-up and timers.
        const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
        const int pool = (cfg.workers > 0 ? cfg.workers : cores) + (cfg.threads > 0 ? cfg.threads : cores) + 2;
        try {
            store = make_postgres_store(pg_conninfo, pool);
        } catch (const std::exception& e) {
            std::cerr << "imchat-server: cannot open the PostgreSQL store: " << e.what() << "\n";
            return 1;
        }
#else
        std::cerr << "imchat-server: --store postgres: this build has no PostgreSQL store (libpqxx-dev was not "
                     "found when it was configured; shell/setup --cluster installs it, then rebuild)\n";
        return 2;
#endif
    } else {
        if (!pg_conninfo.empty()) spdlog::warn("--pg / IMCHAT_PG is ignored: the store is sqlite (--store postgres)");
        const std::string db = (std::filesystem::path(data_dir) / "imchat.db").string();
        try {
            store = make_sqlite_store(db);
        } catch (const std::exception& e) {   // e.g. a read-only data dir: say so, do not abort
            std::cerr << "imchat-server: cannot open the SQLite store " << db << ": " << e.what()
                      << " (is --data-dir writable and not full?)\n";
            return 1;
        }
    }
    if (one_shot) {   // --disable-user / --enable-user: write the store, say what happened, exit
        const bool disable = !disable_user.empty();
        const std::string& name = disable ? disable_user : enable_user;
        try {
            auto u = store->set_user_status(name, disable ? 0 : 1);
            if (!u) {
                std::cerr << "imchat-server: no user named '" << name << "'\n";
                return 1;
            }
            std::cout << "user " << name << " (id " << u->id << ") " << (disable ? "disabled" : "enabled") << "\n";
            if (disable)
                std::cout << "  its logins and tokens are refused now; running servers close its sockets (4003) "
                             "within their --disabled-poll-ms\n";
        } catch (const std::exception& e) {
            std::cerr << "imchat-server: cannot change user '" << name << "': " << e.what() << "\n";
            return 1;
        }
        return 0;
    }
    store = std::make_unique<metrics::TimedStore>(std::move(store));   // imchat_store_duration_seconds
    std::unique_ptr<Bus> bus;
    if (redis.empty()) {
        bus = make_memory_bus();
    } else {
        redis_cfg.node_id = node_id;
        if (!parse_host_port(redis, redis_cfg.host, redis_cfg.port)) {
            std::cerr << "--redis must be HOST:PORT, got '" << redis << "'\n";
            return 2;
        }
        bus = make_redis_bus(redis_cfg);   // connects in the background; /readyz waits for healthy()
        api_cfg.cache_audience = false;    // other processes change memberships too
        spdlog::info("node {}: bus on Redis {}", node_id, redis);
    }
    const std::string uploads = (std::filesystem::path(data_dir) / "uploads").string();
    auto blobs = make_file_blob_store(uploads);
    cfg.uploads_dir = uploads;
    Hub hub(*bus);

    try {
        Api api(*store, *bus, now_ms, api_cfg, blobs.get());
        cfg.max_upload_bytes = api.max_upload_bytes();
        Server server(cfg, api, hub);
        api.set_scheduler(&server.scheduler());         // join notices: one per group per window
        api.set_backpressure(&server.backpressure());   // group sends: 503 while its sockets are behind
        if (public_url.empty()) {
            const std::string lan = lan_address(host_interfaces());
            if (lan.empty()) spdlog::warn("no LAN address found; phones cannot reach localhost, pass --public-url");
            public_url = default_public_url(lan, server.port());
        }
        api.set_public_url(public_url);
        GroupRow demo;
        {   // several processes starting at once on one database: one makes it, the others find it
            auto setup = store->setup_lock();
            demo = api.ensure_demo_group();
        }
        const std::string join = api.join_url(demo.id);
        // Sockets are refused (1013) until the bus is healthy: give it a moment before saying
        // we serve, so the first clients (and tests waiting for the banner) are not sent away.
        for (int i = 0; i < 500 && !bus->healthy(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
        if (!bus->healthy()) spdlog::warn("bus not healthy yet: sockets are refused (1013) until it is");

        DisabledWatch disabled_watch(*store, hub, server.scheduler(), disabled_poll_ms);
        disabled_watch.start();
        const std::string data_line = "  data:        " + std::filesystem::absolute(data_dir).string() +
                                      (store_kind == "postgres" ? "   (uploads; messages in PostgreSQL)" : "");
        if (ops::json_logs()) {   // each line one JSON object too (the QR code is not a log line)
            ops::banner_line("imchat is serving on " + cfg.host + ":" + std::to_string(server.port()));
            ops::banner_line("  site (LAN):  " + public_url + "/");
            ops::banner_line("  join group:  " + join + "   (" + demo.name + ")");
            ops::banner_line(data_line);
            no_qr = true;
        } else {
            std::cout << "imchat is serving on " << cfg.host << ":" << server.port() << "\n"
                      << "  site (LAN):  " << public_url << "/\n"
                      << "  join group:  " << join << "   (" << demo.name << ")\n"
                      << data_line << "\n";
        }
        if (!no_qr) {
            std::cout << "Scan to join from a phone on the same network:\n";
            std::cout << qr_terminal(qr_encode(join));
        }
        std::cout << std::flush;
        server.run();
        spdlog::info("stopped: closing the store");
    } catch (const std::exception& e) {
        std::cerr << "imchat-server: " << e.what() << "\n";
        bus.reset();   // a Redis bus's thread stops before the hub it calls goes away
        return 1;
    }
    bus.reset();
    store.reset();   // SQLite: the last connection closes and checkpoints its WAL into the database
    spdlog::info("store closed, exiting");
    spdlog::default_logger()->flush();
    return 0;
}
