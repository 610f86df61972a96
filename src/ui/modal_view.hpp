// imchat::ui modal: the one blocking message the session may raise (signed in
// elsewhere, ...), with its single button.
#pragma once
#include "ui/view_models.hpp"
#include "ui/widgets.hpp"

namespace imchat::ui {

void modal_view(Frame& f, const ModalVm& vm);   // call every frame while there is a modal

}  // namespace imchat::ui
