// multipart/form-data: delimiters, part headers (Content-Disposition), the `file` part.
#include "server/api/multipart.hpp"

#include <cctype>
#include <utility>
#include <vector>

namespace imchat::server {

namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

bool istarts(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i)
        if (lower(s[i]) != lower(prefix[i])) return false;
    return true;
}

void skip_space(std::string_view s, size_t& i) {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
}

// `; key=value; key="quoted \" value"` after a header's first token: lower-case keys.
std::vector<std::pair<std::string, std::string>> params(std::string_view s) {
    std::vector<std::pair<std::string, std::string>> out;
    size_t i = s.find(';');
    while (i != std::string_view::npos && i < s.size()) {
        ++i;
        skip_space(s, i);
        std::string key;
        while (i < s.size() && s[i] != '=' && s[i] != ';') key += lower(s[i++]);
        while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.pop_back();
        std::string value;
        if (i < s.size() && s[i] == '=') {
            ++i;
            skip_space(s, i);
            if (i < s.size() && s[i] == '"') {
                for (++i; i < s.size() && s[i] != '"'; ++i) {
                    if (s[i] == '\\' && i + 1 < s.size()) ++i;
                    value += s[i];
                }
                if (i < s.size()) ++i;   // the closing quote
            } else {
                while (i < s.size() && s[i] != ';') value += s[i++];
                while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.pop_back();
            }
        }
        out.emplace_back(std::move(key), std::move(value));
        i = s.find(';', i);
    }
    return out;
}

int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    c = lower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

// RFC 8187 ext-value: UTF-8''percent%20encoded (other charsets: as sent, undecoded).
std::string ext_value(std::string_view v) {
    if (!istarts(v, "utf-8''")) return std::string(v);
    v.remove_prefix(7);
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
        if (v[i] == '%' && i + 2 < v.size() && hex(v[i + 1]) >= 0 && hex(v[i + 2]) >= 0) {
            out += static_cast<char>(hex(v[i + 1]) * 16 + hex(v[i + 2]));
            i += 2;
        } else {
            out += v[i];
        }
    }
    return out;
}

std::string boundary_of(std::string_view content_type) {
    for (auto& [k, v] : params(content_type))
        if (k == "boundary") return v;
    return {};
}

}  // namespace

bool is_multipart(std::string_view content_type) {
    size_t i = 0;
    skip_space(content_type, i);
    return istarts(content_type.substr(i), "multipart/form-data");
}

MultipartError parse_multipart(std::string_view content_type, std::string_view body, MultipartFile& out) {
    const std::string boundary = boundary_of(content_type);
    if (!is_multipart(content_type) || boundary.empty() || boundary.size() > 70) return MultipartError::no_boundary;
    const std::string dash = "--" + boundary, delim = "\r\n" + dash;

    size_t pos = 0;   // at a "--boundary"
    if (body.substr(0, dash.size()) != dash) {
        const size_t found = body.find(delim);   // after a preamble
        if (found == std::string_view::npos) return MultipartError::malformed;
        pos = found + 2;
    }
    bool have = false;
    for (int parts = 0;; ++parts) {
        size_t p = pos + dash.size();
        if (body.substr(p, 2) == "--") break;   // the closing delimiter
        skip_space(body, p);
        if (body.substr(p, 2) != "\r\n") return MultipartError::malformed;
        p += 2;
        if (parts >= kMaxParts) return MultipartError::too_many_parts;
        size_t content;
        std::string_view headers;
        if (body.substr(p, 2) == "\r\n") {
            content = p + 2;   // a part without headers
        } else {
            const std::string_view window = body.substr(p, kMaxPartHeaderBytes + 4);
            const size_t end = window.find("\r\n\r\n");
            if (end == std::string_view::npos)
                return body.size() - p > kMaxPartHeaderBytes ? MultipartError::header_too_large : MultipartError::malformed;
            headers = window.substr(0, end);
            content = p + end + 4;
        }
        const size_t next = body.find(delim, content);
        if (next == std::string_view::npos) return MultipartError::malformed;   // never closed

        std::string name, filename, filename_ext;
        for (size_t at = 0; at <= headers.size();) {
            size_t eol = headers.find("\r\n", at);
            if (eol == std::string_view::npos) eol = headers.size();
            const std::string_view line = headers.substr(at, eol - at);
            if (istarts(line, "content-disposition:"))
                for (auto& [k, v] : params(line)) {
                    if (k == "name") name = v;
                    else if (k == "filename") filename = v;
                    else if (k == "filename*") filename_ext = ext_value(v);
                }
            at = eol + 2;
        }
        if (name == "file") {
            if (have) return MultipartError::two_files;
            have = true;
            out.data = body.substr(content, next - content);
            out.filename = filename_ext.empty() ? filename : filename_ext;
        }
        pos = next + 2;
    }
    return have ? MultipartError::none : MultipartError::no_file;
}

std::string_view multipart_error_text(MultipartError e) {
    switch (e) {
        case MultipartError::none: return "ok";
        case MultipartError::no_boundary: return "no multipart boundary";
        case MultipartError::malformed: return "malformed multipart body";
        case MultipartError::header_too_large: return "multipart part headers too large";
        case MultipartError::too_many_parts: return "too many multipart parts";
        case MultipartError::no_file: return "no part named file";
        case MultipartError::two_files: return "more than one part named file";
    }
    return "multipart error";
}

}  // namespace imchat::server
