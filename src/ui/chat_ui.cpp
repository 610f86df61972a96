// Views: top bar, connection banner, chat (bubbles), conversation list,
// loading / not found / join screens.
#include "ui/chat_ui.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

namespace imchat::ui {

using core::Str;
using core::tr;

namespace {
constexpr float kBarH = 48.0f;
constexpr float kComposerH = 56.0f;
const ImU32 kBubbleMine   = IM_COL32(149, 236, 105, 255);   // WeChat-like green
const ImU32 kBubbleOther  = IM_COL32(255, 255, 255, 255);
const ImU32 kTextDark     = IM_COL32(25, 25, 25, 255);
const ImU32 kTextGrey     = IM_COL32(140, 140, 140, 255);
const ImVec4 kBg          = ImVec4(0.93f, 0.93f, 0.93f, 1.0f);

// Cuts `s` to fit `width` (UTF-8 aware), adding "…".
std::string ellipsize(const std::string& s, float width) {
    if (ImGui::CalcTextSize(s.c_str()).x <= width) return s;
    std::string cut = s;
    while (!cut.empty()) {
        size_t n = cut.size() - 1;   // drop one whole UTF-8 character
        while (n > 0 && (static_cast<unsigned char>(cut[n]) & 0xC0) == 0x80) --n;
        cut.resize(n);
        if (ImGui::CalcTextSize((cut + "…").c_str()).x <= width) return cut + "…";
    }
    return "…";
}
}  // namespace

void ChatUi::apply_style() {
    ImGui::StyleColorsLight();
    ImGuiStyle& st = ImGui::GetStyle();
    st.WindowRounding = 0;
    st.WindowBorderSize = 0;
    st.ChildBorderSize = 0;
    st.FrameRounding = 6;
    st.FramePadding = ImVec2(12, 8);
    st.ItemSpacing = ImVec2(8, 8);
    st.ScrollbarSize = 4;
    st.ScrollbarRounding = 2;
    st.TouchExtraPadding = ImVec2(4, 4);
    st.Colors[ImGuiCol_WindowBg] = kBg;
    st.Colors[ImGuiCol_ChildBg] = ImVec4(0, 0, 0, 0);
}

void ChatUi::label(const std::string& s) {
    fonts_.note(s);
    ImGui::TextDisabled("%s", s.c_str());
}

Output ChatUi::draw(const core::Session& s) {
    Output out;
    const ImGuiIO& io = ImGui::GetIO();
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(io.DisplaySize);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin("imchat", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    top_bar(s, out);
    banner(s, out);
    const auto lang = s.lang();
    switch (s.screen()) {
        case core::Screen::Loading:  center_text(tr(lang, Str::Loading)); break;
        case core::Screen::NotFound: center_text(tr(lang, Str::GroupNotFound), tr(lang, Str::GroupNotFoundHint)); break;
        case core::Screen::Join:     join_view(s, out); break;
        case core::Screen::GroupInfo: group_info_view(s, out); break;
        case core::Screen::Settings: settings_view(s, out); break;
        case core::Screen::List:     list_view(s, out); break;
        case core::Screen::Chat:     chat_view(s, out); break;
        case core::Screen::Login:    login_view(s, out); break;
    }
    modal(s, out);
    ImGui::End();
    ImGui::PopStyleVar();
    int unread = 0;
    for (const auto& c : s.conversations()) unread += c.unread;
    const auto* open = s.open_conversation();
    out.title = (unread ? "(" + std::to_string(unread) + ") " : std::string()) +
                (open && !open->title.empty() ? open->title + " - " : std::string()) + "imchat";
    return out;
}

void ChatUi::top_bar(const core::Session& s, Output& out) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float w = ImGui::GetIO().DisplaySize.x;
    dl->AddRectFilled(ImVec2(0, 0), ImVec2(w, kBarH), IM_COL32(247, 247, 247, 255));
    dl->AddLine(ImVec2(0, kBarH - 1), ImVec2(w, kBarH - 1), IM_COL32(220, 220, 220, 255));
    float left = 8;
    const auto scr = s.screen();
    if (scr == core::Screen::Chat || scr == core::Screen::NotFound || scr == core::Screen::Join ||
        scr == core::Screen::Login || scr == core::Screen::GroupInfo || scr == core::Screen::Settings) {
        ImGui::SetCursorPos(ImVec2(6, 7));
        const std::string back = std::string("< ") + tr(s.lang(), Str::Back);
        fonts_.note(back);
        ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
        const bool to_chat = scr == core::Screen::GroupInfo && s.open_conversation();
        if (ImGui::Button(back.c_str())) {
            if (to_chat) out.events.push_back(core::ev::OpenConversation{s.open_conversation()->key, ""});
            else out.events.push_back(core::ev::ShowList{});
        }
        target("back", out);
        ImGui::PopStyleColor();
        left = ImGui::GetItemRectMax().x + 4;
    }
    if (scr == core::Screen::List) {   // account entry on the right
        const bool guest = s.user().role != "user";
        const char* label = tr(s.lang(), guest ? Str::Login : Str::Logout);
        fonts_.note(label);
        ImGui::SetCursorPos(ImVec2(w - ImGui::CalcTextSize(label).x - 24 - 30, 7));
        ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
        if (ImGui::Button(label)) {
            if (guest) out.events.push_back(core::ev::ShowLogin{});
            else out.events.push_back(core::ev::Logout{});
        }
        target(guest ? "login" : "logout", out);
        const char* settings = tr(s.lang(), Str::Settings);
        fonts_.note(settings);
        ImGui::SetCursorPos(ImVec2(6, 7));
        if (ImGui::Button(settings)) out.events.push_back(core::ev::ShowSettings{});
        target("settings", out);
        ImGui::PopStyleColor();
    }
    if (scr == core::Screen::Chat && s.open_conversation() && s.open_conversation()->key.chat_type == "group") {
        ImGui::SetCursorPos(ImVec2(w - 78, 7));
        ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0, 0, 0, 0));
        if (ImGui::Button("...##info")) out.events.push_back(core::ev::ShowGroupInfo{});
        target("group_info", out);
        ImGui::PopStyleColor();
    }
    std::string title = tr(s.lang(), scr == core::Screen::Login      ? Str::LoginTitle
                                     : scr == core::Screen::Settings ? Str::Settings
                                                                     : Str::Conversations);
    if (const auto* c = s.open_conversation();
        c && scr != core::Screen::List && scr != core::Screen::Login && scr != core::Screen::Settings) {
        title = c->title;
        if (c->member_count > 0) title += " (" + std::to_string(c->member_count) + ")";
    }
    fonts_.note(title);
    // Connection dot on the right.
    const ImU32 dot = s.connection() == core::Conn::Online ? IM_COL32(7, 193, 96, 255)
                    : s.connection() == core::Conn::Connecting ? IM_COL32(250, 173, 20, 255)
                                                               : IM_COL32(230, 70, 70, 255);
    dl->AddCircleFilled(ImVec2(w - 18, kBarH / 2), 5, dot);
    const float room = std::max(40.0f, w - 2 * std::max(left, 40.0f));
    const std::string shown = ellipsize(title, room);
    const ImVec2 ts = ImGui::CalcTextSize(shown.c_str());
    dl->AddText(ImVec2((w - ts.x) / 2, (kBarH - ts.y) / 2), kTextDark, shown.c_str());
    ImGui::SetCursorPos(ImVec2(0, kBarH));
}

