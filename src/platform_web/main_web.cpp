// imchat browser entry point: wires the core (Session + Runner) to the browser ports
// (web_ports.cpp), sets up WebGL2 and ImGui, and starts the frame loop.
//   web_app       the shared state, wake() and dispatch()
//   js_imports    what the app calls in the page (EM_JS)
//   exports       what the page calls in the app (imchat_*)
//   input         html5.h mouse/touch/wheel/key callbacks, resize, inertia
//   frame         the event-driven frame loop (ticks: web_app dispatch, next_deadline)
#include <emscripten.h>
#include <emscripten/html5.h>

#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include <memory>

#include "platform_web/frame.hpp"
#include "platform_web/glyphs.hpp"
#include "platform_web/input.hpp"
#include "platform_web/js_imports.hpp"
#include "platform_web/web_app.hpp"

using namespace imchat;

int main() {
    EmscriptenWebGLContextAttributes attr;
    emscripten_webgl_init_context_attributes(&attr);
    attr.majorVersion = 2;
    attr.alpha = false;
    attr.antialias = false;
    const auto ctx = emscripten_webgl_create_context("#canvas", &attr);
    if (ctx <= 0) {
        web::js::fatal("WebGL2 is not available in this browser.");
        return 1;
    }
    emscripten_webgl_make_context_current(ctx);

    web::App& a = web::app();
    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_IsTouchScreen | ImGuiConfigFlags_NavEnableKeyboard;
    for (int k = 0; k < ImGuiKey_COUNT; ++k) io.KeyMap[k] = k;   // KeysDown is indexed by ImGuiKey
    a.ui.apply_style();
    // The chat's time separators: the zone's offset at each message's own time (DST).
    a.ui.set_utc_offset_at([](int64_t ms) { return web::js::utc_offset_min_at(static_cast<double>(ms)); });
    ImGui_ImplOpenGL3_Init("#version 300 es");
    web::input::resize();
    web::input::install();

    static web::WebGlyphSource glyphs;   // the phone's own fonts; the subset TTF only without a CJK one
    a.fonts.set_source(&glyphs);
    a.fonts.set_system_fonts(web::js::system_cjk());
    a.session = std::make_unique<core::Session>([] { return web::crypto_random(); });
    a.runner = std::make_unique<core::Runner>(*a.session, a.socket, a.http, a.storage);
    a.runner->start(web::page_value("href"), web::page_value("origin"), web::page_value("lang"),
                    static_cast<int64_t>(web::now_ms()));
    web::dispatch(core::ev::Tick{static_cast<int64_t>(web::now_ms())});   // page strings, first timer
    web::wake();

    emscripten_set_main_loop(web::frame::run, 0, false);
    return 0;
}
