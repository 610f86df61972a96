// imchat::web: the core's platform ports on browser APIs.
//   WebSocketPort  emscripten/websocket.h (one socket; stale events dropped)
//   FetchHttp      window.fetch with a 15 s timeout (JSON or a page blob); answers via imchat_on_http()
//   LocalStorage   window.localStorage (private mode: silently not kept)
#pragma once
#include <emscripten/websocket.h>

#include <functional>
#include <set>

#include "core/platform.hpp"

namespace imchat::web {

using Sink = std::function<void(const core::Event&)>;

class WebSocketPort final : public core::SocketPort {
public:
    explicit WebSocketPort(Sink sink) : sink_(std::move(sink)) {}
    void open(const std::string& url) override;
    void send(const std::string& text) override;
    void close(int code, const std::string& reason) override;

private:
    static EM_BOOL on_open(int, const EmscriptenWebSocketOpenEvent* e, void* self);
    static EM_BOOL on_message(int, const EmscriptenWebSocketMessageEvent* e, void* self);
    static EM_BOOL on_close(int, const EmscriptenWebSocketCloseEvent* e, void* self);
    Sink                   sink_;
    EMSCRIPTEN_WEBSOCKET_T ws_ = 0;   // 0: none; events from any other handle are stale
};

class FetchHttp final : public core::HttpPort {
public:
    void request(const core::act::Http& r) override;
    void drop_upload(const core::act::DropUpload& d) override;   // media_imports.cpp (issue 13)
    bool take_upload(int id);   // whether request `id` sent a blob (asked once, when it is answered)

private:
    std::set<int> uploads_;     // ids of requests in flight whose body is a blob
};

class LocalStorage final : public core::StoragePort {
public:
    std::string get(const std::string& key) override;
    void        set(const std::string& key, const std::string& value) override;
};

// Page facts: location.href, the server origin (window.IMCHAT_SERVER or
// location.origin), navigator.language, Date.now(), crypto random in [0, 1).
std::string page_value(const char* which);
double      now_ms();
double      crypto_random();

}  // namespace imchat::web
