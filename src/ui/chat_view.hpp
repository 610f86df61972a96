// imchat::ui chat view: the open conversation's messages (virtualised, see
// message_list.hpp), "load earlier" at the top, following new messages while the
// reader is at the bottom, the message menu, and the composer strip at the bottom:
// the rectangle the DOM composer is laid over, or why this chat is read-only.
#pragma once
#include <cstdint>
#include <string>
#include <unordered_map>

#include "ui/collapse.hpp"
#include "ui/message_list.hpp"
#include "ui/message_row.hpp"
#include "ui/view_models.hpp"
#include "ui/widgets.hpp"

namespace imchat::ui {

class ChatView {
public:
    explicit ChatView(const Images& images) : images_(images) {}
    void forget_evicted();   // thumbnails let go are asked for again when drawn (image_cache.hpp)
    void draw(Frame& f, const ChatVm& vm);                // fills the window below the bar and banner
    // Opened from the conversation list: the next frames show the newest messages (a chat
    // reopened kept wherever its list had scrolled to while hidden).
    void opened() { open_frames_ = 2; }
    // The message is shown folded (a long text, not expanded): the snapshot's messages[].collapsed.
    bool collapsed(const core::Message& m) const { return folds_.collapsed(row_key(m)); }

private:
    void messages(Frame& f, const ChatVm& vm, float list_h);
    void composer(Frame& f, const ChatVm& vm);

    const Images&   images_;
    MessageList     list_;                                // row heights and offsets
    TextFolds       folds_;                               // long texts: sizes, folded or expanded
    ImagePreviews   previews_;                            // my photos' local previews (message_row image_src)
    std::unordered_map<std::string, bool> asked_;         // thumbnails already requested
    std::string     last_key_;                            // the bottom message; a change means "new message"
    bool            stick_to_bottom_ = true;              // the reader is at the bottom: follow new ones
    int             open_frames_ = 0;                     // frames still to land at the bottom (opened())
    int64_t         first_seq_ = 0;                       // first message held; changes when earlier ones load
    float           anchor_max_ = -1, anchor_y_ = 0;      // keeps the view still while earlier messages load
    int64_t         menu_message_ = 0;                    // message whose menu is open
    float           last_list_h_ = 0;                     // the list shrinks when a phone keyboard opens
    float           last_total_ = 0;                      // content height: rows grow as glyphs arrive
    int             last_toggles_ = 0;                    // folds toggled by the reader (not followed)
};

}  // namespace imchat::ui
