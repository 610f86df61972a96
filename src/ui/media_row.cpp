#include "ui/media_row.hpp"

#include <algorithm>
#include <cmath>

#include "core/media_options.hpp"
#include "ui/image_cache.hpp"
#include "ui/theme.hpp"

namespace imchat::ui {

namespace {
constexpr float kFileW = 240.0f, kIconW = 36.0f, kIconH = 44.0f;
constexpr ImU32 kProgressBg = IM_COL32(0, 0, 0, 40);
constexpr ImU32 kProgressFg = IM_COL32(7, 193, 96, 255);
constexpr ImU32 kShade      = IM_COL32(0, 0, 0, 110);
constexpr ImU32 kWhite      = IM_COL32(255, 255, 255, 255);

struct IconStyle { ImU32 colour; const char* label; };
IconStyle icon_style(core::FileIcon i) {
    switch (i) {
        case core::FileIcon::Pdf:   return {IM_COL32(230, 67, 64, 255), "PDF"};
        case core::FileIcon::Doc:   return {IM_COL32(43, 121, 230, 255), "DOC"};
        case core::FileIcon::Sheet: return {IM_COL32(33, 163, 102, 255), "XLS"};
        case core::FileIcon::Zip:   return {IM_COL32(240, 160, 30, 255), "ZIP"};
        default:                    return {IM_COL32(150, 160, 175, 255), ""};
    }
}
const char* icon_name(core::FileIcon i) {
    switch (i) {
        case core::FileIcon::Pdf: return "pdf";
        case core::FileIcon::Doc: return "doc";
        case core::FileIcon::Sheet: return "sheet";
        case core::FileIcon::Zip: return "zip";
        default: return "other";
    }
}

// A sheet of paper with a folded corner and the type's letters.
void draw_file_icon(ImDrawList* dl, ImVec2 p, core::FileIcon kind) {
    const IconStyle s = icon_style(kind);
    const float fold = 10.0f;
    dl->AddRectFilled(p, ImVec2(p.x + kIconW - fold, p.y + kIconH), s.colour, 3.0f, ImDrawFlags_RoundCornersLeft);
    dl->AddRectFilled(ImVec2(p.x + kIconW - fold - 1, p.y + fold), ImVec2(p.x + kIconW, p.y + kIconH), s.colour, 3.0f,
                      ImDrawFlags_RoundCornersBottomRight);
    dl->AddTriangleFilled(ImVec2(p.x + kIconW - fold - 1, p.y), ImVec2(p.x + kIconW, p.y + fold),
                          ImVec2(p.x + kIconW - fold - 1, p.y + fold), s.colour);
    dl->AddTriangleFilled(ImVec2(p.x + kIconW - fold, p.y), ImVec2(p.x + kIconW - fold, p.y + fold),
                          ImVec2(p.x + kIconW, p.y + fold), IM_COL32(255, 255, 255, 110));
    if (*s.label) {
        const ImVec2 ts = ImGui::CalcTextSize(s.label);
        const float scale = std::min(1.0f, (kIconW - 6) / std::max(1.0f, ts.x));
        ImFont* font = ImGui::GetFont();
        const float px = ImGui::GetFontSize() * scale * 0.85f;
        const ImVec2 ls(ts.x * scale * 0.85f, ts.y * scale * 0.85f);
        dl->AddText(font, px, ImVec2(p.x + (kIconW - ls.x) / 2, p.y + kIconH - ls.y - 6), kWhite, s.label);
    } else {   // lines of text on a blank page
        for (int i = 0; i < 3; ++i)
            dl->AddLine(ImVec2(p.x + 8, p.y + 18 + i * 7.0f), ImVec2(p.x + kIconW - 8, p.y + 18 + i * 7.0f), kWhite, 2.0f);
    }
}

// Shortened in the middle until it fits `w` pixels (the extension stays).
std::string fit_name(const std::string& name, float w) {
    if (ImGui::CalcTextSize(name.c_str()).x <= w) return name;
    for (size_t max = name.size(); max > 8; max -= std::max<size_t>(1, max / 10)) {
        std::string s = core::ellipsize_middle(name, max);
        if (ImGui::CalcTextSize(s.c_str()).x <= w) return s;
    }
    return core::ellipsize_middle(name, 8);
}


std::string percent(double fraction) { return std::to_string(static_cast<int>(std::clamp(fraction, 0.0, 1.0) * 100)) + "%"; }
}  // namespace

void upload_bar(ImDrawList* dl, ImVec2 a, float w, double fraction) {
    dl->AddRectFilled(a, ImVec2(a.x + w, a.y + 4), kProgressBg, 2.0f);
    dl->AddRectFilled(a, ImVec2(a.x + w * static_cast<float>(std::clamp(fraction, 0.0, 1.0)), a.y + 4), kProgressFg, 2.0f);
}

void draw_upload_progress(Frame& f, ImDrawList* dl, ImVec2 p, ImVec2 size, const core::MediaUpload& upload,
                          const std::string& key) {
    const ImVec2 b(p.x + size.x, p.y + size.y);
    dl->AddRectFilled(p, b, kShade, 4.0f);
    if (!upload.http_id) {   // failed: the status line under the bubble says why
        f.out.drawn.push_back(key + ":failed");
        return;
    }
    const std::string pc = percent(upload.progress());
    const ImVec2 ts = ImGui::CalcTextSize(pc.c_str());
    dl->AddText(ImVec2(p.x + (size.x - ts.x) / 2, p.y + (size.y - ts.y) / 2), kWhite, pc.c_str());
    upload_bar(dl, ImVec2(p.x + 6, b.y - 10), size.x - 12, upload.progress());
    f.out.drawn.push_back(key + ":uploading:" + pc);
}

bool is_media(const core::Message& m) { return !m.isremove && (m.type == "file" || m.type == "video"); }

std::string media_announcement(core::Lang lang, const core::Message& m) {
    if (m.type == "video") return core::tr(lang, core::Str::VideoMsg);
    return std::string(core::tr(lang, core::Str::FileMsg)) + " " + core::read_file_options(m.options).name;
}

float media_pad(const core::Message& m) { return m.type == "video" ? 4.0f : kBubblePad; }

ImVec2 media_size(const Images& images, const core::Message& m, float max_w) {
    if (m.type == "file") return ImVec2(std::min(kFileW, max_w), std::max(kIconH, 2 * ImGui::GetTextLineHeight() + 6));
    const std::string poster = core::read_video_options(m.options).poster;
    return poster.empty() ? ImVec2(160, 120) : thumb_size(images, poster);
}

bool media_stable(const core::Message& m) { return m.type == "file"; }

void draw_media(Frame& f, RowEnv& env, const core::Message& m, ImVec2 p, ImVec2 size, const core::MediaUpload* upload) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const std::string key = m.id ? std::to_string(m.id) : m.client_msg_id;
    const bool uploading = upload && upload->http_id != 0;
    if (m.type == "file") {
        const core::FileInfo info = core::read_file_options(m.options);
        const core::FileIcon icon = core::file_icon(info.name);
        const float text_w = size.x - kIconW - 10;
        const std::string name = fit_name(info.name.empty() ? std::string(f.tr(core::Str::FileMsg)) : info.name, text_w);
        f.fonts.note(name);
        dl->AddText(ImVec2(p.x, p.y), theme::kTextDark, name.c_str());
        std::string sub = core::human_size(info.size);
        if (uploading) sub = percent(upload->progress()) + " \xC2\xB7 " + sub;
        f.fonts.note(sub);
        dl->AddText(ImVec2(p.x, p.y + ImGui::GetTextLineHeight() + 4), theme::kTextGrey, sub.c_str());
        draw_file_icon(dl, ImVec2(p.x + size.x - kIconW, p.y + (size.y - kIconH) / 2), icon);
        if (uploading) upload_bar(dl, ImVec2(p.x, p.y + size.y + 3), size.x, upload->progress());
        f.out.drawn.push_back("file:" + key + ":" + icon_name(icon));
        return;
    }
    // Video: the poster (decoded once into a texture, as image thumbnails are).
    const core::VideoInfo info = core::read_video_options(m.options);
    const ImVec2 b(p.x + size.x, p.y + size.y);
    bool drawn = false;
    if (!info.poster.empty()) {
        auto it = env.images.by_url.find(info.poster);
        if (it != env.images.by_url.end() && it->second.tex) {
            dl->AddImage(it->second.tex, p, b);
            drawn = true;
        } else {
            ask_image(f.out, env.asked, info.poster);
        }
    }
    if (!drawn) dl->AddRectFilled(p, b, IM_COL32(60, 60, 60, 255), 4.0f);
    f.out.drawn.push_back("video:" + key + (drawn ? ":poster" : ":noposter"));
    const ImVec2 c(p.x + size.x / 2, p.y + size.y / 2);
    const float r = std::min(22.0f, std::min(size.x, size.y) / 3);
    dl->AddCircleFilled(c, r, kShade);
    if (uploading) {
        const std::string pc = percent(upload->progress());
        const ImVec2 ts = ImGui::CalcTextSize(pc.c_str());
        dl->AddText(ImVec2(c.x - ts.x / 2, c.y - ts.y / 2), kWhite, pc.c_str());
        upload_bar(dl, ImVec2(p.x + 6, b.y - 10), size.x - 12, upload->progress());
    } else {
        dl->AddCircle(c, r, kWhite, 0, 2.0f);
        const float t = r * 0.5f;
        dl->AddTriangleFilled(ImVec2(c.x - t * 0.6f, c.y - t), ImVec2(c.x - t * 0.6f, c.y + t), ImVec2(c.x + t, c.y), kWhite);
    }
    if (info.duration > 0 && !uploading) {
        const std::string d = core::duration_label(info.duration);
        const ImVec2 ts = ImGui::CalcTextSize(d.c_str());
        const ImVec2 at(b.x - ts.x - 8, b.y - ts.y - 6);
        dl->AddRectFilled(ImVec2(at.x - 4, at.y - 1), ImVec2(b.x - 4, b.y - 5), kShade, 4.0f);
        dl->AddText(at, kWhite, d.c_str());
    }
}

