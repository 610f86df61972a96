// Session: contacts. A scanned personal QR code (?u=<code>): open the chat with
// an existing contact, or show the "add contact" card; adding opens the chat.
#include "core/session.hpp"

namespace imchat::core {

void Session::answer(const req::ContactInfo&, const ApiResult& r, int status, std::vector<Action>& out) {
    if (!r.ok) { link_failed(r, status == 0 || status >= 500); return; }
    link_.done = true;
    const protocol::ContactInfo info = protocol::read_contact_info(r.data);
    if (info.is_self) { screen_ = Screen::List; return; }
    if (info.is_contact) {
        nav_.conversation({"single", info.id}).title = info.name;
        open_conversation({"single", info.id}, out);
        return;
    }
    groups_.join_card = JoinCard{info.name, 0, 0, false, false, true, info.id};
    if (r.data.is_object()) groups_.join_card.avatar = protocol::read_str(r.data, "avatar");
    screen_ = Screen::Join;
}

void Session::answer(const req::AddContact&, const ApiResult& r, int, std::vector<Action>& out) {
    if (!r.ok) { notify(r.reason()); return; }
    const protocol::ContactInfo added = protocol::read_contact_info(r.data);
    const ConversationKey k{"single", added.id};
    nav_.conversation(k).title = added.name;
    open_conversation(k, out);
}

}  // namespace imchat::core
