// Session: groups and joins. The scanned group link (look up, join or apply),
// the group info screen and its actions, group events from the socket
// (join requests, approvals, removal) and the conversation list refresh.
// State in core/groups.hpp.
#include "core/session.hpp"

#include <algorithm>

namespace imchat::core {

void Session::request_group_list(std::vector<Action>& out) {
    if (user_.token.empty()) return;
    http(api::conversation_list(), req::GroupList{}, out);
}

void Session::on_request_join(const ev::RequestJoin& e, std::vector<Action>& out) {
    if (screen_ == Screen::Join && groups_.join_card.contact && link_.target) {
        http(api::add_contact(link_.target->code), req::AddContact{}, out);
        return;
    }
    if (screen_ != Screen::Join || !nav_.open) return;
    if (groups_.join_card.needs_login) {
        screen_ = Screen::Login;
        return;
    }
    notice_.clear();
    http(api::join(nav_.open->id, user_.id, e.reason, latest_wanted(*nav_.open)), req::Join{*nav_.open}, out);
}

void Session::on_show_group_info(std::vector<Action>& out) {
    if (!nav_.open || nav_.open->chat_type != "group") return;
    screen_ = Screen::GroupInfo;
    notice_.clear();
    refresh_group(out);
    http(api::group_qr(nav_.open->id), req::GroupQr{*nav_.open}, out);
}

void Session::on_group_action(const ev::GroupAction& e, std::vector<Action>& out) {
    if (!nav_.open || nav_.open->chat_type != "group") return;
    act::Http h = api::group_action(nav_.open->id, e.action, e.user_id, e.text, e.value);
    if (h.method.empty()) return;   // not an action we know
    http(std::move(h), req::GroupAction{*nav_.open, e.action}, out);
}

void Session::on_show_invite(std::vector<Action>& out) {
    if (!nav_.open || nav_.open->chat_type != "group") return;
    screen_ = Screen::Invite;
    notice_.clear();
    groups_.invite = InvitePicker{};
    http(api::invite_candidates(nav_.open->id), req::InviteCandidates{*nav_.open}, out);
}

void Session::on_invite(const ev::Invite& e, std::vector<Action>& out) {
    if (!nav_.open || nav_.open->chat_type != "group" || e.user_id <= 0) return;
    const ConversationKey k = *nav_.open;
    if (any_inflight<req::Invite>([&](const req::Invite& i) { return i.conv == k && i.user_id == e.user_id; }))
        return;
    http(api::invite(k.id, e.user_id), req::Invite{k, e.user_id}, out);
}

void Session::on_create_group(const ev::CreateGroup& e, std::vector<Action>& out) {
    if (user_.role != "user") return;
    http(api::create_group(e.name), req::CreateGroup{}, out);
}

// The scanned link could not be looked up: network trouble is retried, anything else
// is "not found".
void Session::link_failed(const ApiResult& r, bool network_error) {
    if (network_error) { timers_.set(Timer::Bootstrap, now_ + conn_.backoff.next(rng_)); return; }
    screen_ = Screen::NotFound;
    link_.done = true;
    notify(r.reason());
}

void Session::on_group_event(const Message& m, const std::string& action, std::vector<Action>& out) {
    const ConversationKey k{"group", m.to_id};
    if (action == "joinRequest") {
        notify(m.data);   // the owner: someone waits; the group info view lists the request
        if (nav_.is_open(k)) refresh_group(out);   // the "..." badge and the request list
    } else if (action == "joinAgreed") {
        notice_.clear();
        groups_.join_card.pending = false;
        if (link_.target && link_.target->id == k.id) { link_.done = false; advance(out); }
        else request_group_list(out);
    } else if (action == "joinRejected") {
        groups_.join_card.pending = false;
        notify(m.data);
    } else if (action == "removed") {
        nav_.conversation(k).my_status = -1;
        notify(m.data);
    }
}

void Session::refresh_group(std::vector<Action>& out) {
    if (!nav_.open || nav_.open->chat_type != "group" || user_.token.empty()) return;
    const ConversationKey k = *nav_.open;
    if (any_inflight<req::GroupDetail>([&](const req::GroupDetail& d) { return d.conv == k; })) return;
    http(api::group_info(k.id), req::GroupDetail{k}, out);
}

void Session::apply_group(const protocol::Group& g) {
    if (g.id == 0) return;
    Conversation& c = nav_.conversation({"group", g.id});
    if (!g.name.empty()) c.title = g.name;
    if (g.member_count) c.member_count = g.member_count;
    c.status = g.status;
    c.owner_id = g.owner_id;
    if (g.my_status) c.my_status = *g.my_status;
    if (const protocol::Member* me = g.member(user_.id)) c.my_status = static_cast<int>(me->status);
    if (!g.avatar.empty()) c.avatar = g.avatar;
    for (const protocol::Member& m : g.members)   // the avatar grid: members first, in the group's order
        if (m.status != protocol::MemberStatus::Pending) remember_face(c.faces, Face{m.user_id, m.display_name(), m.avatar});
}

void Session::answer(const req::GroupInfo&, const ApiResult& r, int status, std::vector<Action>& out) {
    if (!r.ok) { link_failed(r, status == 0 || status >= 500); return; }
    link_group(r.data, out);
}

// The scanned link's group as groupinfo answers it, or as the register answer carries it
// (`group`: already joined when open). A member (a full group, or a card with my_status
// 0/1) goes straight to the chat, with the latest page when the answer carries it.
void Session::link_group(const Json& data, std::vector<Action>& out) {
    const protocol::Group g = protocol::read_group(data);
    apply_group(g);
    const ConversationKey k{"group", g.id};
    int my = g.my_status.value_or(-1);
    if (const protocol::Member* me = g.member(user_.id)) my = static_cast<int>(me->status);
    if (my != 2 && my != -1) {   // a member: straight to the chat
        link_.done = true;
        const bool have_latest = take_latest(k, data, out);
        open_conversation(k, out, have_latest);
        return;
    }
    const int policy = static_cast<int>(g.policy);
    groups_.join_card = JoinCard{g.name, g.member_count, policy, my == 2, policy == 2 && user_.role != "user"};
    groups_.join_card.group_id = g.id;
    groups_.join_card.avatar = g.avatar;
    for (const protocol::Member& m : g.members)
        if (m.status != protocol::MemberStatus::Pending)
            core::remember_face(groups_.join_card.faces, Face{m.user_id, m.display_name(), m.avatar});
    if (policy == 0) {
        http(api::join(k.id, user_.id, "", latest_wanted(k)), req::Join{k}, out);
        return;
    }
    link_.done = true;       // the join screen: apply with an optional reason (or log in first)
    screen_ = Screen::Join;
    nav_.open = k;
}

void Session::answer(const req::Join& q, const ApiResult& r, int status, std::vector<Action>& out) {
    if (!r.ok) {
        if (status == 0 || status >= 500) { timers_.set(Timer::Bootstrap, now_ + conn_.backoff.next(rng_)); return; }
        link_.done = true;
        screen_ = Screen::Join;
        nav_.open = q.conv;
        notify(r.reason());
        if (status == 403) groups_.join_card.needs_login = true;
        return;
    }
    link_.done = true;
    const api::JoinAnswer a = api::read_join(r.data);
    if (a.pending) {   // the owner decides; joinAgreed brings us in
        groups_.join_card.pending = true;
        screen_ = Screen::Join;
        nav_.open = q.conv;
        return;
    }
    if (a.members >= 0) nav_.conversation(q.conv).member_count = a.members;
    const bool have_latest = take_latest(q.conv, r.data, out);
    open_conversation(q.conv, out, have_latest);
}

void Session::answer(const req::GroupDetail& q, const ApiResult& r, int, std::vector<Action>&) {
    if (!r.ok) { notify(r.reason()); return; }
    const protocol::Group g = protocol::read_group(r.data);
    if (nav_.is_open(q.conv)) groups_.detail = g;
    apply_group(g);
}

void Session::answer(const req::GroupQr&, const ApiResult& r, int, std::vector<Action>&) {
    if (!r.ok || !r.data.is_object()) return;
    groups_.qr = api::read_qr(r.data);   // the screen shows one QR code at a time: the group's or mine
}

void Session::answer(const req::GroupAction& q, const ApiResult& r, int, std::vector<Action>& out) {
    if (!r.ok) { notify(r.reason()); return; }
    if (q.action == "quit" && nav_.conversation(q.conv).owner_id != user_.id) {
        // We left: the conversation goes; back to the list.
        nav_.remove(q.conv);
        nav_.open.reset();
        screen_ = Screen::List;
        request_group_list(out);
        return;
    }
    if (r.data.is_object()) {
        const protocol::Group g = protocol::read_group(r.data);
        apply_group(g);
        if (nav_.is_open(q.conv) && g.has_members) { groups_.detail = g; return; }
    }
    // An answer without the members: the request list and the badge must not keep a handled request.
    if (q.action == "approve" || q.action == "reject") refresh_group(out);
}

void Session::answer(const req::InviteCandidates& q, const ApiResult& r, int, std::vector<Action>&) {
    if (!nav_.is_open(q.conv)) return;
    if (!r.ok) { notify(r.reason()); return; }
    groups_.invite.loaded = true;
    groups_.invite.candidates = api::read_candidates(r.data);
}

void Session::answer(const req::Invite& q, const ApiResult& r, int status, std::vector<Action>& out) {
    std::string result;
    if (!r.ok) {
        result = status == 0 ? std::string(tr(lang_, Str::NetworkError)) : r.reason();
    } else {
        // invitee_status 2: a request waiting for the owner; 1: a member now.
        const bool pending = protocol::read_int(r.data, "invitee_status") == 2 || api::read_join(r.data).pending;
        result = tr(lang_, pending ? Str::InviteRequested : Str::InviteAdded);
        if (r.data.is_object()) {
            const protocol::Group g = protocol::read_group(r.data);
            if (g.id == q.conv.id) {
                apply_group(g);
                if (nav_.is_open(q.conv) && g.has_members) groups_.detail = g;
            }
        }
        if (nav_.is_open(q.conv) && !pending) refresh_group(out);   // the member list and count
    }
    if (nav_.is_open(q.conv))
        for (Candidate& c : groups_.invite.candidates)
            if (c.id == q.user_id) c.result = result;
    notify(result);
}

void Session::answer(const req::CreateGroup&, const ApiResult& r, int, std::vector<Action>& out) {
    if (!r.ok) { notify(r.reason()); return; }
    const protocol::Group g = protocol::read_group(r.data);
    apply_group(g);
    open_conversation({"group", g.id}, out);
}

// conversationList: the server's list is the truth for names, last messages and
// unread counts; messages we hold past its last seq (a push that overtook the
// answer) still count.
void Session::answer(const req::GroupList&, const ApiResult& r, int, std::vector<Action>&) {
    if (!r.ok) return;
    const auto items = api::read_conversation_list(r.data);
    if (!items) return;
    for (const api::ConversationItem& it : *items) {
        Conversation& c = nav_.conversation(it.key);
        if (!it.name.empty()) c.title = it.name;
        if (!it.avatar.empty()) c.avatar = it.avatar;
        if (it.key.chat_type == "group") {
            if (it.member_count) c.member_count = it.member_count;
            c.status = it.status;
            c.my_status = it.my_status;
            if (it.owner_id) c.owner_id = it.owner_id;
            c.pending_count = it.pending_count;
        }
        c.update_time = std::max(c.update_time, it.update_time);
        if (it.last && (!c.last || it.last->seq >= c.last->seq)) c.last = it.last;
        c.read_seq = std::max(c.read_seq, it.read_seq);
        int unread = it.unread;
        for (const Message& m : delivery_.store.messages(it.key))
            if (m.seq > it.last_seq && it.last_seq > 0 && m.from_id != user_.id && m.type != "systemNotice") ++unread;
        c.unread = nav_.is_open(it.key) && screen_ == Screen::Chat && page_visible_ ? 0 : unread;
    }
    nav_.sort_by_activity();
}

}  // namespace imchat::core
