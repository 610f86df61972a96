// imchat::ui message list layout: variable-height rows, virtualised. Each row's
// height is measured once and cached (until what changes it changes); the top of
// every row is kept in one offsets array, rebuilt only when the conversation, its
// revision, the width, the fonts or the images change; a frame then finds the
// first visible row by binary search and draws only the rows in view.
// ImGuiListClipper assumes one fixed row height, hence this. No ImGui here:
// measuring is injected (message_row.cpp measures with ImGui).
// A time separator (core::needs_separator: the first row, or 5 minutes since the one
// before) takes `Key::sep_h` above its row; the row's offset is the separator's top.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/session.hpp"

namespace imchat::ui {

// A row's measured height, and whether it may be cached (a thumbnail whose size
// has not arrived yet will change: not cached).
struct RowMeasure { float h = 0; bool stable = true; };

class MessageList {
public:
    // Everything the offsets depend on; a different key rebuilds them.
    struct Key {
        uint64_t              revision = ~0ull;          // message store revision
        float                 width = -1, top = -1;      // content width, first row's y
        int                   fonts = -1, images = -1;   // atlas and thumbnail generations
        size_t                count = 0;                 // rows
        std::optional<core::ConversationKey> conv;       // none: never reused
        float                 sep_h = 0;                 // a time separator's height (0: none drawn)
        int                   folds = 0;                 // long texts folded/expanded (collapse.hpp)
        bool operator==(const Key& o) const;
    };
    using Measure = std::function<RowMeasure(const core::Message& m, bool mine)>;

    // Brings the offsets up to date; returns true when they were rebuilt.
    bool                       update(std::span<const core::Message> msgs, int64_t me, const Key& key,
                                      const Measure& measure);
    const std::vector<float>&  offsets() const { return offsets_; }      // top of each row, content y
    float                      total() const { return total_; }          // content height
    size_t                     first_visible(float view_top) const;     // the row under view_top
    bool                       separated(size_t i) const { return i < sep_.size() && sep_[i]; }   // a separator above row i
    size_t                     measured() const { return measured_; }   // rows measured so far (tests)

private:
    struct RowCache { float width = -1; int fonts = -1; int isremove = 0; int status = 0; size_t len = 0;
                      bool mine = false; bool stable = false; float h = 0; };
    float row_height(const core::Message& m, bool mine, const Key& key, const Measure& measure);

    std::unordered_map<std::string, RowCache> rows_;   // by message id (or client id while pending)
    std::vector<float>  offsets_;
    std::vector<bool>   sep_;
    float               total_ = 0;
    Key                 key_;
    size_t              measured_ = 0;
};

std::string row_key(const core::Message& m);   // "i<id>", or "c<client_msg_id>" while pending

}  // namespace imchat::ui
