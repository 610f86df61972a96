// imchat browser entry point: wires the core (Session + Runner) to the browser
// ports (web_ports.cpp), runs the ImGui frame loop and feeds input. Input reaches ImGui from html5.h
// callbacks (not Emscripten's GLFW: its touch and key handling is unreliable
// in 3.1.6). Rendering is event-driven: no frame is drawn while nothing changes.
//
// Sections:
//   [SECTION] JS imports (EM_JS): page-side helpers (composer, title)
//   [SECTION] state
//   [SECTION] exports called from the page (imchat_*)
//   [SECTION] input and resize callbacks
//   [SECTION] frame loop and main
#include <emscripten.h>
#include <emscripten/eventloop.h>
#include <emscripten/html5.h>
#include <GLES3/gl3.h>

#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>
#include <memory>
#include <string>

#include "core/platform.hpp"
#include "platform_web/web_ports.hpp"
#include "ui/chat_ui.hpp"
#include "ui/fonts.hpp"

using namespace imchat;

// [SECTION] JS imports --------------------------------------------------------------------

EM_JS(void, js_set_composer, (float x, float y, float w, float h, int visible), {
    if (window.imchatPage) window.imchatPage.placeComposer(x, y, w, h, !!visible);
});
EM_JS(void, js_set_login, (float x, float y, float w, float h, int visible), {
    if (window.imchatPage) window.imchatPage.placeLogin(x, y, w, h, !!visible);
});
EM_JS(void, js_set_title, (const char* t), { document.title = UTF8ToString(t); });
EM_JS(void, js_prompt, (const char* key, const char* title, const char* initial, int max_chars), {
    if (window.imchatPage) window.imchatPage.prompt(UTF8ToString(key), UTF8ToString(title), UTF8ToString(initial), max_chars);
});
EM_JS(void, js_copy, (const char* text), { if (window.imchatPage) window.imchatPage.copy(UTF8ToString(text)); });
// Draws a codepoint the UI font lacks with the browser's fonts (rare hanzi, emoji) and
// returns its alpha channel: the atlas keeps shapes, drawn in the text colour.
EM_JS(void, js_raster_glyph, (unsigned cp, int w, int h, float px, unsigned char* out), {
    const c = window.imchatGlyphCanvas || (window.imchatGlyphCanvas = document.createElement("canvas"));
    c.width = w; c.height = h;
    const g = c.getContext("2d", {willReadFrequently: true});
    g.clearRect(0, 0, w, h);
    g.fillStyle = "#fff";
    g.textBaseline = "top";
    g.font = Math.round(px) + "px sans-serif";
    g.fillText(String.fromCodePoint(cp), 0, Math.round(px * 0.05));
    const d = g.getImageData(0, 0, w, h).data;
    for (let i = 0; i < w * h; i++) HEAPU8[out + i] = d[i * 4 + 3];
});
// Decodes an image with the browser, scales it to a thumbnail (at most 200 CSS px a
// side, at device pixels) and hands the RGBA pixels back through imchat_image_ready.
EM_JS(void, js_load_image, (const char* url_c, float ratio), {
    const url = UTF8ToString(url_c);
    const abs = (window.IMCHAT_SERVER || "") + url;
    const img = new Image();
    const done = (cw, ch, pw, ph, data) => {
        const n = lengthBytesUTF8(url) + 1, up = _malloc(n);
        stringToUTF8(url, up, n);
        let p = 0;
        if (data) { p = _malloc(data.length); HEAPU8.set(data, p); }
        Module._imchat_image_ready(up, cw, ch, pw, ph, p);
        _free(up);
        if (p) _free(p);
    };
    img.onload = () => {
        const k = Math.min(1, 200 / Math.max(img.naturalWidth, img.naturalHeight));
        const cw = Math.max(1, Math.round(img.naturalWidth * k)), ch = Math.max(1, Math.round(img.naturalHeight * k));
        const pw = Math.round(cw * ratio), ph = Math.round(ch * ratio);
        const c = document.createElement("canvas");
        c.width = pw; c.height = ph;
        const g = c.getContext("2d");
        g.drawImage(img, 0, 0, pw, ph);
        done(cw, ch, pw, ph, g.getImageData(0, 0, pw, ph).data);
    };
    img.onerror = () => done(0, 0, 0, 0, null);
    img.src = abs;
});
EM_JS(void, js_open_image, (const char* url), { if (window.imchatPage) window.imchatPage.openImage(UTF8ToString(url)); });
EM_JS(void, js_announce, (const char* text), { if (window.imchatPage) window.imchatPage.announce(UTF8ToString(text)); });
EM_JS(void, js_first_frame, (), { if (window.imchatPage) window.imchatPage.firstFrame(); });

