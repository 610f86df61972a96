// imchat::server multipart/form-data (RFC 7578) for uploads: the one part named `file`
// (as uni.uploadFile and a browser's FormData send it), its filename and its bytes.
// Other fields are allowed and ignored; everything is bounded (parts, header size).
// No Debian C++ library fit: Boost.Beast has no multipart reader; GMime and mimetic are
// whole MIME libraries (e-mail) for what is ~150 lines here.
#pragma once
#include <string>
#include <string_view>

namespace imchat::server {

// "multipart/form-data; boundary=..." (case-insensitive type, quoted or bare boundary)?
bool is_multipart(std::string_view content_type);

struct MultipartFile {
    std::string_view data;       // into the body given to parse_multipart
    std::string      filename;   // as sent (filename*=UTF-8'' decoded), may be empty
};

enum class MultipartError {
    none,
    no_boundary,        // Content-Type without a usable boundary (1..70 chars)
    malformed,          // no opening delimiter, no closing delimiter, a part without headers' end
    header_too_large,   // a part's headers over kMaxPartHeaderBytes
    too_many_parts,     // over kMaxParts
    no_file,            // no part named `file`
    two_files,          // more than one part named `file`
};

inline constexpr size_t kMaxPartHeaderBytes = 8 * 1024;
inline constexpr int    kMaxParts = 16;

MultipartError parse_multipart(std::string_view content_type, std::string_view body, MultipartFile& out);
std::string_view multipart_error_text(MultipartError e);   // English, for logs and details

}  // namespace imchat::server