void ChatUi::modal(const core::Session& s, Output& out) {
    if (s.modal().empty()) return;
    if (!ImGui::IsPopupOpen("##modal")) ImGui::OpenPopup("##modal");
    const ImVec2 disp = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(disp.x / 2, disp.y / 2), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(disp.x - 48, 360.0f), 0));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(20, 20));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 10);
    if (ImGui::BeginPopupModal("##modal", nullptr, ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoMove)) {
        fonts_.note(s.modal());
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(s.modal().c_str());
        ImGui::PopTextWrapPos();
        ImGui::Spacing();
        const char* label = tr(s.lang(), s.connection() == core::Conn::Kicked ? Str::UseHere : Str::Ok);
        fonts_.note(label);
        if (ImGui::Button(label, ImVec2(-1, 40))) {
            out.events.push_back(core::ev::DismissModal{});
            ImGui::CloseCurrentPopup();
        }
        ImGui::EndPopup();
    }
    ImGui::PopStyleVar(2);
}

void ChatUi::banner(const core::Session& s, Output& out) {
    const auto c = s.connection();
    if (c == core::Conn::Online || (c == core::Conn::Idle && s.screen() == core::Screen::Loading)) return;
    std::string msg;
    if (c == core::Conn::Connecting) msg = tr(s.lang(), Str::Connecting);
    else if (c == core::Conn::Backoff) {
        const int64_t secs = std::max<int64_t>(0, (s.retry_at() - s.now() + 999) / 1000);
        msg = std::string(tr(s.lang(), Str::Reconnecting)) + " " + std::to_string(secs) + "s";
    } else if (c == core::Conn::Kicked) msg = tr(s.lang(), Str::Kicked);
    else if (c == core::Conn::Offline) msg = tr(s.lang(), Str::Offline);
    else return;
    fonts_.note(msg);
    const float w = ImGui::GetIO().DisplaySize.x;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    const bool retry = c == core::Conn::Backoff || c == core::Conn::Offline;
    const float h = 36;
    dl->AddRectFilled(p, ImVec2(w, p.y + h), IM_COL32(255, 235, 200, 255));
    const ImVec2 ts = ImGui::CalcTextSize(msg.c_str());
    dl->AddText(ImVec2(retry ? 12 : (w - ts.x) / 2, p.y + (h - ts.y) / 2), IM_COL32(140, 80, 0, 255), msg.c_str());
    if (retry) {
        const char* label = tr(s.lang(), Str::RetryNow);
        fonts_.note(label);
        const ImVec2 saved = ImGui::GetCursorPos();
        ImGui::SetCursorPos(ImVec2(w - ImGui::CalcTextSize(label).x - 36, saved.y + 2));
        ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(12, 6));
        if (ImGui::SmallButton(label)) out.events.push_back(core::ev::NetworkOnline{});
        ImGui::PopStyleVar();
        ImGui::SetCursorPos(saved);
    }
    ImGui::Dummy(ImVec2(w, h));
}

