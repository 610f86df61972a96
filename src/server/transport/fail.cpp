#include "server/transport/fail.hpp"

#include <spdlog/spdlog.h>

namespace imchat::server {

bool is_expected_end(beast::error_code ec) {
    return ec == net::error::operation_aborted || ec == websocket::error::closed ||
           ec == http::error::end_of_stream || ec == net::error::eof || ec == beast::error::timeout;
}

void fail(beast::error_code ec, std::string_view what) {
    if (is_expected_end(ec)) return;
    spdlog::debug("{}: {}", what, ec.message());
}

}  // namespace imchat::server
