#include "ui/group_info_view.hpp"

#include "ui/theme.hpp"

namespace imchat::ui {

void GroupInfoView::draw(Frame& f, const GroupInfoVm& vm) {
    ImGui::BeginChild("info", ImVec2(0, 0));
    const float width = ImGui::GetContentRegionAvail().x, pad = theme::kPad;
    ImGui::Dummy(ImVec2(width, 8));
    qr_block(f, vm.qr, core::Str::ScanToJoin);
    ImGui::SetCursorPos(ImVec2(pad, ImGui::GetCursorPosY() + 8));
    const std::string& remark = vm.group.remark;
    f.fonts.note(remark);
    label(f, f.tr(core::Str::Announcement));
    ImGui::SetCursorPosX(pad);
    ImGui::PushTextWrapPos(width - pad);
    ImGui::TextUnformatted(remark.empty() ? "-" : remark.c_str());
    ImGui::PopTextWrapPos();
    members(f, vm, width);
    actions(f, vm, width);
    if (!vm.notice.empty()) {
        f.fonts.note(vm.notice);
        ImGui::SetCursorPosX(pad);
        ImGui::PushTextWrapPos(width - pad);
        ImGui::TextDisabled("%s", vm.notice.c_str());
        ImGui::PopTextWrapPos();
    }
    ImGui::Dummy(ImVec2(width, 24));
    ImGui::EndChild();
}

void GroupInfoView::members(Frame& f, const GroupInfoVm& vm, float width) {
    const float pad = theme::kPad;
    ImGui::SetCursorPos(ImVec2(pad, ImGui::GetCursorPosY() + 8));
    label(f, std::string(f.tr(core::Str::Members2)) + " (" + std::to_string(vm.conv.member_count) + ")");
    for (const auto& m : vm.group.members) {
        const int64_t uid = m.user_id;
        const std::string name = m.display_name();
        std::string text = name;
        if (m.role == protocol::Role::Owner) text += std::string("  · ") + f.tr(core::Str::Owner);
        if (m.status == protocol::MemberStatus::Muted) text += std::string("  · ") + f.tr(core::Str::Muted);
        if (m.status == protocol::MemberStatus::Pending) text += std::string("  · ") + f.tr(core::Str::PendingMember);
        f.fonts.note(text);
        ImGui::PushID(static_cast<int>(uid));
        ImGui::SetCursorPosX(pad);
        if (ImGui::Selectable(text.c_str(), false, 0, ImVec2(width - 2 * pad, 36)) && uid != vm.me) {
            pick_ = MemberPick{uid, name};
            ImGui::OpenPopup(kMemberMenu);
        }
        target(f, "member:" + std::to_string(uid));
        if (pick_.user_id == uid) member_menu(f, vm, pick_);
        ImGui::PopID();
    }
}

void GroupInfoView::actions(Frame& f, const GroupInfoVm& vm, float width) {
    const float pad = theme::kPad;
    ImGui::SetCursorPos(ImVec2(pad, ImGui::GetCursorPosY() + 12));
    if (!vm.can_act) return;
    const ImVec2 full(width - 2 * pad, 40);
    if (vm.owner) {
        if (button(f, f.tr(core::Str::Rename), "rename", full))
            f.out.prompts.push_back(Prompt{"rename", f.tr(core::Str::Rename), vm.conv.title, 30});
        ImGui::SetCursorPosX(pad);
        if (button(f, f.tr(core::Str::EditRemark), "remark", full))
            f.out.prompts.push_back(Prompt{"remark", f.tr(core::Str::EditRemark), vm.group.remark, 500});
        ImGui::SetCursorPosX(pad);
        label(f, f.tr(core::Str::JoinPolicy));
        const int policy = static_cast<int>(vm.group.policy);
        for (int i = 0; i < 3; ++i) {
            const char* text = f.tr(i == 0 ? core::Str::Policy0 : i == 1 ? core::Str::Policy1 : core::Str::Policy2);
            f.fonts.note(text);
            ImGui::SetCursorPosX(pad);
            if (ImGui::RadioButton(text, policy == i) && policy != i)
                f.out.events.push_back(core::ev::GroupAction{"policy", 0, "", i});
            target(f, "policy:" + std::to_string(i));
        }
    } else {
        if (button(f, f.tr(core::Str::MyGroupNick), "group_nickname", full))
            f.out.prompts.push_back(Prompt{"nickname", f.tr(core::Str::MyGroupNick), "", 20});
    }
    ImGui::SetCursorPos(ImVec2(pad, ImGui::GetCursorPosY() + 8));
    ImGui::PushStyleColor(ImGuiCol_Button, theme::kDanger);
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
    if (button(f, f.tr(vm.owner ? core::Str::Dissolve : core::Str::Quit), vm.owner ? "dissolve" : "quit", full))
        f.out.events.push_back(core::ev::GroupAction{"quit", 0, "", 0});
    ImGui::PopStyleColor(2);
}

}  // namespace imchat::ui
