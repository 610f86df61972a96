// imchat::ui fonts: the glyphs of the UI's one font, rasterised only for the codepoints
// the UI has actually drawn. Text passes through note(); when it brings new codepoints
// the atlas is rebuilt between frames.
//
// Where glyphs come from, best first:
//  - the platform's own fonts (GlyphSource: the browser's Canvas2D with the phone's
//    system UI font, colour emoji included), when set_system_fonts(true): no font download;
//  - a TTF (the CJK subset the site ships), only where the platform has no usable CJK
//    font; glyphs the TTF lacks still come from the GlyphSource;
//  - ImGui's built-in ASCII font (native tests, and until the TTF arrives).
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <string_view>
#include <vector>

namespace imchat::ui {

// One glyph drawn by the platform, in device pixels, relative to the line's top-left
// corner (the line is `px` high, as ImGui lays text out).
struct DrawnGlyph {
    float                advance = 0;        // measureText().width, rounded to whole pixels
    int                  offset_x = 0;       // the bitmap's left edge from the pen (<= 0 for overhang)
    int                  offset_y = 0;       // the bitmap's top from the line's top (< 0: above it)
    int                  w = 0, h = 0;
    bool                 colored = false;    // colour emoji: drawn untinted
    std::vector<uint8_t> pixels;             // RGBA if colored, else alpha; w*h of them
};

// The platform's fonts. draw() renders a batch of codepoints at `px` pixels.
class GlyphSource {
public:
    virtual ~GlyphSource() = default;
    virtual std::vector<DrawnGlyph> draw(const std::vector<uint32_t>& cps, float px) = 0;
};

class Fonts {
public:
    void set_source(GlyphSource* s) { source_ = s; dirty_ = true; }
    // The platform's fonts can draw every script the UI shows (a CJK font exists): every glyph,
    // ASCII included, comes from the GlyphSource and no TTF is needed.
    void set_system_fonts(bool on) { system_ = on; dirty_ = true; }
    bool system_fonts() const { return system_ && source_ != nullptr; }

    // Codepoints of `utf8` that the atlas cannot draw now (would show '?'). A pure query:
    // nothing is added; glyphs enter the atlas only through note() (text that was drawn).
    std::vector<uint32_t> missing(std::string_view utf8) const;

    void note(std::string_view utf8);                // remember codepoints a frame drew
    void set_ttf(std::vector<uint8_t> ttf);          // the fallback font arrived (after the first frame)
    // Rebuilds ImGui's atlas if needed (new glyphs, font arrived, scale changed).
    // Returns true when the renderer must re-upload the font texture.
    bool rebuild_if_needed(float pixel_ratio);
    bool has_ttf() const { return !ttf_.empty(); }
    size_t glyph_count() const { return codepoints_.size(); }
    int    generation() const { return generation_; }   // changes whenever metrics may have
    size_t drawn_by_source() const { return drawn_total_; }   // glyphs the source rasterised (tests)

private:
    const DrawnGlyph& drawn(uint32_t cp) const { return cache_.at(cp); }
    void draw_missing(const std::vector<uint32_t>& cps, float px);

    std::vector<uint8_t>          ttf_;              // kept alive: the atlas does not own it
    std::set<uint32_t>            codepoints_;
    std::set<uint32_t>            not_in_ttf_;       // drawn by the source into custom rects
    GlyphSource*                  source_ = nullptr;
    bool                          system_ = false;
    std::map<uint32_t, DrawnGlyph> cache_;           // drawn at cache_px_; rebuilds reuse them
    float                         cache_px_ = 0;
    size_t                        drawn_total_ = 0;
    bool                          dirty_ = true;
    float                         built_ratio_ = 0;
    int                           generation_ = 0;
};

}  // namespace imchat::ui
