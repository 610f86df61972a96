#include "ui/banner.hpp"

#include "ui/theme.hpp"

namespace imchat::ui {

void banner(Frame& f, const BannerVm& vm) {
    std::string msg;
    switch (vm.kind) {
        case BannerKind::None: return;
        case BannerKind::Connecting: msg = f.tr(core::Str::Connecting); break;
        case BannerKind::Reconnecting:
            msg = std::string(f.tr(core::Str::Reconnecting)) + " " + std::to_string(vm.seconds) + "s";
            break;
        case BannerKind::Kicked: msg = f.tr(core::Str::Kicked); break;
        case BannerKind::Offline: msg = f.tr(core::Str::Offline); break;
    }
    f.fonts.note(msg);
    const float w = ImGui::GetIO().DisplaySize.x, h = theme::kBannerH;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    dl->AddRectFilled(p, ImVec2(w, p.y + h), theme::kBannerBg);
    const ImVec2 ts = ImGui::CalcTextSize(msg.c_str());
    dl->AddText(ImVec2(vm.retry ? 12 : (w - ts.x) / 2, p.y + (h - ts.y) / 2), theme::kBannerText, msg.c_str());
    if (vm.retry) {
        const char* text = f.tr(core::Str::RetryNow);
        f.fonts.note(text);
        const ImVec2 saved = ImGui::GetCursorPos();
        ImGui::SetCursorPos(ImVec2(w - ImGui::CalcTextSize(text).x - 36, saved.y + 2));
        ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(12, 6));
        if (ImGui::SmallButton(text)) f.out.events.push_back(core::ev::NetworkOnline{});
        target(f, "retry");
        ImGui::PopStyleVar();
        ImGui::SetCursorPos(saved);
    }
    ImGui::Dummy(ImVec2(w, h));
}

}  // namespace imchat::ui
