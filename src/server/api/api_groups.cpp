// Groups: list and info, create, owner actions, joining by QR (policies 0/1/2
// with approval), and the group QR code.
#include "core/url.hpp"
#include "server/api/api.hpp"
#include "server/api/api_internal.hpp"
#include "server/qr.hpp"

namespace imchat::server {

using namespace detail;

namespace {
constexpr int kMember = 1, kPending = 2, kMuted = 0;

// A frame that is not a stored message: clients refresh what it names.
Json event_message(const GroupRow& g, const char* action, int64_t about_user, const std::string& text) {
    return Json{{"id", 0}, {"seq", 0}, {"chatType", "group"}, {"type", "systemNotice"}, {"actionType", action},
                {"to_id", g.id}, {"to_name", g.name}, {"from_id", about_user}, {"data", text}};
}
}  // namespace

Json Api::group_json(const GroupRow& g, bool with_members, int64_t viewer) {
    Json j{{"id", g.id}, {"uuid", g.uuid}, {"user_id", g.owner_id}, {"name", g.name},
           {"avatar", g.avatar}, {"invite_confirm", g.invite_confirm}, {"status", g.status},
           {"create_time", g.create_time}, {"join_url", join_url(g.id)}};
    auto members = store_.members(g.id);
    j["member_count"] = std::count_if(members.begin(), members.end(), [](auto& m) { return m.status != kPending; });
    if (auto me = std::find_if(members.begin(), members.end(), [&](auto& m) { return m.user_id == viewer; });
        me != members.end())
        j["my_status"] = me->status;
    if (with_members) {
        j["remark"] = g.remark;
        Json list = Json::array();
        for (const auto& m : members) {
            // Pending requests are the owner's business.
            if (m.status == kPending && viewer != g.owner_id && m.user_id != viewer) continue;
            list.push_back({{"user_id", m.user_id}, {"nickname", m.nickname}, {"avatar", m.user.avatar},
                            {"status", m.status}, {"role", m.user_id == g.owner_id ? "owner" : "member"},
                            {"user", user_json(m.user)}});
        }
        j["group_users"] = list;
    }
    return j;
}

std::optional<Response> Api::owned_group(int64_t group_id, const UserRow& u, GroupRow& g) {
    auto found = store_.group_by_id(group_id);
    if (!found || found->status != 1) return fail(protocol::kErrGroupNotFound);
    if (found->owner_id != u.id) return fail(kErrNotOwner, 403);
    g = *found;
    return std::nullopt;
}

void Api::push(const std::vector<int64_t>& users, const Json& message) {
    bus_.publish(users, std::make_shared<const std::string>(protocol::make_frame("singleChat", message, clock_())));
}

// ---- read ----------------------------------------------------------------------------------------

Response Api::group_list(Ctx& c) {
    const int64_t page = std::max<int64_t>(1, c.params.empty() ? 1 : to_int(c.params[0]).value_or(1));
    const int64_t limit = std::clamp<int64_t>(
        to_int(core::query_param(c.r.query, "limit").value_or("30")).value_or(30), 1, 100);
    Json list = Json::array();
    for (const auto& g : store_.groups_of_user(c.user.id, static_cast<int>((page - 1) * limit), static_cast<int>(limit))) {
        Json j = group_json(g, false, c.user.id);
        j["last_seq"] = store_.last_seq(conv_key("group", g.id));   // clients sync from here
        list.push_back(std::move(j));
    }
    return ok(list);
}

Response Api::group_info(Ctx& c) {
    auto id = to_int(c.params[0]);
    auto g = id ? store_.group_by_id(*id) : std::nullopt;
    if (!g) return fail(protocol::kErrGroupNotFound);
    auto m = store_.member(g->id, c.user.id);
    const bool member = m && m->status != kPending;
    // A dissolved group stays readable for its members; to anyone else it is gone.
    if (g->status != 1 && !member) return fail(protocol::kErrGroupNotFound);
    // A non-member (someone who scanned the QR code) sees the public card only.
    return ok(group_json(*g, member, c.user.id));
}

Response Api::group_qrcode(Ctx& c) {
    auto id = to_int(c.params[0]);
    auto g = id ? store_.group_by_id(*id) : std::nullopt;
    if (!g || g->status != 1) return fail(protocol::kErrGroupNotFound);
    auto m = store_.member(g->id, c.user.id);
    if (!m || m->status == kPending) return fail(kErrNotInGroup, 403);
    const std::string type = core::query_param(c.r.query, "type").value_or("H5");
    if (type != "H5") return ok(Json{{"id", g->id}, {"name", g->name}});   // reference: non-H5 clients
    // The link is always built from the configured public URL (never the caller's `http`
    // parameter: a QR code must not point wherever a request says).
    return qr_response(join_url(g->id), c.r);
}

Response Api::qr_response(const std::string& url, const Request& r) {
    const QrMatrix qr = qr_encode(url);
    const std::string format = core::query_param(r.query, "format").value_or("png");
    if (format == "svg") return Response{200, qr_svg(qr), "image/svg+xml"};
    if (format == "matrix") {
        Json rows = Json::array();
        for (int y = 0; y < qr.size; ++y) {
            std::string row;
            for (int x = 0; x < qr.size; ++x) row.push_back(qr.at(x, y) ? '1' : '0');
            rows.push_back(row);
        }
        return ok(Json{{"url", url}, {"size", qr.size}, {"rows", rows}});
    }
    return Response{200, qr_png(qr), "image/png"};
}

// ---- personal QR codes and contacts ----------------------------------------------------------------
// Scanning someone's personal QR opens "add contact"; contacts may chat 1:1 (guests
// still subject to the receiver's sendCount).

Response Api::user_qrcode(Ctx& c) {
    return qr_response(contact_url(store_.invite_code(c.user.id)), c.r);
}

Response Api::contact_info(Ctx& c) {
    auto u = store_.user_by_invite_code(std::string(c.params[0]));
    if (!u) return fail("二维码无效或已过期");
    return ok(Json{{"id", u->id}, {"name", display_name(*u)}, {"avatar", u->avatar}, {"role", u->role},
                   {"is_contact", store_.are_contacts(c.user.id, u->id)}, {"is_self", u->id == c.user.id}});
}

Response Api::add_contact(Ctx& c) {
    auto u = store_.user_by_invite_code(json_str(c.body, "code"));
    if (!u) return fail("二维码无效或已过期");
    if (u->id == c.user.id) return fail(kErrSelf);
    store_.add_contact(c.user.id, u->id, clock_());
    return ok(Json{{"id", u->id}, {"name", display_name(*u)}, {"avatar", u->avatar}});
}

// ---- create and owner actions ---------------------------------------------------------------------

Response Api::group_create(Ctx& c) {
    std::string name = json_str(c.body, "name");
    if (name.empty()) name = display_name(c.user) + "的群聊";
    if (char_count(name) > 30 || !valid_utf8(name)) return fail(kErrName);
    GroupRow g = store_.create_group(c.user.id, name, 0, clock_());
    if (auto ids = c.body.find("userIds"); ids != c.body.end() && ids->is_array()) {
        for (const auto& v : *ids) {
            const int64_t uid = v.is_number() ? v.get<int64_t>() : 0;
            if (uid > 0 && uid != c.user.id && store_.user_by_id(uid)) store_.add_member(g.id, uid, kMember, clock_());
        }
    }
    post_system_notice(g, display_name(c.user) + " 创建了群聊");
    return ok(group_json(g, true, c.user.id));
}

Response Api::group_rename(Ctx& c) {
    GroupRow g;
    if (auto bad = owned_group(json_int(c.body, "id"), c.user, g)) return *bad;
    const std::string name = json_str(c.body, "name");
    if (name.empty() || char_count(name) > 30 || !valid_utf8(name)) return fail(kErrName);
    g.name = name;
    store_.update_group(g);
    post_system_notice(g, display_name(c.user) + " 将群名修改为 " + name);
    return ok(group_json(g, true, c.user.id));
}

Response Api::group_remark(Ctx& c) {
    GroupRow g;
    if (auto bad = owned_group(json_int(c.body, "id"), c.user, g)) return *bad;
    const std::string remark = json_str(c.body, "remark");
    if (char_count(remark) > 500 || !valid_utf8(remark)) return fail(kErrRemark);
    g.remark = remark;
    store_.update_group(g);
    post_system_notice(g, "[群公告] " + remark);
    return ok(group_json(g, true, c.user.id));
}

Response Api::group_nickname(Ctx& c) {
    const int64_t gid = json_int(c.body, "id");
    auto g = store_.group_by_id(gid);
    auto m = g ? store_.member(gid, c.user.id) : std::nullopt;
    if (!g || g->status != 1) return fail(protocol::kErrGroupNotFound);
    if (!m || m->status == kPending) return fail(kErrNotInGroup, 403);
    const std::string nickname = json_str(c.body, "nickname");
    if (char_count(nickname) > 20 || !valid_utf8(nickname)) return fail(kErrName);
    store_.set_member_nickname(gid, c.user.id, nickname);
    return ok(group_json(*g, true, c.user.id));
}

// The owner dissolves (the group becomes read-only; history stays); a member quits.
Response Api::group_delete_or_quit(Ctx& c) {
    const int64_t gid = json_int(c.body, "id");
    auto g = store_.group_by_id(gid);
    if (!g || g->status != 1) return fail(protocol::kErrGroupNotFound);
    auto m = store_.member(gid, c.user.id);
    if (!m) return fail(kErrNotInGroup, 403);
    if (g->owner_id == c.user.id) {
        post_system_notice(*g, "群主已解散该群");
        g->status = 0;
        store_.update_group(*g);
        return ok(group_json(*g, true, c.user.id));
    }
    const bool was_member = m->status != kPending;
    store_.remove_member(gid, c.user.id);
    if (was_member) post_system_notice(*g, display_name(c.user) + " 退出了群聊");
    return ok("ok");
}

std::optional<Response> Api::owner_on_member(const Ctx& c, GroupRow& g, MemberRow& m, bool allow_pending) {
    if (auto bad = owned_group(json_int(c.body, "group_id"), c.user, g)) return bad;
    const int64_t uid = json_int(c.body, "user_id");
    if (uid == c.user.id) return fail(kErrSelf);
    auto found = store_.member(g.id, uid);
    if (!found || (!allow_pending && found->status == kPending)) return fail(kErrNotInGroup);
    m = *found;
    return std::nullopt;
}

Response Api::group_delete_user(Ctx& c) {
    GroupRow g;
    MemberRow m;
    if (auto bad = owner_on_member(c, g, m, true)) return *bad;
    store_.remove_member(g.id, m.user_id);
    post_system_notice(g, display_name(m.user) + " 被移出了群聊");
    push({m.user_id}, event_message(g, "removed", m.user_id, "你被移出了群聊"));
    return ok(group_json(g, true, c.user.id));
}

Response Api::group_mute_user(Ctx& c) {
    GroupRow g;
    MemberRow m;
    if (auto bad = owner_on_member(c, g, m, false)) return *bad;
    const bool mute = json_int(c.body, "mute", 1) != 0;
    store_.set_member_status(g.id, m.user_id, mute ? kMuted : kMember);
    post_system_notice(g, display_name(m.user) + (mute ? " 被群主禁言" : " 被群主解除禁言"));
    return ok(group_json(g, true, c.user.id));
}

Response Api::group_policy(Ctx& c) {
    GroupRow g;
    if (auto bad = owned_group(json_int(c.body, "group_id"), c.user, g)) return *bad;
    const int64_t policy = json_int(c.body, "addGroupSet", -1);
    if (policy < 0 || policy > 2) return fail(kErrBadParam);
    g.invite_confirm = static_cast<int>(policy);
    store_.update_group(g);
    static const char* kText[] = {"任何人可以扫码直接加入", "扫码加入需要群主同意", "游客需先登录，加入需要群主同意"};
    post_system_notice(g, std::string("群主修改了加群方式：") + kText[policy]);
    return ok(group_json(g, true, c.user.id));
}

// ---- joining ------------------------------------------------------------------------------------------
// inviteuser_id <= 0 (the client sends -1): the caller joins by the QR code or link.
// invite_confirm 0: at once; 1: a request the owner approves (optional reason, <= 500
// chars); 2: guests must log in or register first, users need approval.

Response Api::group_invite_user(Ctx& c) {
    const int64_t gid = json_int(c.body, "group_id");
    const int64_t joiner = json_int(c.body, "user_id", c.user.id);
    const int64_t inviter = json_int(c.body, "inviteuser_id", -1);
    if (inviter > 0 || joiner != c.user.id) return fail(kErrInviteOthers);
    auto g = store_.group_by_id(gid);
    if (!g || g->status != 1) return fail(protocol::kErrGroupNotFound);
    auto existing = store_.member(gid, c.user.id);
    if (existing && existing->status != kPending) return ok(group_json(*g, true, c.user.id));   // scanned again
    const std::string reason = json_str(c.body, "addGroupDesc");
    if (char_count(reason) > 500 || !valid_utf8(reason)) return fail(kErrReason);
    if (g->invite_confirm == 2 && c.user.role == "visitor") return fail(kErrNeedLogin, 403);
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
    if (auto bad = owned_group(json_int(c.body, "group_id"), c.user, g)) return *bad;
    const int64_t uid = json_int(c.body, "user_id");
    const std::string type = json_str(c.body, "type");
    auto m = store_.member(g.id, uid);
    if (!m || m->status != kPending) return fail("没有这个加群申请");
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
