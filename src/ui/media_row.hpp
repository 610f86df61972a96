// imchat::ui file and video bubbles (issue 13): the file's icon (by extension,
// drawn), name and size; the video's poster with a play triangle and its duration;
// an upload's progress bar, and the x that cancels it. message_row.cpp lays the
// bubble out and calls these for its content.
#pragma once
#include <imgui.h>

#include "core/session.hpp"
#include "ui/message_row.hpp"

namespace imchat::ui {

bool   is_media(const core::Message& m);                     // a file or video bubble (not recalled)
std::string media_announcement(core::Lang lang, const core::Message& m);   // "[文件] 报告.pdf" for screen readers
float  media_pad(const core::Message& m);                    // inside the bubble
// The content's size: a file card, or the poster (decoded size, or a placeholder's).
ImVec2 media_size(const Images& images, const core::Message& m, float max_w);
bool   media_stable(const core::Message& m);                 // its height does not wait for a decode
// Draws the content at screen position p (its top left); `upload` while not uploaded.
void   draw_media(Frame& f, RowEnv& env, const core::Message& m, ImVec2 p, ImVec2 size,
                  const core::MediaUpload* upload);
// A tap on the bubble: download the file / play the video (once sent).
void   media_tap(Frame& f, const core::Message& m);
// A thin progress bar of width w at a (an upload's fraction done).
void   upload_bar(ImDrawList* dl, ImVec2 a, float w, double fraction);
// Over a photo being uploaded (content at p, size): a shade, the percent, a bar; notes
// "<key>:uploading:<percent>" (or "<key>:failed") in f.out.drawn (message_row's key:
// "image:<client_msg_id>:shown|placeholder", whether the preview is drawn).
void   draw_upload_progress(Frame& f, ImDrawList* dl, ImVec2 p, ImVec2 size, const core::MediaUpload& upload,
                            const std::string& key);
// The x left of my uploading (or failed) bubble at content (x, y); cancels the upload.
void   cancel_button(Frame& f, const core::Message& m, float x, float y, float bh);

}  // namespace imchat::ui
