// imchat::ui: the Dear ImGui views. Reads the session, returns commands; never
// talks to the browser. The composer itself is a DOM <textarea> that the
// platform lays over the rectangle this UI reserves (see Output::composer).
#pragma once
#include <string>
#include <vector>

#include "core/session.hpp"
#include "ui/fonts.hpp"

namespace imchat::ui {

struct Rect { float x = 0, y = 0, w = 0, h = 0; bool operator==(const Rect&) const = default; };

struct Output {
    std::vector<core::Event> events;        // commands for the session (open chat, back, ...)
    bool        composer_visible = false;
    Rect        composer;                   // CSS pixels, where the DOM composer goes
    bool        login_visible = false;
    Rect        login;                      // where the DOM login form goes
    std::string title;                      // document.title
    bool        animating = false;          // wants another frame soon (scrolling)
};

class ChatUi {
public:
    explicit ChatUi(Fonts& fonts) : fonts_(fonts) {}
    void   apply_style();
    Output draw(const core::Session& s);    // between ImGui::NewFrame() and ImGui::Render()

private:
    void top_bar(const core::Session& s, Output& out);
    void banner(const core::Session& s, Output& out);
    void modal(const core::Session& s, Output& out);
    void chat_view(const core::Session& s, Output& out);
    void list_view(const core::Session& s, Output& out);
    void login_view(const core::Session& s, Output& out);
    void center_text(const char* text, const char* sub = nullptr);
    void text(const std::string& s);          // draws and notes glyphs

    Fonts&  fonts_;
    std::string last_key_;              // the bottom message; a change means "new message"
    bool    stick_to_bottom_ = true;
    int64_t first_seq_ = 0;             // first message held; changes when earlier ones load
    float   anchor_max_ = -1, anchor_y_ = 0;   // keeps the view still while earlier messages load
};

}  // namespace imchat::ui
