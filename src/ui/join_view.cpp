#include "ui/join_view.hpp"

#include <algorithm>

#include "ui/avatar.hpp"

namespace imchat::ui {

void join_view(Frame& f, const JoinVm& vm) {
    const auto& card = vm.card;
    const ImVec2 disp = ImGui::GetIO().DisplaySize;
    const float width = std::min(disp.x - 48, 420.0f), x = (disp.x - width) / 2;
    const ImVec2 full(width, 44);
    // The card's avatar above the name: the contact's, or the group's grid.
    constexpr float kFace = 64;
    ImGui::SetCursorPos(ImVec2(x, disp.y * 0.25f - kFace - 12));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (card.contact) avatar(f, dl, ImGui::GetCursorScreenPos(), kFace, card.user_id, card.name, card.avatar);
    else group_avatar(f, dl, ImGui::GetCursorScreenPos(), kFace, card.group_id, card.name, card.avatar, card.faces);
    ImGui::SetCursorPos(ImVec2(x, disp.y * 0.25f));
    f.fonts.note(card.name);
    ImGui::PushTextWrapPos(x + width);
    ImGui::TextUnformatted(card.name.c_str());
    ImGui::PopTextWrapPos();
    ImGui::SetCursorPosX(x);
    if (card.contact) {
        ImGui::SetCursorPos(ImVec2(x, ImGui::GetCursorPosY() + 16));
        if (button(f, f.tr(core::Str::AddContact), "add_contact", full)) f.out.events.push_back(core::ev::RequestJoin{""});
        return;
    }
    label(f, std::to_string(card.member_count) + " " + f.tr(core::Str::Members));
    ImGui::SetCursorPosX(x);
    label(f, f.tr(card.policy == 2 ? core::Str::Policy2 : card.policy == 1 ? core::Str::Policy1 : core::Str::Policy0));
    ImGui::SetCursorPos(ImVec2(x, ImGui::GetCursorPosY() + 16));
    if (card.pending) {
        const char* t = f.tr(core::Str::Applied);
        f.fonts.note(t);
        ImGui::TextUnformatted(t);
    } else if (card.needs_login) {
        if (button(f, f.tr(core::Str::LoginToJoin), "join_login", full)) f.out.events.push_back(core::ev::RequestJoin{""});
    } else {
        if (button(f, f.tr(core::Str::Apply), "join_apply", full))
            f.out.prompts.push_back(Prompt{"reason", f.tr(core::Str::ReasonTitle), "", 500});
    }
    if (!vm.notice.empty() && !card.pending) error_text(f, vm.notice, x, x + width);
}

}  // namespace imchat::ui
