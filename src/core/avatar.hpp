// imchat::core default avatars, drawn by the client without a request: a rounded
// square in a colour chosen from the user id (a fixed palette), with the first
// character of the display name (a hanzi as is, a Latin letter upper-cased, else
// the first code point). A group's avatar is a grid of up to 9 member avatars, the
// way WeChat lays it out: 1 alone, 2-4 in a 2x2 grid, 5-9 in a 3x3 grid, the top
// row holding the remainder, centred. Pure (no ImGui): the UI draws what this says.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace imchat::core {

inline constexpr int kAvatarPalette = 10;
uint32_t    avatar_color(int64_t id);                  // 0xAARRGGBB (opaque), one of the palette
int         avatar_color_index(int64_t id);            // which one (0..kAvatarPalette-1)
std::string avatar_initial(const std::string& name);   // UTF-8 of one code point; "?" when empty

// A member's face as a group avatar grid draws it.
struct Face {
    int64_t     id = 0;
    std::string name, avatar;                          // avatar: an image URL, or "" for the default
    bool operator==(const Face&) const = default;
};
inline constexpr size_t kGroupFaces = 9;

// Cells of a group avatar of `n` faces (capped at 9) inside a square of side `size`,
// `gap` between and around the cells: x, y from the square's top-left, and side.
struct Cell { float x = 0, y = 0, side = 0; };
std::vector<Cell> avatar_grid(size_t n, float size, float gap);

// Adds a face to a group's known faces: updates it when the id is there, else
// appends while fewer than 9 are known.
void remember_face(std::vector<Face>& faces, const Face& f);

}  // namespace imchat::core
