#include "platform_web/js_imports.hpp"

#include <emscripten.h>

// EM_JS bodies are JavaScript; the C++ wrappers below give them typed names.

EM_JS(void, js_place_composer, (float x, float y, float w, float h, int visible), {
    if (window.imchatPage) window.imchatPage.placeComposer(x, y, w, h, !!visible);
});
EM_JS(void, js_place_login, (float x, float y, float w, float h, int visible), {
    if (window.imchatPage) window.imchatPage.placeLogin(x, y, w, h, !!visible);
});
EM_JS(void, js_set_title, (const char* t), { document.title = UTF8ToString(t); });
EM_JS(int, js_utc_offset_min, (), { return -new Date().getTimezoneOffset(); });
EM_JS(int, js_utc_offset_min_at, (double ms), { return -new Date(ms).getTimezoneOffset(); });
EM_JS(void, js_pick_avatar, (), { if (window.imchatPage && window.imchatPage.pickAvatar) window.imchatPage.pickAvatar(); });
EM_JS(void, js_prompt, (const char* key, const char* title, const char* initial, int max_chars), {
    if (window.imchatPage) window.imchatPage.prompt(UTF8ToString(key), UTF8ToString(title), UTF8ToString(initial), max_chars);
});
EM_JS(void, js_copy, (const char* text), { if (window.imchatPage) window.imchatPage.copy(UTF8ToString(text)); });
// The page's fonts (web/js/fonts.js): does the system draw hanzi, and drawing a batch of
// glyphs. js_draw_glyphs writes 7 ints a glyph into meta (advance, offset x, offset y, w, h,
// colored, byte offset) and returns a malloc'd buffer holding every glyph's pixels (RGBA if
// colored, else alpha), or 0 without the page.
EM_JS(int, js_system_cjk, (), { return window.imchatFonts && window.imchatFonts.systemCjk ? 1 : 0; });
EM_JS(unsigned char*, js_draw_glyphs, (const unsigned* cps, int n, float px, int* meta), {
    const f = window.imchatFonts;
    if (!f) return 0;
    const list = [];
    for (let i = 0; i < n; i++) list.push(HEAPU32[(cps >> 2) + i]);
    const r = f.draw(list, px);
    let total = 0;
    for (const d of r.data) total += d.length;
    const p = _malloc(Math.max(1, total));
    let at = 0;
    for (let i = 0; i < n; i++) {
        const q = r.glyphs[i], m = (meta >> 2) + i * 7;
        HEAP32[m] = q.adv; HEAP32[m + 1] = q.offx; HEAP32[m + 2] = q.offy; HEAP32[m + 3] = q.w;
        HEAP32[m + 4] = q.h; HEAP32[m + 5] = q.colored ? 1 : 0; HEAP32[m + 6] = at;
        HEAPU8.set(r.data[i], p + at);
        at += r.data[i].length;
    }
    return p;
});
// Decodes an image with the browser, scales it to a thumbnail (at most 200 CSS px a
// side, at device pixels) and hands the RGBA pixels back through imchat_image_ready.
EM_JS(void, js_load_image, (const char* url_c, float ratio), {
    const url = UTF8ToString(url_c);
    // data: a drawn sticker; blob: my photo's preview while it uploads
    const abs = url.startsWith("data:") || url.startsWith("blob:") ? url : (window.IMCHAT_SERVER || "") + url;
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
EM_JS(void, js_play_voice, (double id, const char* url), {
    if (window.imchatPage && window.imchatPage.playVoice) window.imchatPage.playVoice(id, UTF8ToString(url));
});
EM_JS(void, js_announce, (const char* text), { if (window.imchatPage) window.imchatPage.announce(UTF8ToString(text)); });
EM_JS(void, js_toast, (const char* text), { if (window.imchatPage) window.imchatPage.toast(UTF8ToString(text)); });
EM_JS(void, js_first_frame, (), { if (window.imchatPage) window.imchatPage.firstFrame(); });
EM_JS(void, js_fatal, (const char* text), { if (window.imchatPage) window.imchatPage.fatal(UTF8ToString(text)); });
EM_JS(void, js_strings_changed, (), { if (window.imchatPage && window.imchatPage.stringsChanged) window.imchatPage.stringsChanged(); });
EM_JS(int, js_dom_field_focused, (), {
    const a = document.activeElement;
    return a && (a.tagName === "TEXTAREA" || a.tagName === "INPUT" || a.tagName === "BUTTON") ? 1 : 0;
});

namespace imchat::web::js {

void place_composer(float x, float y, float w, float h, bool visible) { js_place_composer(x, y, w, h, visible); }
void place_login(float x, float y, float w, float h, bool visible) { js_place_login(x, y, w, h, visible); }
void set_title(const char* title) { js_set_title(title); }
int  utc_offset_min() { return js_utc_offset_min(); }
int  utc_offset_min_at(double ms) { return js_utc_offset_min_at(ms); }
void pick_avatar() { js_pick_avatar(); }
void prompt(const char* key, const char* title, const char* initial, int max_chars) {
    js_prompt(key, title, initial, max_chars);
}
void copy(const char* text) { js_copy(text); }
bool system_cjk() { return js_system_cjk() != 0; }
uint8_t* draw_glyphs(const uint32_t* cps, int n, float px, int* meta) {
    return js_draw_glyphs(reinterpret_cast<const unsigned*>(cps), n, px, meta);
}
void load_image(const char* url, float ratio) { js_load_image(url, ratio); }
void open_image(const char* url) { js_open_image(url); }
void play_voice(int64_t id, const char* url) { js_play_voice(static_cast<double>(id), url); }
void announce(const char* text) { js_announce(text); }
void toast(const char* text) { js_toast(text); }
void first_frame() { js_first_frame(); }
void fatal(const char* text) { js_fatal(text); }
void strings_changed() { js_strings_changed(); }
bool dom_field_focused() { return js_dom_field_focused() != 0; }

}  // namespace imchat::web::js
