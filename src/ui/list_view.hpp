// imchat::ui conversation list: "create group" for registered users, then one
// row per conversation with its unread count.
#pragma once
#include "ui/view_models.hpp"
#include "ui/widgets.hpp"

namespace imchat::ui {

void list_view(Frame& f, const ListVm& vm);

}  // namespace imchat::ui
