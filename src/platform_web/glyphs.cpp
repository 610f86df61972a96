#include "platform_web/glyphs.hpp"

#include <cstdlib>

#include "platform_web/js_imports.hpp"

namespace imchat::web {

std::vector<ui::DrawnGlyph> WebGlyphSource::draw(const std::vector<uint32_t>& cps, float px) {
    constexpr int kMeta = 7;
    std::vector<int> meta(cps.size() * kMeta);
    uint8_t* pixels = js::draw_glyphs(cps.data(), static_cast<int>(cps.size()), px, meta.data());
    if (!pixels) return {};
    std::vector<ui::DrawnGlyph> out(cps.size());
    for (size_t i = 0; i < cps.size(); ++i) {
        const int* m = &meta[i * kMeta];
        ui::DrawnGlyph& g = out[i];
        g.advance = static_cast<float>(m[0]);
        g.offset_x = m[1];
        g.offset_y = m[2];
        g.w = m[3];
        g.h = m[4];
        g.colored = m[5] != 0;
        const size_t n = static_cast<size_t>(g.w) * g.h * (g.colored ? 4 : 1);
        g.pixels.assign(pixels + m[6], pixels + m[6] + n);
    }
    free(pixels);
    return out;
}

}  // namespace imchat::web
