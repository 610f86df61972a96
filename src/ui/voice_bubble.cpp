#include "ui/voice_bubble.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "ui/output.hpp"
#include "ui/theme.hpp"

namespace imchat::ui {

namespace {
constexpr ImU32 kDot = IM_COL32(250, 81, 81, 255);

// A speaker as WeChat draws it: a dot and up to three arcs, opening towards `dir` (+1 right).
void speaker(ImDrawList* dl, ImVec2 c, float dir, int arcs, ImU32 col) {
    dl->AddCircleFilled(c, 2.2f, col);
    const float a0 = dir > 0 ? -0.8f : 3.14159f - 0.8f, a1 = a0 + 1.6f;
    for (int i = 1; i <= arcs; ++i) {
        dl->PathArcTo(c, 4.5f * i, a0, a1, 8);
        dl->PathStroke(col, false, 1.8f);
    }
}
}  // namespace

float voice_bubble_w(int seconds, float max_w) {
    const int s = std::clamp(seconds, 1, core::kVoiceMaxSeconds);
    // Fast for the first ten seconds, then slowly up to a minute (WeChat's feel).
    const float w = 64.0f + 9.0f * std::min(s, 10) + 2.2f * std::max(0, s - 10);
    return std::min(w, std::max(64.0f, max_w));
}

void draw_voice(Frame& f, ImDrawList* dl, ImVec2 p, ImVec2 size, int64_t id, const VoiceLook& v) {
    const std::string label = std::to_string(std::max(v.seconds, 1)) + "\"";
    f.fonts.note(label);
    const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    const float mid = p.y + size.y / 2;
    // Three waves when still; while playing they build up 1, 2, 3 every 0.3 s.
    const int arcs = v.playing ? 1 + static_cast<int>(std::fmod(ImGui::GetTime() / 0.3, 3.0)) : 3;
    if (v.mine) {   // speaker at the right edge facing left, the seconds on the left (WeChat)
        speaker(dl, ImVec2(p.x + size.x - 14, mid), -1, arcs, theme::kTextDark);
        dl->AddText(ImVec2(p.x + 10, mid - ts.y / 2), theme::kTextDark, label.c_str());
    } else {
        speaker(dl, ImVec2(p.x + 14, mid), +1, arcs, theme::kTextDark);
        dl->AddText(ImVec2(p.x + size.x - 10 - ts.x, mid - ts.y / 2), theme::kTextDark, label.c_str());
    }
    if (v.unplayed) dl->AddCircleFilled(ImVec2(p.x + size.x + 8, p.y + 6), 4.0f, kDot);
    if (v.playing) f.out.animating = true;
    f.out.drawn.push_back("voice:" + std::to_string(id) + ":" + std::to_string(v.seconds) + (v.unplayed ? ":dot" : "") +
                          (v.playing ? ":playing" : ""));
}

}  // namespace imchat::ui