// [SECTION] state ------------------------------------------------------------------------

namespace {

int  g_dirty = 2;   // frames still to draw
void dispatch(const core::Event& e);
void resize();

std::unique_ptr<core::Session> g_session;
std::unique_ptr<core::Runner>  g_runner;
web::WebSocketPort        g_socket(dispatch);
web::FetchHttp            g_http;
web::LocalStorage         g_storage;
ui::Fonts                 g_fonts;
ui::Images                g_images;
ui::ChatUi                g_ui(g_fonts, g_images);
long                      g_tick_timeout = 0;   // the pending Tick timeout (0: none)
float                     g_ratio = 1;
ui::Rect                  g_composer_rect, g_login_rect;
bool                      g_composer_visible = false, g_login_visible = false;
std::string               g_title;
std::vector<ui::Target>   g_targets;       // the last frame's named controls (serialised on request)
std::string               g_reply;         // JSON handed to the page; valid until the next call
// Frame CPU time, for bench/ (window.imchat.perf()): `ui` is our code (events, layout,
// ImGui draw lists); `total` adds the GL submission, which under headless SwiftShader
// is software rasterisation, not what a phone's GPU driver costs.
struct Perf { int frames = 0; double total_ms = 0, max_ms = 0, ui_ms = 0; std::vector<float> samples; } g_perf;
bool                      g_first_frame_done = false;

void wake(int frames = 2) { g_dirty = std::max(g_dirty, frames); }
// Ticks: the session says when it next needs one (next_deadline); we sleep until
// then, re-armed after every dispatch. Every other event is preceded by a Tick, so
// the session's clock is current when it acts on it.
void run(const core::Event& e) {
    g_runner->dispatch(e);
    if (g_session->changed()) wake();
}
void on_tick_timeout(void*);
void arm_tick() {
    if (g_tick_timeout) emscripten_clear_timeout(g_tick_timeout);
    g_tick_timeout = 0;
    const double now = web::now_ms();
    double at = static_cast<double>(g_runner->next_deadline());
    // The reconnect banner counts down on the session's clock: keep it moving.
    if (g_session->connection() != core::Conn::Online) at = std::min(at, now + 250);
    if (at > 9e15) return;   // nothing scheduled: the next event ticks
    g_tick_timeout = emscripten_set_timeout(on_tick_timeout, std::max(0.0, at - now), nullptr);
}
void on_tick_timeout(void*) {
    g_tick_timeout = 0;
    run(core::ev::Tick{static_cast<int64_t>(web::now_ms())});
    if (g_session->connection() != core::Conn::Online) wake(1);
    arm_tick();
}
void dispatch(const core::Event& e) {
    if (!std::holds_alternative<core::ev::Tick>(e)) run(core::ev::Tick{static_cast<int64_t>(web::now_ms())});
    run(e);
    arm_tick();
}

}  // namespace

// [SECTION] exports called from the page ----------------------------------------------------

