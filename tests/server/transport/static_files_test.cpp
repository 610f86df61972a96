// transport/static_files: mime types, gz twins, cache headers, uploads, refusals.
#include "server/transport/static_files.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "server/transport/server.hpp"

using namespace imchat::server;
namespace fs = std::filesystem;

namespace {

class StaticFiles : public ::testing::Test {
protected:
    fs::path     root = fs::temp_directory_path() / ("imchat_static_" + std::to_string(::getpid()));
    ServerConfig cfg;

    void SetUp() override {
        fs::create_directories(root / "site");
        fs::create_directories(root / "uploads");
        write(root / "site/index.html", "<html>hello</html>");
        write(root / "site/app.wasm", std::string(100, 'w'));
        write(root / "site/app.wasm.gz", "gz-bytes");
        write(root / "uploads/0123456789abcdef0123456789abcdef.png", "png-bytes");
        cfg.web_root = (root / "site").string();
        cfg.uploads_dir = (root / "uploads").string();
    }
    void TearDown() override { fs::remove_all(root); }

    static void write(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }
    HttpResponse get(const std::string& path, bool gzip = false, http::verb verb = http::verb::get) {
        HttpRequest req{verb, path, 11};
        if (gzip) req.set(http::field::accept_encoding, "gzip, deflate");
        return static_file(cfg, path, req);
    }
};

}  // namespace

TEST_F(StaticFiles, MimeTypes) {
    EXPECT_EQ(mime_type("app.wasm"), "application/wasm");
    EXPECT_EQ(mime_type("index.html"), "text/html; charset=utf-8");
    EXPECT_EQ(mime_type("app.js"), "text/javascript; charset=utf-8");
    EXPECT_EQ(mime_type("a.webp"), "image/webp");
    EXPECT_EQ(mime_type("noext"), "application/octet-stream");
}

TEST_F(StaticFiles, RootIsIndexRevalidatedEveryLoad) {
    auto res = get("/");
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_EQ(res.body(), "<html>hello</html>");
    EXPECT_EQ(res[http::field::cache_control], "no-cache");
    EXPECT_EQ(res[http::field::vary], "Accept-Encoding");
}

TEST_F(StaticFiles, GzTwinWhenTheClientTakesGzipWithTheDecodedLength) {
    auto gz = get("/app.wasm", true);
    EXPECT_EQ(gz.body(), "gz-bytes");
    EXPECT_EQ(gz[http::field::content_encoding], "gzip");
    EXPECT_EQ(gz["X-Decoded-Length"], "100");
    EXPECT_EQ(gz[http::field::content_type], "application/wasm");
    auto plain = get("/app.wasm");
    EXPECT_EQ(plain.body().size(), 100u);
    EXPECT_EQ(plain[http::field::content_encoding], "");
}

TEST_F(StaticFiles, HeadHasHeadersButNoBody) {
    auto res = get("/", false, http::verb::head);
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_TRUE(res.body().empty());
    EXPECT_EQ(res[http::field::content_length], "18");
}

TEST_F(StaticFiles, Refusals) {
    EXPECT_EQ(get("/missing.js").result(), http::status::not_found);
    EXPECT_EQ(get("/../secret").result(), http::status::bad_request);
    EXPECT_EQ(get("/a\\b").result(), http::status::bad_request);
    EXPECT_EQ(get("/", false, http::verb::post).result(), http::status::method_not_allowed);
}

TEST_F(StaticFiles, UploadsAreImmutableAndNeverSniffed) {
    auto res = get("/uploads/0123456789abcdef0123456789abcdef.png");
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_EQ(res.body(), "png-bytes");
    EXPECT_EQ(res[http::field::content_type], "image/png");
    EXPECT_EQ(res[http::field::cache_control], "public, max-age=31536000, immutable");
    EXPECT_EQ(res["X-Content-Type-Options"], "nosniff");
    EXPECT_EQ(get("/uploads/notahexname.png").result(), http::status::not_found);
    EXPECT_EQ(get("/uploads/0123456789abcdef0123456789abcdee.png").result(), http::status::not_found);
    cfg.uploads_dir.clear();
    EXPECT_EQ(get("/uploads/0123456789abcdef0123456789abcdef.png").result(), http::status::not_found);
}
