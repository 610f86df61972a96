// Session: delivery. Sending (outbox, idempotent retries, send timeouts),
// receiving (dedup, seq gaps), history paging and recall (uploads: session_uploads.cpp).
// State in core/delivery.hpp.
#include "core/session.hpp"
#include "core/seq.hpp"
#include "core/sticker.hpp"

#include <algorithm>

namespace imchat::core {

namespace {
std::string trim(const std::string& s) {
    const char* ws = " \t\r\n";
    size_t b = s.find_first_not_of(ws);
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(ws) - b + 1);
}
}  // namespace

void Session::on_send(const ev::SendText& e, std::vector<Action>& out) {
    const std::string text = trim(e.text);
    const bool sticker = e.type == "emoticon" && is_sticker_key(text);
    if (text.empty() || !can_send() || (e.type != "text" && e.type != "image" && !sticker)) return;
    Message m;
    m.from_id = user_.id;
    m.from_name = user_.display_name();
    m.to_id = nav_.open->id;
    m.chat_type = nav_.open->chat_type;
    m.type = e.type;
    m.data = text;
    m.create_time = now_;
    m.client_msg_id = new_uuid();
    m.status = SendStatus::Pending;
    delivery_.store.upsert(*nav_.open, m);
    mark_cache_dirty();
    send_message(m, out);
    persist_outbox(out);
}

void Session::on_retry_send(const ev::RetrySend& e, std::vector<Action>& out) {
    if (retry_upload(e.client_msg_id, out)) return;   // a photo, voice, file or video not yet uploaded goes up again
    for (const Message* m : delivery_.store.retryable())   // a refusal would only be refused again
        if (m->client_msg_id == e.client_msg_id) { send_message(*m, out); break; }
}

void Session::on_load_earlier(std::vector<Action>& out) {
    if (!can_load_earlier() || loading_earlier()) return;
    const ConversationKey k = *nav_.open;
    const int64_t before = delivery_.store.messages(k).front().seq;
    http(api::history(k, timing_.history_page, -1, before), req::History{k, -1, before}, out);
}

void Session::on_recall(const ev::Recall& e, std::vector<Action>& out) {
    if (!nav_.open) return;
    for (const auto& m : delivery_.store.messages(*nav_.open)) {
        if (m.id != e.message_id || !can_recall(m)) continue;
        http(api::recall(*nav_.open, m.id, m.create_time), req::Recall{*nav_.open}, out);
        break;
    }
}

void Session::send_message(const Message& m, std::vector<Action>& out) {
    if (delivery_.uploads.count(m.client_msg_id)) return;   // not uploaded yet: nothing to send
    if (any_inflight<req::Send>([&](const req::Send& s) { return s.client_msg_id == m.client_msg_id; }))
        return;   // already on its way
    const ConversationKey k = protocol::conversation_of(m, user_.id);
    delivery_.store.set_status(m.client_msg_id, SendStatus::Pending);
    if (!delivery_.send_deadlines.count(m.client_msg_id) || !delivery_.queued.count(m.client_msg_id))
        delivery_.send_deadlines[m.client_msg_id] = now_ + timing_.send_timeout_ms;
    if (any_inflight<req::Send>([&](const req::Send& s) { return s.conv == k; })) {
        delivery_.queued.insert(m.client_msg_id);   // sent when the one ahead is answered
        return;
    }
    delivery_.queued.erase(m.client_msg_id);
    http(api::send_message(m), req::Send{k, m.client_msg_id}, out);
}

// The conversation's send ahead was answered: the next queued one goes, in the order
// the store holds unconfirmed sends (the order they were typed).
void Session::send_next_queued(const ConversationKey& k, std::vector<Action>& out) {
    if (delivery_.queued.empty()) return;
    for (const Message& m : delivery_.store.messages(k)) {
        if (m.id != 0 || !delivery_.queued.count(m.client_msg_id)) continue;
        const Message copy = m;   // send_message may touch the store
        send_message(copy, out);
        return;
    }
}

