// Uploads (issue 13): POST /api/chat/upload, multipart/form-data (part `file`, as the
// reference's uni.uploadFile and a browser's FormData send it) or the raw body (optional
// ?name=). The kind is judged by content (sniff.hpp); limits per kind and a daily quota per
// user (ApiConfig); answers {url, kind, name, size, type}.
#include "core/url.hpp"
#include "server/api/api.hpp"
#include "server/api/api_internal.hpp"
#include "server/api/multipart.hpp"
#include "server/api/sniff.hpp"

namespace imchat::server {

using namespace detail;

namespace {

constexpr int64_t kDayMs = 24 * 60 * 60 * 1000;

std::string_view kind_zh(UploadKind k) {
    switch (k) {
        case UploadKind::image: return "图片";
        case UploadKind::audio: return "语音";
        case UploadKind::video: return "视频";
        case UploadKind::file: break;
    }
    return "文件";
}

std::string mb(int64_t bytes) {
    if (bytes % (1024 * 1024) == 0) return std::to_string(bytes / (1024 * 1024)) + "MB";
    return std::to_string(bytes) + "字节";   // only odd test configurations
}

// The name as a download may use it: the last path segment, no control characters, valid
// UTF-8, at most 200 bytes (cut on a character boundary). "" when nothing is left.
std::string clean_name(std::string_view name) {
    if (const auto slash = name.find_last_of("/\\"); slash != std::string_view::npos) name.remove_prefix(slash + 1);
    std::string out;
    for (char ch : name)
        if (static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7F) out += ch;
    if (!valid_utf8(out)) return {};
    if (out.size() > 200) {
        size_t cut = 200;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
        out.resize(cut);
    }
    return out == "." || out == ".." ? std::string() : out;
}

}  // namespace

Response Api::upload(Ctx& c) {
    if (!blobs_) return fail(kErrNoRoute);
    std::string_view bytes = c.r.body;
    std::string name = core::query_param(c.r.query, "name").value_or("");
    if (is_multipart(c.r.content_type)) {
        MultipartFile part;
        if (parse_multipart(c.r.content_type, c.r.body, part) != MultipartError::none) return fail(kErrUploadForm);
        bytes = part.data;
        name = part.filename;
    }
    if (bytes.empty()) return fail(kErrUploadEmpty);
    const Sniffed s = sniff_upload(bytes);
    const size_t limit = s.kind == UploadKind::image   ? cfg_.max_image_bytes
                         : s.kind == UploadKind::audio ? cfg_.max_audio_bytes
                         : s.kind == UploadKind::video ? cfg_.max_video_bytes
                                                       : cfg_.max_file_bytes;
    if (bytes.size() > limit)
        return fail(kErrUploadTooLarge, std::string(kind_zh(s.kind)) + "不能超过" + mb(static_cast<int64_t>(limit)));
    name = clean_name(name);
    const auto size = static_cast<int64_t>(bytes.size());
    if (!store_.add_upload_bytes(c.user.id, clock_() / kDayMs, size, cfg_.upload_quota_bytes))
        return fail(kErrUploadQuota, "每天" + mb(cfg_.upload_quota_bytes));
    const std::string stored = blobs_->put(bytes, s.ext, s.kind == UploadKind::file ? name : std::string());
    return ok(Json{{"url", "/uploads/" + stored}, {"kind", kind_name(s.kind)}, {"name", name},
                   {"size", size}, {"type", s.ext}});
}

}  // namespace imchat::server