void ChatUi::center_text(const char* t, const char* sub) {
    const ImVec2 size = ImGui::GetIO().DisplaySize;
    const float wrap = std::min(size.x - 48, 420.0f);
    fonts_.note(t);
    ImVec2 ts = ImGui::CalcTextSize(t, nullptr, false, wrap);
    ImGui::SetCursorPos(ImVec2((size.x - ts.x) / 2, size.y * 0.38f));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
    ImGui::TextUnformatted(t);
    ImGui::PopTextWrapPos();
    if (sub && *sub) {
        fonts_.note(sub);
        ImVec2 ss = ImGui::CalcTextSize(sub, nullptr, false, wrap);
        ImGui::SetCursorPosX((size.x - ss.x) / 2);
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kTextGrey));
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
        ImGui::TextUnformatted(sub);
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
    }
}

void ChatUi::list_view(const core::Session& s, Output& out) {
    if (s.user().role == "user") {
        const char* label = tr(s.lang(), Str::CreateGroup);
        fonts_.note(label);
        ImGui::SetCursorPos(ImVec2(12, ImGui::GetCursorPosY() + 8));
        if (button(label, "create_group", out))
            out.prompts.push_back(Prompt{"create", tr(s.lang(), Str::GroupName), "", 30});
    }
    const auto& convs = s.conversations();
    if (convs.empty()) { center_text(tr(s.lang(), Str::NoConversations)); return; }
    ImGui::BeginChild("list", ImVec2(0, 0));
    for (const auto& c : convs) {
        if (c.key.chat_type == "group" && c.my_status == -1) continue;   // left or removed
        std::string label = c.title.empty() ? "#" + std::to_string(c.key.id) : c.title;
        if (c.unread > 0) label += "  (" + std::to_string(c.unread) + ")";
        fonts_.note(label);
        ImGui::PushID(static_cast<int>(c.key.id));
        if (ImGui::Selectable(label.c_str(), false, 0, ImVec2(0, 44)))
            out.events.push_back(core::ev::OpenConversation{c.key, ""});
        target(("conv:" + c.key.chat_type + ":" + std::to_string(c.key.id)).c_str(), out);
        ImGui::PopID();
        ImGui::Separator();
    }
    ImGui::EndChild();
}

void ChatUi::target(const char* id, Output& out) {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    out.targets.push_back(Target{id, Rect{a.x, a.y, b.x - a.x, b.y - a.y}});
}

bool ChatUi::button(const char* label, const char* id, Output& out, ImVec2 size) {
    fonts_.note(label);
    const bool pressed = ImGui::Button((std::string(label) + "##" + id).c_str(), size);
    target(id, out);
    return pressed;
}

std::vector<core::Event> ChatUi::on_prompt(const std::string& key, const std::string& text) {
    std::vector<core::Event> ev;
    if (key == "reason") ev.push_back(core::ev::RequestJoin{text});
    else if (key == "create") ev.push_back(core::ev::CreateGroup{text});
    else if (key == "rename" || key == "remark" || key == "nickname")
        ev.push_back(core::ev::GroupAction{key, 0, text, 0});
    else if (key == "mynick") ev.push_back(core::ev::SaveSettings{text, -1, ""});
    return ev;
}

void ChatUi::join_view(const core::Session& s, Output& out) {
    const auto& card = s.join_card();
    const ImVec2 disp = ImGui::GetIO().DisplaySize;
    const float width = std::min(disp.x - 48, 420.0f), x = (disp.x - width) / 2;
    ImGui::SetCursorPos(ImVec2(x, disp.y * 0.25f));
    fonts_.note(card.name);
    ImGui::PushTextWrapPos(x + width);
    ImGui::TextUnformatted(card.name.c_str());
    ImGui::PopTextWrapPos();
    ImGui::SetCursorPosX(x);
    if (!card.contact) label(std::to_string(card.member_count) + " " + tr(s.lang(), Str::Members));
    if (card.contact) {
        ImGui::SetCursorPos(ImVec2(x, ImGui::GetCursorPosY() + 16));
        if (button(tr(s.lang(), Str::AddContact), "add_contact", out, ImVec2(width, 44)))
            out.events.push_back(core::ev::RequestJoin{""});
        return;
    }
    ImGui::SetCursorPosX(x);
    const char* policy = tr(s.lang(), card.policy == 2 ? Str::Policy2 : card.policy == 1 ? Str::Policy1 : Str::Policy0);
    fonts_.note(policy);
    ImGui::TextDisabled("%s", policy);
    ImGui::SetCursorPos(ImVec2(x, ImGui::GetCursorPosY() + 16));
    if (card.pending) {
        const char* t = tr(s.lang(), Str::Applied);
        fonts_.note(t);
        ImGui::TextUnformatted(t);
    } else if (card.needs_login) {
        if (button(tr(s.lang(), Str::LoginToJoin), "join_login", out, ImVec2(width, 44)))
            out.events.push_back(core::ev::RequestJoin{""});
    } else {
        if (button(tr(s.lang(), Str::Apply), "join_apply", out, ImVec2(width, 44)))
            out.prompts.push_back(Prompt{"reason", tr(s.lang(), Str::ReasonTitle), "", 500});
    }
    if (!s.notice().empty() && !card.pending) {
        fonts_.note(s.notice());
        ImGui::SetCursorPosX(x);
        ImGui::PushTextWrapPos(x + width);
        ImGui::TextColored(ImVec4(0.86f, 0.2f, 0.2f, 1), "%s", s.notice().c_str());
        ImGui::PopTextWrapPos();
    }
}

