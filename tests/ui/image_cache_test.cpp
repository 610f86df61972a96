// The texture budget (ui/image_cache.hpp): the least recently drawn textures go over the
// budget, never one drawn this frame; rows keep their size; views ask for them again.
#include "ui_harness.hpp"
#include "ui/image_cache.hpp"

using namespace imchat;
using namespace imchat::ui::testing;

namespace {
ImTextureID tex(intptr_t n) { return reinterpret_cast<ImTextureID>(n); }
ui::Images::Entry entry(intptr_t n, size_t bytes, uint64_t used) {
    ui::Images::Entry e;
    e.tex = tex(n);
    e.w = 90;
    e.h = 60;
    e.bytes = bytes;
    e.used = used;
    return e;
}
}  // namespace

TEST(ImageCache, TheLeastRecentlyDrawnGoOverTheBudgetNeverOneDrawnNow) {
    ui::Images images;
    images.by_url["/a"] = entry(1, 40, 1);
    images.by_url["/b"] = entry(2, 40, 2);
    images.by_url["/c"] = entry(3, 40, 3);
    EXPECT_TRUE(ui::evict(images, 120, 4).empty()) << "within the budget: nothing goes";
    ui::mark_used(images, {tex(1)}, 4);   // /a drawn again this frame
    const auto gone = ui::evict(images, 80, 4);
    ASSERT_EQ(gone.size(), 1u);
    EXPECT_EQ(gone[0], tex(2)) << "/b was drawn longest ago";
    EXPECT_EQ(images.by_url["/b"].tex, nullptr);
    EXPECT_EQ(images.by_url["/b"].w, 90) << "its size stays: the row keeps its height";
    EXPECT_EQ(images.evictions, 1u);
    // Everything was drawn this frame: over the budget, still nothing goes.
    ui::mark_used(images, {tex(1), tex(3)}, 5);
    EXPECT_TRUE(ui::evict(images, 10, 5).empty());
    const auto later = ui::evict(images, 10, 6);
    EXPECT_EQ(later.size(), 2u) << "the next frame drew neither";
}

TEST(ImageCache, ViewsAskAgainForWhatWasLetGoNotForWhatIsDecoding) {
    ui::Images images;
    images.by_url["/kept"] = entry(1, 10, 9);
    images.by_url["/gone"] = entry(2, 10, 1);
    ui::Images::Entry broken;
    broken.failed = true;
    images.by_url["/broken"] = broken;
    ASSERT_EQ(ui::evict(images, 10, 9).size(), 1u);
    std::unordered_map<std::string, bool> asked{{"/kept", true}, {"/gone", true}, {"/broken", true}, {"/decoding", true}};
    ui::forget_evicted(images, asked);
    EXPECT_EQ(asked.count("/gone"), 0u) << "asked again when drawn";
    EXPECT_EQ(asked.count("/kept"), 1u);
    EXPECT_EQ(asked.count("/broken"), 1u) << "a broken URL is not retried";
    EXPECT_EQ(asked.count("/decoding"), 1u) << "not asked twice while decoding";
}

// End to end in the UI: a thumbnail let go while off screen is asked for again when the
// chat draws it, and its row keeps the decoded size meanwhile.
TEST(ImageCache, AThumbnailLetGoIsAskedForAgainWhenDrawn) {
    UiHarness h;
    const std::string url = h.image_in_chat();
    ASSERT_EQ(h.out.load_images.size(), 1u);
    h.images.by_url[url] = entry(1, 100, 1);
    ++h.images.generation;
    h.frame();
    EXPECT_TRUE(h.out.load_images.empty());
    ASSERT_TRUE(h.has("msg:7"));
    const float w = h.find("msg:7")->rect.w;
    ASSERT_EQ(ui::evict(h.images, 0, 99).size(), 1u);
    h.frame();
    ASSERT_EQ(h.out.load_images.size(), 1u) << "asked again";
    EXPECT_EQ(h.out.load_images[0], url);
    EXPECT_EQ(h.find("msg:7")->rect.w, w) << "the row keeps its size";
    h.frame();
    EXPECT_TRUE(h.out.load_images.empty()) << "once";
}
