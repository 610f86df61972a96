// imchat::ui avatars: a user's (its decoded image when `url` has one, else the
// default: a rounded square in the id's colour with the name's first character) and
// a group's (a grid of up to 9 member avatars, core/avatar.hpp lays it out). An image
// is asked from the platform once (Output::load_images) and drawn from its texture
// once decoded: never fetched per frame.
#pragma once
#include <imgui.h>

#include <cstdint>
#include <string>
#include <vector>

#include "core/avatar.hpp"
#include "ui/widgets.hpp"

namespace imchat::ui {

inline constexpr float kAvatarRound = 0.12f;   // corner radius, as a share of the side

// At screen position p (top-left), side `size`.
void avatar(Frame& f, ImDrawList* dl, ImVec2 p, float size, int64_t id, const std::string& name,
            const std::string& url);
// A group: its faces in a grid on a light square; no faces known: the group's own default.
void group_avatar(Frame& f, ImDrawList* dl, ImVec2 p, float size, int64_t group_id, const std::string& name,
                  const std::string& url, const std::vector<core::Face>& faces);

}  // namespace imchat::ui
