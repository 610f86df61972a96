#include "server/ops/log_format.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <mutex>

namespace imchat::server::ops {

namespace {

std::atomic<bool> g_json{false};

std::string iso_time(std::chrono::system_clock::time_point t) {
    using namespace std::chrono;
    const auto ms = duration_cast<milliseconds>(t.time_since_epoch()).count();
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms % 1000));
    return buf;
}

std::string json_line(std::chrono::system_clock::time_point t, std::string_view level, std::string_view msg,
                      size_t thread, std::string_view logger) {
    nlohmann::ordered_json j;
    j["time"] = iso_time(t);
    j["level"] = level;
    j["msg"] = msg;
    if (thread) j["thread"] = thread;
    if (!logger.empty()) j["logger"] = logger;
    return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

class JsonFormatter final : public spdlog::formatter {
public:
    void format(const spdlog::details::log_msg& m, spdlog::memory_buf_t& dest) override {
        const auto lv = spdlog::level::to_string_view(m.level);
        const std::string line = json_line(m.time, std::string_view(lv.data(), lv.size()),
                                           std::string_view(m.payload.data(), m.payload.size()), m.thread_id,
                                           std::string_view(m.logger_name.data(), m.logger_name.size()));
        dest.append(line.data(), line.data() + line.size());
    }
    std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

std::mutex g_banner_mu;

}  // namespace

bool set_log_format(std::string_view format) {
    if (format == "text") {
        g_json = false;
        return true;
    }
    if (format != "json") return false;
    // A plain stdout sink: no colour codes inside the JSON when stdout is a terminal.
    auto logger = std::make_shared<spdlog::logger>("", std::make_shared<spdlog::sinks::stdout_sink_mt>());
    logger->set_level(spdlog::default_logger()->level());
    logger->set_formatter(std::make_unique<JsonFormatter>());
    logger->flush_on(spdlog::level::trace);   // one whole line at a time, at once (log shippers tail stdout)
    spdlog::set_default_logger(logger);
    g_json = true;
    return true;
}

bool json_logs() { return g_json; }

void banner_line(std::string_view text) {
    std::lock_guard lk(g_banner_mu);
    if (g_json) {
        spdlog::default_logger()->flush();
        std::cout << json_line(std::chrono::system_clock::now(), "info", text, 0, "") << std::flush;
    } else {
        std::cout << text << "\n";
    }
}

}  // namespace imchat::server::ops
