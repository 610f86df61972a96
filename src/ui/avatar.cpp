#include "ui/avatar.hpp"

#include <algorithm>

#include "ui/image_cache.hpp"

namespace imchat::ui {

namespace {
constexpr ImU32 kInitial   = IM_COL32(255, 255, 255, 255);
constexpr ImU32 kGroupBg   = IM_COL32(221, 222, 224, 255);   // WeChat's grey behind the grid

ImU32 to_imgui(uint32_t argb) {
    return IM_COL32((argb >> 16) & 0xFF, (argb >> 8) & 0xFF, argb & 0xFF, (argb >> 24) & 0xFF);
}

// The decoded texture for url, asking for it once; nullptr until it arrives (or on error).
const Images::Entry* image_of(Frame& f, const std::string& url) {
    if (url.empty() || !f.images) return nullptr;
    auto it = f.images->by_url.find(url);
    if (it != f.images->by_url.end() && (it->second.tex || it->second.failed))
        return it->second.tex && it->second.w > 0 ? &it->second : nullptr;   // (no texture: let go, asked again)
    if (f.asked) ask_image(f.out, *f.asked, url);
    return nullptr;
}
}  // namespace

void avatar(Frame& f, ImDrawList* dl, ImVec2 p, float size, int64_t id, const std::string& name,
            const std::string& url) {
    const ImVec2 q(p.x + size, p.y + size);
    const float r = size * kAvatarRound;
    if (const Images::Entry* e = image_of(f, url)) {
        // The centred square of the image (thumbnails keep the aspect ratio).
        ImVec2 uv0(0, 0), uv1(1, 1);
        if (e->w > e->h) { const float k = (1 - e->h / e->w) / 2; uv0.x = k; uv1.x = 1 - k; }
        else if (e->h > e->w) { const float k = (1 - e->w / e->h) / 2; uv0.y = k; uv1.y = 1 - k; }
        dl->AddImageRounded(e->tex, p, q, uv0, uv1, IM_COL32_WHITE, r);
        f.out.drawn.push_back("avatar:" + std::to_string(id) + ":img");
        return;
    }
    dl->AddRectFilled(p, q, to_imgui(core::avatar_color(id)), r);
    const std::string ch = core::avatar_initial(name);
    f.fonts.note(ch);
    ImFont* font = ImGui::GetFont();
    const float fs = size * 0.48f;
    const ImVec2 ts = font->CalcTextSizeA(fs, 1e9f, 0.0f, ch.c_str());
    dl->AddText(font, fs, ImVec2(p.x + (size - ts.x) / 2, p.y + (size - ts.y) / 2), kInitial, ch.c_str());
    f.out.drawn.push_back("avatar:" + std::to_string(id) + ":" + ch);
}

void group_avatar(Frame& f, ImDrawList* dl, ImVec2 p, float size, int64_t group_id, const std::string& name,
                  const std::string& url, const std::vector<core::Face>& faces) {
    if (faces.empty() || image_of(f, url)) {   // a group image set by its owner wins
        avatar(f, dl, p, size, -group_id, name, url);
        return;
    }
    dl->AddRectFilled(p, ImVec2(p.x + size, p.y + size), kGroupBg, size * kAvatarRound);
    const float gap = std::max(1.0f, size / 24);
    const auto cells = core::avatar_grid(faces.size(), size, gap);
    for (size_t i = 0; i < cells.size(); ++i)
        avatar(f, dl, ImVec2(p.x + cells[i].x, p.y + cells[i].y), cells[i].side, faces[i].id, faces[i].name,
               faces[i].avatar);
    f.out.drawn.push_back("group-avatar:" + std::to_string(group_id) + ":" + std::to_string(cells.size()));
}

}  // namespace imchat::ui
