#include "core/avatar.hpp"

#include <algorithm>

namespace imchat::core {

namespace {
// Muted, readable under a white initial (WeChat-like): blue, teal, green, olive,
// amber, orange, coral, rose, violet, slate.
constexpr uint32_t kPalette[kAvatarPalette] = {
    0xFF4A90D9, 0xFF2BA5A0, 0xFF4CAF6A, 0xFF8AA33C, 0xFFE0A526,
    0xFFEE8434, 0xFFE5655A, 0xFFD45D8C, 0xFF8E6BD1, 0xFF607D8B,
};

size_t utf8_len(unsigned char c) {
    if (c < 0x80) return 1;
    if ((c >> 5) == 0x6) return 2;
    if ((c >> 4) == 0xE) return 3;
    if ((c >> 3) == 0x1E) return 4;
    return 1;   // a stray continuation byte: take it alone
}
}  // namespace

int avatar_color_index(int64_t id) {
    // Mix the bits so consecutive ids get unrelated colours (splitmix64's finaliser).
    uint64_t z = static_cast<uint64_t>(id) + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    return static_cast<int>(z % kAvatarPalette);
}

uint32_t avatar_color(int64_t id) { return kPalette[avatar_color_index(id)]; }

std::string avatar_initial(const std::string& name) {
    size_t i = 0;
    while (i < name.size() && (name[i] == ' ' || name[i] == '\t' || name[i] == '\n')) ++i;   // leading blanks
    if (i >= name.size()) return "?";
    const unsigned char c = static_cast<unsigned char>(name[i]);
    if (c < 0x80) return std::string(1, (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : static_cast<char>(c));
    const size_t n = std::min(utf8_len(c), name.size() - i);
    return name.substr(i, n);
}

std::vector<Cell> avatar_grid(size_t n, float size, float gap) {
    n = std::min(n, kGroupFaces);
    std::vector<Cell> cells;
    if (n == 0) return cells;
    if (n == 1) { cells.push_back({gap, gap, size - 2 * gap}); return cells; }
    const int cols = n <= 4 ? 2 : 3;
    const float side = (size - (cols + 1) * gap) / cols;
    const int rows = static_cast<int>((n + cols - 1) / cols);
    const float top = (size - rows * side - (rows - 1) * gap) / 2;   // 2 and 3, 5 and 6 leave rows empty: centre
    const int first = static_cast<int>(n) - (rows - 1) * cols;       // the top row takes the remainder
    size_t k = 0;
    for (int r = 0; r < rows; ++r) {
        const int in_row = r == 0 ? first : cols;
        const float left = (size - in_row * side - (in_row - 1) * gap) / 2;
        for (int c = 0; c < in_row; ++c, ++k)
            cells.push_back({left + c * (side + gap), top + r * (side + gap), side});
    }
    return cells;
}

void remember_face(std::vector<Face>& faces, const Face& f) {
    if (f.id == 0) return;
    for (Face& x : faces)
        if (x.id == f.id) {
            if (!f.name.empty()) x.name = f.name;
            if (!f.avatar.empty()) x.avatar = f.avatar;
            return;
        }
    if (faces.size() < kGroupFaces) faces.push_back(f);
}

}  // namespace imchat::core
