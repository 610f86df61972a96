// File and video bubbles (issue 13): a file's icon by extension and a tap that
// downloads it under its name; a video's poster asked once and a tap that plays it;
// an upload's x cancels it, a failed upload's bubble retries it.
#include "ui_harness.hpp"

#include <algorithm>

#include "core/media_options.hpp"
#include "ui/media_row.hpp"

using namespace imchat;
using namespace imchat::ui::testing;

namespace {
bool drew(const ui::Output& o, const std::string& what) {
    return std::find(o.drawn.begin(), o.drawn.end(), what) != o.drawn.end();
}
}  // namespace

TEST(MediaRow, AFileBubbleShowsItsIconAndDownloadsUnderItsName) {
    UiHarness h;
    h.to_chat();
    Json f = UiHarness::chat_frame(7, 1, 20, "/uploads/0123456789abcdef0123456789abcdef.bin", "file");
    f["data"]["options"] = core::file_options({"季度报告.pdf", 12595});
    h.feed(core::ev::SocketMessage{f.dump()});
    h.frame();
    EXPECT_TRUE(drew(h.out, "file:7:pdf"));
    const ui::Output tapped = h.tap("file:7");
    EXPECT_EQ(tapped.download_url, "/uploads/0123456789abcdef0123456789abcdef.bin");
    EXPECT_EQ(tapped.download_name, "季度报告.pdf");
}

TEST(MediaRow, AVideoAsksForItsPosterOnceAndPlaysOnATap) {
    UiHarness h;
    h.to_chat();
    const std::string poster = "/uploads/0123456789abcdef0123456789abcdef.jpg";
    Json v = UiHarness::chat_frame(8, 1, 20, "/uploads/0123456789abcdef0123456789abcdef.webm", "video");
    v["data"]["options"] = core::video_options({poster, 4.2});
    h.feed(core::ev::SocketMessage{v.dump()});
    h.frame();
    ASSERT_EQ(h.out.load_images.size(), 1u);
    EXPECT_EQ(h.out.load_images[0], poster);
    EXPECT_TRUE(drew(h.out, "video:8:noposter"));
    h.frame();
    EXPECT_TRUE(h.out.load_images.empty()) << "asked once";
    EXPECT_EQ(h.tap("video:8").play_video, "/uploads/0123456789abcdef0123456789abcdef.webm");
}

TEST(MediaRow, AnUploadsXCancelsItAndAFailedOneRetriesOnATap) {
    UiHarness h;
    h.to_chat();
    h.feed(core::ev::UploadMedia{5, "file", "a.zip", 1000});
    const auto up = h.http_to("/api/chat/upload");
    h.feed(core::ev::UploadProgress{up.id, 500, 1000});
    h.frame();
    const std::string id = h.s.open_messages().back().client_msg_id;
    EXPECT_TRUE(h.has("cancel:" + id));
    EXPECT_TRUE(drew(h.out, "file:" + id + ":zip"));
    h.reply(up, 0, Json());
    h.frame();
    EXPECT_TRUE(h.has("retry:" + id)) << "a failed upload retries like a failed text";
    const auto retry = event_of<core::ev::RetrySend>(h.tap("retry:" + id));
    ASSERT_TRUE(retry);
    h.frame();
    const auto cancel = event_of<core::ev::CancelUpload>(h.tap("cancel:" + id));
    ASSERT_TRUE(cancel);
    h.feed(*cancel);
    EXPECT_TRUE(h.s.open_messages().empty());
}
