#include "protocol/json_read.hpp"

#include <charconv>

namespace imchat::protocol {

Json parse_json(std::string_view text) {
    return Json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
}

namespace {
const Json* field(const Json& j, const char* key) {
    if (!j.is_object()) return nullptr;
    auto it = j.find(key);
    return it == j.end() ? nullptr : &*it;
}
}  // namespace

int64_t read_int(const Json& j, const char* key, int64_t def) {
    const Json* v = field(j, key);
    if (!v) return def;
    if (v->is_number_integer()) return v->get<int64_t>();
    if (v->is_number_unsigned()) return static_cast<int64_t>(v->get<uint64_t>());
    if (v->is_number_float()) {
        const double d = v->get<double>();
        if (!(d > -9.2e18 && d < 9.2e18)) return def;   // NaN and out of range
        return static_cast<int64_t>(d);
    }
    if (v->is_string()) {
        const std::string& s = v->get_ref<const std::string&>();
        int64_t out = 0;
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) return out;
    }
    return def;
}

std::string read_str(const Json& j, const char* key, std::string_view def) {
    const Json* v = field(j, key);
    if (!v) return std::string(def);
    if (v->is_string()) return v->get<std::string>();
    if (v->is_number_integer()) return std::to_string(v->get<int64_t>());
    if (v->is_number_unsigned()) return std::to_string(v->get<uint64_t>());
    return std::string(def);
}

bool read_bool(const Json& j, const char* key, bool def) {
    const Json* v = field(j, key);
    if (!v) return def;
    if (v->is_boolean()) return v->get<bool>();
    if (v->is_number()) return read_int(j, key, 0) != 0;
    return def;
}

const Json& read_obj(const Json& j, const char* key) {
    static const Json empty = Json::object();
    const Json* v = field(j, key);
    return v && v->is_object() ? *v : empty;
}

const Json& read_arr(const Json& j, const char* key) {
    static const Json empty = Json::array();
    const Json* v = field(j, key);
    return v && v->is_array() ? *v : empty;
}

}  // namespace imchat::protocol
