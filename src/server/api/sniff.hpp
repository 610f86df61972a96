// imchat::server upload kinds judged by content (magic bytes), never by a name or a header.
// A PNG renamed .mp3 is an image; an HTML page is a file (served as an attachment only).
//
//   kind   formats (stored extension, served type)
//   image  PNG (png), JPEG (jpg), GIF (gif), WebP (webp)
//   audio  WebM with audio tracks only (weba), Ogg (ogg), MP4 whose tracks are all sound or
//          whose brand is M4A/M4B (m4a), MP3: ID3 tag or an MPEG audio frame header (mp3), WAV (wav)
//   video  WebM with a video track, or whose tracks cannot be read (webm), MP4/3GP (mp4),
//          QuickTime (mov)
//   file   anything else (bin, served as application/octet-stream, attachment)
// WebM: the EBML tracks decide (MediaRecorder writes them first), not the client's word.
#pragma once
#include <string>
#include <string_view>

namespace imchat::server {

enum class UploadKind { image, audio, video, file };

struct Sniffed {
    UploadKind  kind = UploadKind::file;
    std::string ext = "bin";   // the stored name's extension, one of kUploadExts
};

Sniffed sniff_upload(std::string_view bytes);

std::string_view kind_name(UploadKind k);                  // "image", "audio", "video", "file"
// The kind of a stored extension; nullopt-like: false when `ext` is none of ours.
bool kind_of_ext(std::string_view ext, UploadKind& out);
// The Content-Type an upload is served with (by its stored extension; bin: octet-stream).
std::string_view upload_mime(std::string_view ext);

// Whether `url` is one of our upload URLs, /uploads/<32 hex>.<ext>, and of which kind.
bool upload_url_kind(std::string_view url, UploadKind& out);

// Stored names: 32 hex digits, a dot, one of these. As a regex alternation for matchers.
inline constexpr const char* kUploadExtAlternation = "png|jpg|gif|webp|weba|ogg|m4a|mp3|wav|webm|mp4|mov|bin";

}  // namespace imchat::server
