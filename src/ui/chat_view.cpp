#include "ui/chat_view.hpp"

#include "ui/message_menu.hpp"
#include "ui/media_row.hpp"
#include "ui/emoji_sticker.hpp"
#include "ui/image_cache.hpp"
#include "ui/message_row.hpp"
#include "ui/theme.hpp"

namespace imchat::ui {

void ChatView::draw(Frame& f, const ChatVm& vm) {
    const ImVec2 disp = ImGui::GetIO().DisplaySize;
    const float list_h = disp.y - ImGui::GetCursorPosY() - theme::kComposerH;
    ImGui::BeginChild("messages", ImVec2(0, list_h), false, 0);
    messages(f, vm, list_h);
    ImGui::EndChild();
    composer(f, vm);
}

void ChatView::forget_evicted() { ui::forget_evicted(images_, asked_); }

void ChatView::messages(Frame& f, const ChatVm& vm, float list_h) {
    const auto msgs = vm.messages;
    const float width = ImGui::GetContentRegionAvail().x;
    // Earlier messages load when the reader reaches the top; the view stays where it was.
    if (vm.can_load_earlier) {
        const char* text = f.tr(core::Str::LoadEarlier);
        f.fonts.note(text);
        const ImVec2 ls = ImGui::CalcTextSize(text);
        ImGui::SetCursorPosX((width - ls.x) / 2);
        ImGui::TextDisabled("%s", text);
        if (ImGui::IsItemClicked() || (ImGui::GetScrollY() <= 0 && ImGui::GetScrollMaxY() > 0 && !vm.loading_earlier))
            f.out.events.push_back(core::ev::LoadEarlier{});
    }
    const int64_t first = msgs.empty() ? 0 : msgs.front().seq;
    if (anchor_max_ >= 0) {
        ImGui::SetScrollY(anchor_y_ + (ImGui::GetScrollMaxY() - anchor_max_));
        anchor_max_ = -1;
    }
    if (first != first_seq_ && first_seq_ > 0 && first < first_seq_) {
        anchor_max_ = ImGui::GetScrollMaxY();   // adjusted next frame, once the new height is known
        anchor_y_ = ImGui::GetScrollY();
        f.out.animating = true;
    }
    first_seq_ = first;
    // Only the rows inside the visible window are laid out and drawn.
    const float top = ImGui::GetCursorPosY() + 4;
    const float sep_h = separator_h();
    folds_.begin_frame(list_h, f.fonts.generation());
    MessageList::Key key{vm.revision, width, top, f.fonts.generation(), images_.generation, msgs.size(), std::nullopt,
                         sep_h, folds_.generation()};
    if (vm.conv) key.conv = vm.conv->key;
    list_.update(msgs, vm.me, key,
                 [&](const core::Message& m, bool mine) {
                     const core::MediaUpload* up = mine && vm.upload_of ? vm.upload_of(m) : nullptr;
                     const std::string* src = m.type == "image" ? &image_src(images_, m, up, mine ? &previews_ : nullptr) : nullptr;
                     return measure_row(images_, m, mine, width, f.lang, vm.send_error ? vm.send_error(m) : nullptr,
                                        &folds_, src);
                 });
    const auto& offsets = list_.offsets();
    const float view_top = ImGui::GetScrollY(), view_bottom = view_top + ImGui::GetWindowHeight();
    RowEnv env{images_, asked_, vm.media, vm.me, vm.upload_of ? &vm.upload_of : nullptr, &folds_, &previews_};
    for (size_t i = list_.first_visible(view_top); i < msgs.size() && offsets[i] < view_bottom; ++i) {
        const core::SendError* err = vm.send_error ? vm.send_error(msgs[i]) : nullptr;
        float y = offsets[i];
        if (list_.separated(i)) {
            draw_separator(f, msgs[i].create_time, y, width);
            y += sep_h;
        }
        if (draw_row(f, env, msgs[i], msgs[i].from_id == vm.me, y, width, err)) {
            menu_message_ = msgs[i].id;
            ImGui::OpenPopup(kMessageMenu);
        }
    }
    ImGui::SetCursorPos(ImVec2(0, list_.total()));
    ImGui::Dummy(ImVec2(width, 4));
    message_menu(f, vm, menu_message_);
    // Opened from the list: at the newest messages (two frames: the second once ImGui
    // knows the content's height).
    if (open_frames_ > 0) {
        --open_frames_;
        ImGui::SetScrollHereY(1.0f);
        stick_to_bottom_ = true;
        f.out.animating = true;
    }
    // Follow new messages while the reader is at the bottom.
    const bool at_bottom = ImGui::GetScrollY() >= ImGui::GetScrollMaxY() - 4;
    const std::string last_key = msgs.empty() ? "" : std::to_string(msgs.back().id) + msgs.back().client_msg_id;
    if (last_key != last_key_) {   // something new at the bottom (not an earlier page)
        if (stick_to_bottom_ || (!msgs.empty() && msgs.back().from_id == vm.me)) {
            ImGui::SetScrollHereY(1.0f);
            f.out.animating = true;
        }
        if (!last_key_.empty() && !msgs.empty() && msgs.back().from_id != vm.me) {
            const auto& m = msgs.back();
            f.out.announce.push_back(utf8_prefix(
                m.type == "systemNotice" ? m.data
                : utf8_prefix(m.from_name, 100) + ": " + (m.type == "image"   ? std::string(f.tr(core::Str::Image))
                                                          : m.type == "audio" ? std::string(f.tr(core::Str::AudioMsg))
                                                          : is_media(m)       ? media_announcement(f.lang, m)
                                                          : is_sticker(m)     ? std::string(f.tr(core::Str::Sticker))
                                                                              : utf8_prefix(m.data, 500)),
                600));   // a screen reader reads the start of a long text
        }
        last_key_ = last_key;
    } else if ((list_h != last_list_h_ || (list_.total() != last_total_ && folds_.toggles() == last_toggles_)) &&
               stick_to_bottom_) {
        // The keyboard opened (or the window shrank), or rows grew (glyphs drawn; not the
        // reader expanding a text, which stays where it is read): keep the last message in view.
        ImGui::SetScrollHereY(1.0f);
        f.out.animating = true;
    } else {
        stick_to_bottom_ = at_bottom;
    }
    // Rows changed height: ImGui learns the new content height at the end of this frame and
    // clamps the scroll to it in the next, so draw that frame too (an idle page would keep
    // showing the list scrolled past its end).
    if (list_.total() != last_total_) f.out.animating = true;
    last_list_h_ = list_h;
    last_total_ = list_.total();
    last_toggles_ = folds_.toggles();
}

void ChatView::composer(Frame& f, const ChatVm& vm) {
    const ImVec2 disp = ImGui::GetIO().DisplaySize;
    if (vm.can_send) {
        f.out.composer_visible = true;
        f.out.composer = Rect{0, disp.y - theme::kComposerH, disp.x, theme::kComposerH};
        return;
    }
    // Read-only: say why where the composer would be.
    const char* why = f.tr(vm.why == ReadOnly::Dissolved ? core::Str::Dissolved
                           : vm.why == ReadOnly::Muted   ? core::Str::YouMuted
                                                         : core::Str::NotMember);
    f.fonts.note(why);
    const ImVec2 ts = ImGui::CalcTextSize(why);
    ImGui::SetCursorPos(ImVec2((disp.x - ts.x) / 2, disp.y - theme::kComposerH + (theme::kComposerH - ts.y) / 2));
    ImGui::TextDisabled("%s", why);
}

}  // namespace imchat::ui
