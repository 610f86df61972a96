#include "ui/group_info_view.hpp"

#include <algorithm>
#include <ctime>

#include "ui/avatar.hpp"
#include "ui/theme.hpp"

namespace imchat::ui {

namespace {
// When a request was made: "HH:MM" today, else "MM-DD HH:MM" (local time).
std::string request_time(int64_t ms, int64_t now_ms) {
    if (ms <= 0) return {};
    const std::time_t t = static_cast<std::time_t>(ms / 1000), n = static_cast<std::time_t>(now_ms / 1000);
    std::tm a{}, b{};
    localtime_r(&t, &a);
    localtime_r(&n, &b);
    char buf[32];
    if (a.tm_year == b.tm_year && a.tm_yday == b.tm_yday) std::strftime(buf, sizeof buf, "%H:%M", &a);
    else std::strftime(buf, sizeof buf, "%m-%d %H:%M", &a);
    return buf;
}
}  // namespace

void GroupInfoView::draw(Frame& f, const GroupInfoVm& vm) {
    ImGui::BeginChild("info", ImVec2(0, 0));
    const float width = ImGui::GetContentRegionAvail().x, pad = theme::kPad;
    ImGui::Dummy(ImVec2(width, 8));
    {   // the header: the group's avatar (its members' grid) and name
        constexpr float kHead = 48;
        ImGui::SetCursorPosX(pad);
        const ImVec2 p = ImGui::GetCursorScreenPos();
        group_avatar(f, ImGui::GetWindowDrawList(), p, kHead, vm.conv.key.id, vm.conv.title, vm.conv.avatar,
                     vm.conv.faces);
        f.fonts.note(vm.conv.title);
        const std::string title = ellipsize(vm.conv.title, width - 2 * pad - kHead - 12);
        ImGui::GetWindowDrawList()->AddText(ImVec2(p.x + kHead + 12, p.y + (kHead - ImGui::GetFontSize()) / 2),
                                            theme::kTextDark, title.c_str());
        ImGui::Dummy(ImVec2(width - 2 * pad, kHead + 8));
    }
    if (vm.owner) requests(f, vm, width);   // first: what waits for the owner
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

void GroupInfoView::requests(Frame& f, const GroupInfoVm& vm, float width) {
    int n = 0;
    for (const auto& m : vm.group.members) n += m.status == protocol::MemberStatus::Pending;
    if (n == 0) return;
    const float pad = theme::kPad, inner = width - 2 * pad, line = ImGui::GetTextLineHeight();
    ImGui::SetCursorPos(ImVec2(pad, ImGui::GetCursorPosY() + 12));
    label(f, std::string(f.tr(core::Str::JoinRequests)) + " (" + std::to_string(n) + ")");
    const float bw = 72, bh = 34, gap = 8;
    for (const auto& m : vm.group.members) {
        if (m.status != protocol::MemberStatus::Pending) continue;
        const int64_t uid = m.user_id;
        const std::string name = m.display_name(), when = request_time(m.request_time, vm.now);
        f.fonts.note(name);
        f.fonts.note(m.reason);
        f.fonts.note(when);
        ImGui::PushID(static_cast<int>(uid));
        // A card: name and time on the first line, the reason under it (wrapped),
        // approve / reject on the right.
        const float text_w = inner - 2 * 12 - 2 * bw - gap;
        const float reason_h = m.reason.empty() ? 0 : 4 + ImGui::CalcTextSize(m.reason.c_str(), nullptr, false, text_w).y;
        const float card_h = std::max(bh + 24, 12 + line + reason_h + 12);
        ImGui::SetCursorPos(ImVec2(pad, ImGui::GetCursorPosY() + 4));
        const ImVec2 top = ImGui::GetCursorPos(), p = ImGui::GetCursorScreenPos();
        ImGui::GetWindowDrawList()->AddRectFilled(p, ImVec2(p.x + inner, p.y + card_h), theme::kCardBg, 8.0f);
        // The name opens the member menu (member:approve / member:reject), as before.
        ImGui::SetCursorPos(ImVec2(top.x + 12, top.y + 12));
        if (ImGui::Selectable(name.c_str(), false, 0, ImVec2(std::min(text_w, ImGui::CalcTextSize(name.c_str()).x + 4), line))) {
            pick_ = MemberPick{uid, name};
            ImGui::OpenPopup(kMemberMenu);
        }
        target(f, "member:" + std::to_string(uid));
        if (pick_.user_id == uid) member_menu(f, vm, pick_);
        if (!when.empty()) {
            ImGui::SameLine(0, 8);
            ImGui::TextDisabled("%s", when.c_str());
        }
        if (!m.reason.empty()) {
            ImGui::SetCursorPos(ImVec2(top.x + 12, top.y + 12 + line + 4));
            ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(theme::kTextGrey));
            ImGui::PushTextWrapPos(top.x + 12 + text_w);
            ImGui::TextUnformatted(m.reason.c_str());
            ImGui::PopTextWrapPos();
            ImGui::PopStyleColor();
            target(f, "request:reason:" + std::to_string(uid));
        }
        const float by = top.y + (card_h - bh) / 2;
        ImGui::SetCursorPos(ImVec2(top.x + inner - 12 - bw, by));
        ImGui::PushStyleColor(ImGuiCol_Button, theme::kAccept);
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
        if (button(f, f.tr(core::Str::Approve), ("request:approve:" + std::to_string(uid)).c_str(), ImVec2(bw, bh)))
            f.out.events.push_back(core::ev::GroupAction{"approve", uid, "", 0});
        ImGui::PopStyleColor(2);
        ImGui::SetCursorPos(ImVec2(top.x + inner - 12 - 2 * bw - gap, by));
        if (button(f, f.tr(core::Str::Reject), ("request:reject:" + std::to_string(uid)).c_str(), ImVec2(bw, bh)))
            f.out.events.push_back(core::ev::GroupAction{"reject", uid, "", 0});
        ImGui::SetCursorPos(ImVec2(top.x, top.y + card_h));
        ImGui::Dummy(ImVec2(inner, 4));
        ImGui::PopID();
    }
}

void GroupInfoView::members(Frame& f, const GroupInfoVm& vm, float width) {
    const float pad = theme::kPad;
    ImGui::SetCursorPos(ImVec2(pad, ImGui::GetCursorPosY() + 8));
    const float label_y = ImGui::GetCursorPosY();
    label(f, std::string(f.tr(core::Str::Members2)) + " (" + std::to_string(vm.conv.member_count) + ")");
    if (vm.can_invite) {   // on the members line, so the page below does not move
        const char* text = f.tr(core::Str::Invite);
        const ImVec2 after = ImGui::GetCursorPos();
        const float bw = ImGui::CalcTextSize(text).x + 24;
        ImGui::SetCursorPos(ImVec2(width - pad - bw, label_y - 6));
        if (button(f, text, "invite", ImVec2(bw, 30))) f.out.events.push_back(core::ev::ShowInvite{});
        ImGui::SetCursorPos(after);
    }
    for (const auto& m : vm.group.members) {
        if (vm.owner && m.status == protocol::MemberStatus::Pending) continue;   // listed under the requests
        const int64_t uid = m.user_id;
        const std::string name = m.display_name();
        std::string text = name;
        if (m.role == protocol::Role::Owner) text += std::string("  · ") + f.tr(core::Str::Owner);
        if (m.status == protocol::MemberStatus::Muted) text += std::string("  · ") + f.tr(core::Str::Muted);
        if (m.status == protocol::MemberStatus::Pending) text += std::string("  · ") + f.tr(core::Str::PendingMember);
        f.fonts.note(text);
        ImGui::PushID(static_cast<int>(uid));
        constexpr float kFace = 28;
        ImGui::SetCursorPosX(pad);
        const ImVec2 at = ImGui::GetCursorScreenPos();
        avatar(f, ImGui::GetWindowDrawList(), ImVec2(at.x, at.y + 4), kFace, uid, name, m.avatar);
        ImGui::SetCursorPosX(pad + kFace + 8);
        if (ImGui::Selectable(text.c_str(), false, 0, ImVec2(width - 2 * pad - kFace - 8, 36)) && uid != vm.me) {
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
