// Fuzz target: the HTTP API over random routes, bodies and headers. The input is what a client
// writes on one keep-alive connection: up to 8 pipelined HTTP/1.1 requests, parsed by Beast's
// parser as the transport's is (same body limit), turned into an api Request as
// HttpSession::to_request does (path, query, token header else ?token=, Content-Type, the
// client address through X-Forwarded-For from a trusted proxy), and handled by a real Api over
// in-memory SQLite (api_world.hpp: users, groups, messages; @A@ / @B@ tokens, @GO@ / @GA@ ids),
// kept for a few hundred inputs (see below).
// Every API answer is a JSON envelope {msg, data} with a known status.
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "api_world.hpp"
#include "core/url.hpp"
#include "fuzz_check.hpp"
#include "server/transport/trust_proxy.hpp"

namespace http = boost::beast::http;
using namespace imchat;

namespace {

const server::TrustedProxies& proxies() {
    static const server::TrustedProxies p = [] {
        server::TrustedProxies t;
        std::string err;
        t.parse({"127.0.0.0/8", "::1"}, err);
        return t;
    }();
    return p;
}

void check_answer(const server::Response& res) {
    static const int kKnown[] = {200, 400, 403, 404, 413, 429, 500, 503};
    bool known = false;
    for (int s : kKnown) known = known || res.status == s;
    FUZZ_CHECK(known);
    if (res.content_type.rfind("application/json", 0) != 0) return;   // QR codes may answer PNG
    const protocol::Json j = protocol::parse_json(res.body);
    FUZZ_CHECK(j.is_object());
    const std::string msg = protocol::read_str(j, "msg");
    FUZZ_CHECK(msg == (res.status == 200 ? "ok" : "fail"));
    FUZZ_CHECK(j.contains("data"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size > 64 * 1024) return 0;
    // A world per input costs more than the requests (schema, users, messages): one is kept for
    // kReuse inputs, then made anew. A crash input replayed alone runs on a fresh world.
    constexpr int kReuse = 256;
    static std::unique_ptr<fuzz::ApiWorld> world;
    static int uses = 0;
    if (!world || ++uses > kReuse) {
        world.reset();
        world = std::make_unique<fuzz::ApiWorld>();
        uses = 0;
    }
    fuzz::ApiWorld& w = *world;
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    for (int n = 0; n < 8 && !rest.empty(); ++n) {
        http::request_parser<http::string_body> parser;
        parser.eager(true);
        parser.body_limit(1024 * 1024);
        boost::beast::error_code ec;
        size_t used = 0;
        while (!parser.is_done() && used < rest.size()) {
            const size_t k = parser.put(boost::asio::buffer(rest.data() + used, rest.size() - used), ec);
            if (ec == http::error::need_more) { ec = {}; break; }
            if (ec) return 0;   // the transport answers 400 and closes
            if (k == 0) break;
            used += k;
        }
        if (!parser.is_done()) {
            parser.put_eof(ec);   // the client closed after its last request
            if (ec || !parser.is_done()) return 0;
        }
        rest.remove_prefix(used);
        auto req = parser.release();

        std::string target(req.target());
        w.substitute(target);
        const auto qpos = target.find('?');
        server::Request r;
        r.method = std::string(req.method_string());
        r.path = target.substr(0, qpos);
        r.query = qpos == std::string::npos ? "" : target.substr(qpos + 1);
        r.token = std::string(req["token"]);
        w.substitute(r.token);
        if (r.token.empty()) r.token = core::query_param(r.query, "token").value_or("");
        r.content_type = std::string(req[http::field::content_type]);
        r.body = std::move(req.body());
        w.substitute(r.body);
        std::string forwarded;
        for (auto [it, end] = req.equal_range("X-Forwarded-For"); it != end; ++it) {
            if (!forwarded.empty()) forwarded += ',';
            forwarded += std::string_view(it->value());
        }
        r.remote = proxies().client_ip("127.0.0.1", forwarded);

        if (auto res = w.api.handle(r)) check_answer(*res);
    }
    return 0;
}
