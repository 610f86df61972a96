// imchat::ui login view: a hint, the rectangle the DOM login form is laid over
// (phone keyboards and IMEs need real inputs), and the server's reason when a
// sign-in fails.
#pragma once
#include "ui/view_models.hpp"
#include "ui/widgets.hpp"

namespace imchat::ui {

inline constexpr float kLoginFormH = 168.0f;   // the DOM form: two fields and two buttons

void login_view(Frame& f, const LoginVm& vm);

}  // namespace imchat::ui
