#include "ui/image_cache.hpp"

#include <algorithm>
#include <unordered_set>

namespace imchat::ui {

void mark_used(Images& images, const std::vector<ImTextureID>& drawn, uint64_t frame) {
    if (drawn.empty()) return;
    const std::unordered_set<ImTextureID> set(drawn.begin(), drawn.end());
    for (auto& [url, e] : images.by_url)
        if (e.tex && set.count(e.tex)) e.used = frame;
}

std::vector<ImTextureID> evict(Images& images, size_t budget, uint64_t frame) {
    size_t total = 0;
    std::vector<std::pair<uint64_t, const std::string*>> old;
    for (const auto& [url, e] : images.by_url) {
        if (!e.tex) continue;
        total += e.bytes;
        if (e.used < frame) old.emplace_back(e.used, &url);
    }
    std::vector<ImTextureID> gone;
    if (total <= budget) return gone;
    std::sort(old.begin(), old.end());
    for (const auto& [used, url] : old) {
        if (total <= budget) break;
        // The texture goes; the size stays, so rows keep their height (the list does not
        // shift under a reader scrolled up) and the placeholder shows until it is back.
        Images::Entry& e = images.by_url.at(*url);
        total -= e.bytes;
        gone.push_back(e.tex);
        e.tex = nullptr;
        e.bytes = 0;
    }
    if (!gone.empty()) ++images.evictions;
    return gone;
}

void ask_image(Output& out, std::unordered_map<std::string, bool>& asked, const std::string& url) {
    if (url.empty() || asked[url]) return;
    asked[url] = true;
    out.load_images.push_back(url);
}

void forget_evicted(const Images& images, std::unordered_map<std::string, bool>& asked) {
    std::erase_if(asked, [&](const auto& kv) {
        auto it = images.by_url.find(kv.first);   // none yet: still decoding, stays asked
        return it != images.by_url.end() && !it->second.tex && !it->second.failed;
    });
}

}  // namespace imchat::ui
