#include "ui/invite_view.hpp"

#include "ui/theme.hpp"

namespace imchat::ui {

void invite_view(Frame& f, const InviteVm& vm) {
    if (!vm.picker.loaded) { center_text(f, f.tr(core::Str::Loading)); return; }
    if (vm.picker.candidates.empty()) { center_text(f, f.tr(core::Str::NoCandidates)); return; }
    ImGui::BeginChild("invite", ImVec2(0, 0));
    const float width = ImGui::GetContentRegionAvail().x, pad = theme::kPad, line = ImGui::GetTextLineHeight();
    ImGui::Dummy(ImVec2(width, 4));
    for (const core::Candidate& c : vm.picker.candidates) {
        const std::string name = c.name.empty() ? "#" + std::to_string(c.id) : c.name;
        f.fonts.note(name);
        f.fonts.note(c.result);
        ImGui::PushID(static_cast<int>(c.id));
        const float row_h = c.result.empty() ? 48 : 48 + line;
        const ImVec2 top = ImGui::GetCursorPos();
        // A tap invites; once answered, the result stays under the name.
        if (ImGui::Selectable("##row", false, 0, ImVec2(width, row_h)) && c.result.empty())
            f.out.events.push_back(core::ev::Invite{c.id});
        target(f, "invite:" + std::to_string(c.id));
        const ImVec2 end = ImGui::GetCursorPos();
        ImGui::SetCursorPos(ImVec2(pad, top.y + (48 - line) / 2));
        ImGui::TextUnformatted(name.c_str());
        if (!c.result.empty()) {
            ImGui::SetCursorPos(ImVec2(pad, top.y + (48 - line) / 2 + line + 2));
            ImGui::PushTextWrapPos(width - pad);
            ImGui::TextDisabled("%s", c.result.c_str());
            ImGui::PopTextWrapPos();
        }
        ImGui::SetCursorPos(end);
        ImGui::Separator();
        ImGui::PopID();
    }
    ImGui::EndChild();
}

}  // namespace imchat::ui
