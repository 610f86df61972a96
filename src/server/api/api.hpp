// imchat::server Api: the reference system's HTTP routes and the socket's text
// frames, as pure request -> response logic over a Store and a Bus. No I/O of
// its own: transport/ parses HTTP and calls handle(); tests call it directly.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/protocol.hpp"
#include "server/api/rate_limiter.hpp"
#include "server/bus/bus.hpp"
#include "server/store/store.hpp"

namespace imchat::server {

struct Request {
    std::string method;        // "GET", "POST", ...
    std::string path;          // "/api/chat/groupinfo/3"
    std::string query;         // "limit=30" (no '?')
    std::string token;         // `token` header, else ?token=
    std::string body;
    std::string remote;        // client IP, for rate limits
};

struct Response {
    int         status = 200;
    std::string body;
    std::string content_type = "application/json; charset=utf-8";
};

struct ApiConfig {
    std::string public_url;                 // base of join links, e.g. "http://192.168.1.5:8080"
    size_t      max_text_bytes = 8000;      // = 8000, a text message's data
    int         register_per_device_hour = 10;
    int         register_per_ip_hour = 600;
};

class Api {
public:
    using Clock = std::function<int64_t()>;   // ms since epoch
    Api(Store& store, Bus& bus, Clock clock, ApiConfig cfg);

    // nullopt: not an API route (the transport serves a static file instead).
    std::optional<Response> handle(const Request& r);

    // Socket: authenticate `?token=`; one text frame in, an optional reply out.
    std::optional<UserRow>     authenticate(std::string_view token);
    std::optional<std::string> socket_text(const UserRow& u, std::string_view text);
    std::string                welcome_frame() const;

    // Setup helpers (server start-up, tests).
    std::string issue_token(int64_t user_id);
    GroupRow    ensure_demo_group();            // "imchat 演示群", created once
    std::string join_url(int64_t group_id) const;
    void        set_public_url(std::string url) { cfg_.public_url = std::move(url); }
    int64_t     now() const { return clock_(); }

private:
    Response visitor_register(const Request& r);
    Response reg_chat(const core::Json& body);
    Response login_chat(const Request& r, const core::Json& body);
    Response logout(const UserRow& u);
    Response group_list(const UserRow& u, std::string_view page, const Request& r);
    Response group_info(const UserRow& u, std::string_view id);
    Response group_invite_user(const UserRow& u, const core::Json& body);
    Response send_message(const UserRow& u, const core::Json& body);
    Response history(const UserRow& u, std::string_view chat_type, std::string_view id, const Request& r);
    Response offline_messages(const UserRow& u, const core::Json& body);

    core::Json group_json(const GroupRow& g, bool with_members);
    void       post_system_notice(const GroupRow& g, const std::string& text);
    void       fan_out(const GroupRow& g, const core::Message& m, int64_t except_user);

    Store&      store_;
    Bus&        bus_;
    Clock       clock_;
    ApiConfig   cfg_;
    RateLimiter register_limits_;
    RateLimiter login_limits_;
};

Response ok(const core::Json& data);
Response fail(std::string_view reason, int status = 400);

}  // namespace imchat::server
