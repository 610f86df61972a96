#include "platform_web/input.hpp"

#include <emscripten.h>
#include <emscripten/html5.h>

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>

#include "platform_web/js_imports.hpp"
#include "platform_web/web_app.hpp"

namespace imchat::web::input {

namespace {

// ImGui 1.86 samples button and key state once a frame: a press and release between
// two frames (a quick tap, a test's click) would be lost, so such a release waits a frame.
bool g_unseen_press[3] = {false, false, false};
bool g_release_later[3] = {false, false, false};
bool g_keys_unseen[ImGuiKey_COUNT] = {};
bool g_keys_release_later[ImGuiKey_COUNT] = {};

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

EM_BOOL on_resize(int, const EmscriptenUiEvent*, void*) { resize(); return EM_FALSE; }

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
    float  start_y = 0, last_y = 0;
    double last_t = 0;
    float  velocity = 0;        // px per ms, smoothed
    bool   dragging = false;
} g_touch;
// A finger lifted: ImGui keeps hovering whatever is under the last pointer position,
// so the tapped button would stay highlighted. After a tap, once ImGui has seen the
// release, the pointer leaves (not while a flick coasts: the wheel goes to the hovered window).
bool   g_lift_pending = false;
float  g_inertia = 0;           // px per ms, decays with time
double g_inertia_t = 0;         // when it was last applied

float wheel_units(float px) { return px / (5.0f * ImGui::GetFontSize()); }

EM_BOOL on_touch(int type, const EmscriptenTouchEvent* e, void*) {
    if (e->numTouches < 1) return EM_TRUE;
    const EmscriptenTouchPoint& t = e->touches[0];
    ImGuiIO& io = ImGui::GetIO();
    const float x = static_cast<float>(t.targetX), y = static_cast<float>(t.targetY);
    // The event's own time (when the finger moved), not when we got to it: a main thread
    // busy with a frame delivers moves late and bunched, which would fake a slow finger.
    const double now = e->timestamp > 0 ? e->timestamp : emscripten_get_now();
    io.MousePos = ImVec2(x, y);
    if (type == EMSCRIPTEN_EVENT_TOUCHSTART) {
        g_touch = Touch{y, y, now, 0, false};
        g_inertia = 0;   // a finger stops a flick
        g_lift_pending = false;
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
        g_lift_pending = true;
    } else if (now - g_touch.last_t < 100 && std::abs(g_touch.velocity) > 0.1f) {
        g_inertia = g_touch.velocity;   // released while moving: a flick (a drag pressed nothing: no hover to end)
        g_inertia_t = now;
    }
    wake(3);
    return EM_TRUE;
}

// Keyboard (desktop): ImGui's keyboard navigation reaches every control: arrows move,
// Space/Enter activate, Escape closes menus, Tab moves between fields. Keys typed into
// DOM fields (composer, forms) stay theirs.
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
    if (js::dom_field_focused()) return EM_FALSE;
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

}  // namespace

void install() {
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
}

void resize() {
    double w = 0, h = 0;
    emscripten_get_element_css_size("#canvas", &w, &h);
    App& a = app();
    a.ratio = static_cast<float>(std::max(1.0, emscripten_get_device_pixel_ratio()));
    emscripten_set_canvas_element_size("#canvas", static_cast<int>(w * a.ratio), static_cast<int>(h * a.ratio));
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
    io.DisplayFramebufferScale = ImVec2(a.ratio, a.ratio);
    wake();
}

// Time-based, not per frame: a flick coasts the same distance in the same time
// whether frames take 16 ms (a phone's GPU) or 100 ms (software GL, a slow phone).
void step_inertia(double now_ms) {
    if (g_inertia == 0) return;
    const double dt = std::clamp(now_ms - g_inertia_t, 0.0, 100.0);
    g_inertia_t = now_ms;
    ImGui::GetIO().MouseWheel += wheel_units(g_inertia * static_cast<float>(dt));
    constexpr double kFrame = 1000.0 / 60.0;   // 0.95 per 60 Hz frame (a loop, not pow: libm costs 5 KB of wasm)
    for (double t = dt; t > 0; t -= kFrame) g_inertia *= static_cast<float>(t >= kFrame ? 0.95 : 1 - 0.05 * t / kFrame);
    if (std::abs(g_inertia) < 0.02f) g_inertia = 0;
    wake(2);
}

void after_frame() {
    ImGuiIO& io = ImGui::GetIO();
    for (int k = 0; k < ImGuiKey_COUNT; ++k) {
        g_keys_unseen[k] = false;
        if (g_keys_release_later[k]) { g_keys_release_later[k] = false; io.KeysDown[k] = false; wake(2); }
    }
    bool released_now = false;
    for (int b = 0; b < 3; ++b) {
        g_unseen_press[b] = false;
        if (g_release_later[b]) {
            g_release_later[b] = false;
            io.MouseDown[b] = false;
            released_now = true;
            wake(2);
        }
    }
    // The frame just drawn saw the finger's release: now end the hover (next frame redraws).
    if (g_lift_pending && !released_now && !io.MouseDown[0] && g_inertia == 0) {
        g_lift_pending = false;
        io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);
        wake(2);
    }
}

}  // namespace imchat::web::input
