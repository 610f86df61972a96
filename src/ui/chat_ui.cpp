#include "ui/chat_ui.hpp"

#include "ui/banner.hpp"
#include "ui/image_cache.hpp"
#include "ui/invite_view.hpp"
#include "ui/join_view.hpp"
#include "ui/list_view.hpp"
#include "ui/login_view.hpp"
#include "ui/modal_view.hpp"
#include "ui/prompts.hpp"
#include "ui/settings_view.hpp"
#include "ui/status_view.hpp"
#include "ui/theme.hpp"
#include "ui/top_bar.hpp"
#include "ui/view_models.hpp"

namespace imchat::ui {

void ChatUi::apply_style() { theme::apply_style(); }

Output ChatUi::draw(const core::Session& s) {
    Output out;
    if (images_.evictions != seen_evictions_) {
        seen_evictions_ = images_.evictions;
        forget_evicted();
    }
    Frame f{fonts_, out, s.lang()};
    f.images = &images_;
    f.asked = &avatar_asked_;
    f.now = s.now();
    const int fixed = utc_offset_;
    f.utc_offset = offset_at_ ? offset_at_ : std::function<int(int64_t)>([fixed](int64_t) { return fixed; });
    ImGui::SetNextWindowPos(ImVec2(0, 0));
    ImGui::SetNextWindowSize(ImGui::GetIO().DisplaySize);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::Begin("imchat", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse);
    top_bar(f, top_bar_vm(s));
    banner(f, banner_vm(s));
    if (s.screen() == core::Screen::Chat && last_screen_ == core::Screen::List) chat_.opened();
    last_screen_ = s.screen();
    switch (s.screen()) {
        case core::Screen::Loading:   loading_view(f); break;
        case core::Screen::NotFound:  not_found_view(f); break;
        case core::Screen::Join:      join_view(f, join_vm(s)); break;
        case core::Screen::GroupInfo: if (auto vm = group_info_vm(s)) group_info_.draw(f, *vm); break;
        case core::Screen::Settings:  settings_view(f, settings_vm(s)); break;
        case core::Screen::List:      list_view(f, list_vm(s, utc_offset_)); break;
        case core::Screen::Chat:      chat_.draw(f, chat_vm(s)); break;
        case core::Screen::Login:     login_view(f, login_vm(s)); break;
        case core::Screen::Invite:    invite_view(f, invite_vm(s)); break;
    }
    if (auto vm = modal_vm(s)) modal_view(f, *vm);
    ImGui::End();
    ImGui::PopStyleVar();
    out.title = document_title(s);
    out.toast = toast_text(s, toast_seq_);
    return out;
}

void ChatUi::forget_evicted() {
    ui::forget_evicted(images_, avatar_asked_);
    chat_.forget_evicted();
}

std::vector<core::Event> ChatUi::on_prompt(const std::string& key, const std::string& text) {
    return prompt_events(key, text);
}

}  // namespace imchat::ui
