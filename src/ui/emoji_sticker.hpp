// imchat::ui sticker messages (issue 13): type `emoticon` (or the reference's `iconMenus`).
// A known key is drawn big, as its emoji: an SVG data URL the platform decodes like any
// image (crisp at the device's pixel ratio, colour emoji from the system's font); our own
// image upload is drawn as that image; any other key is a neutral grey card naming the key.
#pragma once
#include <imgui.h>

#include <string>

#include "core/session.hpp"
#include "ui/output.hpp"
#include "ui/widgets.hpp"

namespace imchat::ui {

inline constexpr float kStickerPx = 96.0f;   // CSS px, a side

bool        is_sticker(const core::Message& m);
// The image to decode for a sticker: a data: SVG for a known key, our upload URL as is,
// "" for an unknown key (placeholder).
std::string sticker_image_url(const std::string& data);
ImVec2      sticker_size(const Images& images, const core::Message& m);
// Draws the sticker at screen position p (size: sticker_size); asks for its image once.
void        draw_sticker(Frame& f, const Images& images, std::unordered_map<std::string, bool>& asked,
                         const core::Message& m, ImVec2 p);

}  // namespace imchat::ui
