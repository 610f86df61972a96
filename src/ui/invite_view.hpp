// imchat::ui invite picker: the open group's member picks someone to invite from
// groupInviteCandidates (contacts, members of shared groups); each row shows the
// result once tapped (added / request sent / the server's reason).
#pragma once
#include "ui/view_models.hpp"
#include "ui/widgets.hpp"

namespace imchat::ui {

void invite_view(Frame& f, const InviteVm& vm);   // targets: invite:<user id>

}  // namespace imchat::ui
