#include "platform_web/web_app.hpp"

#include <emscripten/eventloop.h>

#include <algorithm>
#include <variant>

#include "platform_web/js_imports.hpp"

namespace imchat::web {

App& app() {
    static App a;
    return a;
}

void wake(int frames) { app().dirty = std::max(app().dirty, frames); }

// Ticks: the session says when it next needs one (next_deadline); the page sleeps
// until then, re-armed after every dispatch, instead of ticking every 250 ms. Every
// other event is preceded by a Tick, so the session's clock is current when it acts.
namespace {
long g_tick_timeout = 0;   // the pending Tick timeout (0: none)

void run(const core::Event& e) {
    App& a = app();
    a.runner->dispatch(e);
    if (a.session->changed()) wake();
}

void on_tick_timeout(void*);
double g_armed_at = 0;     // when the pending timeout fires (valid while g_tick_timeout != 0)

// Called after every event (a hot path with many live messages): the timeout is
// replaced only when the deadline moved, not cleared and re-created each time.
void arm_tick() {
    App& a = app();
    const double now = now_ms();
    double at = static_cast<double>(a.runner->next_deadline());
    // The reconnect banner counts down on the session's clock: keep it moving.
    if (a.session->connection() != core::Conn::Online) at = std::min(at, now + 250);
    if (g_tick_timeout && at == g_armed_at) return;   // already armed for this deadline
    if (g_tick_timeout) emscripten_clear_timeout(g_tick_timeout);
    g_tick_timeout = 0;
    if (at > 9e15) return;   // nothing scheduled: the next event ticks
    g_armed_at = at;
    g_tick_timeout = emscripten_set_timeout(on_tick_timeout, std::max(0.0, at - now), nullptr);
}

void on_tick_timeout(void*) {
    g_tick_timeout = 0;
    run(core::ev::Tick{static_cast<int64_t>(now_ms())});
    if (app().session->connection() != core::Conn::Online) wake(1);
    arm_tick();
}
}  // namespace

void dispatch(const core::Event& e) {
    if (!std::holds_alternative<core::ev::Tick>(e)) run(core::ev::Tick{static_cast<int64_t>(now_ms())});
    run(e);
    sync_page_strings();
    arm_tick();
}

// The language changes on start and in Settings; the DOM strings follow it.
void sync_page_strings() {
    const int lang = static_cast<int>(app().session->lang());
    if (lang == app().strings_lang) return;
    app().strings_lang = lang;
    js::strings_changed();
}

std::string page_strings_json() {
    const core::Lang lang = app().session ? app().session->lang() : core::Lang::En;
    core::Json j = core::Json::object();
    for (const core::PageString& s : core::page_strings()) j[s.key] = core::tr(lang, s.str);
    return j.dump();
}

}  // namespace imchat::web
