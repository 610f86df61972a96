// The WASM app's exports (imchat_*), called by the page (web/js/) and by EM_JS code.
// Keep the list in sync with EXPORTED_FUNCTIONS in CMakeLists.txt.
#include <emscripten.h>
#include <GLES3/gl3.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "platform_web/input.hpp"
#include "platform_web/js_imports.hpp"
#include "platform_web/web_app.hpp"

using namespace imchat;
using web::app;
using web::dispatch;
using web::wake;

extern "C" {

// ---- commands from the page's DOM fields ----
EMSCRIPTEN_KEEPALIVE void imchat_send(const char* text) { dispatch(core::ev::SendText{text ? text : ""}); }
// The emoji panel's stickers tab: a sticker message (type emoticon, data = the key).
EMSCRIPTEN_KEEPALIVE void imchat_send_sticker(const char* key) {
    dispatch(core::ev::SendText{key ? key : "", "emoticon"});
}
// The picked image is window.imchatBlobs.get(blob), shown from `preview` (its blob: URL) while
// the core uploads it; then the message is sent.
EMSCRIPTEN_KEEPALIVE void imchat_upload_image(int blob, const char* preview) {
    dispatch(core::ev::UploadImage{blob, preview ? preview : ""});
}
// Settings' avatar: the cropped JPEG is window.imchatBlobs.get(blob); uploaded, then set.
EMSCRIPTEN_KEEPALIVE void imchat_upload_avatar(int blob) { dispatch(core::ev::UploadAvatar{blob}); }
// Voice (web/js/voice.js): a recording of `seconds` is window.imchatBlobs.get(blob): uploaded,
// then sent as `audio`; and what the page's <audio> element plays (1: playing, 0: stopped).
EMSCRIPTEN_KEEPALIVE void imchat_upload_voice(int blob, int seconds) { dispatch(core::ev::UploadVoice{blob, seconds}); }
EMSCRIPTEN_KEEPALIVE void imchat_voice_state(double message_id, int playing) {
    dispatch(core::ev::VoiceState{static_cast<int64_t>(message_id), playing != 0});
}
// Issue 13: a picked file or video (kind "file" | "video"; a video's poster JPEG is poster_blob, 0 if none).
EMSCRIPTEN_KEEPALIVE void imchat_upload_media(int blob, const char* kind, const char* name, double size, int poster_blob,
                                              double duration) {
    dispatch(core::ev::UploadMedia{blob, kind ? kind : "", name ? name : "", static_cast<int64_t>(size), poster_blob,
                                   duration});
}
// XHR upload.onprogress of request `id`.
EMSCRIPTEN_KEEPALIVE void imchat_upload_progress(int id, double loaded, double total) {
    dispatch(core::ev::UploadProgress{id, static_cast<int64_t>(loaded), static_cast<int64_t>(total)});
}
EMSCRIPTEN_KEEPALIVE void imchat_prompt(const char* key, const char* text) {
    for (const auto& e : app().ui.on_prompt(key ? key : "", text ? text : "")) dispatch(e);
}
EMSCRIPTEN_KEEPALIVE void imchat_login(const char* user, const char* pass, int create) {
    dispatch(core::ev::SignIn{user ? user : "", pass ? pass : "", create != 0});
}

// ---- browser events ----
EMSCRIPTEN_KEEPALIVE void imchat_on_http(int id, int status, const char* body) {
    app().http.take_upload(id);
    dispatch(core::ev::HttpDone{id, status, body ? body : ""});   // a notice shows as the UI's toast
}
EMSCRIPTEN_KEEPALIVE void imchat_network_online() { dispatch(core::ev::NetworkOnline{}); }
EMSCRIPTEN_KEEPALIVE void imchat_network_offline() { dispatch(core::ev::NetworkOffline{}); }
// The open conversation is marked read only while the page is visible.
EMSCRIPTEN_KEEPALIVE void imchat_visibility(int visible) { dispatch(core::ev::PageVisibility{visible != 0}); }
EMSCRIPTEN_KEEPALIVE void imchat_wake() { wake(); }
EMSCRIPTEN_KEEPALIVE void imchat_resize() { web::input::resize(); }
// Takes ownership of a malloc'd buffer holding the fallback font (no system CJK font).
EMSCRIPTEN_KEEPALIVE void imchat_font_loaded(uint8_t* data, int size) {
    app().fonts.set_ttf(std::vector<uint8_t>(data, data + size));
    free(data);
    wake();
}
EMSCRIPTEN_KEEPALIVE void imchat_image_ready(const char* url, float css_w, float css_h, int px_w, int px_h,
                                             const unsigned char* rgba) {
    ui::Images& images = app().images;
    ui::Images::Entry& e = images.by_url[url ? url : ""];
    if (e.tex) {   // asked twice (again after an eviction while the first was decoding): keep one
        GLuint old = static_cast<GLuint>(reinterpret_cast<intptr_t>(e.tex));
        glDeleteTextures(1, &old);
        e.tex = nullptr;
    }
    e.failed = false;
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
        e.bytes = static_cast<size_t>(px_w) * static_cast<size_t>(px_h) * 4;
        e.used = app().frame_no;   // new: not the first to go
    }
    ++images.generation;
    wake(2);
}

