// imchat::web::js: what the WASM app calls in the page (EM_JS imports, js_imports.cpp).
// Most reach window.imchatPage (web/js/main.js), which is absent only if the page's
// modules failed to load; then they do nothing.
#pragma once
#include <cstdint>

namespace imchat::web::js {

void place_composer(float x, float y, float w, float h, bool visible);   // the DOM #composer-box
void place_login(float x, float y, float w, float h, bool visible);      // the DOM login form
int  utc_offset_min();                                                     // -new Date().getTimezoneOffset()
int  utc_offset_min_at(double ms);                                         // the same at that time (DST)
void pick_avatar();                                                        // settings: pick, crop, hand back
void set_title(const char* title);                                        // document.title
void prompt(const char* key, const char* title, const char* initial, int max_chars);   // the prompt dialog
void copy(const char* text);                                              // clipboard (with a LAN fallback)
bool system_cjk();                                                        // the system draws hanzi (fonts.js)
// Draws n glyphs with the system fonts: 7 ints a glyph into meta, pixels in the returned malloc'd buffer.
uint8_t* draw_glyphs(const uint32_t* cps, int n, float px, int* meta);
void load_image(const char* url, float ratio);                            // decode; answers via imchat_image_ready
void open_image(const char* url);                                         // full-size viewer
void play_voice(int64_t id, const char* url);                             // voice.js: play (or stop) it
void announce(const char* text);                                          // aria-live log
void toast(const char* text);                                             // a short note over the page
void first_frame();                                                       // hide the loading screen (fallback font if needed)
void fatal(const char* text);                                             // the loading screen shows an error
void strings_changed();                                                   // the page re-reads imchat_strings()
bool dom_field_focused();                                                 // keys belong to a DOM field
// Issue 13 (media_imports.cpp): a file bubble's download, a video's DOM player.
void download(const char* url, const char* name);
void play_video(const char* url);

}  // namespace imchat::web::js
