// Issue 13 page calls: file downloads, the video player, and dropping an upload's
// request and Blobs (web/js/media_upload.js defines window.imchatPage.download etc.).
#include <emscripten.h>

#include "platform_web/js_imports.hpp"
#include "platform_web/web_ports.hpp"

namespace imchat::web {

EM_JS(void, js_download, (const char* url, const char* name), {
    if (window.imchatPage && window.imchatPage.download) window.imchatPage.download(UTF8ToString(url), UTF8ToString(name));
});
EM_JS(void, js_play_video, (const char* url), {
    if (window.imchatPage && window.imchatPage.playVideo) window.imchatPage.playVideo(UTF8ToString(url));
});
EM_JS(void, js_drop_upload, (int id, int blob, int poster), {
    if (window.imchatDropUpload) window.imchatDropUpload(id, blob, poster);
});

namespace js {
void download(const char* url, const char* name) { js_download(url, name); }
void play_video(const char* url) { js_play_video(url); }
}  // namespace js

void FetchHttp::drop_upload(const core::act::DropUpload& d) {
    if (d.http_id) uploads_.erase(d.http_id);
    js_drop_upload(d.http_id, d.blob, d.poster_blob);
}

}  // namespace imchat::web