void ChatUi::group_info_view(const core::Session& s, Output& out) {
    const auto* c = s.open_conversation();
    if (!c) return;
    const auto lang = s.lang();
    const ImVec2 disp = ImGui::GetIO().DisplaySize;
    const bool owner = c->owner_id == s.user().id;
    const auto& qr = s.group_qr();
    const auto& g = s.group_detail();
    ImGui::BeginChild("info", ImVec2(0, 0));
    const float width = ImGui::GetContentRegionAvail().x, pad = 16;
    ImGui::Dummy(ImVec2(width, 8));
    qr_block(s, qr, Str::ScanToJoin, out);
    ImGui::SetCursorPos(ImVec2(pad, ImGui::GetCursorPosY() + 8));
    const std::string& remark = g.remark;
    fonts_.note(remark);
    label(tr(lang, Str::Announcement));
    ImGui::SetCursorPosX(pad);
    ImGui::PushTextWrapPos(width - pad);
    ImGui::TextUnformatted(remark.empty() ? "-" : remark.c_str());
    ImGui::PopTextWrapPos();
    // Members.
    ImGui::SetCursorPos(ImVec2(pad, ImGui::GetCursorPosY() + 8));
    label(std::string(tr(lang, Str::Members2)) + " (" + std::to_string(c->member_count) + ")");
    for (const auto& m : g.members) {
        const int64_t uid = m.user_id;
        const std::string name = m.display_name();
        std::string label = name;
        if (m.role == protocol::Role::Owner) label += std::string("  · ") + tr(lang, Str::Owner);
        if (m.status == protocol::MemberStatus::Muted) label += std::string("  · ") + tr(lang, Str::Muted);
        if (m.status == protocol::MemberStatus::Pending) label += std::string("  · ") + tr(lang, Str::PendingMember);
        fonts_.note(label);
        ImGui::PushID(static_cast<int>(uid));
        ImGui::SetCursorPosX(pad);
        if (ImGui::Selectable(label.c_str(), false, 0, ImVec2(width - 2 * pad, 36)) && uid != s.user().id) {
            menu_member_ = uid;
            menu_member_name_ = name;
            ImGui::OpenPopup("##membermenu");
        }
        target(("member:" + std::to_string(uid)).c_str(), out);
        if (menu_member_ == uid) member_menu(s, out);
        ImGui::PopID();
    }
    // Actions.
    ImGui::SetCursorPos(ImVec2(pad, ImGui::GetCursorPosY() + 12));
    const ImVec2 full(width - 2 * pad, 40);
    if (c->status == 1 && c->my_status != -1) {
        if (owner) {
            if (button(tr(lang, Str::Rename), "rename", out, full))
                out.prompts.push_back(Prompt{"rename", tr(lang, Str::Rename), c->title, 30});
            ImGui::SetCursorPosX(pad);
            if (button(tr(lang, Str::EditRemark), "remark", out, full))
                out.prompts.push_back(Prompt{"remark", tr(lang, Str::EditRemark), remark, 500});
            ImGui::SetCursorPosX(pad);
            label(tr(lang, Str::JoinPolicy));
            const int policy = static_cast<int>(g.policy);
            for (int i = 0; i < 3; ++i) {
                const char* label = tr(lang, i == 0 ? Str::Policy0 : i == 1 ? Str::Policy1 : Str::Policy2);
                fonts_.note(label);
                ImGui::SetCursorPosX(pad);
                if (ImGui::RadioButton(label, policy == i) && policy != i)
                    out.events.push_back(core::ev::GroupAction{"policy", 0, "", i});
                target(("policy:" + std::to_string(i)).c_str(), out);
            }
        } else {
            if (button(tr(lang, Str::MyGroupNick), "group_nickname", out, full))
                out.prompts.push_back(Prompt{"nickname", tr(lang, Str::MyGroupNick), "", 20});
        }
        ImGui::SetCursorPos(ImVec2(pad, ImGui::GetCursorPosY() + 8));
        ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.9f, 0.3f, 0.3f, 1));
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1, 1, 1, 1));
        if (button(tr(lang, owner ? Str::Dissolve : Str::Quit), owner ? "dissolve" : "quit", out, full))
            out.events.push_back(core::ev::GroupAction{"quit", 0, "", 0});
        ImGui::PopStyleColor(2);
    }
    if (!s.notice().empty()) {
        fonts_.note(s.notice());
        ImGui::SetCursorPosX(pad);
        ImGui::PushTextWrapPos(width - pad);
        ImGui::TextDisabled("%s", s.notice().c_str());
        ImGui::PopTextWrapPos();
    }
    ImGui::Dummy(ImVec2(width, 24));
    ImGui::EndChild();
}

