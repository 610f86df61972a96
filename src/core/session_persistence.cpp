// Session: persistence. What survives a page load (the user, the outbox of
// unsent messages, a cache of the latest messages per conversation) and the
// test hook's snapshot (README "Test hook": its shape is a contract).
#include "core/session.hpp"

namespace imchat::core {

using protocol::read_arr;
using protocol::read_int;
using protocol::read_str;

namespace {
Json last_json(const std::optional<LastMessage>& l) {
    if (!l) return nullptr;
    return Json{{"seq", l->seq}, {"from_name", l->from_name}, {"type", l->type}, {"text", l->text}, {"time", l->time}};
}
}  // namespace

void Session::load_stored(const ev::Start& e) {
    media_.load(e.played_json);
    const Json cache = protocol::parse_json(e.cache_json);
    if (cache.is_object() && read_int(cache, "user") == user_.id) {
        for (const auto& c : read_arr(cache, "conversations")) {
            const ConversationKey k{read_str(c, "chatType", "group"), read_int(c, "id")};
            Conversation& conv = nav_.conversation(k);
            conv.title = read_str(c, "title");
            conv.member_count = static_cast<int>(read_int(c, "member_count"));
            conv.update_time = read_int(c, "update_time");
            conv.unread = static_cast<int>(read_int(c, "unread"));
            if (const Json& l = protocol::read_obj(c, "last"); !l.empty())
                conv.last = LastMessage{read_int(l, "seq"), read_str(l, "from_name"), read_str(l, "type"),
                                        read_str(l, "text"), read_int(l, "time")};
            for (const auto& j : read_arr(c, "messages")) delivery_.store.upsert(k, protocol::message_from_json(j));
            if (!delivery_.store.messages(k).empty()) delivery_.history_loaded.insert(k);
        }
    }
    const Json box = protocol::parse_json(e.outbox_json);
    if (box.is_array()) {
        for (const auto& j : box) {
            Message m = protocol::message_from_json(j);
            if (m.from_id != user_.id || m.client_msg_id.empty()) continue;
            m.id = 0;
            m.seq = 0;
            m.status = SendStatus::Pending;
            delivery_.store.upsert(protocol::conversation_of(m, user_.id), m);
        }
    }
    nav_.sort_by_activity();
    // Show the cached conversation at once, before the socket is up.
    if (link_.target && link_.target->id > 0 && delivery_.history_loaded.count({"group", link_.target->id})) {
        nav_.open = ConversationKey{"group", link_.target->id};
        screen_ = Screen::Chat;
    }
}

void Session::persist_user(std::vector<Action>& out) {
    out.push_back(act::Persist{kKeyUser, protocol::to_json(user_).dump()});
}

void Session::persist_outbox(std::vector<Action>& out) {
    Json box = Json::array();
    for (const Message* m : delivery_.store.retryable())
        if (!delivery_.uploads.count(m->client_msg_id)) box.push_back(protocol::to_json(*m));   // Blobs do not survive a reload
    out.push_back(act::Persist{kKeyOutbox, box.empty() ? std::string() : box.dump()});
}

void Session::mark_cache_dirty() {
    cache_.dirty = true;
    if (!timers_.armed(Timer::CacheWrite)) timers_.set(Timer::CacheWrite, std::max(now_, cache_.allowed_at));
}

void Session::write_cache(std::vector<Action>& out) {
    timers_.stop(Timer::CacheWrite);
    cache_.dirty = false;
    cache_.allowed_at = now_ + timing_.cache_interval_ms;
    Json convs = Json::array();
    for (const auto& c : nav_.convs) {
        Json msgs = Json::array();
        const auto& v = delivery_.store.messages(c.key);
        size_t from = v.size() > static_cast<size_t>(timing_.cache_messages) ? v.size() - timing_.cache_messages : 0;
        for (size_t i = from; i < v.size(); ++i)
            if (v[i].id > 0) msgs.push_back(protocol::to_json(v[i]));   // unsent ones live in the outbox
        convs.push_back({{"chatType", c.key.chat_type}, {"id", c.key.id}, {"title", c.title},
                         {"member_count", c.member_count}, {"messages", msgs},
                         {"last", last_json(c.last)}, {"update_time", c.update_time}, {"unread", c.unread}});
    }
    out.push_back(act::Persist{kKeyCache, Json{{"user", user_.id}, {"conversations", convs}}.dump()});
}

// ---- test hook ----------------------------------------------------------------

Json Session::group_snapshot() const {
    if (!nav_.open || nav_.open->chat_type != "group") return nullptr;
    const Conversation* c = open_conversation();
    if (!c) return nullptr;
    const protocol::Group& g = groups_.detail;
    Json members = Json::array();
    for (const auto& m : g.members)
        members.push_back({{"user_id", m.user_id}, {"role", protocol::to_string(m.role)},
                           {"status", static_cast<int>(m.status)}, {"name", m.display_name()},
                           {"reason", m.reason}, {"request_time", m.request_time}});
    return Json{{"status", c->status}, {"my_status", c->my_status}, {"owner_id", c->owner_id},
                {"policy", static_cast<int>(g.policy)},
                {"remark", g.remark},
                {"members", members}, {"qr_url", groups_.qr.url}, {"pending_requests", pending_requests()}};
}

Json Session::invite_snapshot() const {
    Json list = Json::array();
    for (const Candidate& c : groups_.invite.candidates)
        list.push_back({{"id", c.id}, {"name", c.name}, {"result", c.result}});
    return Json{{"loaded", groups_.invite.loaded}, {"candidates", list}};
}

Json Session::snapshot() const {
    const MessageStore& store = delivery_.store;
    Json convs = Json::array();
    for (const auto& c : nav_.convs) {
        convs.push_back({{"chatType", c.key.chat_type}, {"id", c.key.id}, {"title", c.title},
                         {"unread", c.unread}, {"lastSeq", store.last_seq(c.key)},
                         {"last", last_json(c.last)}, {"update_time", c.update_time},
                         {"pending_count", c.pending_count}});
    }
    Json open = nullptr;
    if (nav_.open) {
        Json msgs = Json::array();
        for (const auto& m : store.messages(*nav_.open)) {
            const SendError* err = send_error(m);
            msgs.push_back({{"id", m.id}, {"seq", m.seq}, {"from_id", m.from_id}, {"type", m.type},
                            {"data", m.data}, {"status", protocol::to_string(m.status)},
                            {"client_msg_id", m.client_msg_id}, {"error", err ? err->reason : std::string()},
                            {"retry", m.status == SendStatus::Failed && (!err || err->retry)},
                            {"create_time", m.create_time}});
            msgs.back().update(media_snapshot(m));   // file_name, file_size, poster, duration, upload_progress
            if (m.type == "audio") {   // voice (core/media.hpp): seconds, played here, playing now
                Json& j = msgs.back();
                j["duration"] = audio_duration(m.options);
                j["played"] = media_.played(m, user_.id);
                j["playing"] = m.id > 0 && media_.playing() == m.id;
            }
        }
        open = {{"chatType", nav_.open->chat_type}, {"id", nav_.open->id}, {"messages", msgs}};
    }
    const JoinCard& jc = groups_.join_card;
    return Json{
        {"user", user_.id ? Json{{"id", user_.id}, {"role", user_.role}, {"name", user_.display_name()},
                                 {"avatar", user_.avatar}}
                          : Json(nullptr)},
        {"connection", to_string(connection())},
        {"screen", to_string(screen_)},
        {"conversations", convs},
        {"open", open},
        {"modal", modal_.empty() ? Json(nullptr) : Json(modal_)},
        {"notice", notice_},
        {"join", screen_ == Screen::Join ? Json{{"name", jc.name}, {"policy", jc.policy},
                                                {"pending", jc.pending}, {"needs_login", jc.needs_login},
                                                {"contact", jc.contact}}
                                         : Json(nullptr)},
        {"group", group_snapshot()},
        {"invite", screen_ == Screen::Invite ? invite_snapshot() : Json(nullptr)},
        {"settings", screen_ == Screen::Settings ? Json{{"qr_url", groups_.qr.url}, {"send_count", send_count_}}
                                                 : Json(nullptr)},
    };
}

}  // namespace imchat::core
