// imchat::ui message menu: the popup a long press (or right click) on a message
// opens: the exact time it was sent (YYYY-MM-DD HH:mm:ss), copy, and recall when allowed.
#pragma once
#include <cstdint>

#include "ui/view_models.hpp"
#include "ui/widgets.hpp"

namespace imchat::ui {

inline constexpr const char* kMessageMenu = "##msgmenu";   // popup id, in the message list's window

void message_menu(Frame& f, const ChatVm& vm, int64_t message_id);   // call every frame after the rows

}  // namespace imchat::ui
