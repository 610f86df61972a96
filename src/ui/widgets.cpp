#include "ui/widgets.hpp"

#include <algorithm>
#include <cmath>

#include "ui/theme.hpp"

namespace imchat::ui {

std::string ellipsize(const std::string& s, float width) {
    // Measured only as far as it fits, and cut from there: a megabyte-long name (a hostile
    // server's) costs what a short one does, not a character-by-character loop over all of it.
    const char* rest = nullptr;
    ImGui::GetFont()->CalcTextSizeA(ImGui::GetFontSize(), width, 0.0f, s.c_str(), s.c_str() + s.size(), &rest);
    if (rest == s.c_str() + s.size() && ImGui::CalcTextSize(s.c_str(), s.c_str() + s.size()).x <= width) return s;
    std::string cut = s.substr(0, rest - s.c_str());
    while (!cut.empty()) {
        size_t n = cut.size() - 1;   // drop one whole UTF-8 character
        while (n > 0 && (static_cast<unsigned char>(cut[n]) & 0xC0) == 0x80) --n;
        cut.resize(n);
        if (ImGui::CalcTextSize((cut + "…").c_str()).x <= width) return cut + "…";
    }
    return "…";
}

void target(Frame& f, const std::string& id) {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    f.out.targets.push_back(Target{id, Rect{a.x, a.y, b.x - a.x, b.y - a.y}});
}

bool button(Frame& f, const char* text, const char* id, ImVec2 size) {
    f.fonts.note(text);
    // The id after "##" keeps the ImGui id stable when the language changes the label.
    const bool pressed = ImGui::Button((std::string(text) + "##" + id).c_str(), size);
    target(f, id);
    return pressed;
}

void label(Frame& f, const std::string& text) {
    f.fonts.note(text);
    ImGui::TextDisabled("%s", text.c_str());
}

void center_text(Frame& f, const char* t, const char* sub) {
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    const float wrap = std::min(size.x - 48, 420.0f);
    f.fonts.note(t);
    ImVec2 ts = ImGui::CalcTextSize(t, nullptr, false, wrap);
    ImGui::SetCursorPos(ImVec2((size.x - ts.x) / 2, size.y * 0.38f));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
    ImGui::TextUnformatted(t);
    ImGui::PopTextWrapPos();
    if (sub && *sub) {
        f.fonts.note(sub);
        ImVec2 ss = ImGui::CalcTextSize(sub, nullptr, false, wrap);
        ImGui::SetCursorPosX((size.x - ss.x) / 2);
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(theme::kTextGrey));
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
        ImGui::TextUnformatted(sub);
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
    }
}

void error_text(Frame& f, const std::string& text, float x, float wrap_right) {
    f.fonts.note(text);
    ImGui::SetCursorPosX(x);
    ImGui::PushStyleColor(ImGuiCol_Text, theme::kError);
    ImGui::PushTextWrapPos(wrap_right);
    ImGui::TextUnformatted(text.c_str());
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
}

// A QR code drawn from the server's module matrix, its caption, link and "copy link".
void qr_block(Frame& f, const QrVm& vm, core::Str caption) {
    const core::Qr& qr = vm.qr;
    if (qr.size <= 0) return;
    const float width = ImGui::GetContentRegionAvail().x, pad = theme::kPad;
    const float side = std::min(width - 2 * pad, 240.0f), quiet = 4;   // quiet zone: 4 modules (the QR spec)
    const float cell = std::floor(side / (qr.size + 2 * quiet));
    const float total = cell * (qr.size + 2 * quiet);
    ImGui::SetCursorPosX((width - total) / 2);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + total, p.y + total), IM_COL32_WHITE);
    for (int y = 0; y < qr.size && y < static_cast<int>(qr.rows.size()); ++y)
        for (int x = 0; x < qr.size && x < static_cast<int>(qr.rows[y].size()); ++x)
            if (qr.rows[y][x] == '1') {
                const ImVec2 a(p.x + (x + quiet) * cell, p.y + (y + quiet) * cell);
                dl->AddRectFilled(a, ImVec2(a.x + cell, a.y + cell), IM_COL32_BLACK);
            }
    ImGui::Dummy(ImVec2(total, total));
    target(f, "qr");
    const char* cap = f.tr(caption);
    f.fonts.note(cap);
    ImGui::SetCursorPosX((width - ImGui::CalcTextSize(cap).x) / 2);
    ImGui::TextDisabled("%s", cap);
    ImGui::SetCursorPosX(pad);
    ImGui::PushTextWrapPos(width - pad);
    if (vm.localhost) {   // the reference's trap: a phone cannot open localhost
        const char* warn = f.tr(core::Str::LocalhostWarning);
        f.fonts.note(warn);
        ImGui::TextColored(theme::kWarning, "%s", warn);
        ImGui::SetCursorPosX(pad);
    }
    ImGui::TextUnformatted(qr.url.c_str());
    ImGui::PopTextWrapPos();
    ImGui::SetCursorPosX(pad);
    if (button(f, f.tr(core::Str::CopyLink), "copy_link")) f.out.copy_text = qr.url;
}

}  // namespace imchat::ui
