// Upload kinds judged by content (issue 13): each format by its bytes, never by a name.
#include <gtest/gtest.h>

#include <string>

#include "server/api/sniff.hpp"

using namespace imchat::server;

namespace {

std::string bytes(std::initializer_list<int> b) {
    std::string s;
    for (int x : b) s += static_cast<char>(x);
    return s;
}

// An EBML element: id bytes, a one-byte size (< 127), the body.
std::string ebml(std::string id, const std::string& body) {
    return id + static_cast<char>(0x80 | body.size()) + body;
}

std::string webm(std::initializer_list<int> track_types, bool unknown_segment_size = true) {
    const std::string header = ebml(bytes({0x1A, 0x45, 0xDF, 0xA3}),
                                    ebml(bytes({0x42, 0x86}), bytes({1})) + ebml(bytes({0x42, 0x82}), "webm"));
    std::string tracks_body;
    for (int t : track_types) tracks_body += ebml(bytes({0xAE}), ebml(bytes({0xD7}), bytes({1})) + ebml(bytes({0x83}), bytes({t})));
    const std::string info = ebml(bytes({0x15, 0x49, 0xA9, 0x66}), ebml(bytes({0x2A, 0xD7, 0xB1}), bytes({0x0F, 0x42, 0x40})));
    const std::string tracks = ebml(bytes({0x16, 0x54, 0xAE, 0x6B}), tracks_body);
    const std::string cluster = bytes({0x1F, 0x43, 0xB6, 0x75, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}) + "media";
    const std::string seg_body = info + tracks + cluster;
    std::string seg = bytes({0x18, 0x53, 0x80, 0x67});
    seg += unknown_segment_size ? bytes({0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}) : bytes({0x40, static_cast<int>(seg_body.size())});
    return header + seg + seg_body;
}

std::string box(const std::string& type, const std::string& body) {
    const uint32_t n = static_cast<uint32_t>(8 + body.size());
    return bytes({static_cast<int>(n >> 24), static_cast<int>((n >> 16) & 255), static_cast<int>((n >> 8) & 255),
                  static_cast<int>(n & 255)}) + type + body;
}

std::string mp4(const std::string& brand, std::initializer_list<const char*> handlers, bool moov_last = false) {
    const std::string ftyp = box("ftyp", brand + std::string(4, '\0') + "isommp42");
    std::string moov_body = box("mvhd", std::string(100, '\0'));
    for (const char* h : handlers)
        moov_body += box("trak", box("tkhd", std::string(84, '\0')) +
                                     box("mdia", box("mdhd", std::string(24, '\0')) +
                                                     box("hdlr", std::string(8, '\0') + h + std::string(13, '\0'))));
    const std::string moov = box("moov", moov_body), mdat = box("mdat", std::string(300, 'x'));
    return moov_last ? ftyp + mdat + moov : ftyp + moov + mdat;
}

Sniffed sniff(const std::string& b) { return sniff_upload(b); }

}  // namespace

TEST(Sniff, Images) {
    EXPECT_EQ(sniff(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)).ext, "png");
    EXPECT_EQ(sniff(bytes({0xFF, 0xD8, 0xFF, 0xE0, 0, 16}) + "JFIF").ext, "jpg");
    EXPECT_EQ(sniff("GIF89a\x01\x00\x01\x00").ext, "gif");
    EXPECT_EQ(sniff("GIF87a\x01\x00\x01\x00").ext, "gif");
    EXPECT_EQ(sniff(std::string("RIFF\x10\0\0\0WEBPVP8 ", 16)).ext, "webp");
    for (const char* s : {"\x89PNG\r\n\x1a\n", "GIF89a"}) EXPECT_EQ(sniff(s).kind, UploadKind::image) << s;
}

TEST(Sniff, Audio) {
    EXPECT_EQ(sniff(webm({2})).ext, "weba") << "WebM with an audio track only (MediaRecorder on Chromium)";
    EXPECT_EQ(sniff(webm({2}, false)).ext, "weba") << "a known Segment size too";
    EXPECT_EQ(sniff(webm({2})).kind, UploadKind::audio);
    EXPECT_EQ(sniff("OggS\0\x02" + std::string(22, '\0') + "\x13OpusHead").ext, "ogg");
    EXPECT_EQ(sniff(mp4("M4A ", {"soun"})).ext, "m4a");
    EXPECT_EQ(sniff(mp4("iso5", {"soun"})).ext, "m4a") << "Safari's MediaRecorder: brand iso5, one sound track";
    EXPECT_EQ(sniff(mp4("M4A ", {})).ext, "m4a") << "no readable tracks: the brand decides";
    EXPECT_EQ(sniff("ID3\x04\0\0\0\0\0\0").ext, "mp3");
    EXPECT_EQ(sniff(bytes({0xFF, 0xFB, 0x90, 0x64, 0, 0})).ext, "mp3") << "an MPEG-1 Layer III frame header";
    EXPECT_EQ(sniff(std::string("RIFF\x24\0\0\0WAVEfmt ", 16)).ext, "wav");
    EXPECT_EQ(sniff(webm({2})).kind, UploadKind::audio);
}

