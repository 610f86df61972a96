#include "ui/fonts.hpp"

#include <imgui.h>

namespace imchat::ui {

namespace {
constexpr float kFontPx = 16.0f;   // CSS pixels

// Decodes UTF-8; invalid bytes are skipped.
template <class F> void for_each_codepoint(std::string_view s, F f) {
    for (size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        uint32_t cp = 0;
        int n = 0;
        if (c < 0x80) { cp = c; n = 1; }
        else if ((c & 0xE0) == 0xC0) { cp = c & 0x1F; n = 2; }
        else if ((c & 0xF0) == 0xE0) { cp = c & 0x0F; n = 3; }
        else if ((c & 0xF8) == 0xF0) { cp = c & 0x07; n = 4; }
        else { ++i; continue; }
        if (i + n > s.size()) break;
        for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        f(cp);
        i += n;
    }
}
}  // namespace

void Fonts::note(std::string_view utf8) {
    for_each_codepoint(utf8, [&](uint32_t cp) {
        if (cp < 0x80 || cp > 0xFFFF) return;   // ASCII is always in; beyond the BMP: later (issue 5)
        if (codepoints_.insert(cp).second) dirty_ = true;
    });
}

void Fonts::set_ttf(std::vector<uint8_t> ttf) {
    ttf_ = std::move(ttf);
    dirty_ = true;
}

bool Fonts::rebuild_if_needed(float ratio) {
    if (!dirty_ && ratio == built_ratio_) return false;
    dirty_ = false;
    built_ratio_ = ratio;
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    ImFontConfig cfg;
    cfg.OversampleH = 1;
    cfg.OversampleV = 1;
    cfg.PixelSnapH = true;
    cfg.SizePixels = kFontPx * ratio;
    static ImVector<ImWchar> ranges;   // must outlive the atlas build
    ranges.clear();
    if (!ttf_.empty()) {
        ImFontGlyphRangesBuilder b;
        b.AddRanges(io.Fonts->GetGlyphRangesDefault());
        b.AddChar(0x2026);   // …
        for (uint32_t cp : codepoints_) b.AddChar(static_cast<ImWchar>(cp));
        b.BuildRanges(&ranges);
        cfg.FontDataOwnedByAtlas = false;
        io.Fonts->AddFontFromMemoryTTF(ttf_.data(), static_cast<int>(ttf_.size()), kFontPx * ratio, &cfg,
                                       ranges.Data);
    } else {
        io.Fonts->AddFontDefault(&cfg);   // ASCII until the CJK font arrives
    }
    io.Fonts->Build();
    ++generation_;
    io.FontGlobalScale = 1.0f / ratio;   // rasterised at device pixels, laid out in CSS pixels
    return true;
}

}  // namespace imchat::ui
