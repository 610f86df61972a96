// The metrics registry and its text exposition (Prometheus format 0.0.4).
#include "server/metrics/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <mutex>

#include "server/api/api.hpp"

namespace imchat::server::metrics {

namespace {

std::string fmt_double(double v) {
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9g", v);
    return buf;
}

// Label values here are our own route patterns and names: only '\', '"' and newline need escaping.
std::string label_value(std::string_view v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') { out += "\\n"; continue; }
        out += c;
    }
    return out;
}

const std::vector<double> kHttpBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                          0.25,  0.5,    1,     2.5,  5,     10};
const std::vector<double> kStoreBuckets = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005,
                                           0.01,   0.025,   0.05,   0.1,   0.25,   1};
const char* const kStoreOpNames[] = {"read", "write", "append"};

}  // namespace

Histogram::Histogram(std::vector<double> upper_bounds_s)
    : bounds_(std::move(upper_bounds_s)), buckets_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
    for (size_t i = 0; i <= bounds_.size(); ++i) buckets_[i].store(0, std::memory_order_relaxed);
}

void Histogram::observe(double seconds) {
    if (!(seconds >= 0)) seconds = 0;   // NaN or a clock step back
    size_t i = 0;
    while (i < bounds_.size() && seconds > bounds_[i]) ++i;
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_ns_.fetch_add(static_cast<uint64_t>(seconds * 1e9), std::memory_order_relaxed);
    count_.fetch_add(1, std::memory_order_relaxed);
}

void Histogram::render(std::string& out, std::string_view name, std::string_view labels) const {
    const std::string sep = labels.empty() ? "" : ",";
    uint64_t cumulative = 0;
    for (size_t i = 0; i <= bounds_.size(); ++i) {
        cumulative += buckets_[i].load(std::memory_order_relaxed);
        const std::string le = i < bounds_.size() ? fmt_double(bounds_[i]) : "+Inf";
        out.append(name).append("_bucket{").append(labels).append(sep).append("le=\"").append(le).append("\"} ");
        out.append(std::to_string(cumulative)).append("\n");
    }
    const std::string braces = labels.empty() ? "" : "{" + std::string(labels) + "}";
    out.append(name).append("_sum").append(braces).append(" ");
    out.append(fmt_double(static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9)).append("\n");
    // A scrape may land between a bucket's and the count's increment: report at least the buckets' total.
    const uint64_t count = std::max(cumulative, count_.load(std::memory_order_relaxed));
    out.append(name).append("_count").append(braces).append(" ").append(std::to_string(count)).append("\n");
}

std::string_view reason_name(Reason r) {
    switch (r) {
        case Reason::rate_limited:  return "rate_limited";
        case Reason::too_large:     return "too_large";
        case Reason::origin:        return "origin";
        case Reason::auth:          return "auth";
        case Reason::disabled:      return "disabled";
        case Reason::overloaded:    return "overloaded";
        case Reason::storage:       return "storage";
        case Reason::slow_consumer: return "slow_consumer";
        case Reason::forbidden:     return "forbidden";
        case Reason::kCount:        break;
    }
    return "other";
}

struct Registry::Probes {
    std::mutex               mu;
    std::function<int64_t()> sockets, fanout, queued;
};

Registry::Registry() : probes_(std::make_shared<Probes>()) {
    std::vector<std::string> routes = Api::route_patterns();
    for (const char* extra : {"static", "ws", "metrics", "health", "other"}) routes.emplace_back(extra);
    for (auto& r : routes)
        if (!http_.count(r)) {
            http_.emplace(r, std::make_unique<Histogram>(kHttpBuckets));
            http_order_.push_back(r);
        }
    for (auto& s : store_) s = std::make_unique<Histogram>(kStoreBuckets);
}

Histogram& Registry::http(std::string_view route) {
    auto it = http_.find(route);
    return it != http_.end() ? *it->second : *http_.at("other");
}

void Registry::set_sockets(std::function<int64_t()> f) {
    std::lock_guard lk(probes_->mu);
    probes_->sockets = std::move(f);
}
void Registry::set_fanout_depth(std::function<int64_t()> f) {
    std::lock_guard lk(probes_->mu);
    probes_->fanout = std::move(f);
}
void Registry::set_socket_queued_bytes(std::function<int64_t()> f) {
    std::lock_guard lk(probes_->mu);
    probes_->queued = std::move(f);
}

std::string Registry::render() const {
    std::string out;
    out.reserve(64 * 1024);
    auto head = [&](const char* name, const char* type, const char* help) {
        out.append("# HELP ").append(name).append(" ").append(help).append("\n");
        out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
    };
    auto line = [&](const char* name, const std::string& v) { out.append(name).append(" ").append(v).append("\n"); };
    int64_t sockets = 0, fanout = 0, queued = 0;
    {
        std::lock_guard lk(probes_->mu);
        if (probes_->sockets) sockets = probes_->sockets();
        if (probes_->fanout) fanout = probes_->fanout();
        if (probes_->queued) queued = probes_->queued();
    }
    head("imchat_sockets", "gauge", "WebSockets attached on this process.");
    line("imchat_sockets", std::to_string(sockets));
    head("imchat_messages_in_total", "counter", "Messages stored from sends (a retried send counts once).");
    line("imchat_messages_in_total", std::to_string(messages_in.value()));
    head("imchat_deliveries_out_total", "counter", "Frames handed to a socket for writing.");
    line("imchat_deliveries_out_total", std::to_string(deliveries_out.value()));
    head("imchat_fanout_queue_depth", "gauge", "Jobs queued for or running on the API workers (sends, fan-out, timers).");
    line("imchat_fanout_queue_depth", std::to_string(fanout));
    head("imchat_socket_queued_bytes", "gauge", "Bytes queued on sockets and not yet written.");
    line("imchat_socket_queued_bytes", std::to_string(queued));
    head("imchat_http_requests_in_flight", "gauge", "HTTP requests read and not yet answered.");
    line("imchat_http_requests_in_flight", std::to_string(http_in_flight.value()));
    head("imchat_http_request_duration_seconds", "histogram",
         "HTTP request time from the request read to the answer queued, by route pattern.");
    for (const auto& r : http_order_)
        http_.at(r)->render(out, "imchat_http_request_duration_seconds", "route=\"" + label_value(r) + "\"");
    head("imchat_store_duration_seconds", "histogram", "Store call time by kind (read, write, append).");
    for (int i = 0; i < static_cast<int>(StoreOp::kCount); ++i)
        store_[i]->render(out, "imchat_store_duration_seconds", std::string("op=\"") + kStoreOpNames[i] + "\"");
    head("imchat_refusals_total", "counter", "Requests and sockets refused, by reason.");
    for (int i = 0; i < static_cast<int>(Reason::kCount); ++i)
        out.append("imchat_refusals_total{reason=\"")
            .append(reason_name(static_cast<Reason>(i)))
            .append("\"} ")
            .append(std::to_string(refusals_[i].value()))
            .append("\n");
    return out;
}

Registry& registry() {
    static Registry r;
    return r;
}

}  // namespace imchat::server::metrics
