// imchat::ui group info view: the group's QR code and link, announcement,
// the owner's pending join requests (reason, time, approve / reject), members
// (tap one for the member menu), "invite", and the actions: the owner's rename,
// announcement, join policy and dissolve; a member's group nickname and quit.
#pragma once
#include "ui/member_menu.hpp"
#include "ui/view_models.hpp"
#include "ui/widgets.hpp"

namespace imchat::ui {

class GroupInfoView {
public:
    void draw(Frame& f, const GroupInfoVm& vm);

private:
    void requests(Frame& f, const GroupInfoVm& vm, float width);   // the owner's pending join requests
    void members(Frame& f, const GroupInfoVm& vm, float width);
    void actions(Frame& f, const GroupInfoVm& vm, float width);

    MemberPick pick_;                                  // the member whose menu is open
};

}  // namespace imchat::ui
