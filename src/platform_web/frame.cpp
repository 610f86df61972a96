#include "platform_web/frame.hpp"

#include <emscripten.h>
#include <GLES3/gl3.h>

#include <imgui.h>
#include <imgui_impl_opengl3.h>

#include <algorithm>

#include "platform_web/input.hpp"
#include "ui/image_cache.hpp"
#include "platform_web/js_imports.hpp"
#include "platform_web/web_app.hpp"

namespace imchat::web::frame {

namespace {

ui::Rect                g_composer_rect, g_login_rect;   // what the page was last told
bool                    g_composer_visible = false, g_login_visible = false;
std::string             g_title;
bool                    g_first_frame_done = false;

void rebuild_font_texture() {
    ImGui_ImplOpenGL3_DestroyFontsTexture();
    ImGui_ImplOpenGL3_CreateFontsTexture();
}

// The UI's output: commands to the core, DOM fields and page calls (only on change).
void apply(ui::Output& out) {
    App& a = app();
    for (const auto& e : out.events) dispatch(e);
    for (const auto& p : out.prompts) js::prompt(p.key.c_str(), p.title.c_str(), p.initial.c_str(), p.max_chars);
    if (!out.copy_text.empty()) js::copy(out.copy_text.c_str());
    for (const auto& t : out.announce) js::announce(t.c_str());
    for (const auto& u : out.load_images) js::load_image(u.c_str(), a.ratio);
    if (!out.open_image.empty()) js::open_image(out.open_image.c_str());
    if (out.play_voice.id) js::play_voice(out.play_voice.id, out.play_voice.url.c_str());
    if (!out.toast.empty()) js::toast(out.toast.c_str());
    a.targets = std::move(out.targets);
    a.drawn = std::move(out.drawn);
    if (out.pick_avatar) js::pick_avatar();
    if (!out.download_url.empty()) js::download(out.download_url.c_str(), out.download_name.c_str());
    if (!out.play_video.empty()) js::play_video(out.play_video.c_str());
    if (out.animating) wake(2);
    if (!(out.composer == g_composer_rect) || out.composer_visible != g_composer_visible) {
        g_composer_rect = out.composer;
        g_composer_visible = out.composer_visible;
        js::place_composer(out.composer.x, out.composer.y, out.composer.w, out.composer.h, out.composer_visible);
    }
    if (!(out.login == g_login_rect) || out.login_visible != g_login_visible) {
        g_login_rect = out.login;
        g_login_visible = out.login_visible;
        js::place_login(out.login.x, out.login.y, out.login.w, out.login.h, out.login_visible);
    }
    if (out.title != g_title) {
        g_title = out.title;
        js::set_title(g_title.c_str());
    }
}

// The texture budget (ui/image_cache.hpp): what this frame drew is fresh; over the budget
// the least recently drawn are deleted.
void release_textures() {
    App& a = app();
    ++a.frame_no;
    std::vector<ImTextureID> drawn;
    const ImDrawData* dd = ImGui::GetDrawData();
    for (int i = 0; dd && i < dd->CmdListsCount; ++i)
        for (const ImDrawCmd& c : dd->CmdLists[i]->CmdBuffer)
            if (c.TextureId && c.TextureId != ImGui::GetIO().Fonts->TexID &&
                (drawn.empty() || drawn.back() != c.TextureId))
                drawn.push_back(c.TextureId);
    ui::mark_used(a.images, drawn, a.frame_no);
    for (ImTextureID t : ui::evict(a.images, a.image_budget, a.frame_no)) {
        GLuint tex = static_cast<GLuint>(reinterpret_cast<intptr_t>(t));
        glDeleteTextures(1, &tex);
    }
}

}  // namespace

void run() {
    App& a = app();
    if (a.dirty <= 0) return;   // idle: nothing drawn
    --a.dirty;
    const double frame_start = emscripten_get_now();

    if (a.fonts.rebuild_if_needed(a.ratio)) rebuild_font_texture();
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = 1.0f / 60.0f;
    input::step_inertia(emscripten_get_now());
    ImGui_ImplOpenGL3_NewFrame();   // creates the GL program and buffers on first use
    ImGui::NewFrame();
    a.ui.set_utc_offset(js::utc_offset_min());   // follows DST and travel
    ui::Output out = a.ui.draw(*a.session);
    ImGui::Render();
    const double ui_ms = emscripten_get_now() - frame_start;
    a.perf.ui_ms += ui_ms;
    if (a.perf.samples.size() < 100000) a.perf.samples.push_back(static_cast<float>(ui_ms));
    input::after_frame();

    glViewport(0, 0, static_cast<int>(io.DisplaySize.x * a.ratio), static_cast<int>(io.DisplaySize.y * a.ratio));
    glClearColor(0.93f, 0.93f, 0.93f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    {
        const double ms = emscripten_get_now() - frame_start;   // CPU time: UI + draw-list submission
        ++a.perf.frames;
        a.perf.total_ms += ms;
        a.perf.max_ms = std::max(a.perf.max_ms, ms);
    }

    apply(out);
    release_textures();
    if (!g_first_frame_done) {
        g_first_frame_done = true;
        js::first_frame();
    }
    // New glyphs noted this frame: draw once more with them in the atlas.
    if (a.fonts.rebuild_if_needed(a.ratio)) {
        rebuild_font_texture();
        wake(1);
    }
}

}  // namespace imchat::web::frame