// A QR code drawn from the server's module matrix, its caption, link and "copy link".
void ChatUi::qr_block(const core::Session& s, const core::Qr& qr, Str caption, Output& out) {
    if (qr.size <= 0) return;
    const float width = ImGui::GetContentRegionAvail().x, pad = 16;
    const float side = std::min(width - 2 * pad, 240.0f), quiet = 4;
    const float cell = std::floor(side / (qr.size + 2 * quiet));
    const float total = cell * (qr.size + 2 * quiet);
    ImGui::SetCursorPosX((width - total) / 2);
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + total, p.y + total), IM_COL32_WHITE);
    for (int y = 0; y < qr.size && y < static_cast<int>(qr.rows.size()); ++y)
        for (int x = 0; x < qr.size && x < static_cast<int>(qr.rows[y].size()); ++x)
            if (qr.rows[y][x] == '1') {
                const ImVec2 a(p.x + (x + quiet) * cell, p.y + (y + quiet) * cell);
                dl->AddRectFilled(a, ImVec2(a.x + cell, a.y + cell), IM_COL32_BLACK);
            }
    ImGui::Dummy(ImVec2(total, total));
    target("qr", out);
    const char* cap = tr(s.lang(), caption);
    fonts_.note(cap);
    ImGui::SetCursorPosX((width - ImGui::CalcTextSize(cap).x) / 2);
    ImGui::TextDisabled("%s", cap);
    ImGui::SetCursorPosX(pad);
    ImGui::PushTextWrapPos(width - pad);
    if (s.page_is_localhost()) {   // the reference's trap: a phone cannot open localhost
        const char* warn = tr(s.lang(), Str::LocalhostWarning);
        fonts_.note(warn);
        ImGui::TextColored(ImVec4(0.8f, 0.45f, 0, 1), "%s", warn);
        ImGui::SetCursorPosX(pad);
    }
    ImGui::TextUnformatted(qr.url.c_str());
    ImGui::PopTextWrapPos();
    ImGui::SetCursorPosX(pad);
    if (button(tr(s.lang(), Str::CopyLink), "copy_link", out)) out.copy_text = qr.url;
}

void ChatUi::member_menu(const core::Session& s, Output& out) {
    if (!ImGui::BeginPopup("##membermenu")) return;
    const auto lang = s.lang();
    const auto* c = s.open_conversation();
    const bool owner = c && c->owner_id == s.user().id;
    const auto* mm = s.group_detail().member(menu_member_);
    const int status = mm ? static_cast<int>(mm->status) : 1;
    auto item = [&](Str label, const char* id) {
        const char* t = tr(lang, label);
        fonts_.note(t);
        const bool hit = ImGui::Selectable(t, false, 0, ImVec2(160, 36));
        target(id, out);
        return hit;
    };
    if (status != 2 && item(Str::DirectMessage, "member:dm"))
        out.events.push_back(core::ev::OpenConversation{{"single", menu_member_}, menu_member_name_});
    if (owner && status == 2) {
        if (item(Str::Approve, "member:approve")) out.events.push_back(core::ev::GroupAction{"approve", menu_member_, "", 0});
        if (item(Str::Reject, "member:reject")) out.events.push_back(core::ev::GroupAction{"reject", menu_member_, "", 0});
    }
    if (owner && status != 2) {
        if (status == 0 ? item(Str::Unmute, "member:unmute") : item(Str::Mute, "member:mute"))
            out.events.push_back(core::ev::GroupAction{status == 0 ? "unmute" : "mute", menu_member_, "", 0});
        if (item(Str::Remove, "member:remove")) out.events.push_back(core::ev::GroupAction{"remove", menu_member_, "", 0});
    }
    ImGui::EndPopup();
}

void ChatUi::settings_view(const core::Session& s, Output& out) {
    const auto lang = s.lang();
    const ImVec2 disp = ImGui::GetIO().DisplaySize;
    const float pad = 16, width = disp.x - 2 * pad;
    ImGui::BeginChild("settings", ImVec2(0, 0));
    ImGui::SetCursorPos(ImVec2(pad, ImGui::GetCursorPosY() + 16));
    const std::string name = s.user().display_name();
    fonts_.note(name);
    label(tr(lang, Str::Nickname));
    ImGui::SetCursorPosX(pad);
    if (button((name + "  >").c_str(), "nickname", out, ImVec2(width, 40)))
        out.prompts.push_back(Prompt{"mynick", tr(lang, Str::Nickname), s.user().nickname, 20});
    if (s.user().role == "user") {
        ImGui::SetCursorPos(ImVec2(pad, ImGui::GetCursorPosY() + 12));
        label(tr(lang, Str::GuestsMayMessage));
        for (int i = 0; i < 3; ++i) {
            const char* label = tr(lang, i == 0 ? Str::SendCount0 : i == 1 ? Str::SendCount1 : Str::SendCount2);
            fonts_.note(label);
            ImGui::SetCursorPosX(pad);
            if (ImGui::RadioButton(label, s.guest_send_count() == i) && s.guest_send_count() != i)
                out.events.push_back(core::ev::SaveSettings{s.user().nickname, i, ""});
            target(("sendcount:" + std::to_string(i)).c_str(), out);
        }
    }
    ImGui::SetCursorPos(ImVec2(pad, ImGui::GetCursorPosY() + 12));
    label(tr(lang, Str::Language));
    ImGui::SetCursorPosX(pad);
    fonts_.note("中文");
    if (ImGui::RadioButton("中文", lang == core::Lang::ZhCN) && lang != core::Lang::ZhCN)
        out.events.push_back(core::ev::SaveSettings{s.user().nickname, -1, "zh-CN"});
    target("lang:zh", out);
    ImGui::SameLine();
    if (ImGui::RadioButton("English", lang == core::Lang::En) && lang != core::Lang::En)
        out.events.push_back(core::ev::SaveSettings{s.user().nickname, -1, "en"});
    target("lang:en", out);
    if (!s.notice().empty()) {
        fonts_.note(s.notice());
        ImGui::SetCursorPosX(pad);
        ImGui::TextColored(ImVec4(0.86f, 0.2f, 0.2f, 1), "%s", s.notice().c_str());
    }
    ImGui::SetCursorPos(ImVec2(pad, ImGui::GetCursorPosY() + 16));
    label(tr(lang, Str::MyQr));
    qr_block(s, s.group_qr(), Str::ScanToAdd, out);
    ImGui::Dummy(ImVec2(width, 24));
    ImGui::EndChild();
}

