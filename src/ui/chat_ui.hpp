// imchat::ui: the Dear ImGui views. Reads the session, returns commands; never
// talks to the browser. The composer itself is a DOM <textarea> that the
// platform lays over the rectangle this UI reserves (see Output::composer).
//
// ChatUi is the front: it builds the current screen's view model
// (view_models.hpp) and hands it to that screen's view, one file each:
//   top_bar, banner                  every screen
//   status_view                      loading, not found
//   join_view, list_view, login_view, settings_view, invite_view
//   group_info_view (+ member_menu)  group info
//   chat_view (+ message_list, message_row, message_menu)
//   modal_view                       over everything
// with theme (colours, style) and widgets (button + target, label, QR block).
#pragma once
#include <imgui.h>

#include <functional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/session.hpp"
#include "ui/chat_view.hpp"
#include "ui/fonts.hpp"
#include "ui/group_info_view.hpp"
#include "ui/output.hpp"

namespace imchat::ui {

class ChatUi {
public:
    ChatUi(Fonts& fonts, const Images& images) : fonts_(fonts), images_(images), chat_(images) {}
    void   apply_style();                   // the theme (theme.hpp)
    Output draw(const core::Session& s);    // between ImGui::NewFrame() and ImGui::Render()
    // The local time zone (local minus UTC, minutes) for time labels: the platform's.
    void   set_utc_offset(int minutes) { utc_offset_ = minutes; }
    // The zone's offset at a given time (ms), for the chat's separators across DST
    // changes (the web asks JS Date); unset: the fixed offset above.
    void   set_utc_offset_at(std::function<int(int64_t)> at) { offset_at_ = std::move(at); }
    // The platform's answer to a Prompt: the session events it means.
    std::vector<core::Event> on_prompt(const std::string& key, const std::string& text);
    // The open chat shows this message folded (a long text): the snapshot's messages[].collapsed.
    bool   collapsed(const core::Message& m) const { return chat_.collapsed(m); }
    // Textures were let go (image_cache.hpp): drawn again, they are asked for again.
    // draw() calls it when Images::evictions moved.
    void   forget_evicted();

private:
    Fonts&        fonts_;
    const Images& images_;
    std::unordered_map<std::string, bool> avatar_asked_;   // avatar images already asked to decode
    std::function<int(int64_t)> offset_at_;
    ChatView      chat_;                    // keeps scroll and row-height state across frames
    GroupInfoView group_info_;              // keeps the open member menu
    uint64_t      toast_seq_ = 0;           // the last notice shown as a toast
    core::Screen  last_screen_ = core::Screen::Loading;   // the screen drawn last frame
    uint64_t      seen_evictions_ = 0;      // Images::evictions when the asked lists were last pruned
    int           utc_offset_ = 0;
};

}  // namespace imchat::ui
