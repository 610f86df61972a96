// Uploads: images judged by content; only our own can be sent.
#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>

#include "server/api/api.hpp"
#include "server/hub.hpp"

using namespace imchat::server;
using imchat::protocol::Json;

TEST(Uploads, ImagesAreJudgedByContentAndOnlyOurOwnCanBeSent) {
    auto store = make_sqlite_store(":memory:");
    auto bus = make_memory_bus();
    Hub hub(*bus);
    const auto dir = std::filesystem::temp_directory_path() / ("imchat_blobs_" + std::to_string(::getpid()));
    auto blobs = make_file_blob_store(dir.string());
    Api api(*store, *bus, [] { return int64_t{1'700'000'000'000}; }, ApiConfig{"http://h"}, blobs.get());
    GroupRow g = api.ensure_demo_group();
    Request reg{"POST", "/api/visitorRegister", "", "", R"({"deviceId":"abcdefgh-0000-4000-8000-000000000001"})", "1.1.1.1"};
    const std::string token = Json::parse(api.handle(reg)->body)["data"]["token"];
    api.handle(Request{"POST", "/api/chat/groupInviteUser", "", token, Json{{"group_id", g.id}, {"inviteuser_id", -1}}.dump(), ""});

    const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    auto up = api.handle(Request{"POST", "/api/chat/upload", "", token, png, ""});
    ASSERT_EQ(up->status, 200) << up->body;
    const std::string url = Json::parse(up->body)["data"]["url"];
    EXPECT_EQ(url.substr(url.size() - 4), ".png");
    EXPECT_TRUE(std::filesystem::exists(dir / url.substr(9)));
    auto html = api.handle(Request{"POST", "/api/chat/upload", "", token, "<html><script>alert(1)</script>", ""});
    EXPECT_EQ(html->status, 400) << "a named .png that is not one is refused";
    EXPECT_EQ(api.handle(Request{"POST", "/api/chat/upload", "", "", png, ""})->status, 400) << "needs a token";

    auto send = [&](const std::string& data) {
        return api.handle(Request{"POST", "/api/chat/socket/sendmessage", "", token,
                                  Json{{"sendto_id", g.id}, {"chatType", "group"}, {"type", "image"}, {"data", data}}.dump(), ""});
    };
    EXPECT_EQ(send(url)->status, 200);
    EXPECT_EQ(send("https://evil.example/x.png")->status, 400);
    EXPECT_EQ(send("/uploads/../../etc/passwd")->status, 400);
    std::filesystem::remove_all(dir);
}
