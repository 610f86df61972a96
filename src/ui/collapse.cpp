#include "ui/collapse.hpp"

#include <algorithm>
#include <cmath>

#include "ui/message_list.hpp"

namespace imchat::ui {

Fold fold_for(float full_h, float view_h, float line_h) {
    view_h = std::max(view_h, 200.0f);   // a tiny window still shows a useful part
    if (!(full_h > 2 * view_h)) return Fold{false, full_h};
    const float lines = std::max(1.0f, std::floor(view_h / std::max(line_h, 1.0f)));
    return Fold{true, lines * line_h};
}

std::string utf8_prefix(const std::string& s, size_t max) {
    if (s.size() <= max) return s;
    size_t n = max;
    while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
    return s.substr(0, n);
}

std::vector<uint32_t> line_starts(const std::string& text, float wrap) {
    std::vector<uint32_t> starts;
    const ImFont* font = ImGui::GetFont();
    const float scale = ImGui::GetFontSize() / font->FontSize;
    const char* b = text.data();
    const size_t n = text.size();
    size_t pos = 0;
    for (;;) {   // one paragraph (up to a '\n') at a time
        const size_t nl = text.find('\n', pos), pend = nl == std::string::npos ? n : nl;
        size_t s = pos;
        do {
            starts.push_back(static_cast<uint32_t>(s));
            if (s >= pend) break;
            size_t eol = font->CalcWordWrapPositionA(scale, b + s, b + pend, wrap) - b;
            if (eol <= s) {   // not even one character fits: take one whole UTF-8 character
                eol = s + 1;
                while (eol < pend && (static_cast<unsigned char>(b[eol]) & 0xC0) == 0x80) ++eol;
            }
            s = eol;
            while (s < pend && (b[s] == ' ' || b[s] == '\t')) ++s;   // blanks after a wrap are skipped
        } while (s < pend);
        if (nl == std::string::npos) break;
        pos = nl + 1;
    }
    return starts;
}

void TextFolds::begin_frame(float view_h, int fonts_gen) {
    if (std::fabs(view_h - view_h_) >= 1.0f) {
        view_h_ = view_h;
        ++generation_;
    }
    fonts_ = fonts_gen;
}

ImVec2 TextFolds::text_size(const std::string& row, const std::string& text, float wrap) {
    Size& s = sizes_[row];
    if (s.wrap != wrap || s.len != text.size() || s.fonts != fonts_) {
        s.wrap = wrap;
        s.len = text.size();
        s.fonts = fonts_;
        s.size = ImGui::CalcTextSize(text.c_str(), text.c_str() + text.size(), false, wrap);
        s.lines.clear();
        if (s.size.y > kMayFoldH) {   // drawn line by line: its height is its line index's
            s.lines = line_starts(text, wrap);
            s.size = ImVec2(wrap, s.lines.size() * ImGui::GetTextLineHeight());
        }
    }
    return s.size;
}

const std::vector<uint32_t>& TextFolds::lines(const std::string& row) const {
    static const std::vector<uint32_t> none;
    auto it = sizes_.find(row);
    return it == sizes_.end() ? none : it->second.lines;
}

void TextFolds::toggle(const std::string& row) {
    if (!expanded_.erase(row)) expanded_.insert(row);
    ++generation_;
    ++toggles_;
}

bool TextFolds::collapsed(const std::string& row) const {
    auto it = collapsible_.find(row);
    return it != collapsible_.end() && it->second && !expanded(row);
}

Fold TextFolds::fold(const std::string& row, float full_h, float line_h) {
    const Fold f = fold_for(full_h, view_h_, line_h);
    collapsible_[row] = f.collapsible;
    return f;
}

float link_h() { return ImGui::GetTextLineHeight() + 8; }

TextLayout text_layout(TextFolds* folds, const core::Message& m, float wrap) {
    TextLayout t;
    if (!folds) {
        t.content = ImGui::CalcTextSize(m.data.c_str(), m.data.c_str() + m.data.size(), false, wrap);
        t.text_h = t.content.y;
        return t;
    }
    const std::string key = row_key(m);
    const ImVec2 full = folds->text_size(key, m.data, wrap);
    const Fold fd = folds->fold(key, full.y, ImGui::GetTextLineHeight());
    t.tall = !folds->lines(key).empty();
    t.stable = !t.tall;
    t.content = full;
    t.text_h = full.y;
    if (!fd.collapsible) return t;
    t.link = true;
    t.expanded = folds->expanded(key);
    if (!t.expanded) t.text_h = fd.shown_h;
    t.content.y = t.text_h + link_h();
    return t;
}

void draw_tall_text(Fonts& fonts, const TextFolds& folds, const core::Message& m, ImVec2 pos, float shown_h, ImU32 col) {
    const std::vector<uint32_t>& starts = folds.lines(row_key(m));
    if (starts.empty()) return;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float lh = ImGui::GetTextLineHeight();
    const float top = std::max(dl->GetClipRectMin().y, pos.y), bottom = std::min(dl->GetClipRectMax().y, pos.y + shown_h);
    if (bottom <= top) return;
    const size_t first = static_cast<size_t>(std::max(0.0f, std::floor((top - pos.y) / lh)));
    const size_t last = std::min(starts.size(), static_cast<size_t>(std::ceil((bottom - pos.y) / lh)));
    const char* b = m.data.c_str();
    for (size_t i = first; i < last; ++i) {
        size_t end = i + 1 < starts.size() ? starts[i + 1] : m.data.size();
        while (end > starts[i] && (b[end - 1] == '\n' || b[end - 1] == ' ' || b[end - 1] == '\t')) --end;
        if (end <= starts[i]) continue;
        fonts.note(std::string_view(b + starts[i], end - starts[i]));
        dl->AddText(ImVec2(pos.x, pos.y + i * lh), col, b + starts[i], b + end);
    }
}

void fold_link(Frame& f, TextFolds& folds, const core::Message& m, ImVec2 pos, float w, bool expanded, float pad) {
    constexpr ImU32 kLink = IM_COL32(87, 107, 149, 255);   // WeChat's link blue
    const char* label = f.tr(expanded ? core::Str::Collapse : core::Str::Expand);
    f.fonts.note(label);
    const std::string key = row_key(m);
    ImGui::SetCursorPos(pos);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::PushID(key.c_str());
    ImGui::InvisibleButton("fold", ImVec2(w, link_h() + pad));
    ImGui::PopID();
    target(f, std::string(expanded ? "collapse:" : "expand:") + (m.id ? std::to_string(m.id) : m.client_msg_id));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddLine(ImVec2(p.x + pad, p.y + 2), ImVec2(p.x + w - pad, p.y + 2), IM_COL32(0, 0, 0, 24));
    dl->AddText(ImVec2(p.x + pad, p.y + 6), kLink, label);
    // A tap that did not drag (a drag scrolls the list).
    if (ImGui::IsItemClicked() && ImGui::GetIO().MouseDragMaxDistanceSqr[0] < 100.0f) {
        folds.toggle(key);
        f.out.animating = true;
    }
}

}  // namespace imchat::ui
