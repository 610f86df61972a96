// Long-message collapse (src/ui/collapse.*) and stickers (src/ui/emoji_sticker.*): the fold
// decision, texts built to hurt a renderer taking one screen, 展开/收起, and sticker rows.
#include "ui/collapse.hpp"
#include "ui/emoji_sticker.hpp"
#include "ui_harness.hpp"

#include <chrono>
#include <cmath>

using namespace imchat;
using namespace imchat::ui::testing;

namespace {
std::string lines(int n) {
    std::string s;
    for (int i = 0; i < n; ++i) s += "line " + std::to_string(i) + "\n";
    return s;
}
const ui::Target& need(const UiHarness& h, const std::string& id) {
    const ui::Target* t = h.find(id);
    EXPECT_NE(t, nullptr) << id;
    static const ui::Target none;
    return t ? *t : none;
}
}  // namespace

TEST(Collapse, FoldsOnlyTextsTallerThanTwoScreens) {
    const float line = 16, view = 700;
    EXPECT_FALSE(ui::fold_for(100, view, line).collapsible);
    EXPECT_FALSE(ui::fold_for(2 * view, view, line).collapsible) << "exactly two screens still shows whole";
    const ui::Fold f = ui::fold_for(2 * view + 1, view, line);
    EXPECT_TRUE(f.collapsible);
    EXPECT_LE(f.shown_h, view) << "about one screen shows";
    EXPECT_GT(f.shown_h, view - line);
    EXPECT_EQ(std::fmod(f.shown_h, line), 0.0f) << "ends on a whole line";
    EXPECT_TRUE(ui::fold_for(64000, view, line).collapsible);
    EXPECT_TRUE(ui::fold_for(500, 0, line).collapsible) << "a tiny window counts as 200 px";
    EXPECT_FALSE(ui::fold_for(100, 0, line).collapsible);
}

TEST(Collapse, ShortTextsAreStableAndNotFolded) {
    UiHarness h;
    h.to_chat();
    h.feed(core::ev::SocketMessage{UiHarness::chat_frame(7, 1, 20, "hello").dump()});
    h.frame();
    EXPECT_TRUE(h.has("msg:7"));
    EXPECT_FALSE(h.has("expand:7"));
    EXPECT_FALSE(h.ui.collapsed(h.s.open_messages()[0]));
}

// 4,000 line breaks from another member: one screen of it, the link, the next message still in view.
TEST(Collapse, AHugeTextTakesOneScreenThenExpandsAndCollapses) {
    UiHarness h(390, 844);
    h.to_chat();
    h.feed(core::ev::SocketMessage{UiHarness::chat_frame(7, 1, 20, lines(4000)).dump()});
    h.feed(core::ev::SocketMessage{UiHarness::chat_frame(8, 2, 20, "after").dump()});
    h.frame();
    h.frame();
    ASSERT_TRUE(h.has("msg:7"));
    EXPECT_TRUE(h.ui.collapsed(h.s.open_messages()[0]));
    const ui::Target& bubble = need(h, "msg:7");
    EXPECT_LT(bubble.rect.h, 844) << "the folded part is at most about a screen";
    EXPECT_GT(bubble.rect.h, 300);
    ASSERT_TRUE(h.has("msg:8")) << "the next message stays in view (stuck to the bottom)";
    ASSERT_TRUE(h.has("expand:7"));
    h.tap("expand:7");
    h.frame();
    EXPECT_FALSE(h.ui.collapsed(h.s.open_messages()[0]));
    EXPECT_FALSE(h.has("expand:7"));
    // Expanded: 4,000 lines; scroll to the bottom is where the list follows, the link is at the end.
    EXPECT_TRUE(h.has("collapse:7"));
    h.tap("collapse:7");
    h.frame();
    h.frame();
    EXPECT_TRUE(h.ui.collapsed(h.s.open_messages()[0]));
    EXPECT_TRUE(h.has("expand:7"));
}

// A megabyte with no line break wraps into thousands of lines: folded too.
TEST(Collapse, AMegabyteWithoutLineBreaksFolds) {
    UiHarness h;
    h.to_chat();
    h.feed(core::ev::SocketMessage{UiHarness::chat_frame(7, 1, 20, std::string(1 << 20, 'x')).dump()});
    h.frame();
    h.frame();
    EXPECT_TRUE(h.ui.collapsed(h.s.open_messages()[0]));
    EXPECT_TRUE(h.has("expand:7"));
    // Expanded, only the lines in view are drawn: a draw list stays under 64K vertices (16-bit
    // indices; ImGui asserts past it), scrolled to its end or not.
    h.tap("expand:7");
    for (int i = 0; i < 3; ++i) h.frame();
    EXPECT_FALSE(h.ui.collapsed(h.s.open_messages()[0]));
    EXPECT_TRUE(h.has("collapse:7"));
    int vtx = 0;
    if (ImDrawData* dd = ImGui::GetDrawData())
        for (int i = 0; i < dd->CmdListsCount; ++i) vtx = std::max(vtx, dd->CmdLists[i]->VtxBuffer.Size);
    EXPECT_LT(vtx, 65536);
}

