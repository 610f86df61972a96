// Uploads (issue 13): kinds judged by content, multipart and raw bodies, limits per kind at
// and one byte over, the daily quota, and message types that carry only our own uploads.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "server/api/api.hpp"
#include "server/blob/blob_store.hpp"
#include "server/hub.hpp"

using namespace imchat::server;
using imchat::protocol::Json;

namespace {

const std::string kPng("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
const std::string kMp3("ID3\x04\0\0\0\0\0\0", 10);
const std::string kMp4("\0\0\0\x14" "ftypisom\0\0\0\0isom", 20);
const std::string kHtml = "<html><script>alert(1)</script></html>";
const std::string kBoundary = "----formdata-undici-0123456789";

std::string padded(const std::string& head, size_t size) { return head + std::string(size - head.size(), '\0'); }

class Uploads : public ::testing::Test {
protected:
    std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                ("imchat_uploads_" + std::to_string(::getpid()) + "_" +
                                 ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::unique_ptr<Store> store = make_sqlite_store(":memory:");
    std::unique_ptr<Bus> bus = make_memory_bus();
    Hub hub{*bus};
    std::unique_ptr<BlobStore> blobs = make_file_blob_store(dir.string());
    int64_t clock = 1'700'000'000'000;
    ApiConfig cfg = [] {
        ApiConfig c{"http://h"};
        c.max_image_bytes = 100;
        c.max_audio_bytes = 200;
        c.max_video_bytes = 300;
        c.max_file_bytes = 400;
        c.upload_quota_bytes = 1000;
        return c;
    }();
    Api api{*store, *bus, [this] { return clock; }, cfg, blobs.get()};
    std::string token;
    int64_t gid = 0;

    void SetUp() override {
        gid = api.ensure_demo_group().id;
        Request reg{"POST", "/api/visitorRegister", "", "", R"({"deviceId":"abcdefgh-0000-4000-8000-000000000001"})", "1.1.1.1"};
        token = Json::parse(api.handle(reg)->body)["data"]["token"];
        api.handle(Request{"POST", "/api/chat/groupInviteUser", "", token, Json{{"group_id", gid}, {"inviteuser_id", -1}}.dump(), ""});
    }
    void TearDown() override { std::filesystem::remove_all(dir); }

    Response raw(const std::string& body, const std::string& query = "") {
        return *api.handle(Request{"POST", "/api/chat/upload", query, token, body, "1.1.1.1"});
    }
    Response multipart(const std::string& body, const std::string& filename = "a.bin") {
        const std::string form = "--" + kBoundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" +
                                 filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n" + body + "\r\n--" +
                                 kBoundary + "--\r\n";
        return *api.handle(Request{"POST", "/api/chat/upload", "", token, form, "1.1.1.1",
                                   "multipart/form-data; boundary=" + kBoundary});
    }
    static Json data(const Response& r) { return Json::parse(r.body)["data"]; }
    Response send(const std::string& type, const std::string& data, const std::string& options = "") {
        Json b{{"sendto_id", gid}, {"chatType", "group"}, {"type", type}, {"data", data}};
        if (!options.empty()) b["options"] = options;
        return *api.handle(Request{"POST", "/api/chat/socket/sendmessage", "", token, b.dump(), ""});
    }
    std::string url_of(const std::string& bytes) {
        auto r = raw(bytes);
        EXPECT_EQ(r.status, 200) << r.body;
        return data(r)["url"];
    }
};

}  // namespace

TEST_F(Uploads, EachKindIsJudgedByContentNotByName) {
    struct Case { std::string bytes, name, kind, ext; };
    for (const Case& c : {Case{kPng, "song.mp3", "image", "png"}, Case{kMp3, "photo.png", "audio", "mp3"},
                          Case{kMp4, "x.txt", "video", "mp4"}, Case{kHtml, "cat.png", "file", "bin"}}) {
        for (bool form : {false, true}) {
            auto r = form ? multipart(c.bytes, c.name) : raw(c.bytes, "name=" + c.name);
            ASSERT_EQ(r.status, 200) << r.body;
            const Json d = data(r);
            EXPECT_EQ(d["kind"], c.kind) << c.name;
            EXPECT_EQ(d["type"], c.ext) << c.name;
            EXPECT_EQ(d["name"], c.name);
            EXPECT_EQ(d["size"], c.bytes.size());
            const std::string url = d["url"];
            EXPECT_EQ(url.substr(url.size() - c.ext.size() - 1), "." + c.ext);
            std::ifstream f(dir / url.substr(9), std::ios::binary);
            EXPECT_EQ(std::string(std::istreambuf_iterator<char>(f), {}), c.bytes) << "stored byte for byte";
        }
    }
}

TEST_F(Uploads, AFileKeepsItsNameForTheDownloadMediaDoNot) {
    const Json d = data(multipart(kHtml, "报告 final.html"));
    const std::string name = std::string(d["url"]).substr(9);
    EXPECT_EQ(blob_original_name(dir.string(), name), "报告 final.html");
    const std::string img = std::string(data(multipart(kPng, "a.png"))["url"]).substr(9);
    EXPECT_EQ(blob_original_name(dir.string(), img), "");
    EXPECT_EQ(data(raw(kHtml, "name=..%2F..%2Fetc%2Fpasswd"))["name"], "passwd") << "only the last segment";
}

TEST_F(Uploads, LimitsPerKindAtTheLimitAndOneByteOver) {
    struct Case { std::string head; size_t limit; const char* words; };
    for (const Case& c : {Case{kPng, 100, "图片不能超过"}, Case{kMp3, 200, "语音不能超过"}, Case{kMp4, 300, "视频不能超过"},
                          Case{"%PDF-1.7", 400, "文件不能超过"}}) {
        EXPECT_EQ(raw(padded(c.head, c.limit)).status, 200) << c.words;
        auto over = raw(padded(c.head, c.limit + 1));
        EXPECT_EQ(over.status, 413) << c.words;
        EXPECT_NE(std::string(data(over)).find(c.words), std::string::npos) << over.body;
        EXPECT_EQ(multipart(padded(c.head, c.limit + 1)).status, 413) << "the part's bytes count, not the form";
        clock += 24 * 3600 * 1000;   // a fresh quota for the next kind
    }
    EXPECT_EQ(raw("").status, 400) << "empty";
    EXPECT_EQ(multipart("").status, 400) << "an empty file part";
}

TEST_F(Uploads, DailyQuotaPerUserThenTheNextDay) {
    const std::string file = padded("%PDF", 400);
    EXPECT_EQ(raw(file).status, 200);
    EXPECT_EQ(raw(file).status, 200);
    EXPECT_EQ(raw(padded("%PDF", 200)).status, 200) << "exactly the quota (1000)";
    auto over = raw(kPng);
    EXPECT_EQ(over.status, 429) << over.body;
    EXPECT_NE(std::string(data(over)).find("今天的上传已达上限"), std::string::npos);
    clock += 24 * 3600 * 1000;
    EXPECT_EQ(raw(kPng).status, 200) << "a new UTC day";
}

TEST_F(Uploads, MultipartBodiesWeCannotReadAreRefused) {
    auto bad = [&](const std::string& body, const std::string& type) {
        return api.handle(Request{"POST", "/api/chat/upload", "", token, body, "", type})->status;
    };
    EXPECT_EQ(bad("--x\r\n\r\nabc", "multipart/form-data; boundary=x"), 400) << "never closed";
    EXPECT_EQ(bad("abc", "multipart/form-data"), 400) << "no boundary";
    EXPECT_EQ(bad("--x\r\nContent-Disposition: form-data; name=\"other\"\r\n\r\nabc\r\n--x--", "multipart/form-data; boundary=x"),
              400) << "no part named file";
    EXPECT_EQ(api.handle(Request{"POST", "/api/chat/upload", "", "", kPng, ""})->status, 400) << "needs a token";
}

TEST_F(Uploads, MessageTypesCarryOnlyOurOwnUploadsOfTheirKind) {
    const std::string img = url_of(kPng), mp3 = url_of(kMp3), mp4 = url_of(kMp4), bin = url_of(kHtml);
    EXPECT_EQ(send("image", img).status, 200);
    EXPECT_EQ(send("audio", mp3, "%7B%22duration%22%3A3%7D").status, 200);
    EXPECT_EQ(send("video", mp4, "%7B%22poster%22%3A%22" + img + "%22%7D").status, 200);
    EXPECT_EQ(send("file", bin, "%7B%22name%22%3A%22a.html%22%2C%22size%22%3A38%7D").status, 200);
    EXPECT_EQ(send("emoticon", img).status, 200) << "a sticker may be our image";
    EXPECT_EQ(send("emoticon", "smile_01").status, 200) << "or a sticker key the client draws";
    EXPECT_EQ(send("iconMenus", "smile_01").status, 200) << "the reference's name for it";
    // the kind must match the type
    EXPECT_EQ(send("image", bin).status, 400) << "an HTML file is never an image";
    EXPECT_EQ(send("audio", mp4).status, 400);
    EXPECT_EQ(send("video", mp3).status, 400);
    EXPECT_EQ(send("file", img).status, 400);
    EXPECT_EQ(send("emoticon", mp3).status, 400);
    // foreign URLs and paths
    for (const char* type : {"image", "audio", "video", "file", "emoticon"}) {
        EXPECT_EQ(send(type, "https://evil.example/x.png").status, 400) << type;
        EXPECT_EQ(send(type, "/uploads/../../etc/passwd").status, 400) << type;
        EXPECT_EQ(send(type, "//evil.example" + img).status, 400) << type;
    }
    EXPECT_EQ(send("video", mp4, "%7B%22poster%22%3A%22https%3A%2F%2Fevil.example%2Fp.png%22%7D").status, 400)
        << "a foreign poster";
    EXPECT_EQ(send("video", mp4, "%7B%22poster%22%3A%22" + mp3 + "%22%7D").status, 400) << "a poster that is not an image";
    EXPECT_EQ(send("systemNotice", "hi").status, 400) << "clients do not post system notices";
    EXPECT_EQ(send("location", "hi").status, 400);
}

TEST_F(Uploads, OptionsArePassedThroughAndLengthLimited) {
    const std::string mp3 = url_of(kMp3);
    auto ok = send("audio", mp3, "%7B%22duration%22%3A12%7D");
    ASSERT_EQ(ok.status, 200);
    EXPECT_EQ(data(ok)["options"], "%7B%22duration%22%3A12%7D");
    const auto history = Json::parse(api.handle(Request{"GET", "/api/chat/history/group/" + std::to_string(gid), "", token, "", ""})->body);
    EXPECT_EQ(history["data"]["list"].back()["options"], "%7B%22duration%22%3A12%7D");
    EXPECT_EQ(send("text", "hi", std::string(2000, 'a')).status, 200) << "exactly the limit";
    EXPECT_EQ(send("text", "hi", std::string(2001, 'a')).status, 400) << "one byte over";
}
