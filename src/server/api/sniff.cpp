// Upload kinds by magic bytes; WebM by its EBML tracks, MP4 by its track handlers.
#include "server/api/sniff.hpp"

#include <cstdint>

namespace imchat::server {

namespace {

bool starts(std::string_view b, std::string_view sig, size_t at = 0) {
    return b.size() >= at + sig.size() && b.compare(at, sig.size(), sig) == 0;
}

uint8_t byte(std::string_view b, size_t i) { return static_cast<uint8_t>(b[i]); }

uint64_t be(std::string_view b, size_t at, int n) {
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = v << 8 | byte(b, at + i);
    return v;
}

// ---- WebM (EBML): which track types the Tracks element lists before the first Cluster.
constexpr uint64_t kUnknownSize = ~uint64_t{0};

// An EBML variable-length integer at `at`: its length (0: malformed), its value with the
// length marker kept (IDs) or removed (sizes; all ones = unknown size).
size_t vint(std::string_view b, size_t at, bool keep_marker, uint64_t& value) {
    if (at >= b.size()) return 0;
    const uint8_t first = byte(b, at);
    size_t len = 1;
    while (len <= 8 && !(first & (0x80 >> (len - 1)))) ++len;
    if (len > 8 || at + len > b.size()) return 0;
    uint64_t v = keep_marker ? first : (first & (0xFF >> len));
    bool all_ones = v == (0xFFu >> len);
    for (size_t i = 1; i < len; ++i) {
        v = v << 8 | byte(b, at + i);
        all_ones = all_ones && byte(b, at + i) == 0xFF;
    }
    value = !keep_marker && all_ones ? kUnknownSize : v;
    return len;
}

struct Tracks { bool video = false, audio = false, found = false; };

// Walks elements in [at, end); descends into Segment, Tracks and TrackEntry.
void walk_ebml(std::string_view b, size_t at, size_t end, Tracks& t, int depth) {
    while (at < end && depth < 4) {
        uint64_t id = 0, size = 0;
        const size_t il = vint(b, at, true, id);
        if (!il) return;
        const size_t sl = vint(b, at + il, false, size);
        if (!sl) return;
        const size_t body = at + il + sl;
        if (id == 0x1F43B675) return;   // Cluster: media data, the tracks came before it
        const size_t stop = size == kUnknownSize || size > end - std::min(end, body) ? end : body + size;
        if (id == 0x18538067 || id == 0x1654AE6B || id == 0xAE) {   // Segment, Tracks, TrackEntry
            if (id == 0x1654AE6B) t.found = true;
            walk_ebml(b, body, stop, t, depth + 1);
        } else if (id == 0x83 && size >= 1 && size <= 8 && body + size <= end) {   // TrackType
            const uint64_t type = be(b, body, static_cast<int>(size));
            if (type == 1) t.video = true;
            if (type == 2) t.audio = true;
        } else if (size == kUnknownSize) {
            return;   // cannot skip it
        }
        at = stop;
    }
}

bool webm_doctype(std::string_view b, size_t& after_header) {
    uint64_t id = 0, size = 0;
    const size_t il = vint(b, 0, true, id), sl = il ? vint(b, il, false, size) : 0;
    if (id != 0x1A45DFA3 || !sl || size == kUnknownSize || il + sl + size > b.size()) return false;
    after_header = il + sl + size;
    const std::string_view header = b.substr(il + sl, size);
    for (size_t at = 0; at < header.size();) {
        uint64_t cid = 0, csize = 0;
        const size_t cil = vint(header, at, true, cid), csl = cil ? vint(header, at + cil, false, csize) : 0;
        if (!csl || csize > header.size() - at - cil - csl) return false;
        if (cid == 0x4282) return header.substr(at + cil + csl, csize) == "webm";   // DocType
        at += cil + csl + csize;
    }
    return false;
}

// ---- MP4 (ISO BMFF): the handler types of moov/trak/mdia/hdlr.
struct Handlers { bool vide = false, soun = false; };

void walk_boxes(std::string_view b, size_t at, size_t end, Handlers& h, int depth) {
    while (depth < 4 && at + 8 <= end) {
        uint64_t size = be(b, at, 4);
        size_t header = 8;
        if (size == 1) {
            if (at + 16 > end) return;
            size = be(b, at + 8, 8);
            header = 16;
        } else if (size == 0) {
            size = end - at;
        }
        if (size < header || size > end - at) size = end - at;   // truncated: read what is there
        const std::string_view type = b.substr(at + 4, 4);
        if (type == "moov" || type == "trak" || type == "mdia") {
            walk_boxes(b, at + header, at + size, h, depth + 1);
        } else if (type == "hdlr" && size >= header + 12) {
            const std::string_view handler = b.substr(at + header + 8, 4);   // after version/flags, pre_defined
            if (handler == "vide") h.vide = true;
            if (handler == "soun") h.soun = true;
        }
        at += size;
    }
}

bool mpeg_audio_frame(std::string_view b) {
    if (b.size() < 4 || byte(b, 0) != 0xFF || (byte(b, 1) & 0xE0) != 0xE0) return false;
    const int version = (byte(b, 1) >> 3) & 3, layer = (byte(b, 1) >> 1) & 3;
    const int bitrate = byte(b, 2) >> 4, rate = (byte(b, 2) >> 2) & 3;
    return version != 1 && layer != 0 && bitrate != 0 && bitrate != 15 && rate != 3;
}

Sniffed as(UploadKind k, const char* ext) { return Sniffed{k, ext}; }

}  // namespace

Sniffed sniff_upload(std::string_view b) {
    using K = UploadKind;
    if (starts(b, "\x89PNG\r\n\x1a\n")) return as(K::image, "png");
    if (starts(b, "\xFF\xD8\xFF")) return as(K::image, "jpg");
    if (starts(b, "GIF87a") || starts(b, "GIF89a")) return as(K::image, "gif");
    if (starts(b, "RIFF") && starts(b, "WEBP", 8)) return as(K::image, "webp");
    if (starts(b, "RIFF") && starts(b, "WAVE", 8)) return as(K::audio, "wav");
    if (starts(b, "OggS")) return b.substr(0, 512).find("\x80theora") == std::string_view::npos ? as(K::audio, "ogg")
                                                                                                : Sniffed{};
    if (starts(b, "ID3") || mpeg_audio_frame(b)) return as(K::audio, "mp3");
    if (size_t after = 0; webm_doctype(b, after)) {
        Tracks t;
        const std::string_view head = b.substr(0, std::min<size_t>(b.size(), 1 << 20));
        walk_ebml(head, after, head.size(), t, 0);
        return t.audio && !t.video ? as(K::audio, "weba") : as(K::video, "webm");
    }
    if (starts(b, "ftyp", 4)) {
        const std::string_view brand = b.substr(8, std::min<size_t>(4, b.size() > 8 ? b.size() - 8 : 0));
        Handlers h;
        walk_boxes(b, 0, b.size(), h, 0);
        const bool m4a_brand = brand == "M4A " || brand == "M4B " || brand == "M4P " || brand == "F4A ";
        if (h.soun && !h.vide) return as(K::audio, "m4a");
        if (!h.vide && !h.soun && m4a_brand) return as(K::audio, "m4a");
        return as(K::video, brand == "qt  " ? "mov" : "mp4");
    }
    return Sniffed{};
}

std::string_view kind_name(UploadKind k) {
    switch (k) {
        case UploadKind::image: return "image";
        case UploadKind::audio: return "audio";
        case UploadKind::video: return "video";
        case UploadKind::file: break;
    }
    return "file";
}

bool kind_of_ext(std::string_view ext, UploadKind& out) {
    using K = UploadKind;
    if (ext == "png" || ext == "jpg" || ext == "gif" || ext == "webp") out = K::image;
    else if (ext == "weba" || ext == "ogg" || ext == "m4a" || ext == "mp3" || ext == "wav") out = K::audio;
    else if (ext == "webm" || ext == "mp4" || ext == "mov") out = K::video;
    else if (ext == "bin") out = K::file;
    else return false;
    return true;
}

bool upload_url_kind(std::string_view url, UploadKind& out) {
    constexpr std::string_view kPrefix = "/uploads/";
    if (url.substr(0, kPrefix.size()) != kPrefix) return false;
    url.remove_prefix(kPrefix.size());
    if (url.size() < 34 || url[32] != '.') return false;
    for (size_t i = 0; i < 32; ++i)
        if (!((url[i] >= '0' && url[i] <= '9') || (url[i] >= 'a' && url[i] <= 'f'))) return false;
    return kind_of_ext(url.substr(33), out);
}

std::string_view upload_mime(std::string_view ext) {
    if (ext == "png") return "image/png";
    if (ext == "jpg") return "image/jpeg";
    if (ext == "gif") return "image/gif";
    if (ext == "webp") return "image/webp";
    if (ext == "weba") return "audio/webm";
    if (ext == "ogg") return "audio/ogg";
    if (ext == "m4a") return "audio/mp4";
    if (ext == "mp3") return "audio/mpeg";
    if (ext == "wav") return "audio/wav";
    if (ext == "webm") return "video/webm";
    if (ext == "mp4") return "video/mp4";
    if (ext == "mov") return "video/quicktime";
    return "application/octet-stream";
}

}  // namespace imchat::server
