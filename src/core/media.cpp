#include "core/media.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

#include "core/url.hpp"
#include "protocol/json_read.hpp"

namespace imchat::core {

using protocol::Json;

int audio_duration(const std::string& options) {
    if (options.empty()) return 0;
    const Json j = protocol::parse_json(percent_decode(options));
    if (!j.is_object()) return 0;
    const auto it = j.find("duration");
    if (it == j.end()) return 0;
    double s = 0;
    if (it->is_number()) s = it->get<double>();
    else if (it->is_string()) s = static_cast<double>(protocol::read_int(j, "duration", 0));
    if (!std::isfinite(s) || s <= 0) return 0;
    return static_cast<int>(std::lround(std::min(s, 3600.0)));
}

std::string audio_options(int seconds) {
    return percent_encode(Json{{"duration", seconds < 0 ? 0 : seconds}}.dump());
}

bool Media::played(const protocol::Message& m, int64_t me) const {
    return m.from_id == me || played_.count(m.id) > 0;
}

bool Media::mark_played(int64_t id) {
    if (id <= 0 || !played_.insert(id).second) return false;
    order_.push_back(id);
    while (order_.size() > kKeep) {
        played_.erase(order_.front());
        order_.pop_front();
    }
    return true;
}

void Media::set_playing(int64_t id, bool on) {
    if (on) playing_ = id;
    else if (playing_ == id) playing_ = 0;
}

std::string Media::to_json() const {
    return Json(std::vector<int64_t>(order_.begin(), order_.end())).dump();
}

void Media::load(const std::string& json) {
    const Json j = protocol::parse_json(json);
    if (!j.is_array()) return;
    for (const Json& v : j)
        if (v.is_number_integer()) mark_played(v.get<int64_t>());
}

}  // namespace imchat::core
