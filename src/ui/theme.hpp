// imchat::ui theme: the sizes and colours every view shares, and the ImGui style.
#pragma once
#include <imgui.h>

namespace imchat::ui::theme {

inline constexpr float   kBarH          = 48.0f;                          // top bar, CSS px
inline constexpr float   kComposerH     = 56.0f;                          // DOM composer strip at the bottom
inline constexpr float   kBannerH       = 36.0f;                          // connection banner
inline constexpr float   kPad           = 16.0f;                          // page side padding
inline constexpr ImU32   kBubbleMine    = IM_COL32(149, 236, 105, 255);   // WeChat-like green
inline constexpr ImU32   kBubbleOther   = IM_COL32(255, 255, 255, 255);
inline constexpr ImU32   kTextDark      = IM_COL32(25, 25, 25, 255);
inline constexpr ImU32   kTextGrey      = IM_COL32(140, 140, 140, 255);
inline constexpr ImU32   kTextFailed    = IM_COL32(220, 50, 50, 255);     // "tap to retry"
inline constexpr ImU32   kPlaceholder   = IM_COL32(220, 220, 220, 255);   // thumbnail not decoded yet
inline constexpr ImU32   kBarBg         = IM_COL32(247, 247, 247, 255);
inline constexpr ImU32   kBarLine       = IM_COL32(220, 220, 220, 255);
inline constexpr ImU32   kDotOnline     = IM_COL32(7, 193, 96, 255);
inline constexpr ImU32   kDotConnecting = IM_COL32(250, 173, 20, 255);
inline constexpr ImU32   kDotDown       = IM_COL32(230, 70, 70, 255);
inline constexpr ImU32   kBannerBg      = IM_COL32(255, 235, 200, 255);
inline constexpr ImU32   kBannerText    = IM_COL32(140, 80, 0, 255);
inline constexpr ImU32   kRequestBadge  = IM_COL32(250, 81, 81, 255);     // pending join requests on "..."
inline constexpr ImU32   kCardBg        = IM_COL32(255, 255, 255, 255);   // a join request's card
inline const ImVec4      kBg            = ImVec4(0.93f, 0.93f, 0.93f, 1.0f);
inline const ImVec4      kError         = ImVec4(0.86f, 0.2f, 0.2f, 1.0f);   // notices under forms
inline const ImVec4      kWarning       = ImVec4(0.8f, 0.45f, 0.0f, 1.0f);   // the localhost trap
inline const ImVec4      kDanger        = ImVec4(0.9f, 0.3f, 0.3f, 1.0f);    // dissolve / quit button
inline const ImVec4      kAccept        = ImVec4(0.03f, 0.76f, 0.38f, 1.0f);  // approve (WeChat green)
inline const ImVec4      kClear         = ImVec4(0, 0, 0, 0);                // flat buttons in the bar

void apply_style();                                                      // light, flat, touch-sized

}  // namespace imchat::ui::theme
