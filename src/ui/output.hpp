// imchat::ui output types: what one frame of the UI hands back to the platform
// (commands for the session, DOM overlays, prompts, named targets).
#pragma once
#include <imgui.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "core/session.hpp"

namespace imchat::ui {

struct Rect { float x = 0, y = 0, w = 0, h = 0; bool operator==(const Rect&) const = default; };

// Image thumbnails decoded by the platform (the browser) into textures; the least
// recently drawn are let go over a budget (image_cache.hpp).
struct Images {
    struct Entry {
        ImTextureID tex = nullptr;
        float       w = 0, h = 0;       // CSS px
        bool        failed = false;
        size_t      bytes = 0;          // the texture's size (RGBA at device pixels)
        uint64_t    used = 0;           // the last frame that drew it
    };
    std::unordered_map<std::string, Entry> by_url;
    int      generation = 0;   // bumps when one arrives (row heights change)
    uint64_t evictions = 0;    // bumps when textures were let go: views ask for them again
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

// A voice message to play in the page's <audio> element (a second tap on the playing one stops it).
struct PlayVoice { int64_t id = 0; std::string url; };

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
    std::string toast;                      // a new notice: show it over the page for a few seconds
    // What was drawn that tests check without pixels: "avatar:<id>:<initial>" (default)
    // or "avatar:<id>:img" (decoded image), "group-avatar:<id>:<faces>", "sep:<label>".
    std::vector<std::string> drawn;
    bool        pick_avatar = false;        // settings' "set avatar": open the image picker for it
    PlayVoice   play_voice;                 // id 0: nothing to play
    // Issue 13: a tapped file bubble downloads (an <a download> with its name); a video plays in a DOM <video>.
    std::string download_url, download_name;
    std::string play_video;                 // the video's URL
};

}  // namespace imchat::ui
