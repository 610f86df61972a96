#include "ui/status_view.hpp"

namespace imchat::ui {

void loading_view(Frame& f) { center_text(f, f.tr(core::Str::Loading)); }

void not_found_view(Frame& f) { center_text(f, f.tr(core::Str::GroupNotFound), f.tr(core::Str::GroupNotFoundHint)); }

}  // namespace imchat::ui
