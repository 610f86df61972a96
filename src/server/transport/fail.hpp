// imchat::server transport: the one place a failed asynchronous operation is
// reported. Every completion handler starts `if (ec) return fail(ec, "read");`
// after handling the few codes it answers on purpose (end of stream, body limit).
#pragma once
#include <string_view>

#include "server/transport/asio.hpp"

namespace imchat::server {

// Logs `what: message` at debug level; the expected end of a connection
// (aborted operation, closed socket, peer gone) is not worth a line.
void fail(beast::error_code ec, std::string_view what);
// True for the codes `fail` keeps quiet about.
bool is_expected_end(beast::error_code ec);

}  // namespace imchat::server
