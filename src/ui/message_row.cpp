#include "ui/message_row.hpp"

#include <algorithm>

#include "core/time_label.hpp"
#include "ui/avatar.hpp"
#include "ui/image_cache.hpp"
#include "ui/media_row.hpp"
#include "ui/emoji_sticker.hpp"
#include "ui/theme.hpp"
#include "ui/voice_bubble.hpp"

namespace imchat::ui {

namespace {
float max_bubble(float width) { return std::max(120.0f, width * 0.72f); }
// Others' bubbles sit right of their avatar: the same share of what is left.
float max_other(float width) { return max_bubble(width - (kRowIndent - 12)); }
bool  can_retry(const core::Message& m, const core::SendError* err) {
    return m.status == core::SendStatus::Failed && (!err || err->retry);
}
// Height of the status line under my unsent bubble (0 when sent).
float status_h(core::Lang lang, const core::Message& m, const core::SendError* err, float width) {
    const std::string st = status_line(lang, m, err);
    if (st.empty()) return 0;
    return 4 + ImGui::CalcTextSize(st.c_str(), nullptr, false, max_bubble(width)).y;
}
}  // namespace

std::string status_line(core::Lang lang, const core::Message& m, const core::SendError* err) {
    if (m.status == core::SendStatus::Sent) return {};
    if (m.status == core::SendStatus::Pending) return core::tr(lang, core::Str::Pending);
    if (!err || err->reason.empty()) return core::tr(lang, core::Str::TapToRetry);
    return err->retry ? err->reason + core::tr(lang, core::Str::RetrySuffix) : err->reason;
}

ImVec2 thumb_size(const Images& images, const std::string& url) {
    auto it = images.by_url.find(url);
    if (it == images.by_url.end() || it->second.w <= 0) return ImVec2(160, 120);
    return ImVec2(it->second.w, it->second.h);
}

const std::string& image_src(const Images& images, const core::Message& m, const core::MediaUpload* upload,
                             ImagePreviews* previews) {
    if (upload && !upload->preview.empty()) {
        if (previews) (*previews)[m.client_msg_id] = upload->preview;
        return upload->preview;
    }
    if (!previews || m.client_msg_id.empty()) return m.data;
    auto p = previews->find(m.client_msg_id);
    if (p == previews->end()) return m.data;
    auto sent = images.by_url.find(m.data);
    if (m.data.empty() || (sent != images.by_url.end() && (sent->second.tex || sent->second.failed))) {
        if (!m.data.empty()) previews->erase(p);   // the server's thumbnail is here (or failed): the preview is done
        return m.data;
    }
    auto pre = images.by_url.find(p->second);
    return pre != images.by_url.end() && pre->second.tex ? p->second : m.data;
}

RowMeasure measure_row(const Images& images, const core::Message& m, bool mine, float width, core::Lang lang,
                       const core::SendError* err, TextFolds* folds, const std::string* image_url) {
    const float line = ImGui::GetTextLineHeight();
    float h = 0;
    if (m.type == "systemNotice") {
        const std::string notice = utf8_prefix(m.data, kNoticeMax);
        h = ImGui::CalcTextSize(notice.c_str(), nullptr, false, width - 40).y;
    } else if (m.type == "image" && !m.isremove) {
        if (!mine) h += line + 4;
        h += thumb_size(images, image_url ? *image_url : m.data).y + 2 * 4;
        if (mine) h += status_h(lang, m, err, width);
        else h = std::max(h, kRowAvatar);
        return RowMeasure{h + kRowGap, false};   // not cached: the decoded size may arrive
    } else if (is_media(m)) {   // file / video (media_row.cpp)
        if (!mine) h += line + 4;
        const float wrap = (mine ? max_bubble(width) : max_other(width)) - 2 * kBubblePad;
        h += media_size(images, m, wrap).y + 2 * media_pad(m);
        if (mine) h += status_h(lang, m, err, width);
        else h = std::max(h, kRowAvatar);
        return RowMeasure{h + kRowGap, media_stable(m)};
    } else if (is_sticker(m) && !m.isremove) {
        if (!mine) h += line + 4;
        h += sticker_size(images, m).y;
        if (mine) h += status_h(lang, m, err, width);
        else h = std::max(h, kRowAvatar);
        return RowMeasure{h + kRowGap, false};   // an uploaded sticker's decoded size may arrive
    } else if (m.isremove) {
        h = line;
    } else if (m.type == "audio") {   // one line, like a short text (ui/voice_bubble)
        h = (mine ? 0 : line + 4) + line + 2 * kBubblePad;
        if (mine) h += status_h(lang, m, err, width);
        else h = std::max(h, kRowAvatar);
    } else {
        if (!mine) h += line + 4;
        const float wrap = (mine ? max_bubble(width) : max_other(width)) - 2 * kBubblePad;
        const TextLayout t = text_layout(folds, m, wrap);
        h += t.content.y + 2 * kBubblePad;
        if (mine) h += status_h(lang, m, err, width);
        else h = std::max(h, kRowAvatar);
        return RowMeasure{h + kRowGap, t.stable};
    }
    return RowMeasure{h + kRowGap, true};
}

float separator_h() { return ImGui::GetTextLineHeight() + 12; }

void draw_separator(Frame& f, int64_t t_ms, float y, float width) {
    const std::string label = core::separator_label(t_ms, std::max(f.now, t_ms), f.offset_at(t_ms),
                                                    f.offset_at(f.now), f.lang);
    if (label.empty()) return;
    f.fonts.note(label);
    const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    ImGui::SetCursorPos(ImVec2((width - ts.x) / 2, y + 4));
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(theme::kTextGrey));
    ImGui::TextUnformatted(label.c_str());
    ImGui::PopStyleColor();
    f.out.drawn.push_back("sep:" + label);
}

