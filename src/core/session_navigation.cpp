// Session: navigation. Opening a conversation (with the history it needs),
// the conversation list, and whether the open conversation accepts messages.
// State in core/navigation.hpp.
#include "core/session.hpp"

namespace imchat::core {

void Session::open_conversation(const ConversationKey& k, std::vector<Action>& out) {
    nav_.open = k;
    screen_ = Screen::Chat;
    nav_.conversation(k).unread = 0;
    // First open: the latest page. Later: only what came after what we hold.
    fetch_history(k, delivery_.history_loaded.count(k) ? delivery_.store.last_seq(k) : -1, out);
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

const Conversation* Session::open_conversation() const { return nav_.open ? nav_.find(*nav_.open) : nullptr; }

bool Session::can_send() const {
    if (!nav_.open || screen_ != Screen::Chat || user_.token.empty()) return false;
    if (nav_.open->chat_type != "group") return true;
    const Conversation* c = nav_.find(*nav_.open);
    return c && c->status == 1 && c->my_status == 1;
}

}  // namespace imchat::core
