// imchat::ui top bar: back, title, the connection dot, and the screen's buttons
// (settings and log in/out on the list, "..." in a group chat).
#pragma once
#include "ui/view_models.hpp"
#include "ui/widgets.hpp"

namespace imchat::ui {

void top_bar(Frame& f, const TopBarVm& vm);   // leaves the cursor below the bar

}  // namespace imchat::ui
