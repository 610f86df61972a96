// Session: identity and account. The page start, the guest registration that
// every device does first, sign up / sign in / log out, losing the token, and
// become(): a new identity resets every per-identity component.
#include "core/session.hpp"

#include "core/url.hpp"

namespace imchat::core {

void Session::on_start(const ev::Start& e, std::vector<Action>& out) {
    if (started_) return;
    started_ = true;
    now_ = e.now;
    lang_ = lang_from_locale(e.language);
    origin_ = e.origin;
    while (!origin_.empty() && origin_.back() == '/') origin_.pop_back();
    ws_origin_ = websocket_origin(origin_);
    link_.target = parse_join_target(e.href);
    {
        // A page opened on localhost cannot be scanned from a phone: the group view says so.
        const std::string h = e.href.substr(0, e.href.find('/', e.href.find("//") + 2));
        page_localhost_ = h.find("//localhost") != std::string::npos || h.find("//127.") != std::string::npos ||
                          h.find("//[::1]") != std::string::npos;
    }
    device_id_ = e.device_id;
    if (device_id_.size() != 36) {
        device_id_ = new_uuid();
        out.push_back(act::Persist{kKeyDevice, device_id_});
    }
    if (!e.user_json.empty()) {
        const Json j = protocol::parse_json(e.user_json);
        if (!j.is_discarded()) user_ = protocol::read_user(j);
    }
    if (user_.id) load_stored(e);
    if (link_.target && link_.target->id <= 0) {   // a malformed link: nothing to join
        screen_ = Screen::NotFound;
        link_.done = true;
    }
    advance(out);
}

void Session::advance(std::vector<Action>& out) {
    if (timers_.armed(Timer::Bootstrap) && now_ < timers_.get(Timer::Bootstrap)) return;
    const auto& t = link_.target;
    const bool group_link = t && t->chat_type == "group" && !link_.done;
    if (user_.token.empty()) {
        // A scanned group rides along: the answer carries it (joined if open), saving round trips.
        if (!busy<req::Register>())
            http(api::visitor_register(device_id_, now_, group_link ? t->id : 0,
                                       group_link ? latest_wanted({"group", t->id}) : 0),
                 req::Register{}, out);
        return;
    }
    if (conn_.state == Conn::Idle) open_socket(out);
    if (t && t->chat_type == "single" && !link_.done && !busy<req::ContactInfo>() && !busy<req::AddContact>()) {
        http(api::contact_info(t->code), req::ContactInfo{}, out);
    } else if (t && t->chat_type == "group" && !link_.done && !busy<req::GroupInfo>() && !busy<req::Join>()) {
        http(api::group_info(t->id, latest_wanted({"group", t->id})), req::GroupInfo{}, out);
    } else if (!t && screen_ == Screen::Loading && !busy<req::GroupList>()) {
        screen_ = Screen::List;
        request_group_list(out);
    }
}

void Session::on_sign_in(const ev::SignIn& x, std::vector<Action>& out) {
    notice_.clear();
    if (user_.role == "visitor" && !user_.token.empty()) {
        // A guest keeps what it has: registering upgrades it in place, logging in
        // brings its groups into the account.
        http(api::guest_upgrade(x.username, x.password, x.create), req::SignIn{}, out);
    } else if (x.create) {
        http(api::sign_up(x.username, x.password), req::SignUp{x.username, x.password}, out);
    } else {
        http(api::sign_in(x.username, x.password), req::SignIn{}, out);
    }
}

void Session::on_logout(std::vector<Action>& out) {
    if (user_.role != "user") return;
    http(api::logout(), req::Logout{}, out);
    become(User{}, out);   // and carry on as this device's guest
}

void Session::on_dismiss_modal(std::vector<Action>& out) {
    modal_.clear();
    if (conn_.state == Conn::Kicked) {   // "use it here": a fresh guest session for this device
        set_conn(Conn::Idle);
        user_.token.clear();
        advance(out);
    }
}

void Session::token_invalid(std::vector<Action>& out) {
    // Our token is gone (expired, or replaced by a newer login of this device).
    if (conn_.socket_up()) out.push_back(act::CloseSocket{1000, "token"});
    if (user_.role == "user") {
        // A registered user's token dies when the account signed in elsewhere (the
        // 4001 was missed while the phone slept): the same modal, and the same
        // clean slate, as a 4001.
        kicked(out);
        return;
    }
    // A guest silently registers again with its device id.
    set_conn(Conn::Idle);
    user_ = User{};
    out.push_back(act::Persist{kKeyUser, ""});
    inflight_.clear();
    delivery_.queued.clear();   // resend_unsent sends them again once registered
    fail_pending_uploads(out);  // their answers are forgotten with inflight_: a tap sends them again
    advance(out);
}

void Session::kicked(std::vector<Action>& out) {
    modal_ = std::string(tr(lang_, Str::Kicked)) + "\n" + tr(lang_, Str::KickedDetail);
    if (user_.role == "user") {
        // Never reconnect with the old token: log out and carry on as this device's guest.
        set_conn(Conn::Idle);
        become(User{}, out);
    } else {
        set_conn(Conn::Kicked);   // a guest waits for "use it here" (DismissModal)
    }
}

void Session::become(const User& u, std::vector<Action>& out) {
    if (conn_.socket_up()) out.push_back(act::CloseSocket{1000, "identity changed"});
    set_conn(Conn::Idle);
    user_ = u;
    out.push_back(act::Persist{kKeyUser, u.token.empty() ? std::string() : protocol::to_json(u).dump()});
    // Conversations, messages, requests and screens belonged to the previous identity; its
    // uploads are aborted and their Blobs let go.
    for (const auto& [id, u] : delivery_.uploads) out.push_back(act::DropUpload{u.http_id, u.blob, u.poster_blob});
    inflight_.clear();
    nav_ = Navigation{};
    delivery_ = Delivery{};
    groups_ = Groups{};
    timers_.stop(Timer::Bootstrap);
    link_.done = !link_.target || link_.target->id <= 0;
    screen_ = link_.done && link_.target ? Screen::NotFound : Screen::Loading;
    advance(out);   // registers a guest if u has no token; otherwise connects and rejoins
}

void Session::answer(const req::Register&, const ApiResult& r, int, std::vector<Action>& out) {
    if (!r.ok) {
        notify(r.reason());
        timers_.set(Timer::Bootstrap, now_ + conn_.backoff.next(rng_));
        return;
    }
    user_ = protocol::read_user(r.data);
    persist_user(out);
    // The link's group, if the answer carries it (a server that ignores join_group_id does
    // not: then advance() asks groupinfo as before).
    const auto& t = link_.target;
    if (t && t->chat_type == "group" && !link_.done)
        if (const Json& g = protocol::read_obj(r.data, "group"); !g.empty() && protocol::read_int(g, "id") == t->id)
            link_group(g, out);
    advance(out);
}

void Session::answer(const req::SignUp& q, const ApiResult& r, int, std::vector<Action>& out) {
    if (!r.ok) { notify(r.reason()); return; }
    http(api::sign_in(q.username, q.password), req::SignIn{}, out);
}

void Session::answer(const req::SignIn&, const ApiResult& r, int, std::vector<Action>& out) {
    if (!r.ok) { notify(r.reason()); return; }
    become(protocol::read_user(r.data), out);
}

void Session::answer(const req::Logout&, const ApiResult&, int, std::vector<Action>&) {}

}  // namespace imchat::core
