// imchat::ui join view: what a QR scan shows a non-member: the group card with
// its join policy and the button that applies (or sends a guest to log in), or a
// person's card with "add contact".
#pragma once
#include "ui/view_models.hpp"
#include "ui/widgets.hpp"

namespace imchat::ui {

void join_view(Frame& f, const JoinVm& vm);

}  // namespace imchat::ui
