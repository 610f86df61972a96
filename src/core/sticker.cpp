#include "core/sticker.hpp"

#include <algorithm>

namespace imchat::core {

namespace {
// Single-codepoint emoji with a default emoji presentation (no VS16, no ZWJ): every
// colour-emoji font draws each as one glyph.
constexpr Sticker kStickers[] = {
    {"smile", "\U0001F600"},  {"laugh", "\U0001F602"},  {"love", "\U0001F60D"},   {"wink", "\U0001F609"},
    {"cool", "\U0001F60E"},   {"cry", "\U0001F62D"},    {"angry", "\U0001F620"},  {"shock", "\U0001F631"},
    {"think", "\U0001F914"},  {"sleepy", "\U0001F634"}, {"party", "\U0001F389"},  {"thumbs_up", "\U0001F44D"},
    {"ok", "\U0001F44C"},     {"clap", "\U0001F44F"},   {"heart", "\U0001F496"},  {"rose", "\U0001F339"},
    {"coffee", "\u2615"},     {"fire", "\U0001F525"},   {"pray", "\U0001F64F"},   {"bye", "\U0001F44B"},
};
}  // namespace

std::span<const Sticker> stickers() { return kStickers; }

const Sticker* find_sticker(std::string_view key) {
    for (const Sticker& s : kStickers)
        if (key == s.key) return &s;
    return nullptr;
}

bool is_sticker_key(std::string_view s) {
    return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_' ||
               ch == '-';
    });
}

bool is_sticker_type(std::string_view type) { return type == "emoticon" || type == "iconMenus"; }

}  // namespace imchat::core
