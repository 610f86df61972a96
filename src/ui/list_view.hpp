// imchat::ui conversation list: "create group" for registered users, then one
// row per conversation: avatar, title, preview, time, unread and join-request
// badges; a long-press or right-click offers "hide".
#pragma once
#include "ui/view_models.hpp"
#include "ui/widgets.hpp"

namespace imchat::ui {

void list_view(Frame& f, const ListVm& vm);

}  // namespace imchat::ui