// Combining marks, bidi overrides and ZWJ chains: drawn codepoint by codepoint, no crash,
// and the row stays a bounded height.
TEST(Collapse, RendererHostileTextsDrawBounded) {
    UiHarness h;
    h.to_chat();
    std::string marks = "a";
    for (int i = 0; i < 4096; ++i) marks += "\xCC\x81";   // U+0301, 8 KB
    std::string bidi;
    for (int i = 0; i < 500; ++i) bidi += "\xE2\x80\xAE" "abc" "\xE2\x80\xAD" "def";   // RLO / LRO
    std::string zwj;
    for (int i = 0; i < 2000; ++i) zwj += "\xF0\x9F\x91\xA8\xE2\x80\x8D";   // 👨 + ZWJ
    int id = 7;
    for (const std::string& t : {marks, bidi, zwj})
        h.feed(core::ev::SocketMessage{UiHarness::chat_frame(id, id - 6, 20, t).dump()}), ++id;
    h.frame();
    h.frame();
    EXPECT_TRUE(h.has("msg:9"));
    for (int i = 7; i < 10; ++i)
        if (const ui::Target* t = h.find("msg:" + std::to_string(i))) EXPECT_LT(t->rect.h, 844) << i;
}

// A hostile server's 64 KB name: ellipsized from the part that fits, not character by
// character over all of it (which took minutes).
TEST(Collapse, EllipsizingAHugeNameIsQuick) {
    UiHarness h;
    h.frame();
    ImGui::NewFrame();
    std::string name;
    for (int i = 0; i < 21000; ++i) name += "名";
    const auto t0 = std::chrono::steady_clock::now();
    const std::string cut = ui::ellipsize(name, 80);
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    EXPECT_LT(ms, 1000);
    EXPECT_LT(cut.size(), 100u);
    EXPECT_EQ(cut.substr(cut.size() - 3), "…");
    EXPECT_LE(ImGui::CalcTextSize(cut.c_str()).x, 80);
    EXPECT_EQ(ui::ellipsize("short", 80), "short");
    ImGui::Render();
}

TEST(Sticker, KnownKeyIsDrawnFromItsImageUnknownKeyAsAPlaceholder) {
    UiHarness h;
    h.to_chat();
    h.feed(core::ev::SocketMessage{UiHarness::chat_frame(7, 1, 20, "thumbs_up", "emoticon").dump()});
    h.feed(core::ev::SocketMessage{UiHarness::chat_frame(8, 2, 20, "smile_01", "iconMenus").dump()});
    h.frame();
    ASSERT_EQ(h.out.load_images.size(), 1u);
    const std::string url = h.out.load_images[0];
    EXPECT_EQ(url, ui::sticker_image_url("thumbs_up"));
    EXPECT_EQ(url.rfind("data:image/svg+xml,", 0), 0u);
    EXPECT_NE(url.find("%F0%9F%91%8D"), std::string::npos) << "the emoji, percent-encoded";
    const auto& drawn = h.out.drawn;
    EXPECT_NE(std::find(drawn.begin(), drawn.end(), "sticker:?smile_01"), drawn.end()) << "placeholder with the key";
    EXPECT_EQ(need(h, "msg:7").rect.w, ui::kStickerPx);
    EXPECT_EQ(need(h, "msg:7").rect.h, ui::kStickerPx);
    EXPECT_EQ(ui::sticker_image_url("/uploads/0123456789abcdef0123456789abcdef.png"),
              "/uploads/0123456789abcdef0123456789abcdef.png") << "our own image upload as a sticker";
    EXPECT_EQ(ui::sticker_image_url("https://evil.example/a.png"), "");
}

TEST(Sticker, ListPreviewSaysSticker) {
    UiHarness h;
    h.to_chat();
    h.feed(core::ev::SocketMessage{UiHarness::chat_frame(7, 1, 20, "love", "emoticon").dump()});
    const core::Conversation& c = h.s.conversations().front();
    EXPECT_NE(ui::list_preview(core::Lang::ZhCN, c).find("[表情]"), std::string::npos);
    EXPECT_NE(ui::list_preview(core::Lang::En, c).find("[sticker]"), std::string::npos);
}
