// Session: navigation. Opening a conversation (with the history it needs),
// the conversation list, and whether the open conversation accepts messages.
// State in core/navigation.hpp.
#include "core/session.hpp"

#include <algorithm>

namespace imchat::core {

void Session::open_conversation(const ConversationKey& k, std::vector<Action>& out, bool have_latest) {
    nav_.open = k;
    screen_ = Screen::Chat;
    nav_.conversation(k).unread = 0;
    // First open: the latest page. Later: only what came after what we hold.
    if (!have_latest) fetch_history(k, delivery_.history_loaded.count(k) ? delivery_.store.last_seq(k) : -1, out);
    // An owner learns of join requests that came while away: groupinfo lists them (the "..." badge).
    if (const Conversation* c = nav_.find(k); k.chat_type == "group" && c && c->owner_id == user_.id && user_.id)
        refresh_group(out);
}

void Session::on_show_list(std::vector<Action>& out) {
    screen_ = Screen::List;
    nav_.open.reset();
    if (!user_.token.empty()) request_group_list(out);
}

int Session::pending_requests() const {
    const Conversation* c = open_conversation();
    if (!c || c->key.chat_type != "group" || c->owner_id != user_.id || groups_.detail.id != c->key.id) return 0;
    int n = 0;
    for (const auto& m : groups_.detail.members) n += m.status == protocol::MemberStatus::Pending;
    return n;
}

const SendError* Session::send_error(const Message& m) const {
    return m.id == 0 && m.status == SendStatus::Failed ? delivery_.store.error(m.client_msg_id) : nullptr;
}

// Long-press / right-click "hide": gone from the list at once; the server lists it
// again when a newer message arrives (and so do we: receive() re-creates it).
void Session::on_hide(const ev::HideConversation& e, std::vector<Action>& out) {
    if (user_.token.empty() || nav_.is_open(e.conv) || !nav_.find(e.conv)) return;
    nav_.remove(e.conv);
    http(api::conversation_hide(e.conv), req::ConvHide{e.conv}, out);
}

// While a conversation is open on a visible page, its messages are read: tell the
// server (conversationRead) up to the last seq we hold. Coalesced: at most one
// request in flight per conversation, none for our own messages, none again for a
// seq already asked (a failed one is asked again after the next reconnect).
void Session::sync_read(std::vector<Action>& out) {
    if (!nav_.open || screen_ != Screen::Chat || !page_visible_ || user_.token.empty()) return;
    const ConversationKey k = *nav_.open;
    Conversation* c = nullptr;
    for (auto& x : nav_.convs) if (x.key == k) c = &x;
    if (!c) return;
    if (c->unread) { c->unread = 0; changed_ = true; }
    const int64_t cursor = std::max(c->read_seq, c->read_asked);
    const auto& msgs = delivery_.store.messages(k);
    int64_t seq = 0;
    bool others = false;
    for (auto it = msgs.rbegin(); it != msgs.rend() && (it->seq > cursor || it->seq == 0); ++it) {
        seq = std::max(seq, it->seq);
        if (it->seq > cursor && it->from_id != user_.id) others = true;
    }
    if (!others || any_inflight<req::ConvRead>([&](const req::ConvRead& q) { return q.conv == k; })) return;
    c->read_asked = seq;
    http(api::conversation_read(k, seq), req::ConvRead{k, seq}, out);
}

void Session::answer(const req::ConvRead& q, const ApiResult& r, int, std::vector<Action>&) {
    if (!r.ok) return;   // asked again after the next reconnect
    const api::ReadAnswer a = api::read_conversation_read(r.data);
    for (auto& c : nav_.convs)
        if (c.key == q.conv) {
            c.read_seq = std::max(c.read_seq, a.read_seq);
            if (!nav_.is_open(q.conv)) c.unread = std::max(0, a.unread);
        }
}

void Session::answer(const req::ConvHide&, const ApiResult& r, int, std::vector<Action>& out) {
    if (r.ok) return;
    notify(r.reason());
    request_group_list(out);   // it is still listed: show it again
}

const Conversation* Session::open_conversation() const { return nav_.open ? nav_.find(*nav_.open) : nullptr; }

bool Session::can_send() const {
    if (!nav_.open || screen_ != Screen::Chat || user_.token.empty()) return false;
    if (nav_.open->chat_type != "group") return true;
    const Conversation* c = nav_.find(*nav_.open);
    return c && c->status == 1 && c->my_status == 1;
}

}  // namespace imchat::core
