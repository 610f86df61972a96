// imchat::ui connection banner: connecting / reconnecting in N s (with "retry
// now") / offline / signed out elsewhere, under the top bar.
#pragma once
#include "ui/view_models.hpp"
#include "ui/widgets.hpp"

namespace imchat::ui {

void banner(Frame& f, const BannerVm& vm);   // draws nothing when online

}  // namespace imchat::ui
