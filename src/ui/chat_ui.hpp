// imchat::ui: the Dear ImGui views. Reads the session, returns commands; never
// talks to the browser. The composer itself is a DOM <textarea> that the
// platform lays over the rectangle this UI reserves (see Output::composer).
#pragma once
#include <imgui.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "core/session.hpp"
#include "ui/fonts.hpp"

namespace imchat::ui {

struct Rect { float x = 0, y = 0, w = 0, h = 0; bool operator==(const Rect&) const = default; };

// Image thumbnails decoded by the platform (the browser) into textures.
struct Images {
    struct Entry { ImTextureID tex = nullptr; float w = 0, h = 0; bool failed = false; };   // w, h: CSS px
    std::unordered_map<std::string, Entry> by_url;
    int generation = 0;   // bumps when one arrives (row heights change)
};

// A text the platform asks for with a real DOM field (phone keyboards, IME);
// the answer comes back through ChatUi::on_prompt(key, text).
struct Prompt {
    std::string key;                        // "rename", "remark", "nickname", "reason", "create", "mynick"
    std::string title;
    std::string initial;
    int         max_chars = 30;
};

// Where a named control was drawn (CSS pixels): tests tap them, and they are the
// hook for an accessibility mirror.
struct Target { std::string id; Rect rect; };

struct Output {
    std::vector<core::Event> events;        // commands for the session (open chat, back, ...)
    bool        composer_visible = false;
    Rect        composer;                   // CSS pixels, where the DOM composer goes
    bool        login_visible = false;
    Rect        login;                      // where the DOM login form goes
    std::string title;                      // document.title
    bool        animating = false;          // wants another frame soon (scrolling)
    std::vector<Prompt> prompts;            // ask the platform for these texts
    std::string copy_text;                  // put this on the clipboard
    std::vector<Target> targets;
    std::vector<std::string> announce;      // new messages for the screen-reader mirror (aria-live)
    std::vector<std::string> load_images;   // thumbnails to decode (URLs)
    std::string open_image;                 // show this image full size
};

class ChatUi {
public:
    ChatUi(Fonts& fonts, const Images& images) : fonts_(fonts), images_(images) {}
    void   apply_style();
    Output draw(const core::Session& s);    // between ImGui::NewFrame() and ImGui::Render()
    // The platform's answer to a Prompt: the session events it means.
    std::vector<core::Event> on_prompt(const std::string& key, const std::string& text);

private:
    void top_bar(const core::Session& s, Output& out);
    void banner(const core::Session& s, Output& out);
    void modal(const core::Session& s, Output& out);
    void chat_view(const core::Session& s, Output& out);
    void list_view(const core::Session& s, Output& out);
    void login_view(const core::Session& s, Output& out);
    void join_view(const core::Session& s, Output& out);
    void group_info_view(const core::Session& s, Output& out);
    void settings_view(const core::Session& s, Output& out);
    void message_menu(const core::Session& s, Output& out);
    void member_menu(const core::Session& s, Output& out);
    struct RowCache { float width = -1; int gen = -1; int isremove = 0; int status = 0; size_t len = 0; bool mine = false; float h = 0; };
    struct Layout {
        std::vector<float>    offsets;     // top of each row, content coordinates
        float                 total = 0;   // content height
        uint64_t              rev = ~0ull;
        float                 width = -1, top = -1;
        int                   gen = -1, images = -1;
        size_t                count = 0;
        core::ConversationKey conv;
    };
    ImVec2        thumb_size(const std::string& url) const;
    float         row_height(const core::Session& s, const core::Message& m, float width);
    const Layout& layout(const core::Session& s, float width, float top);
    void          draw_row(const core::Session& s, const core::Message& m, float y, float width, Output& out);
    void qr_block(const core::Session& s, const core::Qr& qr, core::Str caption, Output& out);
    bool button(const char* label, const char* id, Output& out, ImVec2 size = ImVec2(0, 0));   // + target
    void target(const char* id, Output& out);                                                 // last item
    void center_text(const char* text, const char* sub = nullptr);
    void label(const std::string& s);         // greyed, glyphs noted

    Fonts&  fonts_;
    const Images& images_;
    std::unordered_map<std::string, bool> asked_;   // thumbnails already requested
    std::string last_key_;              // the bottom message; a change means "new message"
    bool    stick_to_bottom_ = true;
    int64_t first_seq_ = 0;             // first message held; changes when earlier ones load
    float   anchor_max_ = -1, anchor_y_ = 0;   // keeps the view still while earlier messages load
    int64_t menu_message_ = 0;          // message whose menu is open
    int64_t menu_member_ = 0;           // member whose menu is open (group info)
    std::string menu_member_name_;     // the name of the member whose menu is open
    std::unordered_map<std::string, RowCache> rows_;   // measured message heights
    Layout      layout_;
    float       last_list_h_ = 0;       // the list shrinks when a phone keyboard opens
};

}  // namespace imchat::ui
