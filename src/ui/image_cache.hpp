// imchat::ui image texture budget: decoded thumbnails, avatars and photo previews stay
// as GPU textures while they are drawn; over a budget the least recently drawn go (a
// long chat full of photos would otherwise hold every one for the page's life), and a
// view that draws one again asks for it again (forget_evicted).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "ui/output.hpp"

namespace imchat::ui {

inline constexpr size_t kImageBudgetBytes = 48u << 20;   // ~34 thumbnails of 200 CSS px at 3x

// The frame drew these textures (the platform reads them from ImGui's draw data).
void mark_used(Images& images, const std::vector<ImTextureID>& drawn, uint64_t frame);
// Lets go of the least recently drawn textures (never one drawn in `frame`) until the
// rest fit `budget`; returns them for the platform to delete. An entry keeps its size
// (rows keep their height) with no texture; failed entries stay as they are.
std::vector<ImTextureID> evict(Images& images, size_t budget, uint64_t frame);
// Asks the platform to decode `url` once per view (`asked`; forgotten after an eviction).
void ask_image(Output& out, std::unordered_map<std::string, bool>& asked, const std::string& url);
// A view's "already asked" URLs, less those no longer decoded after an eviction.
void forget_evicted(const Images& images, std::unordered_map<std::string, bool>& asked);

}  // namespace imchat::ui
