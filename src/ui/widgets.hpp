// imchat::ui widgets: the few controls every view shares. Each one notes its text
// with the font atlas (so CJK glyphs get rasterised) and, when it has an id,
// records where it was drawn as a named target (tests tap those).
#pragma once
#include <imgui.h>

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_map>

#include "core/i18n.hpp"
#include "ui/fonts.hpp"
#include "ui/output.hpp"
#include "ui/view_models.hpp"

namespace imchat::ui {

// What every view draws with during one frame.
struct Frame {
    Fonts&      fonts;
    Output&     out;
    core::Lang  lang = core::Lang::ZhCN;
    const Images* images = nullptr;                    // decoded images (image avatars), if any
    std::unordered_map<std::string, bool>* asked = nullptr;   // URLs already asked to decode
    int64_t     now = 0;                               // the session's clock (ms)
    std::function<int(int64_t)> utc_offset;            // the local zone's offset (min) at a time; none: UTC
    const char* tr(core::Str s) const { return core::tr(lang, s); }
    int         offset_at(int64_t t_ms) const { return utc_offset ? utc_offset(t_ms) : 0; }
};

std::string ellipsize(const std::string& s, float width);                  // cut to `width` px, adding "…"
void        target(Frame& f, const std::string& id);                        // names the last item
bool        button(Frame& f, const char* label, const char* id, ImVec2 size = ImVec2(0, 0));   // + target
void        label(Frame& f, const std::string& text);                       // greyed text
void        center_text(Frame& f, const char* text, const char* sub = nullptr);   // mid-screen, wrapped
void        error_text(Frame& f, const std::string& text, float x, float wrap_right);   // red, wrapped at x..right
void        qr_block(Frame& f, const QrVm& vm, core::Str caption);          // QR, caption, link, "copy link"

}  // namespace imchat::ui