void ChatUi::login_view(const core::Session& s, Output& out) {
    const ImVec2 disp = ImGui::GetIO().DisplaySize;
    const float margin = 24, width = std::min(disp.x - 2 * margin, 420.0f), x = (disp.x - width) / 2;
    ImGui::SetCursorPos(ImVec2(x, ImGui::GetCursorPosY() + 24));
    const char* hint = tr(s.lang(), Str::LoginHint);
    fonts_.note(hint);
    ImGui::PushTextWrapPos(x + width);
    ImGui::TextDisabled("%s", hint);
    ImGui::PopTextWrapPos();
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + 8);
    // The form itself is DOM (phone keyboards and IMEs need real inputs).
    const float form_h = 168;
    out.login_visible = true;
    out.login = Rect{x, ImGui::GetCursorPosY(), width, form_h};
    ImGui::Dummy(ImVec2(width, form_h));
    if (!s.notice().empty()) {
        fonts_.note(s.notice());
        ImGui::SetCursorPosX(x);
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.86f, 0.2f, 0.2f, 1));
        ImGui::PushTextWrapPos(x + width);
        ImGui::TextUnformatted(s.notice().c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
    }
}

void ChatUi::chat_view(const core::Session& s, Output& out) {
    const ImVec2 disp = ImGui::GetIO().DisplaySize;
    const float list_h = disp.y - ImGui::GetCursorPosY() - kComposerH;
    ImGui::BeginChild("messages", ImVec2(0, list_h), false, 0);
    const auto& msgs = s.open_messages();
    const float width = ImGui::GetContentRegionAvail().x;
    // Earlier messages load when the reader reaches the top; the view stays where it was.
    if (s.can_load_earlier()) {
        const char* label = tr(s.lang(), Str::LoadEarlier);
        fonts_.note(label);
        const ImVec2 ls = ImGui::CalcTextSize(label);
        ImGui::SetCursorPosX((width - ls.x) / 2);
        ImGui::TextDisabled("%s", label);
        if (ImGui::IsItemClicked() || (ImGui::GetScrollY() <= 0 && ImGui::GetScrollMaxY() > 0 && !s.loading_earlier()))
            out.events.push_back(core::ev::LoadEarlier{});
    }
    const int64_t first = msgs.empty() ? 0 : msgs.front().seq;
    if (anchor_max_ >= 0) {
        ImGui::SetScrollY(anchor_y_ + (ImGui::GetScrollMaxY() - anchor_max_));
        anchor_max_ = -1;
    }
    if (first != first_seq_ && first_seq_ > 0 && first < first_seq_) {
        anchor_max_ = ImGui::GetScrollMaxY();   // adjusted next frame, once the new height is known
        anchor_y_ = ImGui::GetScrollY();
        out.animating = true;
    }
    first_seq_ = first;
    // Variable-height rows, virtualised: heights are cached per message and only the
    // rows inside the visible window are laid out and drawn (ImGuiListClipper assumes
    // one fixed height).
    const float top = ImGui::GetCursorPosY() + 4;
    const Layout& lay = layout(s, width, top);
    const float view_top = ImGui::GetScrollY(), view_bottom = view_top + ImGui::GetWindowHeight();
    size_t i = std::upper_bound(lay.offsets.begin(), lay.offsets.end(), view_top) - lay.offsets.begin();
    i = i > 0 ? i - 1 : 0;
    for (; i < msgs.size() && lay.offsets[i] < view_bottom; ++i) draw_row(s, msgs[i], lay.offsets[i], width, out);
    ImGui::SetCursorPos(ImVec2(0, lay.total));
    ImGui::Dummy(ImVec2(width, 4));
    message_menu(s, out);
    // Follow new messages while the reader is at the bottom.
    const bool at_bottom = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 4;
    const std::string last_key = msgs.empty() ? "" : std::to_string(msgs.back().id) + msgs.back().client_msg_id;
    if (last_key != last_key_) {   // something new at the bottom (not an earlier page)
        if (stick_to_bottom_ || (!msgs.empty() && msgs.back().from_id == s.user().id)) {
            ImGui::SetScrollHereY(1.0f);
            out.animating = true;
        }
        if (!last_key_.empty() && !msgs.empty() && msgs.back().from_id != s.user().id) {
            const auto& m = msgs.back();
            out.announce.push_back(m.type == "systemNotice" ? m.data
                                   : m.from_name + ": " + (m.type == "image" ? std::string(tr(s.lang(), Str::Image)) : m.data));
        }
        last_key_ = last_key;
    } else if (list_h != last_list_h_ && stick_to_bottom_) {
        ImGui::SetScrollHereY(1.0f);   // the keyboard opened (or the window shrank): keep the last message in view
        out.animating = true;
    } else {
        stick_to_bottom_ = at_bottom;
    }
    last_list_h_ = list_h;
    ImGui::EndChild();
    if (s.can_send()) {
        out.composer_visible = true;
        out.composer = Rect{0, disp.y - kComposerH, disp.x, kComposerH};
        return;
    }
    // Read-only: say why where the composer would be.
    const auto* c = s.open_conversation();
    const char* why = !c || c->status != 1 ? tr(s.lang(), Str::Dissolved)
                    : c->my_status == 0    ? tr(s.lang(), Str::YouMuted)
                                           : tr(s.lang(), Str::NotMember);
    fonts_.note(why);
    const ImVec2 ts = ImGui::CalcTextSize(why);
    ImGui::SetCursorPos(ImVec2((disp.x - ts.x) / 2, disp.y - kComposerH + (kComposerH - ts.y) / 2));
    ImGui::TextDisabled("%s", why);
}