void media_tap(Frame& f, const core::Message& m) {
    if (m.data.empty() || m.id <= 0) return;   // not uploaded and sent yet
    if (m.type == "file") {
        f.out.download_url = m.data;
        f.out.download_name = core::read_file_options(m.options).name;
    } else {
        f.out.play_video = m.data;
    }
}

void cancel_button(Frame& f, const core::Message& m, float x, float y, float bh) {
    const float d = 26.0f;
    ImGui::SetCursorPos(ImVec2(x - d - 8, y + (bh - d) / 2));
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImGui::PushID(("x" + m.client_msg_id).c_str());
    const bool clicked = ImGui::InvisibleButton("cancel", ImVec2(d, d));
    ImGui::PopID();
    target(f, "cancel:" + m.client_msg_id);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 c(p.x + d / 2, p.y + d / 2);
    dl->AddCircleFilled(c, d / 2, IM_COL32(0, 0, 0, ImGui::IsItemHovered() ? 90 : 55));
    const float k = 5.0f;
    dl->AddLine(ImVec2(c.x - k, c.y - k), ImVec2(c.x + k, c.y + k), kWhite, 2.0f);
    dl->AddLine(ImVec2(c.x - k, c.y + k), ImVec2(c.x + k, c.y - k), kWhite, 2.0f);
    if (clicked) f.out.events.push_back(core::ev::CancelUpload{m.client_msg_id});
}

}  // namespace imchat::ui
