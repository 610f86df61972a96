// imchat::protocol the HTTP envelope.
// Success: 200 {"msg":"ok","data":...}; failure: 400 {"msg":"fail","data":"reason"}.
#pragma once
#include <string>
#include <string_view>

#include "protocol/json_read.hpp"

namespace imchat::protocol {

// Error texts that clients compare verbatim (reference system).
inline constexpr std::string_view kErrTokenInvalid  = "Token 令牌不合法！";
inline constexpr std::string_view kErrGroupNotFound = "群不存在或者已解散";

struct ApiResult {
    bool        ok = false;
    Json        data;             // payload, or the reason string on failure
    std::string reason() const;   // failure text ("" on success)
};
ApiResult parse_api_result(int http_status, std::string_view body);   // status 0: network error

}  // namespace imchat::protocol