void Session::resend_unsent(std::vector<Action>& out) {
    if (user_.token.empty()) return;
    for (const Message* m : delivery_.store.retryable())
        if (m->from_id == user_.id) send_message(*m, out);   // idempotent: same client_msg_id
}

void Session::send_timeouts() {
    for (auto it = delivery_.send_deadlines.begin(); it != delivery_.send_deadlines.end();) {
        if (now_ < it->second) { ++it; continue; }
        // Still in flight: an answer can still confirm it.
        delivery_.store.fail(it->first, SendError{tr(lang_, Str::SendTimedOut), true});
        changed_ = true;
        it = delivery_.send_deadlines.erase(it);
    }
}

void Session::fetch_history(const ConversationKey& k, int64_t after_seq, std::vector<Action>& out) {
    if (user_.token.empty()) return;
    if (any_inflight<req::History>([&](const req::History& h) { return h.conv == k && h.after_seq == after_seq; }))
        return;
    http(api::history(k, timing_.history_page, after_seq, 0), req::History{k, after_seq, 0}, out);
}

void Session::receive(const Message& in, std::vector<Action>& out) {
    if (!in.action_type.empty() && in.action_type != "revoke") {   // an event, not a message
        on_group_event(in, in.action_type, out);
        return;
    }
    // A recall marks the stored message removed (upsert keeps its type). The decoder made
    // the type the recalled message's own; a push without it (a reference server) would
    // otherwise store an empty notice for a message we never had.
    Message revoked;
    if (in.action_type == "revoke") {
        revoked = in;
        revoked.isremove = 1;
        revoked.data.clear();
        if (revoked.type == "systemNotice") revoked.type = "text";
    }
    const Message& m = in.action_type == "revoke" ? revoked : in;
    if (!sane_seq(m.seq)) return;   // a hostile server's seq: neither stored nor a gap to fetch
    MessageStore& store = delivery_.store;
    const ConversationKey k = protocol::conversation_of(m, user_.id);
    if (k.chat_type == "single" && nav_.conversation(k).title.empty())
        nav_.conversation(k).title = m.from_id == user_.id ? m.to_name : m.from_name;
    // Membership, names and status change with system notices: refresh what is on screen.
    if (m.type == "systemNotice" && m.action_type.empty() && nav_.is_open(k) && m.id > 0 &&
        store.last_seq(k) < m.seq && (screen_ == Screen::Chat || screen_ == Screen::GroupInfo))
        refresh_group(out);
    const int64_t before = store.last_seq(k);
    const auto r = store.upsert(k, m);
    if (r != MessageStore::Upsert::Duplicate) mark_cache_dirty();
    if (r != MessageStore::Upsert::Duplicate && m.seq > 0) {
        // The list row: its preview and time; a new message moves it to the top.
        Conversation& c = nav_.conversation(k);
        if (!c.last || m.seq >= c.last->seq) c.last = last_of(m);
        note_sender(c, m, user_.id);
        if (r == MessageStore::Upsert::Inserted) {
            if (c.title.empty() && k.chat_type == "group") c.title = m.to_name;
            if (m.from_id != user_.id && m.type != "systemNotice" && (!nav_.is_open(k) || !page_visible_)) c.unread += 1;
            c.update_time = std::max(c.update_time, m.create_time > 0 ? m.create_time : now_);
            nav_.sort_by_activity();
        }
    }
    // A live message that skips seqs means we missed some: fetch the gap.
    if (before > 0 && m.seq > before + 1) fetch_history(k, before, out);
}

void Session::answer(const req::History& q, const ApiResult& r, int, std::vector<Action>& out) {
    if (!r.ok) return;
    const auto read = api::read_history(r.data);
    if (!read) return;   // neither [..] nor {list:[..]}
    store_history(q, *read, out);
}

