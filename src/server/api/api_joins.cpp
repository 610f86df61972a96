// Joining a group by its QR code or link, a member inviting someone, and the
// owner's answer to a request.
// inviteuser_id <= 0 (the client sends -1): the caller joins by the QR code or link.
// inviteuser_id > 0: the caller (a member) invites that user, one of its contacts or
// a member of a group it also belongs to; the policy applies to the invitee, except
// that an owner's invite adds at once.
// invite_confirm 0: at once; 1: a request the owner approves (optional reason, <= 500
// code points, stored with its time until the owner answers, from any device);
// 2: guests must log in or register first, users need approval.
#include "server/api/api.hpp"
#include "server/api/api_internal.hpp"

namespace imchat::server {

using namespace detail;

Response Api::group_invite_user(Ctx& c) {
    const int64_t gid = read_int(c.body, "group_id");
    const int64_t invitee = read_int(c.body, "inviteuser_id", -1);
    if (invitee > 0) return invite_other(c, gid, invitee);
    const int64_t joiner = read_int(c.body, "user_id", c.user.id);
    if (joiner != c.user.id) return fail(kErrInviteOthers);
    auto g = store_.group_by_id(gid);
    if (!g || g->status != 1) return fail(kErrGroupNotFound);
    // A member's answer: the card and, when asked (`latest`), the latest page.
    auto joined = [&] {
        Json j = join_answer(*g, c.user.id);
        if (auto n = latest_limit(c.body, "latest"))
            j["latest"] = latest_page(gid, *n);
        return ok(j);
    };
    auto existing = store_.member(gid, c.user.id);
    if (existing && existing->status != kPending) return joined();   // scanned again
    const std::string reason = read_str(c.body, "addGroupDesc");
    if (!valid_utf8(reason) || char_count(reason) > 500) return fail(kErrReason);
    if (g->invite_confirm == 2 && c.user.role == "visitor") return fail(kErrNeedLogin);
    if (g->invite_confirm == 0) {
        join_open_group(*g, c.user);
        return joined();
    }
    if (!existing) {
        store_.add_member(gid, c.user.id, kPending, clock_());
        member_changed(gid, c.user.id);   // pending: not in the audience; kept for one rule
    }
    store_.set_join_request(gid, c.user.id, reason, clock_());   // asking again replaces reason and time
    push({g->owner_id}, event_message(*g, "joinRequest", c.user.id,
                                      display_name(c.user) + " 申请加入群聊" + (reason.empty() ? "" : "：" + reason)));
    Json j = group_json(*g, false, c.user.id);
    j["pending"] = true;
    return ok(j);
}

void Api::join_open_group(const GroupRow& g, const UserRow& u) {
    if (!store_.add_member(g.id, u.id, kMember, clock_())) return;
    member_changed(g.id, u.id);
    const std::string name = display_name(u);
    post_join_notice(g, name, name + " 加入了群聊");
}

std::optional<int> Api::latest_limit(const Json& body, const char* key) {
    const auto it = body.is_object() ? body.find(key) : body.end();
    if (!body.is_object() || it == body.end()) return std::nullopt;
    const Json& v = *it;
    int64_t n = 0;
    if (v.is_number_integer()) n = v.get<int64_t>();
    else if (v.is_string()) n = to_int(v.get_ref<const std::string&>()).value_or(0);
    if (n <= 0) return std::nullopt;
    return static_cast<int>(std::min<int64_t>(n, 200));   // the history route's bound
}

Json Api::latest_page(int64_t group_id, int limit) {
    Json list = Json::array();
    for (const auto& m : store_.messages_latest(conv_key("group", group_id), limit)) list.push_back(protocol::to_json(m));
    return Json{{"list", std::move(list)}};
}

std::optional<Json> Api::link_group(const UserRow& u, int64_t gid, std::optional<int> latest) {
    auto g = store_.group_by_id(gid);
    if (!g) return std::nullopt;
    auto m = store_.member(gid, u.id);
    bool member = m && m->status != kPending;
    if (g->status != 1 && !member) return std::nullopt;
    // Only what a QR scan of an open group does at once; a request for approval waits for the user.
    if (!member && g->status == 1 && g->invite_confirm == 0) {
        join_open_group(*g, u);
        member = true;
    }
    if (!member) return group_json(*g, false, u.id);   // the join screen's card, as groupinfo answers it
    Json j = join_answer(*g, u.id);
    if (latest) j["latest"] = latest_page(gid, *latest);
    return j;
}

// The caller invites `invitee`. Answers the group (with members) and `invitee_status`:
// 1 a member now (or already), 2 a request waiting for the owner.
Response Api::invite_other(Ctx& c, int64_t gid, int64_t invitee) {
    auto g = store_.group_by_id(gid);
    if (!g || g->status != 1) return fail(kErrGroupNotFound);
    auto me = store_.member(gid, c.user.id);
    if (!me || me->status == kPending) return fail(kErrNotInGroup);
    if (invitee == c.user.id) return fail(kErrSelf);
    auto who = store_.user_by_id(invitee);
    if (!who || who->status != 1) return fail(kErrBadParam);
    if (!store_.are_contacts(c.user.id, invitee) && !store_.share_a_group(c.user.id, invitee))
        return fail(kErrInviteScope);
    auto existing = store_.member(gid, invitee);
    auto answer = [&](int status) {
        Json j = join_answer(*g, c.user.id);
        j["invitee_status"] = status;
        return ok(j);
    };
    if (existing && existing->status != kPending) return answer(kMember);
    if (g->invite_confirm == 2 && who->role == "visitor") return fail(kErrInviteeGuest);
    const std::string inviter = display_name(c.user);
    if (g->invite_confirm == 0 || g->owner_id == c.user.id) {
        if (existing) {   // a waiting request: the owner's invite settles it
            store_.set_member_status(gid, invitee, kMember);
            store_.remove_join_request(gid, invitee);
        } else {
            store_.add_member(gid, invitee, kMember, clock_());
        }
        member_changed(gid, invitee);
        const std::string name = display_name(*who);
        post_join_notice(*g, name, inviter + " 邀请 " + name + " 加入了群聊");
        return answer(kMember);
    }
    if (!existing) {   // a request of the invitee's own stays as it was
        store_.add_member(gid, invitee, kPending, clock_());
        member_changed(gid, invitee);
        const std::string reason = "由 " + inviter + " 邀请";
        store_.set_join_request(gid, invitee, reason, clock_());
        push({g->owner_id}, event_message(*g, "joinRequest", invitee, display_name(*who) + " 申请加入群聊：" + reason));
    }
    return answer(kPending);
}

Response Api::group_invite_candidates(Ctx& c) {
    auto id = to_int(c.params[0]);
    auto g = id ? store_.group_by_id(*id) : std::nullopt;
    if (!g || g->status != 1) return fail(kErrGroupNotFound);
    auto me = store_.member(g->id, c.user.id);
    if (!me || me->status == kPending) return fail(kErrNotInGroup);
    Json list = Json::array();
    for (const auto& u : store_.invite_candidates(c.user.id, g->id, 200))
        list.push_back({{"id", u.id}, {"name", display_name(u)}, {"avatar", u.avatar}});
    return ok(list);
}

Response Api::group_agree_or_no(Ctx& c) {
    GroupRow g;
    if (auto bad = owned_group(read_int(c.body, "group_id"), c.user, g)) return *bad;
    const int64_t uid = read_int(c.body, "user_id");
    const std::string type = read_str(c.body, "type");
    auto m = store_.member(g.id, uid);
    if (!m || m->status != kPending) return fail(kErrNoJoinRequest);
    if (type == "agree") {
        store_.set_member_status(g.id, uid, kMember);
        store_.remove_join_request(g.id, uid);
        member_changed(g.id, uid);
        const std::string name = display_name(m->user);
        post_join_notice(g, name, name + " 加入了群聊");
        push({uid}, event_message(g, "joinAgreed", uid, "群主同意了你的加群申请"));
    } else if (type == "no") {
        store_.remove_member(g.id, uid);
        store_.remove_join_request(g.id, uid);
        member_changed(g.id, uid);
        push({uid}, event_message(g, "joinRejected", uid, "群主拒绝了你的加群申请"));
    } else {
        return fail(kErrBadParam);
    }
    return ok(group_json(g, true, c.user.id));
}

}  // namespace imchat::server
