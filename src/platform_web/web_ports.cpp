#include "platform_web/web_ports.hpp"

#include <emscripten.h>

#include <cstdlib>

namespace imchat::web {

// ---- JS imports ---------------------------------------------------------------

EM_JS(char*, js_page_value, (const char* which), {
    const w = UTF8ToString(which);
    let v = "";
    if (w === "href") v = location.href;
    else if (w === "origin") v = (window.IMCHAT_SERVER || location.origin);
    else if (w === "lang") v = (navigator.language || "en");
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
    } catch (e) { console.warn("localStorage unavailable", e); }
});

// blob != 0: the body is the page's window.imchatBlobs entry (a picked image), taken
// out of the map as it is sent, with the type the browser gives the File.
// An upload goes through the page's XHR (web/js/media_upload.js: progress, abort); `keep`
// leaves the Blob in the map for a retry.
EM_JS(void, js_http, (int id, const char* method, const char* url, const char* token, const char* body, int blob, int keep), {
    const m = UTF8ToString(method), u = UTF8ToString(url), t = UTF8ToString(token);
    if (blob && window.imchatXhrUpload) { window.imchatXhrUpload(id, u, t, blob, keep); return; }
    const headers = {};
    if (t) headers["token"] = t;
    let b;
    if (blob) {
        const blobs = window.imchatBlobs;
        b = blobs && blobs.get(blob);
        if (blobs) blobs.delete(blob);
    } else if (m !== "GET") {
        headers["content-type"] = "application/json";
        b = UTF8ToString(body);
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => ctl.abort(), 15000);
    fetch(u, {method: m, headers, body: b, signal: ctl.signal})
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

namespace {
std::string take(char* p) {
    std::string s(p ? p : "");
    free(p);
    return s;
}
}  // namespace

std::string page_value(const char* which) { return take(js_page_value(which)); }
double now_ms() { return js_now(); }
double crypto_random() { return js_random(); }

// ---- WebSocketPort ---------------------------------------------------------------

void WebSocketPort::open(const std::string& url) {
    close(1000, "replaced");
    EmscriptenWebSocketCreateAttributes attr;
    emscripten_websocket_init_create_attributes(&attr);
    attr.url = url.c_str();
    const EMSCRIPTEN_WEBSOCKET_T ws = emscripten_websocket_new(&attr);
    if (ws <= 0) {
        sink_(core::ev::SocketClosed{1006, "create failed"});
        return;
    }
    ws_ = ws;
    emscripten_websocket_set_onopen_callback(ws, this, on_open);
    emscripten_websocket_set_onmessage_callback(ws, this, on_message);
    emscripten_websocket_set_onclose_callback(ws, this, on_close);
}

void WebSocketPort::send(const std::string& text) {
    if (ws_) emscripten_websocket_send_utf8_text(ws_, text.c_str());
}

void WebSocketPort::close(int code, const std::string& reason) {
    if (!ws_) return;
    const EMSCRIPTEN_WEBSOCKET_T ws = ws_;
    ws_ = 0;   // from now on its events are stale
    // Browsers accept only 1000 or 3000-4999 from script.
    emscripten_websocket_close(ws, static_cast<unsigned short>(code == 1000 || code >= 3000 ? code : 1000),
                               reason.c_str());
    emscripten_websocket_delete(ws);
}

EM_BOOL WebSocketPort::on_open(int, const EmscriptenWebSocketOpenEvent* e, void* self) {
    auto* p = static_cast<WebSocketPort*>(self);
    if (e->socket == p->ws_) p->sink_(core::ev::SocketOpened{});
    return EM_TRUE;
}

EM_BOOL WebSocketPort::on_message(int, const EmscriptenWebSocketMessageEvent* e, void* self) {
    auto* p = static_cast<WebSocketPort*>(self);
    if (e->socket != p->ws_ || !e->isText) return EM_TRUE;
    // Text frames arrive NUL-terminated.
    p->sink_(core::ev::SocketMessage{std::string(reinterpret_cast<const char*>(e->data))});
    return EM_TRUE;
}

EM_BOOL WebSocketPort::on_close(int, const EmscriptenWebSocketCloseEvent* e, void* self) {
    auto* p = static_cast<WebSocketPort*>(self);
    if (e->socket != p->ws_) return EM_TRUE;
    emscripten_websocket_delete(p->ws_);
    p->ws_ = 0;
    p->sink_(core::ev::SocketClosed{static_cast<int>(e->code), e->reason});
    return EM_TRUE;
}

// ---- FetchHttp, LocalStorage -----------------------------------------------------------

void FetchHttp::request(const core::act::Http& r) {
    if (r.blob) uploads_.insert(r.id);
    js_http(r.id, r.method.c_str(), r.url.c_str(), r.token.c_str(), r.body.c_str(), r.blob, r.keep_blob ? 1 : 0);
}

bool FetchHttp::take_upload(int id) { return uploads_.erase(id) > 0; }

std::string LocalStorage::get(const std::string& key) { return take(js_storage_get(key.c_str())); }
void LocalStorage::set(const std::string& key, const std::string& value) {
    js_storage_set(key.c_str(), value.c_str());
}

}  // namespace imchat::web
