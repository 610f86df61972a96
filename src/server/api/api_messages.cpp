// Messages: send (group and 1:1), history by seq, offline delivery with acks,
// recall, and the delivery every route shares (system notices, fan-out, push).
#include <algorithm>

#include "core/url.hpp"
#include "server/api/api.hpp"
#include "server/api/api_internal.hpp"
#include "server/metrics/metrics.hpp"
#include "server/api/sniff.hpp"

namespace imchat::server {

using namespace detail;

namespace {
// sendCount for guests from the receiver's settings: 0 never, 1 one message, 2 unlimited.
int guest_send_count(const std::string& userset) {
    const Json settings = parse_json(userset);
    const Json& visitor = read_obj(read_obj(settings, "chatset"), "visitor");
    return static_cast<int>(read_int(visitor, "sendCount", 1));
}
}  // namespace

void Api::push(const std::vector<int64_t>& users, const Json& message) {
    bus_.publish(users, std::make_shared<const std::string>(protocol::make_frame("singleChat", message, clock_())));
}

AudienceCache::Ids Api::audience(int64_t group_id) {
    auto load = [&] {
        const auto members = store_.members(group_id);
        std::vector<int64_t> ids;
        ids.reserve(members.size());
        for (const auto& mem : members)
            if (mem.status != kPending) ids.push_back(mem.user_id);
        return ids;
    };
    // Processes sharing a store: a join through another process never reaches this cache.
    if (!cfg_.cache_audience) return std::make_shared<const std::vector<int64_t>>(load());
    return audience_.get(group_id, load);
}

void Api::member_changed(int64_t group_id, int64_t user_id) {
    audience_.refresh(group_id, user_id, [&] {
        auto m = store_.member(group_id, user_id);
        return m && m->status != kPending;
    });
    bus_.audience_changed(group_id, user_id);   // other processes drop their cached audience
}

// One frame for everyone (push serialises once); the cached audience is published as it
// is, or copied once without the sender: no allocation per recipient.
void Api::fan_out(const GroupRow& g, const protocol::Message& m, int64_t except_user) {
    const auto ids = audience(g.id);
    if (except_user == 0 || std::find(ids->begin(), ids->end(), except_user) == ids->end()) {
        push(*ids, protocol::to_json(m));
        return;
    }
    std::vector<int64_t> to;
    to.reserve(ids->size() - 1);
    for (int64_t id : *ids)
        if (id != except_user) to.push_back(id);
    push(to, protocol::to_json(m));
}

// Joins (groupInviteUser, an owner's invite, an approval, a guest's account joining its
// groups) post through here; see join_notices.hpp. Without a Scheduler: at once, as before.
void Api::post_join_notice(const GroupRow& g, const std::string& name, const std::string& single_text) {
    if (!scheduler_.load() || cfg_.join_notice_window_ms <= 0) {
        post_system_notice(g, single_text);
        return;
    }
    // A small group hears of every join at once, in order with its messages (as before);
    // coalescing is for the crowds that scan one QR code together.
    if (!joins_->open(g.id) && audience(g.id)->size() <= coalesce_above_.load()) {
        post_system_notice(g, single_text);
        return;
    }
    if (joins_->add(g.id, name, single_text)) {
        post_system_notice(g, single_text);
        schedule_join_flush(g.id);
    }
}

void Api::schedule_join_flush(int64_t group_id) {
    Scheduler* s = scheduler_.load();
    if (!s) return;
    std::weak_ptr<JoinNotices> alive = joins_;
    s->after(cfg_.join_notice_window_ms, [this, alive, group_id] {
        if (auto keep = alive.lock()) flush_join_notices(group_id);
    });
}

// The window ended: one notice for what it collected (and a new window), or quiet again.
void Api::flush_join_notices(int64_t group_id) {
    std::optional<std::string> text;
    try {
        text = joins_->flush(group_id);
        if (!text) return;
        auto g = store_.group_by_id(group_id);
        if (g && g->status == 1) post_system_notice(*g, *text);
    } catch (const std::exception&) {
        // A failed notice is not retried (nothing waits on it); the window goes on.
    }
    if (text) schedule_join_flush(group_id);
}

void Api::post_system_notice(const GroupRow& g, const std::string& text) {
    protocol::Message m;
    m.from_name = "system";
    m.to_id = g.id;
    m.to_name = g.name;
    m.to_avatar = g.avatar;
    m.chat_type = "group";
    m.type = "systemNotice";
    m.data = text;
    m.create_time = clock_();
    auto res = store_.append_message(conv_key("group", g.id), m);
    fan_out(g, res.message, 0);
}

Response Api::send_message(Ctx& c) {
    // Per user, every attempt (a retry too): a script cannot flood its groups (issue 14).
    if (!send_limits_.allow(std::to_string(c.user.id), cfg_.sends_per_user_window, cfg_.send_window_ms, clock_())) {
        Response r = fail(kErrSendRate, "每" + std::to_string(cfg_.send_window_ms / 1000) + "秒最多" +
                                            std::to_string(cfg_.sends_per_user_window) + "条");
        r.retry_after_s = 1;
        return r;
    }
    const Json& body = c.body;
    const std::string chat_type = read_str(body, "chatType");
    const std::string type = read_str(body, "type").empty() ? "text" : read_str(body, "type");
    const std::string data = read_str(body, "data");
    const int64_t to = read_int(body, "sendto_id");
    std::string cmid = read_str(body, "client_msg_id");
    if (cmid.empty()) cmid = read_str(body, "sendUUid");
    if (cmid.size() > 64) return fail(kErrBadParam);
    if (chat_type != "group" && chat_type != "single") return fail(kErrChatType);
    if (data.empty()) return fail(kErrEmptyMessage);
    if (auto bad = check_message_content(type, data)) return *bad;
    if (data.size() > cfg_.max_text_bytes) return fail(kErrTooLong);
    if (!valid_utf8(data)) return fail(kErrBadParam);
    const std::string options = read_str(body, "options");
    if (options.size() > cfg_.max_options_bytes) return fail(kErrOptionsTooLong);
    if (!valid_utf8(options)) return fail(kErrBadParam);
    if (type == "video" && !options.empty()) {   // a poster is drawn by every client: ours only
        const Json o = parse_json(core::percent_decode(options));
        UploadKind poster;
        if (auto p = o.is_object() ? o.find("poster") : o.end(); o.is_object() && p != o.end() &&
            !(p->is_string() && upload_url_kind(p->get<std::string>(), poster) && poster == UploadKind::image))
            return fail(kErrUploadUrl);
    }

    protocol::Message m;
    m.from_id = c.user.id;
    m.from_name = display_name(c.user);
    m.from_avatar = c.user.avatar;
    m.chat_type = chat_type;
    m.type = type;
    m.data = data;
    m.options = options;
    m.create_time = clock_();
    m.client_msg_id = cmid;

    if (chat_type == "group") {
        auto g = store_.group_by_id(to);
        if (!g || g->status != 1) return fail(kErrGroupClosed);
        auto mem = store_.member(g->id, c.user.id);
        if (!mem || mem->status == kPending) return fail(kErrNotInGroup);
        if (mem->status == kMuted) return fail(kErrMuted);
        if (!mem->nickname.empty()) m.from_name = mem->nickname;
        m.to_id = g->id;
        m.to_name = g->name;
        m.to_avatar = g->avatar;
        // Graceful overload: refuse (retryable, nothing stored) rather than queue more for
        // an audience the server is behind on, or beyond the group's in-flight bound.
        auto slot = inflight_.acquire(g->id, cfg_.max_inflight_per_group);
        Backpressure* bp = backpressure_.load();
        if (!slot || (bp && bp->behind(*audience(g->id)))) return fail(kErrBusy);   // 503, Retry-After: 1
        auto res = store_.append_message(conv_key("group", g->id), m);
        if (res.created) metrics::registry().messages_in.inc();
        // After commit. A retry (same client_msg_id) is published again: its first attempt may
        // have committed and died before publishing (another process, killed); clients dedup by id/seq.
        fan_out(*g, res.message, c.user.id);
        return ok(protocol::to_json(res.message));
    }

    // 1:1: only between members of a common group, and guests only as the receiver allows.
    auto peer = store_.user_by_id(to);
    if (!peer || peer->id == c.user.id) return fail(kErrBadParam);
    bool common = store_.are_contacts(c.user.id, peer->id);
    for (const auto& g : common ? std::vector<GroupRow>{} : store_.groups_of_user(c.user.id, 0, 1000)) {
        auto pm = store_.member(g.id, peer->id);
        if (pm && pm->status != kPending) { common = true; break; }
    }
    if (!common) return fail(kErrNoCommonGroup);
    const std::string conv = conv_key("single", c.user.id, peer->id);
    if (c.user.role == "visitor") {
        const int allowed = guest_send_count(store_.userset(peer->id));
        if (allowed == 0) return fail(kErrGuestBlocked);
        if (allowed == 1 && store_.count_from(conv, c.user.id) >= 1) {
            // The one message may be retried (same client_msg_id) but not followed by another.
            if (!cmid.empty())
                if (auto again = store_.message_by_client_id(c.user.id, cmid)) {
                    push({peer->id}, protocol::to_json(*again));   // a retry is published again
                    return ok(protocol::to_json(*again));
                }
            return fail(kErrGuestOnce);
        }
    }
    m.to_id = peer->id;
    m.to_name = display_name(*peer);
    m.to_avatar = peer->avatar;
    auto res = store_.append_message(conv, m);
    if (res.created) metrics::registry().messages_in.inc();
    push({peer->id}, protocol::to_json(res.message));   // a retry too (see the group case)
    return ok(protocol::to_json(res.message));
}

Response Api::history(Ctx& c) {
    const auto type = c.params[0];
    auto id = to_int(c.params[1]);
    if (!id || (type != "group" && type != "single")) return fail(kErrChatType);
    std::string conv;
    if (type == "group") {
        auto g = store_.group_by_id(*id);
        if (!g) return fail(kErrGroupNotFound);
        auto mem = store_.member(g->id, c.user.id);
        if (!mem || mem->status == kPending) return fail(kErrNotInGroup);
        conv = conv_key("group", g->id);
    } else {
        conv = conv_key("single", c.user.id, *id);   // only ever the caller's own conversation
    }
    const int limit = static_cast<int>(std::clamp<int64_t>(
        to_int(core::query_param(c.r.query, "limit").value_or("50")).value_or(50), 1, 200));
    const auto after = to_int(core::query_param(c.r.query, "after_seq").value_or(""));
    const auto before = to_int(core::query_param(c.r.query, "before_seq").value_or(""));
    std::vector<protocol::Message> msgs = after    ? store_.messages_after(conv, *after, limit)
                                      : before ? store_.messages_before(conv, *before, limit)
                                               : store_.messages_latest(conv, limit);
    Json list = Json::array();
    for (const auto& m : msgs) list.push_back(protocol::to_json(m));
    return ok(Json{{"list", list}});
}

// Reference route, two modes (issue 9). Nothing is ever deleted; never a message from
// before the user joined the conversation, nor the user's own.
//  - ack mode (the body has an `ack` array, even []: imchat's client): at-least-once. The
//    messages after the user's ack cursor of each conversation (groups and 1:1), answered and
//    pushed over the socket, again on every call until acknowledged with
//    {ack:[{chatType:"group"|"single", id: group id | peer id, seq}]} (here or on a later call).
//  - delivery mode (no `ack`: a reference client such as chatClass.js, which never acks): the
//    answer is the delivery. The next page (<= 200 messages, <= 100 per conversation, seq
//    order per conversation) of what was not delivered yet; the delivered cursors move past
//    it, so the next call answers the next page, until [].
Response Api::offline_messages(Ctx& c) {
    const auto acks = c.body.find("ack");
    const bool ack_mode = acks != c.body.end() && acks->is_array();
    std::vector<protocol::Message> msgs;
    if (ack_mode) {
        for (const auto& a : *acks) {
            const int64_t id = read_int(a, "id"), seq = read_int(a, "seq");
            const std::string type = read_str(a, "chatType");
            if ((type != "group" && type != "single") || seq <= 0 || id <= 0) continue;
            const std::string conv = type == "group" ? conv_key("group", id) : conv_key("single", c.user.id, id);
            if (type == "group") {
                auto mem = store_.member(id, c.user.id);
                if (!mem || mem->status == kPending) continue;   // only conversations the user belongs to
            } else if (id == c.user.id || !store_.in_conversation(c.user.id, conv)) {
                continue;
            }
            store_.advance_ack_cursor(c.user.id, conv, std::min(seq, store_.last_seq(conv)));
        }
        msgs = store_.unacked(c.user.id, 100, 500);
    } else {
        msgs = store_.take_undelivered(c.user.id, 100, 200);
    }
    Json list = Json::array();
    for (const auto& m : msgs) {
        list.push_back(protocol::to_json(m));
        push({c.user.id}, list.back());
    }
    return ok(list);
}

// Recall: the sender within 5 minutes, or the group owner at any time. The stored
// text is cleared; everyone gets the message again with isremove = 1, in the
// reference's shape (type systemNotice, actionType revoke, the recalled id) with
// the recalled message's own type kept as `original_type`. The answer is the same.
Response Api::revoke_message(Ctx& c) {
    const int64_t id = read_int(c.body, "id");
    const std::string chat_type = read_str(c.body, "chatType");
    const int64_t to = read_int(c.body, "to_id");
    auto m = store_.message_by_id(id);
    if (!m || m->chat_type != chat_type || m->type == "systemNotice") return fail(kErrNoMessage);
    std::vector<int64_t> audience;
    bool owner = false;
    if (chat_type == "group") {
        auto g = store_.group_by_id(m->to_id);
        if (!g || m->to_id != to) return fail(kErrNoMessage);
        auto mem = store_.member(g->id, c.user.id);
        if (!mem || mem->status == kPending) return fail(kErrNotInGroup);
        owner = g->owner_id == c.user.id;
        for (int64_t x : *this->audience(g->id))
            if (x != c.user.id) audience.push_back(x);
    } else {
        if (m->from_id != c.user.id && m->to_id != c.user.id) return fail(kErrNoMessage);
        audience.push_back(m->from_id == c.user.id ? m->to_id : m->from_id);
    }
    if (!owner) {
        if (m->from_id != c.user.id) return fail(kErrRecallOther);
        if (clock_() - m->create_time > cfg_.recall_window_ms) return fail(kErrRecallLate);
    }
    if (!m->isremove) store_.mark_removed(id);
    protocol::Message removed = *store_.message_by_id(id);
    Json j = protocol::to_json(removed);
    j["actionType"] = "revoke";
    j["original_type"] = removed.type;
    j["type"] = "systemNotice";
    j["revoked_by"] = c.user.id;
    j["revoked_by_name"] = display_name(c.user);
    push(audience, j);
    return ok(j);
}

}  // namespace imchat::server
