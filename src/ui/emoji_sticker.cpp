#include "ui/emoji_sticker.hpp"

#include <algorithm>

#include "core/sticker.hpp"
#include "ui/image_cache.hpp"
#include "ui/theme.hpp"

namespace imchat::ui {

namespace {
bool is_upload(const std::string& s) { return s.rfind("/uploads/", 0) == 0; }

std::string percent_encode(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == '=' ||
            c == '\'' || c == '.' || c == '/' || c == ':' || c == '-') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}
}  // namespace

bool is_sticker(const core::Message& m) { return core::is_sticker_type(m.type); }

std::string sticker_image_url(const std::string& data) {
    if (is_upload(data)) return data;
    const core::Sticker* s = core::find_sticker(data);
    if (!s) return {};
    const int px = static_cast<int>(kStickerPx);
    return "data:image/svg+xml," +
           percent_encode("<svg xmlns='http://www.w3.org/2000/svg' width='" + std::to_string(px) + "' height='" +
                          std::to_string(px) + "' viewBox='0 0 96 96'><text x='48' y='80' font-size='76' "
                          "text-anchor='middle'>" + s->emoji + "</text></svg>");
}

ImVec2 sticker_size(const Images& images, const core::Message& m) {
    if (!is_upload(m.data)) return ImVec2(kStickerPx, kStickerPx);
    auto it = images.by_url.find(m.data);   // our upload: its decoded size, at most a sticker's double
    if (it == images.by_url.end() || it->second.w <= 0) return ImVec2(kStickerPx, kStickerPx);
    const float k = std::min(1.0f, 2 * kStickerPx / std::max(it->second.w, it->second.h));
    return ImVec2(it->second.w * k, it->second.h * k);
}

void draw_sticker(Frame& f, const Images& images, std::unordered_map<std::string, bool>& asked,
                  const core::Message& m, ImVec2 p) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 sz = sticker_size(images, m);
    const ImVec2 q(p.x + sz.x, p.y + sz.y);
    const std::string url = sticker_image_url(m.data);
    if (url.empty()) {   // not a sticker we know: a grey card with the key
        dl->AddRectFilled(p, q, theme::kPlaceholder, 8.0f);
        const std::string key = ellipsize(m.data, sz.x - 12);
        f.fonts.note(key);
        const ImVec2 ts = ImGui::CalcTextSize(key.c_str());
        dl->AddText(ImVec2(p.x + (sz.x - ts.x) / 2, p.y + (sz.y - ts.y) / 2), theme::kTextGrey, key.c_str());
        f.out.drawn.push_back("sticker:?" + m.data);
        return;
    }
    auto it = images.by_url.find(url);
    if (it != images.by_url.end() && it->second.tex) {
        dl->AddImage(it->second.tex, p, q);
        f.out.drawn.push_back("sticker:" + m.data);
        return;
    }
    ask_image(f.out, asked, url);
    if (it == images.by_url.end() || !it->second.failed) return;   // decoding: nothing yet
    dl->AddRectFilled(p, q, theme::kPlaceholder, 8.0f);             // could not decode
}

}  // namespace imchat::ui
