// Groups: list and info, create, the owner's actions (rename, notice, members,
// mute, join policy, dissolve), quitting, and the demo group.
#include <limits>

#include "core/url.hpp"
#include "server/api/api.hpp"
#include "server/api/api_internal.hpp"

namespace imchat::server {

using namespace detail;

Json Api::group_json(const GroupRow& g, bool with_members, int64_t viewer) {
    Json j{{"id", g.id}, {"uuid", g.uuid}, {"user_id", g.owner_id}, {"name", g.name},
           {"avatar", g.avatar}, {"invite_confirm", g.invite_confirm}, {"status", g.status},
           {"create_time", g.create_time}, {"join_url", join_url(g.id)}};
    // The count from the cached audience and the viewer's row alone: a card costs O(1)
    // store reads, not the member list (joins, group lists).
    j["member_count"] = audience(g.id)->size();
    if (viewer > 0)
        if (auto me = store_.member(g.id, viewer)) j["my_status"] = me->status;
    if (with_members) {
        const auto members = store_.members(g.id);
        j["remark"] = g.remark;
        Json list = Json::array();
        std::optional<std::vector<Store::JoinRequest>> requests;   // read once, if a pending entry is shown
        for (const auto& m : members) {
            // Pending requests are the owner's business.
            if (m.status == kPending && viewer != g.owner_id && m.user_id != viewer) continue;
            Json e{{"user_id", m.user_id}, {"nickname", m.nickname}, {"avatar", m.user.avatar},
                   {"status", m.status}, {"role", m.user_id == g.owner_id ? "owner" : "member"},
                   {"user", user_json(m.user)}};
            if (m.status == kPending) {
                if (!requests) requests = store_.join_requests(g.id);
                auto r = std::find_if(requests->begin(), requests->end(), [&](auto& x) { return x.user_id == m.user_id; });
                e["reason"] = r != requests->end() ? r->reason : "";
                e["request_time"] = r != requests->end() ? r->request_time : 0;
            }
            list.push_back(std::move(e));
        }
        j["group_users"] = list;
    }
    return j;
}

Json Api::join_answer(const GroupRow& g, int64_t viewer) {
    return group_json(g, audience(g.id)->size() <= cfg_.join_answer_members_max, viewer);
}

std::optional<Response> Api::owned_group(int64_t group_id, const UserRow& u, GroupRow& g) {
    auto found = store_.group_by_id(group_id);
    if (!found || found->status != 1) return fail(kErrGroupNotFound);
    if (found->owner_id != u.id) return fail(kErrNotOwner);
    g = *found;
    return std::nullopt;
}

std::optional<Response> Api::owner_on_member(const Ctx& c, GroupRow& g, MemberRow& m, bool allow_pending) {
    if (auto bad = owned_group(read_int(c.body, "group_id"), c.user, g)) return bad;
    const int64_t uid = read_int(c.body, "user_id");
    if (uid == c.user.id) return fail(kErrSelf);
    auto found = store_.member(g.id, uid);
    if (!found || (!allow_pending && found->status == kPending)) return fail(kErrNotAMember);
    m = *found;
    return std::nullopt;
}

Response Api::group_list(Ctx& c) {
    const int64_t page = std::max<int64_t>(1, c.params.empty() ? 1 : to_int(c.params[0]).value_or(1));
    const int64_t limit = std::clamp<int64_t>(
        to_int(core::query_param(c.r.query, "limit").value_or("30")).value_or(30), 1, 100);
    Json list = Json::array();
    // The store's offset is an int: a page past it answers nothing (found with fuzz/http_api:
    // (page - 1) * limit overflowed, and the wrapped offset answered the first page again).
    if (page - 1 > std::numeric_limits<int>::max() / limit) return ok(list);
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
    if (!g) return fail(kErrGroupNotFound);
    auto m = store_.member(g->id, c.user.id);
    const bool member = m && m->status != kPending;
    // A dissolved group stays readable for its members; to anyone else it is gone.
    if (g->status != 1 && !member) return fail(kErrGroupNotFound);
    // A non-member (someone who scanned the QR code) sees the public card only.
    Json j = group_json(*g, member, c.user.id);
    // ?latest=N: a member's latest page too (the chat's first screen, one round trip).
    if (member)
        if (auto n = to_int(core::query_param(c.r.query, "latest").value_or("")); n && *n > 0)
            j["latest"] = latest_page(g->id, static_cast<int>(std::min<int64_t>(*n, 200)));
    return ok(j);
}

Response Api::group_create(Ctx& c) {
    std::string name = read_str(c.body, "name");
    if (name.empty()) name = display_name(c.user) + "的群聊";
    if (char_count(name) > 30 || !valid_utf8(name)) return fail(kErrName);
    GroupRow g = store_.create_group(c.user.id, name, 0, clock_());
    if (auto ids = c.body.find("userIds"); ids != c.body.end() && ids->is_array()) {
        for (const auto& v : *ids) {
            const int64_t uid = v.is_number() ? v.get<int64_t>() : 0;
            if (uid > 0 && uid != c.user.id && store_.user_by_id(uid)) store_.add_member(g.id, uid, kMember, clock_());
        }
    }
    members_changed(g.id);
    post_system_notice(g, display_name(c.user) + " 创建了群聊");
    return ok(group_json(g, true, c.user.id));
}

Response Api::group_rename(Ctx& c) {
    GroupRow g;
    if (auto bad = owned_group(read_int(c.body, "id"), c.user, g)) return *bad;
    const std::string name = read_str(c.body, "name");
    if (name.empty() || char_count(name) > 30 || !valid_utf8(name)) return fail(kErrName);
    g.name = name;
    store_.update_group(g);
    post_system_notice(g, display_name(c.user) + " 将群名修改为 " + name);
    return ok(group_json(g, true, c.user.id));
}

Response Api::group_remark(Ctx& c) {
    GroupRow g;
    if (auto bad = owned_group(read_int(c.body, "id"), c.user, g)) return *bad;
    const std::string remark = read_str(c.body, "remark");
    if (char_count(remark) > 500 || !valid_utf8(remark)) return fail(kErrRemark);
    g.remark = remark;
    store_.update_group(g);
    post_system_notice(g, "[群公告] " + remark);
    return ok(group_json(g, true, c.user.id));
}

Response Api::group_nickname(Ctx& c) {
    const int64_t gid = read_int(c.body, "id");
    auto g = store_.group_by_id(gid);
    auto m = g ? store_.member(gid, c.user.id) : std::nullopt;
    if (!g || g->status != 1) return fail(kErrGroupNotFound);
    if (!m || m->status == kPending) return fail(kErrNotInGroup);
    const std::string nickname = read_str(c.body, "nickname");
    if (char_count(nickname) > 20 || !valid_utf8(nickname)) return fail(kErrName);
    store_.set_member_nickname(gid, c.user.id, nickname);
    return ok(group_json(*g, true, c.user.id));
}

// The owner dissolves (the group becomes read-only; history stays); a member quits.
Response Api::group_delete_or_quit(Ctx& c) {
    const int64_t gid = read_int(c.body, "id");
    auto g = store_.group_by_id(gid);
    if (!g || g->status != 1) return fail(kErrGroupNotFound);
    auto m = store_.member(gid, c.user.id);
    if (!m) return fail(kErrNotInGroup);
    if (g->owner_id == c.user.id) {
        post_system_notice(*g, "群主已解散该群");
        g->status = 0;
        store_.update_group(*g);
        members_changed(gid);   // the audience stays; status is read from the store, but keep one rule
        return ok(group_json(*g, true, c.user.id));
    }
    const bool was_member = m->status != kPending;
    store_.remove_member(gid, c.user.id);
    member_changed(gid, c.user.id);
    if (was_member) post_system_notice(*g, display_name(c.user) + " 退出了群聊");
    return ok("ok");
}

Response Api::group_delete_user(Ctx& c) {
    GroupRow g;
    MemberRow m;
    if (auto bad = owner_on_member(c, g, m, true)) return *bad;
    store_.remove_member(g.id, m.user_id);
    member_changed(g.id, m.user_id);
    post_system_notice(g, display_name(m.user) + " 被移出了群聊");
    push({m.user_id}, event_message(g, "removed", m.user_id, "你被移出了群聊"));
    return ok(group_json(g, true, c.user.id));
}

Response Api::group_mute_user(Ctx& c) {
    GroupRow g;
    MemberRow m;
    if (auto bad = owner_on_member(c, g, m, false)) return *bad;
    const bool mute = read_int(c.body, "mute", 1) != 0;
    store_.set_member_status(g.id, m.user_id, mute ? kMuted : kMember);
    member_changed(g.id, m.user_id);   // muted members stay in the audience (send reads the status from the store)
    post_system_notice(g, display_name(m.user) + (mute ? " 被群主禁言" : " 被群主解除禁言"));
    return ok(group_json(g, true, c.user.id));
}

Response Api::group_policy(Ctx& c) {
    GroupRow g;
    if (auto bad = owned_group(read_int(c.body, "group_id"), c.user, g)) return *bad;
    const int64_t policy = read_int(c.body, "addGroupSet", -1);
    if (policy < 0 || policy > 2) return fail(kErrBadParam);
    g.invite_confirm = static_cast<int>(policy);
    store_.update_group(g);
    static const char* kText[] = {"任何人可以扫码直接加入", "扫码加入需要群主同意", "游客需先登录，加入需要群主同意"};
    post_system_notice(g, std::string("群主修改了加群方式：") + kText[policy]);
    return ok(group_json(g, true, c.user.id));
}

GroupRow Api::ensure_demo_group() {
    if (store_.group_count() > 0) {
        for (int64_t id = 1; id < 1000; ++id)
            if (auto g = store_.group_by_id(id); g && g->status == 1) return *g;
    }
    UserRow owner = store_.create_user("imchat", "imchat", "user", clock_());
    GroupRow g = store_.create_group(owner.id, "imchat 演示群", 0, clock_());
    post_system_notice(g, "欢迎来到 imchat 演示群 / Welcome to the imchat demo group");
    return g;
}

std::string Api::join_url(int64_t group_id) const {
    std::string base;
    {
        std::lock_guard lk(url_mu_);
        base = cfg_.public_url;
    }
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + "/?group=" + std::to_string(group_id);
}

}  // namespace imchat::server
