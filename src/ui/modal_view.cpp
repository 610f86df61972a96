#include "ui/modal_view.hpp"

#include <algorithm>

namespace imchat::ui {

void modal_view(Frame& f, const ModalVm& vm) {
    if (!ImGui::IsPopupOpen("##modal")) ImGui::OpenPopup("##modal");
    const ImVec2 disp = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(disp.x / 2, disp.y / 2), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(disp.x - 48, 360.0f), 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(20, 20));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 10);
    if (ImGui::BeginPopupModal("##modal", nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove)) {
        f.fonts.note(vm.text);
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(vm.text.c_str());
        ImGui::PopTextWrapPos();
        ImGui::Spacing();
        const char* text = f.tr(vm.kicked ? core::Str::UseHere : core::Str::Ok);
        f.fonts.note(text);
        if (ImGui::Button(text, ImVec2(-1, 40))) {
            f.out.events.push_back(core::ev::DismissModal{});
            ImGui::CloseCurrentPopup();
        }
        target(f, "modal:ok");
        ImGui::EndPopup();
    }
    ImGui::PopStyleVar(2);
}

}  // namespace imchat::ui
