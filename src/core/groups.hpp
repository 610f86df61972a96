// imchat::core groups and joins: the scanned link, the join screen's card,
// the open group's detail and the QR code on screen.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/api_client.hpp"
#include "core/avatar.hpp"
#include "core/url.hpp"
#include "protocol/group.hpp"

namespace imchat::core {

// The join screen's group card (someone who scanned a QR code and is not a member).
struct JoinCard {
    std::string name;
    int         member_count = 0;
    int         policy = 0;              // invite_confirm
    bool        pending = false;         // our request waits for the owner
    bool        needs_login = false;     // policy 2 and we are a guest
    bool        contact = false;         // a personal QR: "add contact" rather than "join"
    int64_t     user_id = 0;             // contact: who
    int64_t     group_id = 0;            // a group's card: which (its default avatar)
    std::string avatar;                  // the group's (or contact's) image URL, "" if none
    std::vector<Face> faces;             // a group's members we were told about (its avatar grid)
};

// The page's link (?group=, ?u=): kept across identities; `done` once handled.
struct Link {
    std::optional<JoinTarget> target;
    bool                      done = false;
};

// The invite picker of the open group.
struct InvitePicker {
    bool                   loaded = false;   // the candidates answer arrived
    std::vector<Candidate> candidates;
};

// What the group and settings screens show. Reset (re-constructed) when the identity changes.
struct Groups {
    JoinCard        join_card;
    protocol::Group detail;              // groupinfo of the open group
    Qr              qr;                  // the group's QR code, or mine on the settings screen
    InvitePicker    invite;
};

}  // namespace imchat::core
