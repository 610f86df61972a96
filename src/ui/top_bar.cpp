#include "ui/top_bar.hpp"

#include <algorithm>

#include "ui/theme.hpp"

namespace imchat::ui {

namespace {
// A flat button at a fixed place in the bar, named for tests.
bool bar_button(Frame& f, const char* text, const char* id, ImVec2 at) {
    f.fonts.note(text);
    ImGui::SetCursorPos(at);
    const bool hit = ImGui::Button(text);
    target(f, id);
    return hit;
}
}  // namespace

void top_bar(Frame& f, const TopBarVm& vm) {
    using theme::kBarH;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float w = ImGui::GetIO().DisplaySize.x;
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(w, kBarH), theme::kBarBg);
    dl->AddLine(ImVec2(0, kBarH - 1), ImVec2(w, kBarH - 1), theme::kBarLine);
    float left = 8;
    ImGui::PushStyleColor(ImGuiCol_Button, theme::kClear);
    if (vm.back != Back::None) {
        const std::string back = std::string("< ") + f.tr(core::Str::Back);
        if (bar_button(f, back.c_str(), "back", ImVec2(6, 7))) {
            if (vm.back == Back::ToChat) f.out.events.push_back(core::ev::OpenConversation{vm.chat, ""});
            else if (vm.back == Back::ToGroupInfo) f.out.events.push_back(core::ev::ShowGroupInfo{});
            else f.out.events.push_back(core::ev::ShowList{});
        }
        left = ImGui::GetItemRectMax().x + 4;
    }
    if (vm.account) {   // account entry on the right, settings on the left
        const char* account = f.tr(vm.guest ? core::Str::Login : core::Str::Logout);
        if (bar_button(f, account, vm.guest ? "login" : "logout",
                       ImVec2(w - ImGui::CalcTextSize(account).x - 24 - 30, 7))) {
            if (vm.guest) f.out.events.push_back(core::ev::ShowLogin{});
            else f.out.events.push_back(core::ev::Logout{});
        }
        if (bar_button(f, f.tr(core::Str::Settings), "settings", ImVec2(6, 7)))
            f.out.events.push_back(core::ev::ShowSettings{});
    }
    if (vm.group_info) {
        if (bar_button(f, "...##info", "group_info", ImVec2(w - 78, 7)))
            f.out.events.push_back(core::ev::ShowGroupInfo{});
        if (vm.badge > 0) {   // pending join requests: a red count on the button's corner
            const std::string n = vm.badge > 99 ? "99+" : std::to_string(vm.badge);
            const ImVec2 corner(ImGui::GetItemRectMax().x - 2, ImGui::GetItemRectMin().y + 2);
            const ImVec2 ts = ImGui::CalcTextSize(n.c_str());
            const float r = std::max(9.0f, ts.y * 0.5f + 1), half = std::max(r, ts.x * 0.5f + 5);
            dl->AddRectFilled(ImVec2(corner.x - half, corner.y - r), ImVec2(corner.x + half, corner.y + r),
                              theme::kRequestBadge, r);
            dl->AddText(ImVec2(corner.x - ts.x * 0.5f, corner.y - ts.y * 0.5f), IM_COL32(255, 255, 255, 255), n.c_str());
            ImGui::SetCursorScreenPos(ImVec2(corner.x - half, corner.y - r));
            ImGui::Dummy(ImVec2(2 * half, 2 * r));
            target(f, "group_info:badge");
        }
    }
    ImGui::PopStyleColor();
    f.fonts.note(vm.title);
    const ImU32 dot = vm.conn == core::Conn::Online       ? theme::kDotOnline
                    : vm.conn == core::Conn::Connecting   ? theme::kDotConnecting
                                                          : theme::kDotDown;
    dl->AddCircleFilled(ImVec2(w - 18, kBarH / 2), 5, dot);
    const float room = std::max(40.0f, w - 2 * std::max(left, 40.0f));
    const std::string shown = ellipsize(vm.title, room);
    const ImVec2 ts = ImGui::CalcTextSize(shown.c_str());
    dl->AddText(ImVec2((w - ts.x) / 2, (kBarH - ts.y) / 2), theme::kTextDark, shown.c_str());
    ImGui::SetCursorPos(ImVec2(0, kBarH));
}

}  // namespace imchat::ui
