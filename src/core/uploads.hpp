// imchat::core uploads in progress (issue 13): photos, voice, files and videos. The message shows at
// once as a pending bubble (data "" until the upload answers); the page keeps the
// Blob (window.imchatBlobs) so a failed upload can go again. A video uploads its
// poster frame first, then itself. Kept in Delivery, keyed by client_msg_id.
#pragma once
#include <cstdint>
#include <algorithm>
#include <map>
#include <string>

namespace imchat::core {

struct MediaUpload {
    std::string kind;                 // "image" | "audio" | "file" | "video" (what the user picked or recorded)
    int         blob = 0;             // the page's handle for the file
    int         poster_blob = 0;      // video: the poster JPEG's handle, 0 if none
    std::string name;                 // the picked file's name
    int64_t     size = 0;             // bytes
    double      duration = 0;         // video, audio: seconds
    std::string preview;              // image: a blob: URL the pending bubble shows
    std::string poster_url;           // video: set once the poster is uploaded
    int         http_id = 0;          // the upload request in flight, 0 when none
    int64_t     loaded = 0, total = 0;   // of the file itself (the poster is small)
    double progress() const { return total > 0 ? std::min(1.0, static_cast<double>(loaded) / static_cast<double>(total)) : 0.0; }
};

using MediaUploads = std::map<std::string, MediaUpload>;   // client_msg_id -> upload

}  // namespace imchat::core
