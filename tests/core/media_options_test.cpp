// File and video `options` (URI-encoded JSON, issue 13): written and read back, and
// malformed ones read as defaults (never a throw).
#include <gtest/gtest.h>

#include "core/media_options.hpp"
#include "core/url.hpp"

using namespace imchat::core;

TEST(MediaOptions, FileOptionsRoundTrip) {
    const std::string o = file_options({"报告 2026.pdf", 307200});
    EXPECT_EQ(o.find('{'), std::string::npos) << "URI-encoded, as the reference sends it";
    EXPECT_EQ(percent_decode(o), R"({"name":"报告 2026.pdf","size":307200})");
    const FileInfo f = read_file_options(o);
    EXPECT_EQ(f.name, "报告 2026.pdf");
    EXPECT_EQ(f.size, 307200);
}

TEST(MediaOptions, VideoOptionsRoundTrip) {
    const std::string o = video_options({"/uploads/0123456789abcdef0123456789abcdef.jpg", 7.34});
    const VideoInfo v = read_video_options(o);
    EXPECT_EQ(v.poster, "/uploads/0123456789abcdef0123456789abcdef.jpg");
    EXPECT_DOUBLE_EQ(v.duration, 7.3);
    // No poster: no key (the server takes a poster only as our own image upload).
    EXPECT_EQ(percent_decode(video_options({"", 2})).find("poster"), std::string::npos);
    // The reference's plain (not encoded) JSON and string numbers read too.
    EXPECT_DOUBLE_EQ(read_video_options(R"({"duration":"12.5"})").duration, 12.5);
    EXPECT_EQ(read_file_options(R"({"name":"a.zip","size":"2048"})").size, 2048);
}

TEST(MediaOptions, MalformedOptionsReadAsDefaults) {
    for (const char* bad : {"", "%", "%E4%B8", "%7B", "not json", "[1,2]", "null", "42", "\"str\"",
                            "%7B%22name%22%3A5%2C%22size%22%3A%22x%22%7D",                // name a number, size "x"
                            R"({"name":{"a":1},"size":[1],"poster":7,"duration":{}})",
                            R"({"size":-5,"duration":-3})", R"({"size":1e400,"duration":1e400})",
                            "\xff\xfe{\"name\":\"\xc3\x28\"}"}) {
        const FileInfo f = read_file_options(bad);
        const VideoInfo v = read_video_options(bad);
        EXPECT_GE(f.size, 0) << bad;
        EXPECT_GE(v.duration, 0) << bad;
        EXPECT_LE(v.duration, 24 * 3600) << bad;
        EXPECT_TRUE(v.poster.empty()) << bad;
    }
    EXPECT_EQ(read_file_options(R"({"name":5})").name, "5");
    EXPECT_EQ(read_file_options(std::string(R"({"name":")") + std::string(1000, 'a') + "\"}").name.size(), 255u);
}

TEST(MediaOptions, PostersAreOnlyOurUploads) {
    EXPECT_EQ(read_video_options(R"({"poster":"https://evil.example/x.jpg"})").poster, "");
    EXPECT_EQ(read_video_options(R"({"poster":"/uploads/../etc/passwd"})").poster, "");
    EXPECT_EQ(read_video_options(R"({"poster":"/uploads/a b.jpg"})").poster, "");
    EXPECT_EQ(read_video_options(R"x({"poster":"javascript:alert(1)"})x").poster, "");
    EXPECT_EQ(read_video_options(R"({"poster":"/uploads/ab12.jpg"})").poster, "/uploads/ab12.jpg");
}

TEST(MediaOptions, HumanSizesAndDurations) {
    EXPECT_EQ(human_size(0), "0 B");
    EXPECT_EQ(human_size(812), "812 B");
    EXPECT_EQ(human_size(12595), "12.3 KB");
    EXPECT_EQ(human_size(4718592), "4.5 MB");
    EXPECT_EQ(human_size(300 * 1024), "300 KB");
    EXPECT_EQ(human_size(1288490189), "1.2 GB");
    EXPECT_EQ(duration_label(0), "0:00");
    EXPECT_EQ(duration_label(7.4), "0:07");
    EXPECT_EQ(duration_label(65), "1:05");
    EXPECT_EQ(duration_label(3723), "1:02:03");
}

TEST(MediaOptions, IconsByExtensionAndEllipsis) {
    EXPECT_EQ(file_icon("报告.PDF"), FileIcon::Pdf);
    EXPECT_EQ(file_icon("a.docx"), FileIcon::Doc);
    EXPECT_EQ(file_icon("b.tar.gz"), FileIcon::Zip);
    EXPECT_EQ(file_icon("c.xlsx"), FileIcon::Sheet);
    EXPECT_EQ(file_icon("report.bin"), FileIcon::Other);
    EXPECT_EQ(file_icon("noext"), FileIcon::Other);
    EXPECT_EQ(ellipsize_middle("short.pdf", 30), "short.pdf");
    const std::string e = ellipsize_middle("a-very-long-quarterly-report-name.pdf", 20);
    EXPECT_LE(e.size(), 20u);
    EXPECT_NE(e.find("\xE2\x80\xA6"), std::string::npos);
    EXPECT_EQ(e.substr(e.size() - 4), ".pdf") << e;
    const std::string zh = ellipsize_middle("季度销售报告季度销售报告季度销售报告.docx", 24);   // 3-byte hanzi: no cut mid-character
    EXPECT_LE(zh.size(), 24u);
    EXPECT_EQ(zh.substr(zh.size() - 5), ".docx");
    EXPECT_EQ(zh.substr(0, 3), "季");
}
