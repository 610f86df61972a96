#include "ui/message_menu.hpp"

#include "core/time_label.hpp"
#include "ui/theme.hpp"

namespace imchat::ui {

void message_menu(Frame& f, const ChatVm& vm, int64_t message_id) {
    // Above the finger in the lower half, so the menu never hides under the composer.
    const ImGuiIO& io = ImGui::GetIO();
    const ImVec2 at = io.MouseClickedPos[0].y > 0 ? ImGui::GetMousePos() : ImVec2(0, 0);
    const bool lower = at.y > io.DisplaySize.y / 2;
    ImGui::SetNextWindowPos(at, ImGuiCond_Appearing, ImVec2(at.x > io.DisplaySize.x / 2 ? 1.0f : 0.0f, lower ? 1.0f : 0.0f));
    if (!ImGui::BeginPopup(kMessageMenu)) return;
    const core::Message* m = nullptr;
    for (const auto& x : vm.messages) if (x.id == message_id) m = &x;
    if (m) {
        // The exact local time it was sent, greyed (not a command).
        const std::string when = core::exact_time(m->create_time, f.offset_at(m->create_time));
        if (!when.empty()) {
            ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(theme::kTextGrey));
            ImGui::TextUnformatted(when.c_str());
            ImGui::PopStyleColor();
            target(f, "menu:time:" + when);
        }
        const char* copy = f.tr(core::Str::Copy);
        const char* recall = f.tr(core::Str::Recall);
        f.fonts.note(copy);
        f.fonts.note(recall);
        if (ImGui::Selectable(copy, false, 0, ImVec2(120, 36))) f.out.copy_text = m->data;
        target(f, "menu:copy");
        const bool can_recall = vm.can_recall && vm.can_recall(*m);
        if (can_recall && ImGui::Selectable(recall, false, 0, ImVec2(120, 36)))
            f.out.events.push_back(core::ev::Recall{m->id});
        if (can_recall) target(f, "menu:recall");
    }
    ImGui::EndPopup();
}

}  // namespace imchat::ui
