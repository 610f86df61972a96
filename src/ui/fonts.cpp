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

constexpr uint32_t kEllipsis = 0x2026;

// Writes a drawn glyph into the atlas's RGBA pixels at its custom rect.
void blit(const DrawnGlyph& g, const ImFontAtlasCustomRect& r, unsigned char* tex, int tex_w) {
    const int w = std::min<int>(g.w, r.Width), h = std::min<int>(g.h, r.Height);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            unsigned char* px = tex + ((r.Y + y) * tex_w + (r.X + x)) * 4;
            const size_t i = static_cast<size_t>(y) * g.w + x;
            if (g.colored) {
                std::copy_n(&g.pixels[i * 4], 4, px);
            } else {
                px[0] = px[1] = px[2] = 255;
                px[3] = g.pixels[i];
            }
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

void Fonts::draw_missing(const std::vector<uint32_t>& cps, float px) {
    if (px != cache_px_) {
        cache_.clear();
        cache_px_ = px;
    }
    std::vector<uint32_t> todo;
    for (uint32_t cp : cps)
        if (!cache_.count(cp)) todo.push_back(cp);
    if (todo.empty() || !source_) return;
    std::vector<DrawnGlyph> got = source_->draw(todo, px);
    drawn_total_ += todo.size();
    for (size_t i = 0; i < todo.size(); ++i) {
        DrawnGlyph g = i < got.size() ? std::move(got[i]) : DrawnGlyph{};
        const size_t need = static_cast<size_t>(std::max(g.w, 0)) * std::max(g.h, 0) * (g.colored ? 4 : 1);
        if (g.w <= 0 || g.h <= 0 || g.pixels.size() != need) {   // nothing usable: an empty cell
            g.w = g.h = 1;
            g.colored = false;
            g.pixels.assign(1, 0);
        }
        cache_[todo[i]] = std::move(g);
    }
}

bool Fonts::rebuild_if_needed(float ratio) {
    if (!dirty_ && ratio == built_ratio_) return false;
    dirty_ = false;
    built_ratio_ = ratio;
    const float px = kFontPx * ratio;
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    ImFontConfig cfg;
    cfg.OversampleH = 1;
    cfg.OversampleV = 1;
    cfg.PixelSnapH = true;
    cfg.SizePixels = px;
    static ImVector<ImWchar> ranges;   // must outlive the atlas build
    ranges.clear();
    ImFont* font = nullptr;
    std::vector<uint32_t> from_source;   // codepoints that become custom rects the source fills
    if (system_fonts()) {
        // A font shell with one glyph; every glyph the UI draws is the system font's.
        static const ImWchar kSpace[] = {0x20, 0x20, 0};
        cfg.GlyphRanges = kSpace;
        font = io.Fonts->AddFontDefault(&cfg);
        for (uint32_t cp = 0x20; cp < 0x7F; ++cp) from_source.push_back(cp);
        from_source.push_back(kEllipsis);
        from_source.insert(from_source.end(), codepoints_.begin(), codepoints_.end());
    } else if (!ttf_.empty()) {
        ImFontGlyphRangesBuilder b;
        b.AddRanges(io.Fonts->GetGlyphRangesDefault());
        b.AddChar(kEllipsis);
        for (uint32_t cp : codepoints_)
            if (!not_in_ttf_.count(cp)) b.AddChar(static_cast<ImWchar>(cp));
        b.BuildRanges(&ranges);
        cfg.FontDataOwnedByAtlas = false;
        font = io.Fonts->AddFontFromMemoryTTF(ttf_.data(), static_cast<int>(ttf_.size()), px, &cfg, ranges.Data);
        if (source_) from_source.assign(not_in_ttf_.begin(), not_in_ttf_.end());   // glyphs the TTF lacks
    } else {
        io.Fonts->AddFontDefault(&cfg);   // ASCII until the fallback font arrives
    }
    draw_missing(from_source, px);
    struct Custom { uint32_t cp; int rect; };
    std::vector<Custom> customs;
    if (font && source_)
        for (uint32_t cp : from_source) {
            const DrawnGlyph& g = drawn(cp);
            customs.push_back({cp, io.Fonts->AddCustomRectFontGlyph(font, static_cast<ImWchar>(cp), g.w, g.h, g.advance,
                                                                    ImVec2(static_cast<float>(g.offset_x),
                                                                           static_cast<float>(g.offset_y)))});
        }
    io.Fonts->Build();
    if (font && !ttf_.empty() && !system_fonts() && source_) {
        // Which noted codepoints did the TTF not have? The source draws them next build.
        for (uint32_t cp : codepoints_)
            if (!not_in_ttf_.count(cp) && !font->FindGlyphNoFallback(static_cast<ImWchar>(cp))) {
                not_in_ttf_.insert(cp);
                dirty_ = true;
            }
    }
    if (!customs.empty()) {
        unsigned char* pixels = nullptr;
        int tw = 0, th = 0;
        io.Fonts->GetTexDataAsRGBA32(&pixels, &tw, &th);
        for (const auto& c : customs) {
            const DrawnGlyph& g = drawn(c.cp);
            blit(g, *io.Fonts->GetCustomRectByIndex(c.rect), pixels, tw);
            if (g.colored)   // the later (custom) glyph is the one the lookup table points at
                if (auto* glyph = const_cast<ImFontGlyph*>(font->FindGlyphNoFallback(static_cast<ImWchar>(c.cp))))
                    glyph->Colored = 1;
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
