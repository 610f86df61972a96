#include "ui/list_view.hpp"

namespace imchat::ui {

void list_view(Frame& f, const ListVm& vm) {
    if (vm.can_create) {
        ImGui::SetCursorPos(ImVec2(12, ImGui::GetCursorPosY() + 8));
        if (button(f, f.tr(core::Str::CreateGroup), "create_group"))
            f.out.prompts.push_back(Prompt{"create", f.tr(core::Str::GroupName), "", 30});
    }
    if (vm.rows.empty()) { center_text(f, f.tr(core::Str::NoConversations)); return; }
    ImGui::BeginChild("list", ImVec2(0, 0));
    for (const core::Conversation* c : vm.rows) {
        std::string text = c->title.empty() ? "#" + std::to_string(c->key.id) : c->title;
        if (c->unread > 0) text += "  (" + std::to_string(c->unread) + ")";
        f.fonts.note(text);
        ImGui::PushID(static_cast<int>(c->key.id));
        if (ImGui::Selectable(text.c_str(), false, 0, ImVec2(0, 44)))
            f.out.events.push_back(core::ev::OpenConversation{c->key, ""});
        target(f, "conv:" + c->key.chat_type + ":" + std::to_string(c->key.id));
        ImGui::PopID();
        ImGui::Separator();
    }
    ImGui::EndChild();
}

}  // namespace imchat::ui