void Session::store_history(const req::History& q, const std::vector<Message>& page, std::vector<Action>& out) {
    for (const auto& m : page) delivery_.store.upsert(q.conv, m);
    for (Conversation& c : nav_.convs)   // the senders' faces (a group's avatar grid)
        if (c.key == q.conv) for (const auto& m : page) note_sender(c, m, user_.id);
    delivery_.history_loaded.insert(q.conv);
    mark_cache_dirty();
    const bool short_page = static_cast<int>(page.size()) < timing_.history_page;
    if (short_page && (q.before_seq > 0 || q.after_seq < 0)) delivery_.reached_start.insert(q.conv);
    // A full page after a known seq means there may be more: keep paging forward.
    if (q.after_seq >= 0 && static_cast<int>(page.size()) >= timing_.history_page)
        fetch_history(q.conv, delivery_.store.last_seq(q.conv), out);
}

// Issue 11: the join, group info and register answers may carry the latest page (asked
// with `latest`), so the chat's first screen needs no history round trip of its own.
bool Session::take_latest(const ConversationKey& k, const Json& data, std::vector<Action>& out) {
    const auto page = api::read_latest(data);
    if (!page) return false;
    store_history(req::History{k, -1, 0}, *page, out);
    return true;
}

int Session::latest_wanted(const ConversationKey& k) const {
    return delivery_.history_loaded.count(k) ? 0 : timing_.history_page;   // cached: only what came after
}

void Session::answer(const req::Send& q, const ApiResult& r, int status, std::vector<Action>& out) {
    delivery_.send_deadlines.erase(q.client_msg_id);
    answer_send(q, r, status, out);
    const bool retry = !r.ok && (status == 0 || status >= 500 || status == 429 || status == 408);
    if (!retry) return send_next_queued(q.conv, out);
    // Network trouble: what waits behind it would meet the same. They fail with it and
    // go again in typed order (on the next connect, or by a tap).
    for (const Message& m : delivery_.store.messages(q.conv)) {
        if (m.id != 0 || !delivery_.queued.count(m.client_msg_id)) continue;
        delivery_.send_deadlines.erase(m.client_msg_id);
        delivery_.store.fail(m.client_msg_id, SendError{std::string(tr(lang_, Str::NetworkError)), true});
    }
    for (auto it = delivery_.queued.begin(); it != delivery_.queued.end();)
        it = delivery_.store.error(*it) ? delivery_.queued.erase(it) : std::next(it);
    persist_outbox(out);
}

void Session::answer_send(const req::Send& q, const ApiResult& r, int status, std::vector<Action>& out) {
    if (!r.ok) {
        // Network trouble is retried (on the next connect, or by a tap); a refusal
        // (muted, not a member, too long...) shows its reason and is not resent.
        const bool retry = status == 0 || status >= 500 || status == 429 || status == 408;
        std::string reason = status == 0 ? std::string(tr(lang_, Str::NetworkError)) : r.reason();
        delivery_.store.fail(q.client_msg_id, SendError{std::move(reason), retry});
        if (!retry) notify(r.reason());
        persist_outbox(out);
        return;
    }
    receive(protocol::message_from_json(r.data), out);
    persist_outbox(out);
}

void Session::answer(const req::Recall&, const ApiResult& r, int, std::vector<Action>& out) {
    if (!r.ok) { notify(r.reason()); return; }
    receive(protocol::message_from_json(r.data), out);
}

// ---- read side ----

const std::vector<Message>& Session::open_messages() const {
    static const std::vector<Message> none;
    return nav_.open ? delivery_.store.messages(*nav_.open) : none;
}

bool Session::can_recall(const Message& m) const {
    if (m.id <= 0 || m.isremove || m.type == "systemNotice") return false;
    if (nav_.open && nav_.open->chat_type == "group")
        if (const Conversation* c = nav_.find(*nav_.open); c && c->owner_id == user_.id && c->status == 1)
            return true;   // owners: any time
    return m.from_id == user_.id && now_ - m.create_time <= 5 * 60 * 1000;
}

bool Session::can_load_earlier() const {
    if (!nav_.open || delivery_.reached_start.count(*nav_.open)) return false;
    const auto& v = delivery_.store.messages(*nav_.open);
    return !v.empty() && v.front().seq > 1;
}

bool Session::loading_earlier() const {
    return any_inflight<req::History>([](const req::History& h) { return h.before_seq > 0; });
}

}  // namespace imchat::core
