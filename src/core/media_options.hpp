// imchat::core file and video message details (issue 13). A message's `options` is
// URI-encoded JSON, as the reference sends it: file {"name","size"}, video
// {"poster","duration"}. Readers never throw: malformed options read as defaults.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace imchat::core {

struct FileInfo  { std::string name; int64_t size = 0; };          // size in bytes, >= 0
struct VideoInfo { std::string poster; double duration = 0; };     // poster: our /uploads/ URL or ""; seconds

FileInfo    read_file_options(std::string_view options);
VideoInfo   read_video_options(std::string_view options);
std::string file_options(const FileInfo& f);       // URI-encoded JSON
std::string video_options(const VideoInfo& v);

// "812 B", "12.3 KB", "4.5 MB", "1.2 GB" (1024-based, one decimal under 100).
std::string human_size(int64_t bytes);
// "0:07", "1:05", "1:02:03" (rounded to whole seconds).
std::string duration_label(double seconds);

enum class FileIcon { Doc, Pdf, Zip, Sheet, Other };
FileIcon    file_icon(std::string_view name);      // by the name's extension
// The name shortened to max_bytes with an ellipsis in the middle, keeping the
// extension ("very-long-re…port.pdf"); cut on UTF-8 boundaries.
std::string ellipsize_middle(const std::string& name, size_t max_bytes);

}  // namespace imchat::core
