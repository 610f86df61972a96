// imchat::server operations (issue 14): the log format. `--log-format json` (env
// IMCHAT_LOG_FORMAT) writes every spdlog line to stdout as one JSON object:
//   {"time":"2026-11-28T16:22:13.123Z","level":"info","msg":"...","thread":1234}
// plus "logger" when not the default one. Texts are escaped by nlohmann::json (invalid UTF-8
// replaced by U+FFFD), so a line always parses. What is logged never holds a password or a
// token: request targets are logged without their query (transport/helpers.hpp redact()),
// tokens ride only in headers and queries, passwords only in bodies, and bodies are not logged.
#pragma once
#include <string>
#include <string_view>

namespace imchat::server::ops {

// "text" (spdlog's default pattern) or "json"; false for anything else.
bool set_log_format(std::string_view format);
// One line at `level` ("info", ...) written whatever the log level: the start-up banner,
// which tests and operators read. JSON mode: one object as above; text mode: the text as is.
void banner_line(std::string_view text);
bool json_logs();

}  // namespace imchat::server::ops