extern "C" {
EMSCRIPTEN_KEEPALIVE void imchat_on_http(int id, int status, const char* body) {
    dispatch(core::ev::HttpDone{id, status, body ? body : ""});
}
EMSCRIPTEN_KEEPALIVE void imchat_send(const char* text) { dispatch(core::ev::SendText{text ? text : ""}); }
EMSCRIPTEN_KEEPALIVE const char* imchat_snapshot() {
    g_reply = g_session ? g_session->snapshot().dump() : "null";
    return g_reply.c_str();
}
EMSCRIPTEN_KEEPALIVE void imchat_wake() { wake(); }
EMSCRIPTEN_KEEPALIVE void imchat_resize() { resize(); }
EMSCRIPTEN_KEEPALIVE void imchat_send_image(const char* url) { dispatch(core::ev::SendText{url ? url : "", "image"}); }
EMSCRIPTEN_KEEPALIVE void imchat_image_ready(const char* url, float css_w, float css_h, int px_w, int px_h,
                                             const unsigned char* rgba) {
    ui::Images::Entry& e = g_images.by_url[url ? url : ""];
    if (!rgba || px_w <= 0 || px_h <= 0) {
        e.failed = true;
    } else {
        GLuint tex = 0;
        glGenTextures(1, &tex);
        glBindTexture(GL_TEXTURE_2D, tex);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, px_w, px_h, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba);
        e.tex = reinterpret_cast<ImTextureID>(static_cast<intptr_t>(tex));
        e.w = css_w;
        e.h = css_h;
    }
    ++g_images.generation;
    wake(2);
}
// Codepoints of `text` the atlas cannot draw yet (tests: no '?' boxes).
EMSCRIPTEN_KEEPALIVE const char* imchat_missing_glyphs(const char* text) {
    g_fonts.note(text ? text : "");
    wake(2);
    core::Json j = g_fonts.missing(text ? text : "");
    g_reply = j.dump();
    return g_reply.c_str();
}
EMSCRIPTEN_KEEPALIVE const char* imchat_targets() {
    core::Json t = core::Json::array();
    for (const auto& x : g_targets)
        t.push_back({{"id", x.id}, {"x", x.rect.x}, {"y", x.rect.y}, {"w", x.rect.w}, {"h", x.rect.h}});
    g_reply = t.dump();
    return g_reply.c_str();
}
EMSCRIPTEN_KEEPALIVE const char* imchat_perf(int reset) {
    std::vector<float> v = g_perf.samples;
    std::sort(v.begin(), v.end());
    const double p95 = v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(v.size() * 0.95))];
    g_reply = core::Json{{"frames", g_perf.frames},
                             {"ui_avg_ms", g_perf.frames ? g_perf.ui_ms / g_perf.frames : 0.0},
                             {"ui_p95_ms", p95},
                             {"total_avg_ms", g_perf.frames ? g_perf.total_ms / g_perf.frames : 0.0},
                             {"total_max_ms", g_perf.max_ms}}.dump();
    if (reset) g_perf = Perf{};
    return g_reply.c_str();
}
EMSCRIPTEN_KEEPALIVE void imchat_prompt(const char* key, const char* text) {
    for (const auto& e : g_ui.on_prompt(key ? key : "", text ? text : "")) dispatch(e);
}
EMSCRIPTEN_KEEPALIVE void imchat_login(const char* user, const char* pass, int create) {
    dispatch(core::ev::SignIn{user ? user : "", pass ? pass : "", create != 0});
}
EMSCRIPTEN_KEEPALIVE void imchat_network_online() { dispatch(core::ev::NetworkOnline{}); }
EMSCRIPTEN_KEEPALIVE void imchat_network_offline() { dispatch(core::ev::NetworkOffline{}); }
// Takes ownership of a malloc'd buffer holding the UI font.
EMSCRIPTEN_KEEPALIVE void imchat_font_loaded(uint8_t* data, int size) {
    g_fonts.set_ttf(std::vector<uint8_t>(data, data + size));
    free(data);
    wake();
}
}

// [SECTION] input and resize callbacks ------------------------------------------------------------

