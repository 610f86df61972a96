// imchat::ui settings view: nickname, whether guests may message me (users
// only), language, and my personal QR code.
#pragma once
#include "ui/view_models.hpp"
#include "ui/widgets.hpp"

namespace imchat::ui {

void settings_view(Frame& f, const SettingsVm& vm);

}  // namespace imchat::ui
