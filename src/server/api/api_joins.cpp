// Joining a group by its QR code or link, and the owner's answer to a request.
// inviteuser_id <= 0 (the client sends -1): the caller joins by the QR code or link.
// invite_confirm 0: at once; 1: a request the owner approves (optional reason, <= 500
// chars); 2: guests must log in or register first, users need approval.
#include "server/api/api.hpp"
#include "server/api/api_internal.hpp"

namespace imchat::server {

using namespace detail;

Response Api::group_invite_user(Ctx& c) {
    const int64_t gid = read_int(c.body, "group_id");
    const int64_t joiner = read_int(c.body, "user_id", c.user.id);
    const int64_t inviter = read_int(c.body, "inviteuser_id", -1);
    if (inviter > 0 || joiner != c.user.id) return fail(kErrInviteOthers);
    auto g = store_.group_by_id(gid);
    if (!g || g->status != 1) return fail(kErrGroupNotFound);
    auto existing = store_.member(gid, c.user.id);
    if (existing && existing->status != kPending) return ok(group_json(*g, true, c.user.id));   // scanned again
    const std::string reason = read_str(c.body, "addGroupDesc");
    if (char_count(reason) > 500 || !valid_utf8(reason)) return fail(kErrReason);
    if (g->invite_confirm == 2 && c.user.role == "visitor") return fail(kErrNeedLogin);
    if (g->invite_confirm == 0) {
        if (store_.add_member(gid, c.user.id, kMember, clock_()))
            post_system_notice(*g, display_name(c.user) + " 加入了群聊");
        return ok(group_json(*g, true, c.user.id));
    }
    if (!existing) store_.add_member(gid, c.user.id, kPending, clock_());
    push({g->owner_id}, event_message(*g, "joinRequest", c.user.id,
                                      display_name(c.user) + " 申请加入群聊" + (reason.empty() ? "" : "：" + reason)));
    Json j = group_json(*g, false, c.user.id);
    j["pending"] = true;
    return ok(j);
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
        post_system_notice(g, display_name(m->user) + " 加入了群聊");
        push({uid}, event_message(g, "joinAgreed", uid, "群主同意了你的加群申请"));
    } else if (type == "no") {
        store_.remove_member(g.id, uid);
        push({uid}, event_message(g, "joinRejected", uid, "群主拒绝了你的加群申请"));
    } else {
        return fail(kErrBadParam);
    }
    return ok(group_json(g, true, c.user.id));
}

}  // namespace imchat::server
