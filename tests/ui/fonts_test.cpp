// ui::Fonts with a fake GlyphSource (the browser's Canvas2D on the web): which glyphs come
// from the system fonts, that they are drawn once and reused, colour glyphs are untinted,
// and missing() only answers.
#include <gtest/gtest.h>
#include <imgui.h>

#include "ui/fonts.hpp"

using namespace imchat;

namespace {

// Every glyph 10 px wide (advance 9) and 20 high; the wave emoji is a colour glyph.
struct FakeSource : ui::GlyphSource {
    std::vector<uint32_t> asked;
    float                 last_px = 0;
    std::vector<ui::DrawnGlyph> draw(const std::vector<uint32_t>& cps, float px) override {
        asked.insert(asked.end(), cps.begin(), cps.end());
        last_px = px;
        std::vector<ui::DrawnGlyph> out;
        for (uint32_t cp : cps) {
            ui::DrawnGlyph g;
            g.advance = 9;
            g.offset_y = -2;
            g.w = 10;
            g.h = 20;
            g.colored = cp == 0x1F44B;
            g.pixels.assign(static_cast<size_t>(g.w) * g.h * (g.colored ? 4 : 1), g.colored ? 0x80 : 0xFF);
            out.push_back(std::move(g));
        }
        return out;
    }
};

struct Atlas {
    ImGuiContext* ctx = ImGui::CreateContext();
    ~Atlas() { ImGui::DestroyContext(ctx); }
};

const ImFont* font() { return ImGui::GetIO().Fonts->Fonts[0]; }

}  // namespace

TEST(Fonts, SystemFontsDrawEveryGlyphAsciiIncludedAndNoteAddsOnlyTheNewOnes) {
    Atlas atlas;
    FakeSource src;
    ui::Fonts fonts;
    fonts.set_source(&src);
    fonts.set_system_fonts(true);
    fonts.note("你好 👋");
    ASSERT_TRUE(fonts.rebuild_if_needed(2.0f));
    EXPECT_FLOAT_EQ(src.last_px, 32.0f) << "drawn at device pixels (16 CSS px x DPR 2)";
    const size_t first = src.asked.size();
    EXPECT_EQ(first, 95u + 1u + 3u) << "printable ASCII, the ellipsis, 你 好 👋";
    EXPECT_TRUE(fonts.missing("Hi 你好 👋").empty());
    // The system font's metrics, not ImGui's built-in font: 'A' advances 9 device px.
    EXPECT_FLOAT_EQ(font()->FindGlyphNoFallback('A')->AdvanceX, 9.0f);
    EXPECT_FLOAT_EQ(font()->FindGlyphNoFallback(0x4F60)->Y0, -2.0f);
    EXPECT_TRUE(font()->FindGlyphNoFallback(0x1F44B)->Colored) << "emoji keep their colours";
    EXPECT_FALSE(font()->FindGlyphNoFallback(0x4F60)->Colored);
    // One more character: only it is drawn; the rest come from the cache.
    fonts.note("你好吗");
    ASSERT_TRUE(fonts.rebuild_if_needed(2.0f));
    EXPECT_EQ(src.asked.size(), first + 1);
    EXPECT_EQ(src.asked.back(), 0x5417u);
    // A new pixel ratio redraws at the new size.
    ASSERT_TRUE(fonts.rebuild_if_needed(3.0f));
    EXPECT_FLOAT_EQ(src.last_px, 48.0f);
    EXPECT_EQ(src.asked.size(), 2 * (first + 1)) << "all 100 glyphs, once more";
}

TEST(Fonts, MissingIsAPureQuery) {
    Atlas atlas;
    FakeSource src;
    ui::Fonts fonts;
    fonts.set_source(&src);
    fonts.set_system_fonts(true);
    ASSERT_TRUE(fonts.rebuild_if_needed(1.0f));
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(fonts.missing("鼹"), std::vector<uint32_t>{0x9F39});
        EXPECT_FALSE(fonts.rebuild_if_needed(1.0f)) << "asking must not schedule a rebuild";
    }
    EXPECT_EQ(fonts.glyph_count(), 0u);
    fonts.note("鼹");   // the UI drew it
    ASSERT_TRUE(fonts.rebuild_if_needed(1.0f));
    EXPECT_TRUE(fonts.missing("鼹").empty());
}

TEST(Fonts, WithoutSystemCjkOnlyTheBuiltInFontUntilTheFallbackArrives) {
    Atlas atlas;
    FakeSource src;
    ui::Fonts fonts;
    fonts.set_source(&src);   // set_system_fonts not called: no CJK system font
    fonts.note("你好");
    ASSERT_TRUE(fonts.rebuild_if_needed(1.0f));
    EXPECT_TRUE(src.asked.empty()) << "nothing drawn by the system fonts before the TTF";
    EXPECT_TRUE(fonts.missing("Hi").empty());
    EXPECT_EQ(fonts.missing("你"), std::vector<uint32_t>{0x4F60});
}
