// imchat::protocol groups and members as the wire carries them
// (`groupinfo/:id` answers: the group with `group_users`).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "protocol/json_read.hpp"

namespace imchat::protocol {

enum class Role         { Member, Owner };                  // wire: "member" | "owner"
enum class MemberStatus { Muted = 0, Member = 1, Pending = 2 };   // wire: status 0 | 1 | 2
enum class JoinPolicy   { Open = 0, Approve = 1, UsersApprove = 2 };   // wire: invite_confirm

struct Member {
    int64_t      user_id = 0;
    std::string  nickname;                 // in this group ("" if unset)
    std::string  username, user_nickname, avatar;
    Role         role = Role::Member;
    MemberStatus status = MemberStatus::Member;
    std::string  reason;                   // pending (status 2): the join request's reason
    int64_t      request_time = 0;         // pending: when it was asked (ms)
    std::string  display_name() const;     // group nickname, else nickname, else username
};

struct Group {
    int64_t             id = 0;
    std::string         name, avatar, remark;
    int64_t             owner_id = 0;
    JoinPolicy          policy = JoinPolicy::Open;
    int                 status = 1;        // 1 normal, 0 dissolved (read-only)
    int                 member_count = 0;
    bool                has_members = false;   // the answer carried group_users (members only)
    std::vector<Member> members;
    std::optional<int>  my_status;         // grouplist/groupinfo: ours (1 member, 2 pending, 0 muted, -1 none)
    int64_t             last_seq = 0;      // grouplist: the latest message's seq
    const Member*       member(int64_t user_id) const;
};

const char* to_string(Role r);
Group       read_group(const Json& j);     // tolerant: wrong-typed fields read as defaults
std::vector<Group> read_group_list(const Json& j);   // grouplist answers: non-objects skipped
using ConversationEntry = Group;           // a grouplist entry is a group with last_seq and my_status
Json        to_json(const Member& m);      // wire form (group_users[] entry)

}  // namespace imchat::protocol
