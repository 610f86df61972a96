#include "protocol/envelope.hpp"

namespace imchat::protocol {

std::string ApiResult::reason() const {
    if (ok) return {};
    // parse_api_result makes every failure's data a string; dump() is for hand-made results.
    return data.is_string() ? data.get_ref<const std::string&>() : data.dump();
}

ApiResult parse_api_result(int http_status, std::string_view body) {
    ApiResult r;
    Json j = parse_json(body);
    if (!j.is_object()) {
        r.data = http_status == 0 ? "network error" : "HTTP " + std::to_string(http_status);
        return r;
    }
    r.ok = http_status == 200 && read_str(j, "msg") == "ok";
    if (auto it = j.find("data"); it != j.end()) r.data = std::move(*it);
    if (!r.ok && !r.data.is_string()) r.data = "HTTP " + std::to_string(http_status);
    return r;
}

}  // namespace imchat::protocol
