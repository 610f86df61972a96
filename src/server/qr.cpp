#include "server/qr.hpp"

#include <png.h>
#include <qrencode.h>

#include <memory>

namespace imchat::server {

QrMatrix qr_encode(const std::string& text) {
    QrMatrix m;
    std::unique_ptr<QRcode, decltype(&QRcode_free)> qr(
        QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
    if (!qr) return m;
    m.size = qr->width;
    m.dark.resize(static_cast<size_t>(m.size) * m.size);
    for (int i = 0; i < m.size * m.size; ++i) m.dark[i] = (qr->data[i] & 1) != 0;
    return m;
}

std::string qr_png(const QrMatrix& m, int scale, int quiet) {
    const int px = (m.size + 2 * quiet) * scale;
    std::string out;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png_create_info_struct(png);
    if (!png || !info || setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return {};
    }
    png_set_write_fn(png, &out, [](png_structp p, png_bytep data, png_size_t n) {
        static_cast<std::string*>(png_get_io_ptr(p))->append(reinterpret_cast<const char*>(data), n);
    }, nullptr);
    png_set_IHDR(png, info, px, px, 8, PNG_COLOR_TYPE_GRAY, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    std::vector<png_byte> row(px);
    for (int y = 0; y < px; ++y) {
        for (int x = 0; x < px; ++x) row[x] = m.at(x / scale - quiet, y / scale - quiet) ? 0 : 255;
        png_write_row(png, row.data());
    }
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    return out;
}

std::string qr_svg(const QrMatrix& m, int quiet) {
    const int n = m.size + 2 * quiet;
    std::string path;
    for (int y = 0; y < m.size; ++y)
        for (int x = 0; x < m.size; ++x)
            if (m.at(x, y)) path += "M" + std::to_string(x + quiet) + " " + std::to_string(y + quiet) + "h1v1h-1z";
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + std::to_string(n) + " " + std::to_string(n) +
           "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path d=\"" + path +
           "\" fill=\"#000\"/></svg>";
}

std::string qr_terminal(const QrMatrix& m, int quiet) {
    std::string out;
    for (int y = -quiet; y < m.size + quiet; y += 2) {
        for (int x = -quiet; x < m.size + quiet; ++x) {
            const bool top = m.at(x, y), bottom = m.at(x, y + 1);
            out += top ? (bottom ? " " : "▄") : (bottom ? "▀" : "█");
        }
        out += "\n";
    }
    return out;
}

}  // namespace imchat::server
