// transport/static_files: mime types, br/gz twins, cache headers (immutable hashed
// names, ETag + 304 for index.html), uploads, refusals.
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
        write(root / "site/app.wasm.br", "br-bytes");
        write(root / "site/index.html.gz", "index-gz");
        fs::create_directories(root / "site/fonts");
        write(root / "site/app.0123abcd.wasm", "hashed-wasm");
        write(root / "site/app.0123abcd.wasm.br", "hashed-br");
        write(root / "site/fonts/ui.89abcdef.ttf", "hashed-font");
        write(root / "uploads/0123456789abcdef0123456789abcdef.png", "png-bytes");
        cfg.web_root = (root / "site").string();
        cfg.uploads_dir = (root / "uploads").string();
    }
    void TearDown() override { fs::remove_all(root); }

    static void write(const fs::path& p, const std::string& s) { std::ofstream(p, std::ios::binary) << s; }
    HttpResponse get(const std::string& path, bool gzip = false, http::verb verb = http::verb::get) {
        return get_with(path, gzip ? "gzip, deflate" : "", "", verb);
    }
    HttpResponse get_with(const std::string& path, const std::string& accept_encoding,
                          const std::string& if_none_match = "", http::verb verb = http::verb::get) {
        HttpRequest req{verb, path, 11};
        if (!accept_encoding.empty()) req.set(http::field::accept_encoding, accept_encoding);
        if (!if_none_match.empty()) req.set(http::field::if_none_match, if_none_match);
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

TEST_F(StaticFiles, BrotliPreferredOverGzipWhenAccepted) {
    auto br = get_with("/app.wasm", "gzip, deflate, br");
    EXPECT_EQ(br.body(), "br-bytes");
    EXPECT_EQ(br[http::field::content_encoding], "br");
    EXPECT_EQ(br["X-Decoded-Length"], "100");
    EXPECT_EQ(br[http::field::content_type], "application/wasm");
    EXPECT_EQ(br[http::field::vary], "Accept-Encoding");
    EXPECT_EQ(get_with("/app.wasm", "gzip")[http::field::content_encoding], "gzip");
    EXPECT_EQ(get_with("/app.wasm", "br;q=0, gzip")[http::field::content_encoding], "gzip");
    EXPECT_EQ(get_with("/app.wasm", "BR;q=0.5")[http::field::content_encoding], "br");
    EXPECT_EQ(get_with("/app.wasm", "*")[http::field::content_encoding], "br");
    EXPECT_EQ(get_with("/app.wasm", "*, br;q=0, gzip;q=0")[http::field::content_encoding], "");
    EXPECT_EQ(get_with("/app.wasm", "identity").body().size(), 100u);
    EXPECT_EQ(get_with("/app.wasm", "brotli")[http::field::content_encoding], "");   // not br
    // No br twin: gzip, then the file itself.
    EXPECT_EQ(get_with("/index.html", "br, gzip").body(), "index-gz");
    EXPECT_EQ(get_with("/index.html", "br").body(), "<html>hello</html>");
}

TEST_F(StaticFiles, ContentHashedNamesAreImmutableTheRestRevalidated) {
    auto wasm = get_with("/app.0123abcd.wasm", "br");
    EXPECT_EQ(wasm.body(), "hashed-br");
    EXPECT_EQ(wasm[http::field::cache_control], "public, max-age=31536000, immutable");
    EXPECT_EQ(wasm[http::field::content_type], "application/wasm");
    auto font = get("/fonts/ui.89abcdef.ttf");
    EXPECT_EQ(font.body(), "hashed-font");
    EXPECT_EQ(font[http::field::cache_control], "public, max-age=31536000, immutable");
    EXPECT_EQ(get("/app.wasm")[http::field::cache_control], "no-cache");   // not a hashed name
    EXPECT_EQ(get("/")[http::field::cache_control], "no-cache");
}

TEST_F(StaticFiles, IndexHasAStrongEtagAndAnswers304) {
    auto first = get("/");
    const std::string etag(first[http::field::etag]);
    ASSERT_EQ(etag.size(), 34u);   // "32 hex"
    EXPECT_EQ(etag.front(), '"');
    EXPECT_EQ(get("/index.html")[http::field::etag], etag);
    // Each encoding is its own representation with its own tag.
    auto gz = get("/", true);
    EXPECT_NE(std::string(gz[http::field::etag]), etag);

    auto again = get_with("/", "", etag);
    EXPECT_EQ(again.result(), http::status::not_modified);
    EXPECT_TRUE(again.body().empty());
    EXPECT_EQ(again[http::field::etag], etag);
    EXPECT_EQ(again[http::field::cache_control], "no-cache");
    EXPECT_EQ(again[http::field::content_length], "");
    EXPECT_EQ(get_with("/", "", "\"other\", " + etag).result(), http::status::not_modified);
    EXPECT_EQ(get_with("/", "", "W/" + etag).result(), http::status::not_modified);
    EXPECT_EQ(get_with("/", "", "*").result(), http::status::not_modified);
    EXPECT_EQ(get_with("/", "gzip", std::string(gz[http::field::etag])).result(), http::status::not_modified);
    // A stale tag, or the gzip tag asked without gzip: the whole page.
    EXPECT_EQ(get_with("/", "", "\"other\"").result(), http::status::ok);
    EXPECT_EQ(get_with("/", "", std::string(gz[http::field::etag])).body(), "<html>hello</html>");
    // The page changes: the old tag no longer matches.
    write(root / "site/index.html", "<html>new</html>");
    EXPECT_EQ(get_with("/", "", etag).result(), http::status::ok);
}

TEST_F(StaticFiles, FoldersAreNotFiles) {
    EXPECT_EQ(get("/fonts").result(), http::status::not_found);
    EXPECT_EQ(get("/fonts/").result(), http::status::not_found);
}
