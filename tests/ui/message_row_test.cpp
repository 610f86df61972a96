#include "ui_harness.hpp"
#include "ui/message_row.hpp"

using namespace imchat;
using namespace imchat::ui::testing;

TEST(MessageRow, ImageAsksForItsThumbnailOnceAndOpensFullSize) {
    UiHarness h;
    const std::string url = h.image_in_chat();
    ASSERT_EQ(h.out.load_images.size(), 1u);
    EXPECT_EQ(h.out.load_images[0], url);
    h.frame();
    EXPECT_TRUE(h.out.load_images.empty()) << "asked once";
    EXPECT_EQ(h.out.announce.size(), 0u);
    EXPECT_EQ(h.tap("msg:7").open_image, url);
}

TEST(MessageRow, DecodedThumbnailSizeReplacesThePlaceholder) {
    ui::Images images;
    EXPECT_EQ(ui::thumb_size(images, "/u.png").x, 160);
    images.by_url["/u.png"] = ui::Images::Entry{nullptr, 90, 60, false};
    EXPECT_EQ(ui::thumb_size(images, "/u.png").y, 60);
}

TEST(MessageRow, HeightsFollowTheKindOfRow) {
    UiHarness h;
    h.frame();   // a live ImGui frame for text metrics
    ImGui::NewFrame();
    core::Message text;
    text.data = "hello";
    core::Message notice = text;
    notice.type = "systemNotice";
    core::Message image = text;
    image.type = "image";
    const auto mine = ui::measure_row(h.images, text, true, 300);
    const auto theirs = ui::measure_row(h.images, text, false, 300);
    EXPECT_TRUE(mine.stable);
    EXPECT_GT(theirs.h, mine.h) << "others' rows carry the sender's name";
    EXPECT_LT(ui::measure_row(h.images, notice, false, 300).h, mine.h);
    EXPECT_FALSE(ui::measure_row(h.images, image, false, 300).stable) << "the decoded size may still arrive";
    text.status = core::SendStatus::Pending;
    EXPECT_GT(ui::measure_row(h.images, text, true, 300).h, mine.h) << "\"sending\" under my bubble";
    ImGui::Render();
}

// My photo: the page's preview while it uploads, and still after it is sent until the
// server's thumbnail has decoded (no grey blink); then the preview is forgotten.
TEST(MessageRow, MyPhotoShowsItsPreviewUntilTheSentThumbnailDecodes) {
    ui::Images images;
    ui::ImagePreviews previews;
    core::Message m;
    m.type = "image";
    m.client_msg_id = "c1";
    core::MediaUpload up;
    up.kind = "image";
    up.preview = "blob:http://x/1";
    EXPECT_EQ(ui::image_src(images, m, &up, &previews), "blob:http://x/1") << "uploading";
    m.data = "/uploads/0123456789abcdef0123456789abcdef.png";
    m.id = 5;
    EXPECT_EQ(ui::image_src(images, m, nullptr, &previews), m.data) << "sent, the preview not decoded: the server's";
    images.by_url["blob:http://x/1"] = ui::Images::Entry{reinterpret_cast<ImTextureID>(1), 90, 60, false};
    EXPECT_EQ(ui::image_src(images, m, nullptr, &previews), "blob:http://x/1") << "sent, the thumbnail not yet here";
    EXPECT_EQ(ui::thumb_size(images, ui::image_src(images, m, nullptr, &previews)).x, 90);
    images.by_url[m.data] = ui::Images::Entry{reinterpret_cast<ImTextureID>(2), 90, 60, false};
    EXPECT_EQ(ui::image_src(images, m, nullptr, &previews), m.data);
    EXPECT_TRUE(previews.empty()) << "forgotten once the thumbnail is here";
    core::Message other = m;
    other.client_msg_id = "c2";
    other.data = "/uploads/ffffffffffffffffffffffffffffffff.png";
    EXPECT_EQ(ui::image_src(images, other, nullptr, &previews), other.data) << "no preview: its own URL";
}