// ---- JSON answers (valid until the next call) ----
// The page's strings in the core's current language: {key: text}.
EMSCRIPTEN_KEEPALIVE const char* imchat_strings() {
    app().reply = web::page_strings_json();
    return app().reply.c_str();
}
EMSCRIPTEN_KEEPALIVE const char* imchat_snapshot() {
    if (!app().session) {
        app().reply = "null";
        return app().reply.c_str();
    }
    core::Json snap = app().session->snapshot();
    // The UI's part: messages[].collapsed (a long text shown folded, issue 14).
    if (snap.contains("open") && snap["open"].is_object() && snap["open"]["messages"].is_array()) {
        core::Json& msgs = snap["open"]["messages"];
        const auto& held = app().session->open_messages();
        for (size_t i = 0; i < msgs.size() && i < held.size(); ++i) msgs[i]["collapsed"] = app().ui.collapsed(held[i]);
    }
    app().reply = snap.dump(-1, ' ', false, core::Json::error_handler_t::replace);
    return app().reply.c_str();
}
// Codepoints of `text` the atlas cannot draw now (tests: no '?' boxes). A pure query:
// glyphs enter the atlas only because the UI drew their text.
EMSCRIPTEN_KEEPALIVE const char* imchat_missing_glyphs(const char* text) {
    app().reply = core::Json(app().fonts.missing(text ? text : "")).dump();
    return app().reply.c_str();
}
EMSCRIPTEN_KEEPALIVE const char* imchat_targets() {
    core::Json t = core::Json::array();
    for (const auto& x : app().targets)
        t.push_back({{"id", x.id}, {"x", x.rect.x}, {"y", x.rect.y}, {"w", x.rect.w}, {"h", x.rect.h}});
    app().reply = t.dump();
    return app().reply.c_str();
}
EMSCRIPTEN_KEEPALIVE const char* imchat_drawn() {
    app().reply = core::Json(app().drawn).dump();
    return app().reply.c_str();
}
// Tests: the texture budget in bytes (ui/image_cache.hpp; the default is kImageBudgetBytes).
EMSCRIPTEN_KEEPALIVE void imchat_image_budget(double bytes) {
    app().image_budget = static_cast<size_t>(std::max(0.0, bytes));
    wake(1);
}
EMSCRIPTEN_KEEPALIVE const char* imchat_perf(int reset) {
    web::Perf& perf = app().perf;
    std::vector<float> v = perf.samples;
    std::sort(v.begin(), v.end());
    const double p95 = v.empty() ? 0 : v[std::min(v.size() - 1, static_cast<size_t>(v.size() * 0.95))];
    size_t textures = 0, bytes = 0;
    for (const auto& [url, e] : app().images.by_url)
        if (e.tex) { ++textures; bytes += e.bytes; }
    app().reply = core::Json{{"frames", perf.frames},
                             {"textures", textures},             // decoded images held as textures now
                             {"texture_kb", bytes / 1024},
                             {"ui_avg_ms", perf.frames ? perf.ui_ms / perf.frames : 0.0},
                             {"ui_p95_ms", p95},
                             {"total_avg_ms", perf.frames ? perf.total_ms / perf.frames : 0.0},
                             {"total_max_ms", perf.max_ms}}.dump();
    if (reset) perf = web::Perf{};
    return app().reply.c_str();
}

}  // extern "C"
