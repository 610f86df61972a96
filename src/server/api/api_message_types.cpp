// Message types a client may send and what their `data` may carry (issue 13).
#include <algorithm>

#include "server/api/api.hpp"
#include "server/api/api_internal.hpp"
#include "server/api/sniff.hpp"

namespace imchat::server {

using namespace detail;

// Message types a client may send (issue 13) and what their `data` may be. Media only as our
// own uploads of the matching kind: no links elsewhere (tracking, mixed content, XSS).
//  text: any text; image/audio/video/file: /uploads/<name> of that kind; emoticon (and the
//  reference's name for it, iconMenus): a sticker, either our image upload or a sticker key
//  [A-Za-z0-9_-]{1,64} the client draws from its own set (never a URL).
std::optional<Response> Api::check_message_content(const std::string& type, const std::string& data) {
    if (type == "text") return std::nullopt;
    UploadKind kind;
    const bool ours = upload_url_kind(data, kind);
    if (type == "image") return ours && kind == UploadKind::image ? std::nullopt : std::optional(fail(kErrImageUrl));
    if (type == "audio" || type == "video") {
        const UploadKind want = type == "audio" ? UploadKind::audio : UploadKind::video;
        return ours && kind == want ? std::nullopt : std::optional(fail(kErrUploadUrl));
    }
    if (type == "file") return ours && kind == UploadKind::file ? std::nullopt : std::optional(fail(kErrUploadUrl));
    if (type == "emoticon" || type == "iconMenus") {
        if (ours) return kind == UploadKind::image ? std::nullopt : std::optional(fail(kErrUploadUrl));
        const bool key = data.size() <= 64 && std::all_of(data.begin(), data.end(), [](char ch) {
            return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-';
        });
        return key ? std::nullopt : std::optional(fail(kErrUploadUrl));
    }
    return fail(kErrMsgType);
}

}  // namespace imchat::server
