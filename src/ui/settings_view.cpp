#include "ui/settings_view.hpp"

#include "ui/avatar.hpp"
#include "ui/theme.hpp"

namespace imchat::ui {

void settings_view(Frame& f, const SettingsVm& vm) {
    const auto lang = f.lang;
    const float pad = theme::kPad, width = ImGui::GetIO().DisplaySize.x - 2 * pad;
    ImGui::BeginChild("settings", ImVec2(0, 0));
    ImGui::SetCursorPos(ImVec2(pad, ImGui::GetCursorPosY() + 16));
    {   // my avatar, and "set avatar" (the page picks, crops and hands the image back)
        constexpr float kFace = 56;
        const float y0 = ImGui::GetCursorPosY();
        avatar(f, ImGui::GetWindowDrawList(), ImGui::GetCursorScreenPos(), kFace, vm.id, vm.name, vm.avatar);
        ImGui::SetCursorPos(ImVec2(pad + kFace + 12, y0 + (kFace - 40) / 2));
        if (button(f, f.tr(core::Str::SetAvatar), "set_avatar", ImVec2(0, 40))) f.out.pick_avatar = true;
        ImGui::SetCursorPos(ImVec2(pad, y0 + kFace + 12));
    }
    label(f, f.tr(core::Str::Nickname));
    ImGui::SetCursorPosX(pad);
    if (button(f, (vm.name + "  >").c_str(), "nickname", ImVec2(width, 40)))
        f.out.prompts.push_back(Prompt{"mynick", f.tr(core::Str::Nickname), vm.nickname, 20});
    if (vm.is_user) {
        ImGui::SetCursorPos(ImVec2(pad, ImGui::GetCursorPosY() + 12));
        label(f, f.tr(core::Str::GuestsMayMessage));
        for (int i = 0; i < 3; ++i) {
            const char* text = f.tr(i == 0 ? core::Str::SendCount0 : i == 1 ? core::Str::SendCount1 : core::Str::SendCount2);
            f.fonts.note(text);
            ImGui::SetCursorPosX(pad);
            if (ImGui::RadioButton(text, vm.send_count == i) && vm.send_count != i)
                f.out.events.push_back(core::ev::SaveSettings{vm.nickname, i, ""});
            target(f, "sendcount:" + std::to_string(i));
        }
    }
    ImGui::SetCursorPos(ImVec2(pad, ImGui::GetCursorPosY() + 12));
    label(f, f.tr(core::Str::Language));
    ImGui::SetCursorPosX(pad);
    f.fonts.note("中文");
    if (ImGui::RadioButton("中文", lang == core::Lang::ZhCN) && lang != core::Lang::ZhCN)
        f.out.events.push_back(core::ev::SaveSettings{vm.nickname, -1, "zh-CN"});
    target(f, "lang:zh");
    ImGui::SameLine();
    if (ImGui::RadioButton("English", lang == core::Lang::En) && lang != core::Lang::En)
        f.out.events.push_back(core::ev::SaveSettings{vm.nickname, -1, "en"});
    target(f, "lang:en");
    if (!vm.notice.empty()) error_text(f, vm.notice, pad, -1.0f);   // -1: not wrapped
    ImGui::SetCursorPos(ImVec2(pad, ImGui::GetCursorPosY() + 16));
    label(f, f.tr(core::Str::MyQr));
    qr_block(f, vm.qr, core::Str::ScanToAdd);
    ImGui::Dummy(ImVec2(width, 24));
    ImGui::EndChild();
}

}  // namespace imchat::ui