namespace {
constexpr float kPad = 10.0f;            // inside a bubble
constexpr float kRowGap = 8.0f;          // between rows
float max_bubble(float width) { return std::max(120.0f, width * 0.72f); }
std::string row_key(const core::Message& m) { return m.id ? "i" + std::to_string(m.id) : "c" + m.client_msg_id; }
}  // namespace

// A thumbnail's size in CSS pixels: the decoded image's, or a placeholder until then.
ImVec2 ChatUi::thumb_size(const std::string& url) const {
    auto it = images_.by_url.find(url);
    if (it == images_.by_url.end() || it->second.w <= 0) return ImVec2(160, 120);
    return ImVec2(it->second.w, it->second.h);
}

float ChatUi::row_height(const core::Session& s, const core::Message& m, float width) {
    const bool mine = m.from_id == s.user().id;
    RowCache& rc = rows_[row_key(m)];
    const int status = static_cast<int>(m.status);
    if (rc.width == width && rc.gen == fonts_.generation() && rc.isremove == m.isremove && rc.status == status &&
        rc.len == m.data.size() && rc.mine == mine)
        return rc.h;
    const float line = ImGui::GetTextLineHeight();
    float h = 0;
    if (m.type == "systemNotice") {
        h = ImGui::CalcTextSize(m.data.c_str(), nullptr, false, width - 40).y;
    } else if (m.type == "image" && !m.isremove) {
        if (!mine) h += line + 4;
        h += thumb_size(m.data).y + 2 * 4;
        if (mine && m.status != core::SendStatus::Sent) h += 4 + line;
        rc = RowCache{width, -2, m.isremove, status, m.data.size(), mine, h + kRowGap};   // not cached: size may arrive
        return rc.h;
    } else if (m.isremove) {
        h = line;
    } else {
        if (!mine) h += line + 4;
        h += ImGui::CalcTextSize(m.data.c_str(), nullptr, false, max_bubble(width) - 2 * kPad).y + 2 * kPad;
        if (mine && m.status != core::SendStatus::Sent) h += 4 + line;
    }
    rc = RowCache{width, fonts_.generation(), m.isremove, status, m.data.size(), mine, h + kRowGap};
    return rc.h;
}

const ChatUi::Layout& ChatUi::layout(const core::Session& s, float width, float top) {
    const auto& msgs = s.open_messages();
    const auto* conv = s.open_conversation();
    const uint64_t rev = s.store().revision();
    if (layout_.rev == rev && layout_.width == width && layout_.top == top && layout_.gen == fonts_.generation() &&
        layout_.images == images_.generation && layout_.count == msgs.size() && conv && layout_.conv == conv->key)
        return layout_;
    layout_.images = images_.generation;
    layout_.offsets.resize(msgs.size());
    float y = top;
    for (size_t i = 0; i < msgs.size(); ++i) {
        layout_.offsets[i] = y;
        y += row_height(s, msgs[i], width);
    }
    layout_.total = y;
    layout_.rev = rev;
    layout_.width = width;
    layout_.top = top;
    layout_.gen = fonts_.generation();
    layout_.count = msgs.size();
    if (conv) layout_.conv = conv->key;
    return layout_;
}

