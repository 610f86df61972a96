// imchat::ui fonts: one TTF (a CJK subset made at build time), rasterised only
// for the glyphs the UI has actually drawn. Text passes through note(); when it
// brings new codepoints the atlas is rebuilt between frames.
#pragma once
#include <cstdint>
#include <functional>
#include <set>
#include <string_view>
#include <vector>

namespace imchat::ui {

class Fonts {
public:
    // Draws one codepoint the font lacks (rare hanzi, emoji) into an alpha bitmap of
    // w x h pixels at `px` pixels (the browser's Canvas2D on the web). Optional.
    using Rasterizer = std::function<void(uint32_t cp, int w, int h, float px, uint8_t* alpha_out)>;
    void set_rasterizer(Rasterizer r) { raster_ = std::move(r); }
    // Codepoints of `utf8` that the atlas cannot draw (would show '?'); for tests.
    std::vector<uint32_t> missing(std::string_view utf8) const;

    void note(std::string_view utf8);                // remember codepoints a frame drew
    void set_ttf(std::vector<uint8_t> ttf);          // the font arrived (after the first frame)
    // Rebuilds ImGui's atlas if needed (new glyphs, font arrived, scale changed).
    // Returns true when the renderer must re-upload the font texture.
    bool rebuild_if_needed(float pixel_ratio);
    bool has_ttf() const { return !ttf_.empty(); }
    size_t glyph_count() const { return codepoints_.size(); }
    int    generation() const { return generation_; }   // changes whenever metrics may have

private:
    std::vector<uint8_t> ttf_;                       // kept alive: the atlas does not own it
    std::set<uint32_t>   codepoints_;
    std::set<uint32_t>   not_in_ttf_;                 // drawn by the rasterizer into custom rects
    Rasterizer           raster_;
    bool                 dirty_ = true;
    float                built_ratio_ = 0;
    int                  generation_ = 0;
};

}  // namespace imchat::ui
