// imchat browser platform: executes the core's actions with browser APIs
// (WebSocket via emscripten/websocket.h, fetch, localStorage) and feeds
// browser events back as core events. Input reaches ImGui from html5.h
// callbacks (not Emscripten's GLFW: its touch and key handling is unreliable
// in 3.1.6). Rendering is event-driven: no frame is drawn while nothing changes.
//
// Sections:
//   [SECTION] JS imports (EM_JS)
//   [SECTION] state and action execution
//   [SECTION] exports called from the page (imchat_*)
//   [SECTION] input and resize callbacks
//   [SECTION] frame loop and main
#include <emscripten.h>
#include <emscripten/html5.h>
#include <emscripten/websocket.h>
#include <GLES3/gl3.h>

#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include <string>

#include "core/session.hpp"
#include "ui/chat_ui.hpp"
#include "ui/fonts.hpp"

using namespace imchat;

// [SECTION] JS imports --------------------------------------------------------------------

EM_JS(char*, js_str_alloc, (const char* which), {
    const w = UTF8ToString(which);
    let v = "";
    if (w === 'href') v = location.href;
    else if (w === 'origin') v = (window.IMCHAT_SERVER || location.origin);
    else if (w === 'lang') v = (navigator.language || 'en');
    const n = lengthBytesUTF8(v) + 1, p = _malloc(n);
    stringToUTF8(v, p, n);
    return p;
});

EM_JS(char*, js_storage_get, (const char* key), {
    let v = null;
    try { v = localStorage.getItem(UTF8ToString(key)); } catch (e) {}
    v = v || "";
    const n = lengthBytesUTF8(v) + 1, p = _malloc(n);
    stringToUTF8(v, p, n);
    return p;
});

EM_JS(void, js_storage_set, (const char* key, const char* value), {
    try {
        const k = UTF8ToString(key), v = UTF8ToString(value);
        if (v) localStorage.setItem(k, v); else localStorage.removeItem(k);
    } catch (e) { console.warn('localStorage unavailable', e); }
});

EM_JS(void, js_http, (int id, const char* method, const char* url, const char* token, const char* body), {
    const m = UTF8ToString(method), u = UTF8ToString(url), t = UTF8ToString(token), b = UTF8ToString(body);
    const headers = {};
    if (t) headers['token'] = t;
    if (m !== 'GET') headers['content-type'] = 'application/json';
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), 15000);
    fetch(u, {method: m, headers, body: m === 'GET' ? undefined : b, signal: ctl.signal})
        .then(r => r.text().then(txt => [r.status, txt]))
        .catch(() => [0, ""])
        .then(([status, txt]) => {
            clearTimeout(timer);
            const n = lengthBytesUTF8(txt) + 1, p = _malloc(n);
            stringToUTF8(txt, p, n);
            Module._imchat_on_http(id, status, p);
            _free(p);
        });
});

EM_JS(double, js_now, (), { return Date.now(); });
EM_JS(double, js_random, (), {
    const a = new Uint32Array(1);
    crypto.getRandomValues(a);
    return a[0] / 4294967296;
});

EM_JS(void, js_set_composer, (float x, float y, float w, float h, int visible), {
    if (window.imchatPage) window.imchatPage.placeComposer(x, y, w, h, !!visible);
});
EM_JS(void, js_set_title, (const char* t), { document.title = UTF8ToString(t); });
EM_JS(void, js_first_frame, (), { if (window.imchatPage) window.imchatPage.firstFrame(); });

// [SECTION] state and action execution ---------------------------------------------------

