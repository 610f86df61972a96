#include "platform_web/web_app.hpp"

#include <algorithm>

#include "platform_web/js_imports.hpp"

namespace imchat::web {

App& app() {
    static App a;
    return a;
}

void wake(int frames) { app().dirty = std::max(app().dirty, frames); }

void dispatch(const core::Event& e) {
    App& a = app();
    a.runner->dispatch(e);
    if (a.session->changed()) wake();
    sync_page_strings();
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