namespace {

void resize() {
    double w = 0, h = 0;
    emscripten_get_element_css_size("#canvas", &w, &h);
    g_ratio = static_cast<float>(std::max(1.0, emscripten_get_device_pixel_ratio()));
    emscripten_set_canvas_element_size("#canvas", static_cast<int>(w * g_ratio), static_cast<int>(h * g_ratio));
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
    io.DisplayFramebufferScale = ImVec2(g_ratio, g_ratio);
    wake();
}

EM_BOOL on_resize(int, const EmscriptenUiEvent*, void*) { resize(); return EM_FALSE; }

// ImGui 1.86 samples button state once a frame: a press and release between two
// frames (a quick tap, a test's click) would be lost, so such a release waits a frame.
bool g_unseen_press[3] = {false, false, false};
bool g_keys_unseen[ImGuiKey_COUNT] = {};
bool g_keys_release_later[ImGuiKey_COUNT] = {};
bool g_release_later[3] = {false, false, false};
void press(int b) {
    ImGui::GetIO().MouseDown[b] = true;
    g_unseen_press[b] = true;
}
void release(int b) {
    if (g_unseen_press[b]) g_release_later[b] = true;
    else ImGui::GetIO().MouseDown[b] = false;
}
// DOM buttons are 0 left, 1 middle, 2 right; ImGui's are 0 left, 1 right, 2 middle.
int imgui_button(unsigned short dom) { return dom == 1 ? 2 : dom == 2 ? 1 : 0; }

EM_BOOL on_mouse(int type, const EmscriptenMouseEvent* e, void*) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(static_cast<float>(e->targetX), static_cast<float>(e->targetY));
    if (type == EMSCRIPTEN_EVENT_MOUSEDOWN && e->button < 3) press(imgui_button(e->button));
    if (type == EMSCRIPTEN_EVENT_MOUSEUP && e->button < 3) release(imgui_button(e->button));
    wake();
    return EM_TRUE;
}

EM_BOOL on_wheel(int, const EmscriptenWheelEvent* e, void*) {
    ImGuiIO& io = ImGui::GetIO();
    const float unit = e->deltaMode == DOM_DELTA_PIXEL ? 100.0f : e->deltaMode == DOM_DELTA_LINE ? 3.0f : 1.0f;
    io.MouseWheel -= static_cast<float>(e->deltaY) / unit;
    wake();
    return EM_TRUE;
}

// A tap is a click; a vertical drag scrolls the list under the finger 1:1, and a
// flick keeps scrolling with decaying speed (inertia). ImGui 1.86 scrolls
// 5 x font size per wheel unit, so pixels are converted with that factor.
struct Touch {
    float start_y = 0, last_y = 0;
    double last_t = 0;
    float velocity = 0;        // px per ms, smoothed
    bool dragging = false;
} g_touch;
float g_inertia = 0;           // px per ms, decays each frame

float wheel_units(float px) { return px / (5.0f * ImGui::GetFontSize()); }

EM_BOOL on_touch(int type, const EmscriptenTouchEvent* e, void*) {
    if (e->numTouches < 1) return EM_TRUE;
    const EmscriptenTouchPoint& t = e->touches[0];
    ImGuiIO& io = ImGui::GetIO();
    const float x = static_cast<float>(t.targetX), y = static_cast<float>(t.targetY);
    const double now = emscripten_get_now();
    io.MousePos = ImVec2(x, y);
    if (type == EMSCRIPTEN_EVENT_TOUCHSTART) {
        g_touch = Touch{y, y, now, 0, false};
        g_inertia = 0;   // a finger stops a flick
        press(0);
    } else if (type == EMSCRIPTEN_EVENT_TOUCHMOVE) {
        if (std::abs(y - g_touch.start_y) > 8) {
            if (!g_touch.dragging) { io.MouseDown[0] = false; g_release_later[0] = false; }   // a drag is not a press
            g_touch.dragging = true;
        }
        if (g_touch.dragging) {
            const float dy = y - g_touch.last_y;
            io.MouseWheel += wheel_units(dy);
            const double dt = std::max(1.0, now - g_touch.last_t);
            g_touch.velocity = 0.8f * static_cast<float>(dy / dt) + 0.2f * g_touch.velocity;
        }
        g_touch.last_y = y;
        g_touch.last_t = now;
    } else if (!g_touch.dragging) {
        release(0);
    } else if (now - g_touch.last_t < 100 && std::abs(g_touch.velocity) > 0.1f) {
        g_inertia = g_touch.velocity;   // released while moving: a flick
    }
    wake(3);
    return EM_TRUE;
}

