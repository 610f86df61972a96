#include "ui/login_view.hpp"

#include <algorithm>

namespace imchat::ui {

void login_view(Frame& f, const LoginVm& vm) {
    const ImVec2 disp = ImGui::GetIO().DisplaySize;
    const float margin = 24, width = std::min(disp.x - 2 * margin, 420.0f), x = (disp.x - width) / 2;
    ImGui::SetCursorPos(ImVec2(x, ImGui::GetCursorPosY() + 24));
    const char* hint = f.tr(core::Str::LoginHint);
    f.fonts.note(hint);
    ImGui::PushTextWrapPos(x + width);
    ImGui::TextDisabled("%s", hint);
    ImGui::PopTextWrapPos();
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 8);
    f.out.login_visible = true;
    f.out.login = Rect{x, ImGui::GetCursorPosY(), width, kLoginFormH};
    ImGui::Dummy(ImVec2(width, kLoginFormH));
    if (!vm.notice.empty()) error_text(f, vm.notice, x, x + width);
}

}  // namespace imchat::ui
