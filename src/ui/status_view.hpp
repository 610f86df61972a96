// imchat::ui status views: the screens that are one centred sentence.
#pragma once
#include "ui/widgets.hpp"

namespace imchat::ui {

void loading_view(Frame& f);     // before the session knows where to go
void not_found_view(Frame& f);   // a join link to a group that does not exist

}  // namespace imchat::ui