bool draw_row(Frame& f, RowEnv& env, const core::Message& m, bool mine, float y, float width,
              const core::SendError* err) {
    if (m.type == "systemNotice") {
        const std::string notice = utf8_prefix(m.data, kNoticeMax);   // the server's own short texts
        f.fonts.note(notice);
        const ImVec2 ts = ImGui::CalcTextSize(notice.c_str(), nullptr, false, width - 40);
        ImGui::SetCursorPos(ImVec2((width - ts.x) / 2, y));
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(theme::kTextGrey));
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + width - 40);
        ImGui::TextUnformatted(notice.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
        return false;
    }
    if (m.isremove) {
        const std::string t =
            mine ? f.tr(core::Str::YouRecalled) : ellipsize(m.from_name, width / 2) + f.tr(core::Str::RecalledBy);
        f.fonts.note(t);
        ImGui::SetCursorPos(ImVec2((width - ImGui::CalcTextSize(t.c_str()).x) / 2, y));
        ImGui::TextDisabled("%s", t.c_str());
        return false;
    }
    const float left = mine ? 12.0f : kRowIndent;   // where others' name and bubble start
    if (!mine) {
        ImGui::SetCursorPos(ImVec2(12, y));
        avatar(f, ImGui::GetWindowDrawList(), ImGui::GetCursorScreenPos(), kRowAvatar, m.from_id, m.from_name,
               m.from_avatar);
        const std::string name = ellipsize(m.from_name, max_other(width));   // bounded, however long
        f.fonts.note(name);
        ImGui::SetCursorPos(ImVec2(left, y));
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(theme::kTextGrey));
        ImGui::TextUnformatted(name.c_str());
        ImGui::PopStyleColor();
        y += ImGui::GetTextLineHeight() + 4;
    }
    const bool image = m.type == "image", voice = m.type == "audio", media = is_media(m), sticker = is_sticker(m);
    const float wrap = (mine ? max_bubble(width) : max_other(width)) - 2 * kBubblePad;
    const int secs = voice ? core::audio_duration(m.options) : 0;
    const TextLayout tl = image || sticker || voice || media ? TextLayout{} : text_layout(env.folds, m, wrap);
    const core::MediaUpload* upload = mine && env.upload_of ? (*env.upload_of)(m) : nullptr;
    const std::string& src = image ? image_src(env.images, m, upload, mine ? env.previews : nullptr) : m.data;   // previews: mine only
    if (!tl.tall && !voice && !media) f.fonts.note(m.data);   // a tall text notes the lines it draws
    const ImVec2 ts = image     ? thumb_size(env.images, src)
                      : sticker ? sticker_size(env.images, m)
                      : voice   ? ImVec2(voice_bubble_w(secs, wrap + 2 * kBubblePad) - 2 * kBubblePad, ImGui::GetTextLineHeight())
                      : media   ? media_size(env.images, m, wrap)
                                : tl.content;
    const float ipad = image ? 4.0f : sticker ? 0.0f : media ? media_pad(m) : kBubblePad;
    const float bw = ts.x + 2 * ipad, bh = ts.y + 2 * ipad;
    ImGui::SetCursorPos(ImVec2(mine ? width - bw - 12 : left, y));
    const ImVec2 p = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (!sticker)
        dl->AddRectFilled(p, ImVec2(p.x + bw, p.y + bh), mine ? theme::kBubbleMine : theme::kBubbleOther, 6.0f);
    if (sticker) {
        draw_sticker(f, env.images, env.asked, m, p);
    } else if (image) {
        // Both asked for: the preview shows until the server's thumbnail has decoded.
        ask_image(f.out, env.asked, src);
        ask_image(f.out, env.asked, m.data);
        const ImVec2 a(p.x + ipad, p.y + ipad), b(p.x + ipad + ts.x, p.y + ipad + ts.y);
        auto it = env.images.by_url.find(src);
        const bool shown = it != env.images.by_url.end() && it->second.tex;
        if (shown) dl->AddImage(it->second.tex, a, b);
        else dl->AddRectFilled(a, b, theme::kPlaceholder, 4.0f);
        if (upload) draw_upload_progress(f, dl, a, ts, *upload, "image:" + m.client_msg_id + (shown ? ":shown" : ":placeholder"));
    } else if (voice) {
        const bool playing = env.media && m.id > 0 && env.media->playing() == m.id;
        const bool unplayed = env.media && m.id > 0 && !env.media->played(m, env.me);
        draw_voice(f, dl, p, ImVec2(bw, bh), m.id, VoiceLook{secs, mine, playing, unplayed});
        if (upload && upload->http_id) upload_bar(dl, ImVec2(p.x + 6, p.y + bh - 6), bw - 12, upload->progress());
    } else if (media) {
        draw_media(f, env, m, ImVec2(p.x + ipad, p.y + ipad), ts, upload);
    } else if (tl.tall) {   // a long text: the lines in view, down to its fold (collapse.hpp)
        draw_tall_text(f.fonts, *env.folds, m, ImVec2(p.x + kBubblePad, p.y + kBubblePad), tl.text_h, theme::kTextDark);
    } else {
        dl->AddText(nullptr, 0.0f, ImVec2(p.x + kBubblePad, p.y + kBubblePad), theme::kTextDark, m.data.c_str(), nullptr,
                    wrap);
    }
    const float link_top = kBubblePad + tl.text_h;   // the bubble's own button stops above the link
    ImGui::PushID(row_key(m).c_str());
    ImGui::InvisibleButton("bubble", ImVec2(bw, tl.link ? link_top : bh));
    ImGui::PopID();
    if (m.id > 0) target(f, "msg:" + std::to_string(m.id));
    const ImGuiIO& io = ImGui::GetIO();
    // A tap that did not drag (a drag scrolls the list) opens the image full size.
    if (image && m.id > 0 && ImGui::IsItemClicked() && io.MouseDragMaxDistanceSqr[0] < 100.0f) f.out.open_image = m.data;
    // ... and plays (or stops) a voice message, once the server has it.
    if (voice && m.id > 0 && ImGui::IsItemClicked() && io.MouseDragMaxDistanceSqr[0] < 100.0f)
        f.out.play_voice = PlayVoice{m.id, m.data};
    if (media && m.id > 0) target(f, (m.type == "file" ? "file:" : "video:") + std::to_string(m.id));
    if (media && ImGui::IsItemClicked() && io.MouseDragMaxDistanceSqr[0] < 100.0f) media_tap(f, m);   // download / play
    // Long-press (touch) or right-click opens the message menu.
    const bool long_press =
        ImGui::IsItemActive() && io.MouseDownDuration[0] > 0.5f && io.MouseDragMaxDistanceSqr[0] < 100.0f;
    const bool menu = m.id > 0 && (long_press || ImGui::IsItemClicked(ImGuiMouseButton_Right));
    if (ImGui::IsItemActive()) f.out.animating = true;   // keep frames coming to time the press
    const bool retry = mine && can_retry(m, err);
    if (retry) target(f, "retry:" + m.client_msg_id);
    if (retry && ImGui::IsItemClicked()) f.out.events.push_back(core::ev::RetrySend{m.client_msg_id});
    if (tl.link && env.folds) fold_link(f, *env.folds, m, ImVec2(mine ? width - bw - 12 : left, y + link_top), bw,
                                        tl.expanded, kBubblePad);
    if (mine && m.status != core::SendStatus::Sent) {
        const std::string st = status_line(f.lang, m, err);
        f.fonts.note(st);
        const float wrap = max_bubble(width);
        const ImVec2 ss = ImGui::CalcTextSize(st.c_str(), nullptr, false, wrap);
        ImGui::SetCursorPos(ImVec2(width - ss.x - 12, y + bh + 4));
        ImGui::PushStyleColor(ImGuiCol_Text, ImGui::ColorConvertU32ToFloat4(
            m.status == core::SendStatus::Failed ? theme::kTextFailed : theme::kTextGrey));
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
        ImGui::TextUnformatted(st.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
        if (m.status == core::SendStatus::Failed) target(f, "failed:" + m.client_msg_id);
    }
    if (mine && upload) cancel_button(f, m, width - bw - 12, y, bh);   // uploading or failed: the x cancels it
    return menu;
}

}  // namespace imchat::ui