namespace {

core::Session*            g_session = nullptr;
ui::Fonts                 g_fonts;
ui::ChatUi                g_ui(g_fonts);
EMSCRIPTEN_WEBSOCKET_T    g_ws = 0;
int                       g_dirty = 2;        // frames still to draw
double                    g_last_tick = 0;
float                     g_ratio = 1;
ui::Rect                  g_composer_rect;
bool                      g_composer_visible = false;
std::string               g_title;
std::string               g_snapshot;
bool                      g_first_frame_done = false;

std::string take(char* p) {
    std::string s(p ? p : "");
    free(p);
    return s;
}

void wake(int frames = 2) { g_dirty = std::max(g_dirty, frames); }
void dispatch(const core::Event& e);

EM_BOOL on_ws_open(int, const EmscriptenWebSocketOpenEvent* e, void*) {
    if (e->socket == g_ws) dispatch(core::ev::SocketOpened{});
    return EM_TRUE;
}
EM_BOOL on_ws_message(int, const EmscriptenWebSocketMessageEvent* e, void*) {
    if (e->socket != g_ws || !e->isText) return EM_TRUE;
    dispatch(core::ev::SocketMessage{std::string(reinterpret_cast<const char*>(e->data))});   // text frames arrive NUL-terminated
    return EM_TRUE;
}
EM_BOOL on_ws_close(int, const EmscriptenWebSocketCloseEvent* e, void*) {
    if (e->socket != g_ws) return EM_TRUE;
    emscripten_websocket_delete(g_ws);
    g_ws = 0;
    dispatch(core::ev::SocketClosed{static_cast<int>(e->code), e->reason});
    return EM_TRUE;
}

void close_socket(int code, const char* reason) {
    if (!g_ws) return;
    const EMSCRIPTEN_WEBSOCKET_T ws = g_ws;
    g_ws = 0;   // events from it are ignored from now on
    emscripten_websocket_close(ws, static_cast<unsigned short>(code), reason);
    emscripten_websocket_delete(ws);
}

void execute(const core::Action& a) {
    std::visit([](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, core::act::Http>) {
            js_http(x.id, x.method.c_str(), x.url.c_str(), x.token.c_str(), x.body.c_str());
        } else if constexpr (std::is_same_v<T, core::act::OpenSocket>) {
            close_socket(1000, "replaced");
            EmscriptenWebSocketCreateAttributes attr;
            emscripten_websocket_init_create_attributes(&attr);
            attr.url = x.url.c_str();
            g_ws = emscripten_websocket_new(&attr);
            if (g_ws <= 0) { g_ws = 0; dispatch(core::ev::SocketClosed{1006, "create failed"}); return; }
            emscripten_websocket_set_onopen_callback(g_ws, nullptr, on_ws_open);
            emscripten_websocket_set_onmessage_callback(g_ws, nullptr, on_ws_message);
            emscripten_websocket_set_onclose_callback(g_ws, nullptr, on_ws_close);
        } else if constexpr (std::is_same_v<T, core::act::SendSocket>) {
            if (g_ws) emscripten_websocket_send_utf8_text(g_ws, x.text.c_str());
        } else if constexpr (std::is_same_v<T, core::act::CloseSocket>) {
            close_socket(1000, x.reason.c_str());   // browsers allow only 1000 or 3000-4999 here
        } else if constexpr (std::is_same_v<T, core::act::Persist>) {
            js_storage_set(x.key.c_str(), x.value.c_str());
        }
    }, a);
}

void dispatch(const core::Event& e) {
    for (const auto& a : g_session->handle(e)) execute(a);
    wake();
}

}  // namespace

// [SECTION] exports called from the page ----------------------------------------------------

