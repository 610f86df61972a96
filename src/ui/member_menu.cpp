#include "ui/member_menu.hpp"

namespace imchat::ui {

void member_menu(Frame& f, const GroupInfoVm& vm, const MemberPick& pick) {
    if (!ImGui::BeginPopup(kMemberMenu)) return;
    const int64_t uid = pick.user_id;
    const auto* mm = vm.group.member(uid);
    const int status = mm ? static_cast<int>(mm->status) : 1;
    auto item = [&](core::Str text, const char* id) {
        const char* t = f.tr(text);
        f.fonts.note(t);
        const bool hit = ImGui::Selectable(t, false, 0, ImVec2(160, 36));
        target(f, id);
        return hit;
    };
    auto act = [&](const char* action) { f.out.events.push_back(core::ev::GroupAction{action, uid, "", 0}); };
    if (status != 2 && item(core::Str::DirectMessage, "member:dm"))
        f.out.events.push_back(core::ev::OpenConversation{{"single", uid}, pick.name});
    if (vm.owner && status == 2) {
        if (item(core::Str::Approve, "member:approve")) act("approve");
        if (item(core::Str::Reject, "member:reject")) act("reject");
    }
    if (vm.owner && status != 2) {
        if (status == 0 ? item(core::Str::Unmute, "member:unmute") : item(core::Str::Mute, "member:mute"))
            act(status == 0 ? "unmute" : "mute");
        if (item(core::Str::Remove, "member:remove")) act("remove");
    }
    ImGui::EndPopup();
}

}  // namespace imchat::ui
