#include "ui/theme.hpp"

namespace imchat::ui::theme {

void apply_style() {
    ImGui::StyleColorsLight();
    ImGuiStyle& st = ImGui::GetStyle();
    st.WindowRounding = 0;
    st.WindowBorderSize = 0;
    st.ChildBorderSize = 0;
    st.FrameRounding = 6;
    st.FramePadding = ImVec2(12, 8);
    st.ItemSpacing = ImVec2(8, 8);
    st.ScrollbarSize = 4;
    st.ScrollbarRounding = 2;
    st.TouchExtraPadding = ImVec2(4, 4);   // fingers are wider than the pointer
    st.Colors[ImGuiCol_WindowBg] = kBg;
    st.Colors[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
}

}  // namespace imchat::ui::theme
