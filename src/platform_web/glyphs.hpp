// imchat::web::WebGlyphSource: the UI's glyphs drawn by the browser with the phone's own
// fonts (web/js/fonts.js through js_imports), for ui::Fonts' atlas.
#pragma once
#include "ui/fonts.hpp"

namespace imchat::web {

class WebGlyphSource final : public ui::GlyphSource {
public:
    std::vector<ui::DrawnGlyph> draw(const std::vector<uint32_t>& cps, float px) override;
};

}  // namespace imchat::web
