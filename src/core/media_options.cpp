#include "core/media_options.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "core/url.hpp"
#include "protocol/json_read.hpp"

namespace imchat::core {

namespace {
using protocol::Json;

Json options_json(std::string_view options) {
    if (options.empty()) return Json::object();
    const Json j = protocol::parse_json(percent_decode(options));
    return j.is_object() ? j : Json::object();
}

// Numbers as numbers or decimal strings; anything else (or NaN, inf) is 0.
double read_number(const Json& j, const char* key) {
    auto it = j.find(key);
    if (it == j.end()) return 0;
    double v = 0;
    if (it->is_number()) v = it->get<double>();
    else if (it->is_string()) {
        const std::string& s = it->get_ref<const std::string&>();
        char* end = nullptr;
        v = std::strtod(s.c_str(), &end);
        if (end == s.c_str()) v = 0;
    }
    return std::isfinite(v) ? v : 0;
}

// Only our own upload URLs become posters: nothing is fetched from elsewhere.
bool our_upload(const std::string& url) {
    if (url.rfind("/uploads/", 0) != 0 || url.size() > 200) return false;
    return std::all_of(url.begin() + 9, url.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
               c == '_';
    }) && url.find("..") == std::string::npos;
}

size_t utf8_floor(const std::string& s, size_t at) {   // back to a code point's first byte
    while (at > 0 && at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) --at;
    return at;
}
}  // namespace

FileInfo read_file_options(std::string_view options) {
    const Json j = options_json(options);
    FileInfo f;
    f.name = protocol::read_str(j, "name");
    if (f.name.size() > 255) f.name.resize(utf8_floor(f.name, 255));
    f.size = std::max<int64_t>(0, static_cast<int64_t>(std::min(read_number(j, "size"), 9.0e15)));
    return f;
}

VideoInfo read_video_options(std::string_view options) {
    const Json j = options_json(options);
    VideoInfo v;
    v.poster = protocol::read_str(j, "poster");
    if (!our_upload(v.poster)) v.poster.clear();
    v.duration = std::clamp(read_number(j, "duration"), 0.0, 24.0 * 3600);
    return v;
}

std::string file_options(const FileInfo& f) {
    return percent_encode(Json{{"name", f.name}, {"size", f.size}}.dump(-1, ' ', false, Json::error_handler_t::replace));
}

std::string video_options(const VideoInfo& v) {
    Json j{{"duration", std::round(v.duration * 10) / 10}};
    if (!v.poster.empty()) j["poster"] = v.poster;   // the server takes a poster only as our image upload
    return percent_encode(j.dump(-1, ' ', false, Json::error_handler_t::replace));
}

std::string human_size(int64_t bytes) {
    if (bytes < 1024) return std::to_string(std::max<int64_t>(0, bytes)) + " B";
    const char* units[] = {"KB", "MB", "GB", "TB"};
    double v = static_cast<double>(bytes) / 1024;
    int u = 0;
    while (v >= 1024 && u < 3) { v /= 1024; ++u; }
    char buf[32];
    if (v < 100) std::snprintf(buf, sizeof buf, "%.1f %s", v, units[u]);
    else std::snprintf(buf, sizeof buf, "%.0f %s", v, units[u]);
    return buf;
}

std::string duration_label(double seconds) {
    const auto s = static_cast<int64_t>(std::llround(std::max(0.0, seconds)));
    char buf[32];
    if (s >= 3600) std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", static_cast<long long>(s / 3600),
                                 static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60));
    else std::snprintf(buf, sizeof buf, "%lld:%02lld", static_cast<long long>(s / 60), static_cast<long long>(s % 60));
    return buf;
}

FileIcon file_icon(std::string_view name) {
    const auto dot = name.find_last_of('.');
    if (dot == std::string_view::npos) return FileIcon::Other;
    std::string ext(name.substr(dot + 1));
    for (char& c : ext) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    if (ext == "pdf") return FileIcon::Pdf;
    if (ext == "doc" || ext == "docx" || ext == "txt" || ext == "rtf" || ext == "odt" || ext == "md" ||
        ext == "ppt" || ext == "pptx")
        return FileIcon::Doc;
    if (ext == "xls" || ext == "xlsx" || ext == "csv" || ext == "ods") return FileIcon::Sheet;
    if (ext == "zip" || ext == "rar" || ext == "7z" || ext == "gz" || ext == "tgz" || ext == "tar" || ext == "xz" ||
        ext == "bz2")
        return FileIcon::Zip;
    return FileIcon::Other;
}

std::string ellipsize_middle(const std::string& name, size_t max_bytes) {
    if (name.size() <= max_bytes || max_bytes < 8) return name;
    const auto dot = name.find_last_of('.');
    size_t tail = dot != std::string::npos && name.size() - dot <= 8 ? name.size() - dot + 3 : 6;
    tail = std::min(tail, max_bytes / 2);
    size_t tail_at = name.size() - tail;
    while (tail_at < name.size() && (static_cast<unsigned char>(name[tail_at]) & 0xC0) == 0x80) ++tail_at;
    const size_t tail_len = name.size() - tail_at;
    const size_t head = utf8_floor(name, max_bytes > tail_len + 4 ? max_bytes - tail_len - 3 : 1);
    return name.substr(0, head) + "\xE2\x80\xA6" + name.substr(tail_at);
}

}  // namespace imchat::core
