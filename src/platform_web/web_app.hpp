// imchat::web app state: the one client the page runs (session, ports, UI) and what
// the frame loop, the input callbacks and the exports share.
//   App        the state (one instance, app())
//   wake       draw `frames` more frames (rendering is event-driven)
//   dispatch   feed an event to the core; redraws and re-applies page strings as needed
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "core/i18n.hpp"
#include "core/platform.hpp"
#include "platform_web/web_ports.hpp"
#include "ui/chat_ui.hpp"
#include "ui/fonts.hpp"
#include "ui/image_cache.hpp"

namespace imchat::web {

void dispatch(const core::Event& e);

// Frame CPU time, for bench/ (window.imchat.perf()): `ui` is our code (events, layout,
// ImGui draw lists); `total` adds the GL submission, which under headless SwiftShader
// is software rasterisation, not what a phone's GPU driver costs.
struct Perf {
    int                frames = 0;
    double             total_ms = 0, max_ms = 0, ui_ms = 0;
    std::vector<float> samples;                    // ui ms per frame (for the p95)
};

struct App {
    std::unique_ptr<core::Session> session;
    std::unique_ptr<core::Runner>  runner;
    WebSocketPort                  socket{dispatch};
    FetchHttp                      http;
    LocalStorage                   storage;
    ui::Fonts                      fonts;
    ui::Images                     images;
    ui::ChatUi                     ui{fonts, images};
    int                            dirty = 2;               // frames still to draw
    uint64_t                       frame_no = 0;            // frames drawn (the texture budget's clock)
    size_t                         image_budget = ui::kImageBudgetBytes;   // textures over it go (LRU)
    float                          ratio = 1;               // devicePixelRatio (>= 1)
    std::vector<ui::Target>        targets;                 // the last frame's named controls
    std::vector<std::string>       drawn;                   // the last frame's avatars and separators (tests)
    std::string                    reply;                   // JSON handed to the page; valid until the next call
    Perf                           perf;
    int                            strings_lang = -1;       // core::Lang the page strings were applied for
};

App&        app();
void        wake(int frames = 2);
void        sync_page_strings();                           // tell the page when the core's language changed
std::string page_strings_json();                           // {key: text} in the core's language

}  // namespace imchat::web
