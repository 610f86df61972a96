// imchat::ui long-message collapse (issue 14): a text taller than about two screens is shown
// folded, about one screen of it, with "展开 / Expand" under it; expanded it shows all of it
// with "收起 / Collapse". A member's text built to hurt a renderer (thousands of line breaks,
// a megabyte of text) thus takes one screen of everyone else's chat.
//
// Tall texts are drawn line by line from a line index made once (TextFolds::lines): only the
// lines inside the clip rectangle are handed to ImGui. (ImGui's wrapped text rendering walks
// and emits every glyph from the text's start, and a draw list overflows its 16-bit indices
// past 64K vertices.)
//
// TextFolds (owned by ChatView, handed to the rows) remembers each row's measured text size
// (so a visible long text is not re-wrapped every frame) and which rows the reader expanded.
#pragma once
#include <imgui.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "core/session.hpp"
#include "ui/widgets.hpp"

namespace imchat::ui {

// The decision for one text: `full_h` its wrapped height, `view_h` the message list's visible
// height, `line_h` a text line (the shown part ends on a whole line).
struct Fold {
    bool  collapsible = false;   // taller than two screens
    float shown_h = 0;           // height of the text shown while folded (the whole text if not collapsible)
};
Fold fold_for(float full_h, float view_h, float line_h);

// At most `max` bytes of `s`, cut at a UTF-8 character boundary (system notices are bounded).
inline constexpr size_t kNoticeMax = 2000;
std::string utf8_prefix(const std::string& s, size_t max);

// Texts that may fold (taller than two screens of the smallest window) are measured again
// at each layout (cheaply, from TextFolds' caches); shorter ones are cached as stable.
inline constexpr float kMayFoldH = 400.0f;

// Byte offsets where each visual line of `text` starts, wrapped at `wrap` (as ImGui wraps:
// at blanks, blanks after a wrap skipped, a word wider than the line broken).
std::vector<uint32_t> line_starts(const std::string& text, float wrap);

class TextFolds {
public:
    // Once per frame, before the layout: the list's visible height and the atlas generation.
    void   begin_frame(float view_h, int fonts_gen);
    // The text's wrapped size at `wrap`, measured once per (row, wrap, length, atlas); a tall
    // text's height is its line index's.
    ImVec2 text_size(const std::string& row, const std::string& text, float wrap);
    // A tall text's line index (empty for a short one); valid after text_size().
    const std::vector<uint32_t>& lines(const std::string& row) const;
    bool   expanded(const std::string& row) const { return expanded_.count(row) > 0; }
    void   toggle(const std::string& row);
    int    generation() const { return generation_; }   // bumps on toggle and view height: the layout changes
    int    toggles() const { return toggles_; }         // bumps on toggle only (the reader's own change)
    // Shown folded right now (collapsible at the last measure, not expanded): the snapshot's
    // messages[].collapsed.
    bool   collapsed(const std::string& row) const;
    float  view_h() const { return view_h_; }
    Fold   fold(const std::string& row, float full_h, float line_h);   // fold_for + remembers the answer

private:
    struct Size { float wrap = -1; size_t len = 0; int fonts = -1; ImVec2 size; std::vector<uint32_t> lines; };
    std::unordered_map<std::string, Size> sizes_;
    std::unordered_map<std::string, bool> collapsible_;
    std::unordered_set<std::string>       expanded_;
    float view_h_ = 600;
    int   fonts_ = 0;
    int   generation_ = 0;
    int   toggles_ = 0;
};

// A text row's layout: the bubble's content size, how much text shows, the link under it.
struct TextLayout {
    ImVec2 content;              // inside the bubble's padding (text, plus the link line if any)
    float  text_h = 0;           // the text shown (clipped here when folded)
    bool   tall = false;         // drawn line by line (draw_tall_text)
    bool   link = false;         // "展开" or "收起" under the text
    bool   expanded = false;     // the link says "收起"
    bool   stable = true;        // may be cached by the list (cannot fold)
};
float      link_h();             // the link line's height
// `folds` null: no folding (the whole text, measured now).
TextLayout text_layout(TextFolds* folds, const core::Message& m, float wrap);
// Draws the lines of a tall text that are inside the clip rectangle and above `shown_h`, from
// screen position `pos`; notes only their glyphs (a megabyte is not walked every frame).
void       draw_tall_text(Fonts& fonts, const TextFolds& folds, const core::Message& m, ImVec2 pos, float shown_h, ImU32 col);
// The "展开 / 收起" link at content position `pos` (the bubble's left, the link line's top), `w`
// wide (the bubble's width), down to the bubble's bottom; a tap toggles the row. Target
// "expand:<id>" / "collapse:<id>" (the client id while unsent).
void       fold_link(Frame& f, TextFolds& folds, const core::Message& m, ImVec2 pos, float w, bool expanded,
                     float pad);

}  // namespace imchat::ui