void ChatUi::draw_row(const core::Session& s, const core::Message& m, float y, float width, Output& out) {
    fonts_.note(m.data);
    const bool mine = m.from_id == s.user().id;
    if (m.type == "systemNotice") {
        const ImVec2 ts = ImGui::CalcTextSize(m.data.c_str(), nullptr, false, width - 40);
        ImGui::SetCursorPos(ImVec2((width - ts.x) / 2, y));
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kTextGrey));
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width - 40);
        ImGui::TextUnformatted(m.data.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
        return;
    }
    if (m.isremove) {
        const std::string t = mine ? tr(s.lang(), Str::YouRecalled) : m.from_name + tr(s.lang(), Str::RecalledBy);
        fonts_.note(t);
        ImGui::SetCursorPos(ImVec2((width - ImGui::CalcTextSize(t.c_str()).x) / 2, y));
        ImGui::TextDisabled("%s", t.c_str());
        return;
    }
    if (!mine) {
        fonts_.note(m.from_name);
        ImGui::SetCursorPos(ImVec2(12, y));
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(kTextGrey));
        ImGui::TextUnformatted(m.from_name.c_str());
        ImGui::PopStyleColor();
        y += ImGui::GetTextLineHeight() + 4;
    }
    const bool image = m.type == "image";
    const float wrap = max_bubble(width) - 2 * kPad;
    const ImVec2 ts = image ? thumb_size(m.data) : ImGui::CalcTextSize(m.data.c_str(), nullptr, false, wrap);
    const float ipad = image ? 4.0f : kPad;
    const float bw = ts.x + 2 * ipad, bh = ts.y + 2 * ipad;
    ImGui::SetCursorPos(ImVec2(mine ? width - bw - 12 : 12, y));
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p, ImVec2(p.x + bw, p.y + bh), mine ? kBubbleMine : kBubbleOther, 6.0f);
    if (image) {
        auto it = images_.by_url.find(m.data);
        if (it != images_.by_url.end() && it->second.tex) {
            dl->AddImage(it->second.tex, ImVec2(p.x + ipad, p.y + ipad), ImVec2(p.x + ipad + ts.x, p.y + ipad + ts.y));
        } else {
            if (!asked_[m.data]) { asked_[m.data] = true; out.load_images.push_back(m.data); }
            dl->AddRectFilled(ImVec2(p.x + ipad, p.y + ipad), ImVec2(p.x + ipad + ts.x, p.y + ipad + ts.y),
                              IM_COL32(220, 220, 220, 255), 4.0f);
        }
    } else {
        dl->AddText(nullptr, 0.0f, ImVec2(p.x + kPad, p.y + kPad), kTextDark, m.data.c_str(), nullptr, wrap);
    }
    ImGui::PushID(row_key(m).c_str());
    ImGui::InvisibleButton("bubble", ImVec2(bw, bh));
    ImGui::PopID();
    if (m.id > 0) target(("msg:" + std::to_string(m.id)).c_str(), out);
    if (image && ImGui::IsItemClicked() && ImGui::GetIO().MouseDragMaxDistanceSqr[0] < 100.0f) out.open_image = m.data;
    // Long-press (touch) or right-click opens the message menu.
    const bool long_press = ImGui::IsItemActive() && ImGui::GetIO().MouseDownDuration[0] > 0.5f &&
                            ImGui::GetIO().MouseDragMaxDistanceSqr[0] < 100.0f;
    if (m.id > 0 && (long_press || ImGui::IsItemClicked(ImGuiMouseButton_Right))) {
        menu_message_ = m.id;
        ImGui::OpenPopup("##msgmenu");
    }
    if (ImGui::IsItemActive()) out.animating = true;   // keep frames coming to time the press
    if (mine && m.status == core::SendStatus::Failed && ImGui::IsItemClicked())
        out.events.push_back(core::ev::RetrySend{m.client_msg_id});
    if (mine && m.status != core::SendStatus::Sent) {
        const char* st = tr(s.lang(), m.status == core::SendStatus::Pending ? Str::Pending : Str::TapToRetry);
        fonts_.note(st);
        ImGui::SetCursorPos(ImVec2(width - ImGui::CalcTextSize(st).x - 12, y + bh + 4));
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(
            m.status == core::SendStatus::Failed ? IM_COL32(220, 50, 50, 255) : kTextGrey));
        ImGui::TextUnformatted(st);
        ImGui::PopStyleColor();
    }
}

void ChatUi::message_menu(const core::Session& s, Output& out) {
    // Above the finger in the lower half, so the menu never hides under the composer.
    const ImVec2 at = ImGui::GetIO().MouseClickedPos[0].y > 0 ? ImGui::GetMousePos() : ImVec2(0, 0);
    const bool lower = at.y > ImGui::GetIO().DisplaySize.y / 2;
    ImGui::SetNextWindowPos(at, ImGuiCond_Appearing, ImVec2(at.x > ImGui::GetIO().DisplaySize.x / 2 ? 1.0f : 0.0f,
                                                            lower ? 1.0f : 0.0f));
    if (!ImGui::BeginPopup("##msgmenu")) return;
    const core::Message* m = nullptr;
    for (const auto& x : s.open_messages()) if (x.id == menu_message_) m = &x;
    if (m) {
        const char* copy = tr(s.lang(), Str::Copy);
        const char* recall = tr(s.lang(), Str::Recall);
        fonts_.note(copy);
        fonts_.note(recall);
        if (ImGui::Selectable(copy, false, 0, ImVec2(120, 36))) out.copy_text = m->data;
        target("menu:copy", out);
        if (s.can_recall(*m) && ImGui::Selectable(recall, false, 0, ImVec2(120, 36)))
            out.events.push_back(core::ev::Recall{m->id});
        if (s.can_recall(*m)) target("menu:recall", out);
    }
    ImGui::EndPopup();
}

}  // namespace imchat::ui