// Keyboard (desktop): ImGui's keyboard navigation reaches every control: arrows move,
// Space/Enter activate, Escape closes menus, Tab moves between fields. Keys typed into
// DOM fields (composer, forms) stay theirs.
EM_JS(int, js_dom_field_focused, (), {
    const a = document.activeElement;
    return a && (a.tagName === "TEXTAREA" || a.tagName === "INPUT" || a.tagName === "BUTTON") ? 1 : 0;
});
int key_index(const EmscriptenKeyboardEvent* e) {
    const std::string code = e->code;
    if (code == "Tab") return ImGuiKey_Tab;
    if (code == "ArrowLeft") return ImGuiKey_LeftArrow;
    if (code == "ArrowRight") return ImGuiKey_RightArrow;
    if (code == "ArrowUp") return ImGuiKey_UpArrow;
    if (code == "ArrowDown") return ImGuiKey_DownArrow;
    if (code == "PageUp") return ImGuiKey_PageUp;
    if (code == "PageDown") return ImGuiKey_PageDown;
    if (code == "Home") return ImGuiKey_Home;
    if (code == "End") return ImGuiKey_End;
    if (code == "Enter" || code == "NumpadEnter") return ImGuiKey_Enter;
    if (code == "Space") return ImGuiKey_Space;
    if (code == "Escape") return ImGuiKey_Escape;
    if (code == "Backspace") return ImGuiKey_Backspace;
    return -1;
}
EM_BOOL on_key(int type, const EmscriptenKeyboardEvent* e, void*) {
    if (js_dom_field_focused()) return EM_FALSE;
    const int k = key_index(e);
    if (k < 0) return EM_FALSE;
    ImGuiIO& io = ImGui::GetIO();
    const bool down = type == EMSCRIPTEN_EVENT_KEYDOWN;
    if (down) {
        io.KeysDown[k] = true;
        io.KeyCtrl = e->ctrlKey; io.KeyShift = e->shiftKey; io.KeyAlt = e->altKey;
        g_keys_unseen[k] = true;
    } else if (g_keys_unseen[k]) {
        g_keys_release_later[k] = true;   // pressed and released between two frames
    } else {
        io.KeysDown[k] = false;
    }
    wake(3);
    return EM_TRUE;   // no page scrolling with arrows/space over the app
}

void step_inertia(double frame_ms) {
    if (g_inertia == 0) return;
    ImGui::GetIO().MouseWheel += wheel_units(g_inertia * static_cast<float>(frame_ms));
    g_inertia *= 0.95f;
    if (std::abs(g_inertia) < 0.02f) g_inertia = 0;
    wake(2);
}

// [SECTION] frame loop and main ------------------------------------------------------------------