extern "C" {
EMSCRIPTEN_KEEPALIVE void imchat_on_http(int id, int status, const char* body) {
    dispatch(core::ev::HttpDone{id, status, body ? body : ""});
}
EMSCRIPTEN_KEEPALIVE void imchat_send(const char* text) { dispatch(core::ev::SendText{text ? text : ""}); }
EMSCRIPTEN_KEEPALIVE const char* imchat_snapshot() {
    g_snapshot = g_session ? g_session->snapshot().dump() : "null";
    return g_snapshot.c_str();
}
EMSCRIPTEN_KEEPALIVE void imchat_wake() { wake(); }
EMSCRIPTEN_KEEPALIVE void imchat_network_online() { dispatch(core::ev::NetworkOnline{}); }
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

EM_BOOL on_mouse(int type, const EmscriptenMouseEvent* e, void*) {
    ImGuiIO& io = ImGui::GetIO();
    io.MousePos = ImVec2(static_cast<float>(e->targetX), static_cast<float>(e->targetY));
    if (type == EMSCRIPTEN_EVENT_MOUSEDOWN && e->button < 3) io.MouseDown[e->button] = true;
    if (type == EMSCRIPTEN_EVENT_MOUSEUP && e->button < 3) io.MouseDown[e->button] = false;
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

// A tap is a click; a vertical drag scrolls (inertia: issue 5).
float g_touch_last_y = 0;
bool  g_touch_dragging = false;
float g_touch_start_y = 0;
EM_BOOL on_touch(int type, const EmscriptenTouchEvent* e, void*) {
    if (e->numTouches < 1) return EM_TRUE;
    const EmscriptenTouchPoint& t = e->touches[0];
    ImGuiIO& io = ImGui::GetIO();
    const float x = static_cast<float>(t.targetX), y = static_cast<float>(t.targetY);
    io.MousePos = ImVec2(x, y);
    if (type == EMSCRIPTEN_EVENT_TOUCHSTART) {
        g_touch_start_y = g_touch_last_y = y;
        g_touch_dragging = false;
        io.MouseDown[0] = true;
    } else if (type == EMSCRIPTEN_EVENT_TOUCHMOVE) {
        if (std::abs(y - g_touch_start_y) > 8) {
            if (!g_touch_dragging) io.MouseDown[0] = false;   // a drag is not a press
            g_touch_dragging = true;
        }
        if (g_touch_dragging) io.MouseWheel += (y - g_touch_last_y) / 40.0f;
        g_touch_last_y = y;
    } else {
        io.MouseDown[0] = false;
    }
    wake(3);
    return EM_TRUE;
}

// [SECTION] frame loop and main ------------------------------------------------------------------

void frame() {
    const double now = js_now();
    if (now - g_last_tick >= 250) {
        g_last_tick = now;
        for (const auto& a : g_session->handle(core::ev::Tick{static_cast<int64_t>(now)})) execute(a);
        // The banner's countdown changes while waiting to reconnect.
        if (g_session->connection() != core::Conn::Online) wake(1);
    }
    if (g_dirty <= 0) return;   // idle: nothing drawn
    --g_dirty;

    if (g_fonts.rebuild_if_needed(g_ratio)) {
        ImGui_ImplOpenGL3_DestroyFontsTexture();
        ImGui_ImplOpenGL3_CreateFontsTexture();
    }
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = 1.0f / 60.0f;
    ImGui_ImplOpenGL3_NewFrame();   // creates the GL program and buffers on first use
    ImGui::NewFrame();
    ui::Output out = g_ui.draw(*g_session);
    ImGui::Render();

    glViewport(0, 0, static_cast<int>(io.DisplaySize.x * g_ratio), static_cast<int>(io.DisplaySize.y * g_ratio));
    glClearColor(0.93f, 0.93f, 0.93f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());

    for (const auto& e : out.events) dispatch(e);
    if (out.animating) wake(2);
    if (!(out.composer == g_composer_rect) || out.composer_visible != g_composer_visible) {
        g_composer_rect = out.composer;
        g_composer_visible = out.composer_visible;
        js_set_composer(out.composer.x, out.composer.y, out.composer.w, out.composer.h, out.composer_visible);
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
    io.ConfigFlags |= ImGuiConfigFlags_IsTouchScreen;
    g_ui.apply_style();
    ImGui_ImplOpenGL3_Init("#version 300 es");
    resize();

    emscripten_set_resize_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, false, on_resize);
    emscripten_set_mousedown_callback("#canvas", nullptr, true, on_mouse);
    emscripten_set_mouseup_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, true, on_mouse);
    emscripten_set_mousemove_callback("#canvas", nullptr, true, on_mouse);
    emscripten_set_wheel_callback("#canvas", nullptr, true, on_wheel);
    emscripten_set_touchstart_callback("#canvas", nullptr, true, on_touch);
    emscripten_set_touchmove_callback("#canvas", nullptr, true, on_touch);
    emscripten_set_touchend_callback("#canvas", nullptr, true, on_touch);
    emscripten_set_touchcancel_callback("#canvas", nullptr, true, on_touch);

    static core::Session session([] { return js_random(); });
    g_session = &session;
    dispatch(core::ev::Start{
        take(js_str_alloc("href")), take(js_str_alloc("origin")), take(js_str_alloc("lang")),
        take(js_storage_get(core::kKeyDevice)), take(js_storage_get(core::kKeyUser)),
        static_cast<int64_t>(js_now())});

    emscripten_set_main_loop(frame, 0, false);
    return 0;
}