TEST(Sniff, Video) {
    EXPECT_EQ(sniff(webm({1, 2})).ext, "webm") << "a video and an audio track";
    EXPECT_EQ(sniff(webm({1})).kind, UploadKind::video);
    EXPECT_EQ(sniff(webm({})).kind, UploadKind::video) << "no tracks read: a WebM is played as video";
    EXPECT_EQ(sniff(mp4("isom", {"vide", "soun"})).ext, "mp4");
    EXPECT_EQ(sniff(mp4("mp42", {"vide"}, true)).ext, "mp4") << "moov after mdat (not fast-start)";
    EXPECT_EQ(sniff(mp4("qt  ", {"vide", "soun"})).ext, "mov") << "an iPhone's QuickTime";
    EXPECT_EQ(sniff(mp4("isom", {})).kind, UploadKind::video);
}

TEST(Sniff, AnythingElseIsAFile) {
    for (const std::string& s : {std::string("<html><script>alert(1)</script>"), std::string("<svg onload=alert(1)>"),
                                 std::string("%PDF-1.7"), std::string("PK\x03\x04"), std::string("x"),
                                 std::string("\xFF\xFF\xFF\xFF"), bytes({0xFF, 0xF1, 0x50, 0x80}) /* ADTS AAC */,
                                 std::string("RIFF\0\0\0\0AVI ", 12), std::string("OggS") + std::string(30, '\0') + "\x80theora"}) {
        const Sniffed k = sniff(s);
        EXPECT_EQ(k.kind, UploadKind::file) << s;
        EXPECT_EQ(k.ext, "bin") << s;
    }
}

TEST(Sniff, HostileContainersEndTheWalkWithoutReadingPastTheEnd) {
    std::string w = webm({1, 2});
    for (size_t n = 0; n <= w.size(); ++n) sniff(w.substr(0, n));   // every truncation (ASan builds check reads)
    std::string m = mp4("isom", {"vide", "soun"});
    for (size_t n = 0; n <= m.size(); ++n) sniff(m.substr(0, n));
    std::string huge_box = bytes({0, 0, 0, 1}) + "ftypisom" + std::string(8, '\xFF') + "moov";   // 64-bit size past the end
    EXPECT_EQ(sniff(huge_box).kind, UploadKind::video);
    std::string zero = bytes({0, 0, 0, 20}) + "ftypisom" + std::string(8, '\0') + bytes({0, 0, 0, 0}) + "moov";
    EXPECT_EQ(sniff(zero).kind, UploadKind::video);
    std::string deep = webm({});   // a Tracks element whose size claims more than there is
    deep += bytes({0x16, 0x54, 0xAE, 0x6B, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});
    sniff(deep);
}

TEST(Sniff, ExtensionsKindsAndUrls) {
    UploadKind k;
    for (const char* e : {"png", "jpg", "gif", "webp"}) EXPECT_TRUE(kind_of_ext(e, k) && k == UploadKind::image) << e;
    for (const char* e : {"weba", "ogg", "m4a", "mp3", "wav"}) EXPECT_TRUE(kind_of_ext(e, k) && k == UploadKind::audio) << e;
    for (const char* e : {"webm", "mp4", "mov"}) EXPECT_TRUE(kind_of_ext(e, k) && k == UploadKind::video) << e;
    EXPECT_TRUE(kind_of_ext("bin", k) && k == UploadKind::file);
    EXPECT_FALSE(kind_of_ext("html", k));
    EXPECT_FALSE(kind_of_ext("svg", k));
    EXPECT_EQ(upload_mime("bin"), "application/octet-stream");
    EXPECT_EQ(upload_mime("weba"), "audio/webm");
    EXPECT_TRUE(upload_url_kind("/uploads/0123456789abcdef0123456789abcdef.mp4", k) && k == UploadKind::video);
    EXPECT_FALSE(upload_url_kind("/uploads/0123456789abcdef0123456789abcdeF.mp4", k));
    EXPECT_FALSE(upload_url_kind("/uploads/0123456789abcdef0123456789abcdef.html", k));
    EXPECT_FALSE(upload_url_kind("https://evil.example/uploads/0123456789abcdef0123456789abcdef.png", k));
    EXPECT_FALSE(upload_url_kind("/uploads/../../etc/passwd", k));
    EXPECT_FALSE(upload_url_kind("/uploads/0123456789abcdef0123456789abcdef.png?x", k));
}
