#include "ui/list_view.hpp"

#include <algorithm>

#include "ui/avatar.hpp"
#include "ui/theme.hpp"

namespace imchat::ui {

namespace {

constexpr float kRowH = 72.0f;       // WeChat's list row: avatar 48 + 12 above and below
constexpr float kAvatar = 48.0f;
constexpr float kGap = 12.0f;        // avatar to text
constexpr float kSmall = 0.82f;      // preview and time, relative to the font size

// A red pill with white text centred on (cx, cy).
void pill(ImDrawList* dl, float cx, float cy, const std::string& text, float size, ImU32 colour) {
    const ImVec2 ts = ImGui::GetFont()->CalcTextSizeA(size, FLT_MAX, 0.0f, text.c_str());
    const float h = size + 4, w = std::max(h, ts.x + 10);
    dl->AddRectFilled(ImVec2(cx - w / 2, cy - h / 2), ImVec2(cx + w / 2, cy + h / 2), colour, h / 2);
    dl->AddText(ImGui::GetFont(), size, ImVec2(cx - ts.x / 2, cy - ts.y / 2), IM_COL32_WHITE, text.c_str());
}

void row(Frame& f, const ListRow& r, float width) {
    const core::Conversation& c = *r.conv;
    const std::string id = "conv:" + c.key.chat_type + ":" + std::to_string(c.key.id);
    ImGui::PushID(id.c_str());
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const bool released = ImGui::InvisibleButton("row", ImVec2(width, kRowH),
                                                  ImGuiButtonFlags_MouseButtonLeft | ImGuiButtonFlags_MouseButtonRight);
    target(f, id);
    const ImGuiIO& io = ImGui::GetIO();
    // A tap opens it (on release, and not after a drag: a drag scrolls).
    const bool tap = released && ImGui::IsMouseReleased(ImGuiMouseButton_Left) && io.MouseDragMaxDistanceSqr[0] < 100.0f;
    const bool long_press =
        ImGui::IsItemActive() && io.MouseDownDuration[0] > 0.5f && io.MouseDragMaxDistanceSqr[0] < 100.0f;
    if (ImGui::IsItemActive()) f.out.animating = true;   // keep frames coming to time the press
    if ((long_press && !ImGui::IsPopupOpen("row_menu")) || ImGui::IsItemClicked(ImGuiMouseButton_Right)) {
        ImGui::SetNextWindowPos(ImGui::GetMousePos(), ImGuiCond_Always,
                                ImVec2(ImGui::GetMousePos().x > io.DisplaySize.x / 2 ? 1.0f : 0.0f, 0.0f));
        ImGui::OpenPopup("row_menu");
    } else if (tap && !ImGui::IsPopupOpen("row_menu")) {
        f.out.events.push_back(core::ev::OpenConversation{c.key, ""});
    }

    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float fs = ImGui::GetFontSize(), small = fs * kSmall;
    // Pressed, not hovered: on a phone the pointer stays where a DOM control (the
    // login form) was last clicked, which would light up an unrelated row.
    if (ImGui::IsItemActive()) dl->AddRectFilled(p, ImVec2(p.x + width, p.y + kRowH), IM_COL32(0, 0, 0, 22));
    // Avatar: the peer's (image or default), or the group's grid of member faces.
    const ImVec2 a(p.x + theme::kPad, p.y + (kRowH - kAvatar) / 2);
    if (c.key.chat_type == "group") group_avatar(f, dl, a, kAvatar, c.key.id, r.title, c.avatar, c.faces);
    else avatar(f, dl, a, kAvatar, c.key.id, r.title, c.avatar);
    if (!r.badge.empty()) {   // unread: a red pill on the avatar's top-right corner
        f.fonts.note(r.badge);
        pill(dl, a.x + kAvatar - 6, a.y + 6, r.badge, small, IM_COL32(250, 81, 81, 255));
    }
    // Title and time on the first line, preview (and join requests) on the second.
    const float tx = a.x + kAvatar + kGap, right = p.x + width - theme::kPad;
    f.fonts.note(r.time);
    const float tw = r.time.empty() ? 0 : ImGui::GetFont()->CalcTextSizeA(small, FLT_MAX, 0.0f, r.time.c_str()).x;
    const float y1 = p.y + 14, y2 = p.y + kRowH - 14 - small;
    if (!r.time.empty()) dl->AddText(ImGui::GetFont(), small, ImVec2(right - tw, y1 + (fs - small) / 2), theme::kTextGrey, r.time.c_str());
    const std::string title = ellipsize(r.title, right - tx - tw - 8);
    f.fonts.note(title);
    dl->AddText(ImVec2(tx, y1), theme::kTextDark, title.c_str());
    float preview_right = right;
    if (r.pending > 0) {   // owners: join requests waiting
        const std::string n = std::to_string(r.pending) + " " + f.tr(core::Str::JoinRequestCount);
        f.fonts.note(n);
        const float w = ImGui::GetFont()->CalcTextSizeA(small, FLT_MAX, 0.0f, n.c_str()).x + 12;
        pill(dl, right - w / 2, y2 + small / 2, n, small, IM_COL32(250, 157, 59, 255));
        ImGui::SetCursorScreenPos(ImVec2(right - w, y2 - 2));
        ImGui::Dummy(ImVec2(w, small + 4));
        target(f, "pending:" + c.key.chat_type + ":" + std::to_string(c.key.id));
        preview_right -= w + 8;
    }
    if (!r.preview.empty()) {
        ImGui::SetWindowFontScale(kSmall);   // ellipsize measures at the preview's size
        const std::string pv = ellipsize(r.preview, preview_right - tx);
        ImGui::SetWindowFontScale(1.0f);
        f.fonts.note(pv);
        dl->AddText(ImGui::GetFont(), small, ImVec2(tx, y2), theme::kTextGrey, pv.c_str());
    }
    // Separator from the text's left edge, as WeChat does.
    dl->AddLine(ImVec2(tx, p.y + kRowH - 0.5f), ImVec2(p.x + width, p.y + kRowH - 0.5f), theme::kBarLine);
    ImGui::SetCursorScreenPos(ImVec2(p.x, p.y + kRowH));

    if (ImGui::BeginPopup("row_menu")) {
        const char* hide = f.tr(core::Str::HideChat);
        f.fonts.note(hide);
        if (ImGui::Selectable(hide, false, 0, ImVec2(160, 40)))
            f.out.events.push_back(core::ev::HideConversation{c.key});
        target(f, "hide:" + c.key.chat_type + ":" + std::to_string(c.key.id));
        ImGui::EndPopup();
    }
    ImGui::PopID();
}

}  // namespace

void list_view(Frame& f, const ListVm& vm) {
    if (vm.can_create) {
        ImGui::SetCursorPos(ImVec2(theme::kPad, ImGui::GetCursorPosY() + 8));
        if (button(f, f.tr(core::Str::CreateGroup), "create_group"))
            f.out.prompts.push_back(Prompt{"create", f.tr(core::Str::GroupName), "", 30});
        ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 8);
    }
    if (vm.rows.empty()) { center_text(f, f.tr(core::Str::NoConversations)); return; }
    ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(1, 1, 1, 1));   // white rows on the grey page
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(0, 0));
    ImGui::BeginChild("list", ImVec2(0, 0));
    const float width = ImGui::GetContentRegionAvail().x;
    for (const ListRow& r : vm.rows) row(f, r, width);
    ImGui::EndChild();
    ImGui::PopStyleVar();
    ImGui::PopStyleColor();
}

}  // namespace imchat::ui
