#include "ui/fonts.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>

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
        if (cp < 0x80 || cp > 0x10FFFF) return;   // ASCII is always in
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
    ImFont* font = nullptr;
    struct Custom { uint32_t cp; int rect; };
    std::vector<Custom> customs;
    const int side = static_cast<int>(std::ceil(kFontPx * ratio * 1.15f));
    if (!ttf_.empty()) {
        ImFontGlyphRangesBuilder b;
        b.AddRanges(io.Fonts->GetGlyphRangesDefault());
        b.AddChar(0x2026);   // …
        for (uint32_t cp : codepoints_)
            if (!not_in_ttf_.count(cp)) b.AddChar(static_cast<ImWchar>(cp));
        b.BuildRanges(&ranges);
        cfg.FontDataOwnedByAtlas = false;
        font = io.Fonts->AddFontFromMemoryTTF(ttf_.data(), static_cast<int>(ttf_.size()), kFontPx * ratio, &cfg,
                                              ranges.Data);
        // Glyphs the font lacks become custom rects the rasterizer fills (no '?').
        if (raster_)
            for (uint32_t cp : not_in_ttf_)
                customs.push_back({cp, io.Fonts->AddCustomRectFontGlyph(font, static_cast<ImWchar>(cp), side, side,
                                                                        static_cast<float>(side), ImVec2(0, -side * 0.08f))});
    } else {
        io.Fonts->AddFontDefault(&cfg);   // ASCII until the CJK font arrives
    }
    io.Fonts->Build();
    if (font) {
        // Which noted codepoints did the TTF not have? They get a custom rect next build.
        for (uint32_t cp : codepoints_)
            if (!not_in_ttf_.count(cp) && !font->FindGlyphNoFallback(static_cast<ImWchar>(cp)) && raster_) {
                not_in_ttf_.insert(cp);
                dirty_ = true;
            }
        if (!customs.empty()) {
            unsigned char* pixels = nullptr;
            int tw = 0, th = 0;
            io.Fonts->GetTexDataAsRGBA32(&pixels, &tw, &th);
            std::vector<uint8_t> alpha(static_cast<size_t>(side) * side);
            for (const auto& c : customs) {
                const ImFontAtlasCustomRect* r = io.Fonts->GetCustomRectByIndex(c.rect);
                std::fill(alpha.begin(), alpha.end(), 0);
                raster_(c.cp, r->Width, r->Height, kFontPx * ratio, alpha.data());
                for (int y = 0; y < r->Height; ++y)
                    for (int x = 0; x < r->Width; ++x) {
                        unsigned char* px = pixels + ((r->Y + y) * tw + (r->X + x)) * 4;
                        px[0] = px[1] = px[2] = 255;
                        px[3] = alpha[static_cast<size_t>(y) * r->Width + x];
                    }
            }
        }
    }
    ++generation_;
    io.FontGlobalScale = 1.0f / ratio;   // rasterised at device pixels, laid out in CSS pixels
    return true;
}

std::vector<uint32_t> Fonts::missing(std::string_view utf8) const {
    std::vector<uint32_t> out;
    const ImFont* font = ImGui::GetIO().Fonts->Fonts.empty() ? nullptr : ImGui::GetIO().Fonts->Fonts[0];
    for_each_codepoint(utf8, [&](uint32_t cp) {
        if (cp < 0x20) return;
        if (!font || !font->FindGlyphNoFallback(static_cast<ImWchar>(cp))) out.push_back(cp);
    });
    return out;
}

}  // namespace imchat::ui
