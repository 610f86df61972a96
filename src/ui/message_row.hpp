// imchat::ui message row: one row of the chat (bubble with sender name and send
// status, image thumbnail, recalled line, system notice): measured and drawn by
// the same code, so the cached heights match what is drawn.
#pragma once
#include <imgui.h>

#include <functional>
#include <string>
#include <unordered_map>

#include "core/session.hpp"
#include "ui/collapse.hpp"
#include "ui/message_list.hpp"
#include "ui/output.hpp"
#include "ui/widgets.hpp"

namespace imchat::ui {

inline constexpr float kBubblePad = 10.0f;                // inside a text bubble
inline constexpr float kRowGap    = 8.0f;                 // between rows
inline constexpr float kRowAvatar = 40.0f;                // others' avatar, left of their bubble
inline constexpr float kRowIndent = 12.0f + kRowAvatar + 8.0f;   // others' bubble and name start here

using ImagePreviews = std::unordered_map<std::string, std::string>;   // client_msg_id -> blob: URL

struct RowEnv {
    const Images&                          images;        // decoded thumbnails
    std::unordered_map<std::string, bool>& asked;         // thumbnails already requested
    const core::Media*                     media = nullptr;   // voice: played / playing (none: all played)
    int64_t                                me = 0;
    // A photo's, voice's, file's or video's upload while it is not uploaded (Session::upload_of), if known.
    const std::function<const core::MediaUpload*(const core::Message&)>* upload_of = nullptr;
    TextFolds*                             folds = nullptr;   // long texts fold (collapse.hpp); null: never
    ImagePreviews*                         previews = nullptr;   // my photos' local previews (image_src)
};

// The picture a photo bubble shows: the page's preview (a blob: URL) while it uploads, then
// the server's thumbnail once decoded; until then the preview still, so my photo never
// blinks grey when it is sent. Remembers previews in `previews` (null: the URL alone).
const std::string& image_src(const Images& images, const core::Message& m, const core::MediaUpload* upload,
                             ImagePreviews* previews);

ImVec2     thumb_size(const Images& images, const std::string& url);   // decoded size, or a placeholder's
// The line under an unsent bubble of mine: "sending", or why it failed (the
// server's reason) with "tap to retry" only when a retry can succeed. "" when sent.
std::string status_line(core::Lang lang, const core::Message& m, const core::SendError* err);
// `err`: why the message failed (Session::send_error), nullptr if none.
// `image_url`: what a photo bubble shows (image_src), null: m.data.
RowMeasure measure_row(const Images& images, const core::Message& m, bool mine, float width,
                       core::Lang lang = core::Lang::ZhCN, const core::SendError* err = nullptr,
                       TextFolds* folds = nullptr, const std::string* image_url = nullptr);   // incl. gap
// A time separator's height, and drawing it (centred grey "今天 14:05") at content y.
float      separator_h();
void       draw_separator(Frame& f, int64_t t_ms, float y, float width);
// Draws the row at content y; returns true when it asks for the message menu
// (long press or right click).
bool       draw_row(Frame& f, RowEnv& env, const core::Message& m, bool mine, float y, float width,
                    const core::SendError* err = nullptr);

}  // namespace imchat::ui
