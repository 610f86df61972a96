#include "ui/message_list.hpp"

#include <algorithm>

#include "core/time_label.hpp"

namespace imchat::ui {

bool MessageList::Key::operator==(const Key& o) const {
    // A key without a conversation matches nothing: the layout is rebuilt.
    return conv && o.conv && revision == o.revision && width == o.width && top == o.top && fonts == o.fonts &&
           images == o.images && sep_h == o.sep_h && folds == o.folds && count == o.count && *conv == *o.conv;
}

std::string row_key(const core::Message& m) { return m.id ? "i" + std::to_string(m.id) : "c" + m.client_msg_id; }

float MessageList::row_height(const core::Message& m, bool mine, const Key& key, const Measure& measure) {
    RowCache& rc = rows_[row_key(m)];
    const int status = static_cast<int>(m.status);
    if (rc.stable && rc.width == key.width && rc.fonts == key.fonts && rc.isremove == m.isremove &&
        rc.status == status && rc.len == m.data.size() && rc.mine == mine)
        return rc.h;
    const RowMeasure r = measure(m, mine);
    ++measured_;
    rc = RowCache{key.width, key.fonts, m.isremove, status, m.data.size(), mine, r.stable, r.h};
    return rc.h;
}

bool MessageList::update(std::span<const core::Message> msgs, int64_t me, const Key& key, const Measure& measure) {
    if (key == key_) return false;
    offsets_.resize(msgs.size());
    sep_.assign(msgs.size(), false);
    float y = key.top;
    for (size_t i = 0; i < msgs.size(); ++i) {
        offsets_[i] = y;
        if (key.sep_h > 0 && core::needs_separator(i ? &msgs[i - 1].create_time : nullptr, msgs[i].create_time)) {
            sep_[i] = true;
            y += key.sep_h;
        }
        y += row_height(msgs[i], msgs[i].from_id == me, key, measure);
    }
    total_ = y;
    key_ = key;
    return true;
}

size_t MessageList::first_visible(float view_top) const {
    const size_t i = std::upper_bound(offsets_.begin(), offsets_.end(), view_top) - offsets_.begin();
    return i > 0 ? i - 1 : 0;
}

}  // namespace imchat::ui
