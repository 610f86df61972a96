// Socket frames: the welcome frame and the answers to what a client sends on /ws
// (pings; anything else is an error frame, the socket stays).
#include "server/api/api.hpp"
#include "server/api/api_internal.hpp"

namespace imchat::server {

using namespace detail;

std::string Api::welcome_frame() const {
    return protocol::make_frame("system", "连接成功", clock_());
}

std::optional<std::string> Api::socket_text(const UserRow& u, std::string_view text) {
    (void)u;
    Json j = parse_json(text);
    if (j.is_discarded() || !j.is_object()) return protocol::make_frame("error", "invalid JSON", clock_());
    const std::string type = read_str(j, "type");
    if (type == "ping") return Json{{"type", "pong"}, {"timestamp", clock_()}}.dump();
    return protocol::make_frame("error", "unknown frame type", clock_());
}

}  // namespace imchat::server
