// imchat::ui member menu: the popup a tap on a member opens in the group info:
// message them, and the owner's approve / reject / mute / unmute / remove.
#pragma once
#include <cstdint>
#include <string>

#include "ui/view_models.hpp"
#include "ui/widgets.hpp"

namespace imchat::ui {

inline constexpr const char* kMemberMenu = "##membermenu";   // popup id, under the member's ImGui id

struct MemberPick {
    int64_t     user_id = 0;                                  // whose menu is open (0: none)
    std::string name;                                         // their display name (title of a 1:1 chat)
};

void member_menu(Frame& f, const GroupInfoVm& vm, const MemberPick& pick);   // call right after the member row

}  // namespace imchat::ui
