// transport/upload_files (issue 13): media with their type and nosniff; files (an HTML page
// included) only ever as an attachment under their name; byte ranges for media players.
#include "server/transport/upload_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "server/api/sniff.hpp"
#include "server/blob/blob_store.hpp"
#include "server/transport/server.hpp"
#include "server/transport/static_files.hpp"

using namespace imchat::server;
namespace fs = std::filesystem;

namespace {

class UploadFiles : public ::testing::Test {
protected:
    fs::path     dir = fs::temp_directory_path() / ("imchat_upload_files_" + std::to_string(::getpid()));
    ServerConfig cfg;
    std::unique_ptr<BlobStore> blobs = make_file_blob_store(dir.string());

    void SetUp() override { cfg.uploads_dir = dir.string(); }
    void TearDown() override { fs::remove_all(dir); }

    std::string put(const std::string& bytes, const std::string& name = {}) {
        const Sniffed s = sniff_upload(bytes);
        return "/uploads/" + blobs->put(bytes, s.ext, s.kind == UploadKind::file ? name : std::string());
    }
    HttpResponse get(const std::string& path, const std::string& range = {}, http::verb verb = http::verb::get) {
        HttpRequest req{verb, path, 11};
        if (!range.empty()) req.set(http::field::range, range);
        return static_file(cfg, path, req);
    }
};

}  // namespace

TEST_F(UploadFiles, AnHtmlFileIsServedAsAnAttachmentNeverInline) {
    const std::string html = "<html><script>alert(document.cookie)</script></html>";
    const std::string url = put(html, "报告 \"1\".html");
    EXPECT_EQ(url.substr(url.size() - 4), ".bin");
    auto res = get(url);
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_EQ(res.body(), html);
    EXPECT_EQ(res[http::field::content_type], "application/octet-stream");
    EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
    EXPECT_EQ(res[http::field::content_disposition],
              "attachment; filename=\"________1_.html\"; filename*=UTF-8''%E6%8A%A5%E5%91%8A%20%221%22.html");
    EXPECT_EQ(res["Content-Security-Policy"], "default-src 'none'; sandbox");
    const std::string svg = put("<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"/>");
    EXPECT_EQ(get(svg)[http::field::content_type], "application/octet-stream");
    EXPECT_EQ(get(svg)[http::field::content_disposition], "attachment; filename=\"file\"; filename*=UTF-8''file");
    EXPECT_EQ(get(url + ".name").result(), http::status::not_found) << "the kept name is not served";
    EXPECT_EQ(get("/uploads/0123456789abcdef0123456789abcdef.html").result(), http::status::not_found);
}

TEST_F(UploadFiles, MediaWithTheirTypeInlineAndByteRanges) {
    const std::string mp3("ID3\x04\0\0\0\0\0\0abcdefghij", 20);
    const std::string url = put(mp3);
    auto res = get(url);
    EXPECT_EQ(res[http::field::content_type], "audio/mpeg");
    EXPECT_EQ(res[http::field::content_disposition], "") << "media play inline";
    EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
    EXPECT_EQ(res[http::field::accept_ranges], "bytes");
    auto part = get(url, "bytes=10-13");
    EXPECT_EQ(part.result(), http::status::partial_content);
    EXPECT_EQ(part.body(), "abcd");
    EXPECT_EQ(part[http::field::content_range], "bytes 10-13/20");
    EXPECT_EQ(get(url, "bytes=15-").body(), "fghij");
    EXPECT_EQ(get(url, "bytes=-3").body(), "hij");
    EXPECT_EQ(get(url, "bytes=0-999").body(), mp3) << "the end is clamped";
    auto beyond = get(url, "bytes=20-");
    EXPECT_EQ(beyond.result(), http::status::range_not_satisfiable);
    EXPECT_EQ(beyond[http::field::content_range], "bytes */20");
    EXPECT_EQ(get(url, "bytes=0-1,4-5").body(), mp3) << "several ranges: the whole";
    EXPECT_EQ(get(url, "items=0-1").body(), mp3);
    EXPECT_EQ(get(url, {}, http::verb::head).body(), "");
    const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    EXPECT_EQ(get(put(png))[http::field::content_type], "image/png");
}
