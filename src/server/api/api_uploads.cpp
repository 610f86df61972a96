// Images: the body is the file itself, kept by the BlobStore under a random name.
#include "server/api/api.hpp"
#include "server/api/api_internal.hpp"

namespace imchat::server {

using namespace detail;

// Images: the body is the file itself; its type is judged by content, not by name or header.
Response Api::upload(Ctx& c) {
    if (!blobs_) return fail(kErrNoRoute);
    const std::string& bytes = c.r.body;
    if (bytes.empty()) return fail(kErrImageEmpty);
    if (bytes.size() > cfg_.max_upload_bytes) return fail(kErrImageTooLarge);
    const std::string ext = sniff_image(bytes);
    if (ext.empty()) return fail(kErrImageType);
    const std::string name = blobs_->put(bytes, ext);
    return ok(Json{{"url", "/uploads/" + name}, {"size", bytes.size()}, {"type", ext}});
}

}  // namespace imchat::server