void frame() {
    if (g_dirty <= 0) return;   // idle: nothing drawn
    --g_dirty;
    const double frame_start = emscripten_get_now();

    if (g_fonts.rebuild_if_needed(g_ratio)) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = 1.0f / 60.0f;
    step_inertia(1000.0 / 60.0);
    ImGui_ImplOpenGL3_NewFrame();   // creates the GL program and buffers on first use
    ImGui::NewFrame();
    ui::Output out = g_ui.draw(*g_session);
    ImGui::Render();
    const double ui_ms = emscripten_get_now() - frame_start;
    g_perf.ui_ms += ui_ms;
    if (g_perf.samples.size() < 100000) g_perf.samples.push_back(static_cast<float>(ui_ms));
    for (int k = 0; k < ImGuiKey_COUNT; ++k) {
        g_keys_unseen[k] = false;
        if (g_keys_release_later[k]) { g_keys_release_later[k] = false; io.KeysDown[k] = false; wake(2); }
    }
    for (int b = 0; b < 3; ++b) {
        g_unseen_press[b] = false;
        if (g_release_later[b]) {
            g_release_later[b] = false;
            io.MouseDown[b] = false;
            wake(2);
        }
    }

    glViewport(0, 0, static_cast<int>(io.DisplaySize.x * g_ratio), static_cast<int>(io.DisplaySize.y * g_ratio));
    glClearColor(0.93f, 0.93f, 0.93f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    {
        const double ms = emscripten_get_now() - frame_start;   // CPU time: UI + draw-list submission
        ++g_perf.frames;
        g_perf.total_ms += ms;
        g_perf.max_ms = std::max(g_perf.max_ms, ms);
    }

    for (const auto& e : out.events) dispatch(e);
    for (const auto& p : out.prompts) js_prompt(p.key.c_str(), p.title.c_str(), p.initial.c_str(), p.max_chars);
    if (!out.copy_text.empty()) js_copy(out.copy_text.c_str());
    for (const auto& a : out.announce) js_announce(a.c_str());
    for (const auto& u : out.load_images) js_load_image(u.c_str(), g_ratio);
    if (!out.open_image.empty()) js_open_image(out.open_image.c_str());
    g_targets = std::move(out.targets);
    if (out.animating) wake(2);
    if (!(out.composer == g_composer_rect) || out.composer_visible != g_composer_visible) {
        g_composer_rect = out.composer;
        g_composer_visible = out.composer_visible;
        js_set_composer(out.composer.x, out.composer.y, out.composer.w, out.composer.h, out.composer_visible);
    }
    if (!(out.login == g_login_rect) || out.login_visible != g_login_visible) {
        g_login_rect = out.login;
        g_login_visible = out.login_visible;
        js_set_login(out.login.x, out.login.y, out.login.w, out.login.h, out.login_visible);
    }
    if (out.title != g_title) {
        g_title = out.title;
        js_set_title(g_title.c_str());
    }
    if (!g_first_frame_done) {
        g_first_frame_done = true;
        js_first_frame();
    }
    // New glyphs noted this frame: draw once more with them in the atlas.
    if (g_fonts.rebuild_if_needed(g_ratio)) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
        wake(1);
    }
}

}  // namespace

int main() {
    EmscriptenWebGLContextAttributes attr;
    emscripten_webgl_init_context_attributes(&attr);
    attr.majorVersion = 2;
    attr.alpha = false;
    attr.antialias = false;
    const auto ctx = emscripten_webgl_create_context("#canvas", &attr);
    if (ctx <= 0) {
        EM_ASM({ if (window.imchatPage) window.imchatPage.fatal('WebGL2 is not available in this browser.'); });
        return 1;
    }
    emscripten_webgl_make_context_current(ctx);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.ConfigFlags |= ImGuiConfigFlags_IsTouchScreen | ImGuiConfigFlags_NavEnableKeyboard;
    for (int k = 0; k < ImGuiKey_COUNT; ++k) io.KeyMap[k] = k;   // KeysDown is indexed by ImGuiKey
    g_ui.apply_style();
    ImGui_ImplOpenGL3_Init("#version 300 es");
    resize();

    emscripten_set_resize_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, false, on_resize);
    emscripten_set_mousedown_callback("#canvas", nullptr, true, on_mouse);
    emscripten_set_mouseup_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, true, on_mouse);
    emscripten_set_mousemove_callback("#canvas", nullptr, true, on_mouse);
    emscripten_set_wheel_callback("#canvas", nullptr, true, on_wheel);
    emscripten_set_keydown_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, true, on_key);
    emscripten_set_keyup_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, true, on_key);
    emscripten_set_touchstart_callback("#canvas", nullptr, true, on_touch);
    emscripten_set_touchmove_callback("#canvas", nullptr, true, on_touch);
    emscripten_set_touchend_callback("#canvas", nullptr, true, on_touch);
    emscripten_set_touchcancel_callback("#canvas", nullptr, true, on_touch);

    g_fonts.set_rasterizer([](uint32_t cp, int w, int h, float px, uint8_t* out) { js_raster_glyph(cp, w, h, px, out); });
    g_session = std::make_unique<core::Session>([] { return web::crypto_random(); });
    g_runner = std::make_unique<core::Runner>(*g_session, g_socket, g_http, g_storage);
    g_runner->start(web::page_value("href"), web::page_value("origin"), web::page_value("lang"),
                    static_cast<int64_t>(web::now_ms()));
    arm_tick();
    wake();

    emscripten_set_main_loop(frame, 0, false);
    return 0;
}
