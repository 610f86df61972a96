// The UI test harness: a real core Session driven with scripted events and HTTP
// answers (as in tests/core/session_test.cpp), drawn by the real ChatUi through
// Dear ImGui with no backend at all (the imgui_impl_null idea: DisplaySize set,
// font atlas built, NewFrame / draw / Render, nothing rendered). Taps go through
// ImGui's own mouse input on a named target's rectangle.
#pragma once
#include <gtest/gtest.h>
#include <imgui.h>

#include <optional>
#include <string>
#include <vector>

#include "core/session.hpp"
#include "ui/chat_ui.hpp"

namespace imchat::ui::testing {

using core::Json;

inline const char* kOrigin = "http://192.168.1.5:8080";
inline const std::string kDevice = "0123456789abcdef0123456789abcdef0123";
inline const std::string kToken = std::string(64, 'a');
inline constexpr int64_t kMe = 10;

class UiHarness {
public:
    explicit UiHarness(float w = 390, float h = 844);
    ~UiHarness();
    UiHarness(const UiHarness&) = delete;
    UiHarness& operator=(const UiHarness&) = delete;

    // ---- the session ----
    std::vector<core::Action>& feed(const core::Event& e);
    core::act::Http http_to(const std::string& path_part) const;      // in the last actions; fails if none
    bool            asked(const std::string& path_part) const;        // whether the last actions hold one
    void            reply(const core::act::Http& h, int status, const Json& body);
    void            answer(const std::string& path_part, const Json& data);   // 200 ok to that request
    static Json     ok(const Json& d) { return Json{{"msg", "ok"}, {"data", d}}; }
    static Json     fail(const std::string& r) { return Json{{"msg", "fail"}, {"data", r}}; }
    Json            user_json(int64_t id = kMe, const std::string& role = "visitor") const;
    Json            group_json(bool member, int policy = 0, int64_t owner = 99) const;
    static Json     chat_frame(int64_t id, int64_t seq, int64_t from, const std::string& text,
                               const std::string& type = "text");
    void            start(const std::string& href, const Json& user);   // stored user, page at href
    void            to_chat(int64_t owner = 99);                        // group 3, member, online, in the chat
    void            to_list(const std::string& role = "visitor");       // no group in the URL, online
    // In the chat with image message 7 from user 20, one frame drawn; returns its URL.
    std::string     image_in_chat();
    void            dispatch(const Output& o);                          // feed a frame's events to the session

    // ---- the UI ----
    Output          frame();                                  // one whole ImGui frame
    const Target*   find(const std::string& id) const;        // in the last frame
    bool            has(const std::string& id) const { return find(id) != nullptr; }
    int             count_prefix(const std::string& prefix) const;   // targets whose id starts so
    // Presses and releases `button` (0 left, 1 right) at the target's centre:
    // everything the frames of that gesture returned, merged.
    Output          tap(const std::string& id, int button = 0);
    Output          hold(const std::string& id, float seconds);   // a long press

    core::Session   s{[] { return 0.0; }};
    int64_t         now = 1000;
    std::vector<core::Action> last;
    Fonts           fonts;
    Images          images;
    ChatUi          ui{fonts, images};
    Output          out;                                      // the last frame's

private:
    Output          gesture(const std::string& id, int button, int held_frames);
    ImGuiContext*   ctx_ = nullptr;
};

// The first event of type E a frame (or gesture) returned: a copy, since gestures return temporaries.
template <class E> std::optional<E> event_of(const Output& o) {
    for (const auto& e : o.events) if (const E* p = std::get_if<E>(&e)) return *p;
    return std::nullopt;
}

}  // namespace imchat::ui::testing
