// imchat::core stickers (issue 13): the reference's iconMenus. A sticker message has type
// `emoticon` (the reference's name `iconMenus` is read as the same) and `data` = a sticker key
// [A-Za-z0-9_-]{1,64}; the client draws the keys it knows (each one emoji, drawn big) and a
// neutral placeholder naming the key for the others. The page's panel (web/js/emoji.js) lists
// the same keys (a core test checks they agree).
#pragma once
#include <span>
#include <string_view>

namespace imchat::core {

struct Sticker {
    const char* key;     // what the message carries
    const char* emoji;   // what it looks like (UTF-8, one codepoint)
};

std::span<const Sticker> stickers();                      // the set the panel offers, in order
const Sticker*           find_sticker(std::string_view key);   // nullptr: not ours (placeholder)
bool                     is_sticker_key(std::string_view s);   // [A-Za-z0-9_-]{1,64}
bool                     is_sticker_type(std::string_view type);   // "emoticon" | "iconMenus"

}  // namespace imchat::core
