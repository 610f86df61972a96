// imchat::server QR codes (libqrencode): the module matrix, a PNG (libpng),
// an SVG, and terminal half-block art.
#pragma once
#include <string>
#include <vector>

namespace imchat::server {

struct QrMatrix {
    int               size = 0;     // modules per side, without quiet zone
    std::vector<bool> dark;         // row-major, size * size
    bool at(int x, int y) const { return x >= 0 && y >= 0 && x < size && y < size && dark[y * size + x]; }
};

QrMatrix    qr_encode(const std::string& text);                    // size 0 on failure
std::string qr_png(const QrMatrix& m, int scale = 8, int quiet = 4);
std::string qr_svg(const QrMatrix& m, int quiet = 4);
std::string qr_terminal(const QrMatrix& m, int quiet = 2);         // light modules drawn: reads on dark terminals

}  // namespace imchat::server
