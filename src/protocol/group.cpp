#include "protocol/group.hpp"

namespace imchat::protocol {

std::string Member::display_name() const {
    if (!nickname.empty()) return nickname;
    if (!user_nickname.empty()) return user_nickname;
    return username;
}

const Member* Group::member(int64_t user_id) const {
    for (const auto& m : members)
        if (m.user_id == user_id) return &m;
    return nullptr;
}

const char* to_string(Role r) { return r == Role::Owner ? "owner" : "member"; }

namespace {
MemberStatus member_status(int64_t v) {
    switch (v) {
        case 0: return MemberStatus::Muted;
        case 2: return MemberStatus::Pending;
        default: return MemberStatus::Member;
    }
}
JoinPolicy policy(int64_t v) {
    switch (v) {
        case 1: return JoinPolicy::Approve;
        case 2: return JoinPolicy::UsersApprove;
        default: return JoinPolicy::Open;
    }
}
}  // namespace

Group read_group(const Json& j) {
    Group g;
    if (!j.is_object()) return g;
    g.id           = read_int(j, "id");
    g.name         = read_str(j, "name");
    g.avatar       = read_str(j, "avatar");
    g.remark       = read_str(j, "remark");
    g.owner_id     = read_int(j, "user_id");
    g.policy       = policy(read_int(j, "invite_confirm"));
    g.status       = static_cast<int>(read_int(j, "status", 1));
    g.member_count = static_cast<int>(read_int(j, "member_count"));
    const auto gu  = j.find("group_users");
    g.has_members  = gu != j.end() && gu->is_array();
    for (const auto& mj : read_arr(j, "group_users")) {
        if (!mj.is_object()) continue;
        Member m;
        m.user_id = read_int(mj, "user_id");
        m.nickname = read_str(mj, "nickname");
        const Json& u = read_obj(mj, "user");
        m.username = read_str(u, "username");
        m.user_nickname = read_str(u, "nickname");
        m.avatar = read_str(mj, "avatar", read_str(u, "avatar"));
        m.role = read_str(mj, "role") == "owner" ? Role::Owner : Role::Member;
        m.status = member_status(read_int(mj, "status", 1));
        m.reason = read_str(mj, "reason");
        m.request_time = read_int(mj, "request_time");
        g.members.push_back(std::move(m));
    }
    if (j.contains("my_status")) g.my_status = static_cast<int>(read_int(j, "my_status", 1));
    g.last_seq = read_int(j, "last_seq");
    if (g.member_count == 0 && g.has_members) g.member_count = static_cast<int>(g.members.size());
    return g;
}

std::vector<Group> read_group_list(const Json& j) {
    std::vector<Group> out;
    if (!j.is_array()) return out;
    for (const auto& g : j)
        if (g.is_object()) out.push_back(read_group(g));
    return out;
}

Json to_json(const Member& m) {
    return Json{{"user_id", m.user_id}, {"nickname", m.nickname}, {"role", to_string(m.role)},
                {"status", static_cast<int>(m.status)},
                {"user", {{"id", m.user_id}, {"username", m.username}, {"nickname", m.user_nickname},
                          {"avatar", m.avatar}}}};
}

}  // namespace imchat::protocol
