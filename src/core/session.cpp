#include "core/session.hpp"

#include <algorithm>

namespace imchat::core {

const char* to_string(Conn c) {
    switch (c) {
        case Conn::Idle:       return "idle";
        case Conn::Connecting: return "connecting";
        case Conn::Online:     return "online";
        case Conn::Backoff:    return "backoff";
        case Conn::Offline:    return "offline";
        case Conn::Kicked:     return "kicked";
    }
    return "idle";
}

const char* to_string(Screen s) {
    switch (s) {
        case Screen::Loading:  return "loading";
        case Screen::Join:     return "join";
        case Screen::Chat:     return "chat";
        case Screen::List:     return "list";
        case Screen::NotFound: return "not_found";
        case Screen::Login:    return "login";
        case Screen::GroupInfo: return "group_info";
        case Screen::Settings: return "settings";
    }
    return "loading";
}

namespace {
Json user_to_json(const User& u) {
    return Json{{"id", u.id}, {"username", u.username}, {"nickname", u.nickname},
                {"avatar", u.avatar}, {"role", u.role}, {"token", u.token}};
}
User user_from_json(const Json& j) {
    User u;
    if (!j.is_object()) return u;
    u.id       = j.value("id", int64_t{0});
    u.username = j.value("username", std::string());
    u.nickname = j.value("nickname", std::string());
    u.avatar   = j.value("avatar", std::string());
    u.role     = j.value("role", std::string("visitor"));
    u.token    = j.value("token", std::string());
    return u;
}
std::string trim(const std::string& s) {
    const char* ws = " \t\r\n";
    size_t b = s.find_first_not_of(ws);
    if (b == std::string::npos) return {};
    return s.substr(b, s.find_last_not_of(ws) - b + 1);
}
}  // namespace

Conn Session::connection() const {
    if (network_offline_ && (conn_ == Conn::Backoff || conn_ == Conn::Connecting)) return Conn::Offline;
    return conn_;
}

Session::Session(Random rng, Timing timing) : rng_(std::move(rng)), timing_(timing) {}

std::vector<Action> Session::handle(const Event& e) {
    std::vector<Action> out;
    const Conn conn_before = connection();
    changed_ = !std::holds_alternative<ev::Tick>(e) && !std::holds_alternative<ev::SocketMessage>(e);
    std::visit([&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ev::Start>) on_start(x, out);
        else if constexpr (std::is_same_v<T, ev::HttpDone>) on_http(x, out);
        else if constexpr (std::is_same_v<T, ev::SocketOpened>) {
            if (conn_ != Conn::Connecting) return;
            conn_ = Conn::Online;
            missed_pongs_ = 0;
            next_ping_ = now_ + timing_.ping_interval_ms;
            stable_at_ = now_ + timing_.stable_after_ms;
            // Sync: what we sent but never saw acknowledged, the conversation list
            // with each latest seq, and whatever the open conversation missed.
            resend_unsent(out);
            if (!user_.token.empty()) http("GET", "/api/chat/grouplist/1", nullptr, {Purpose::GroupList}, out);
            if (open_ && history_loaded_.count(*open_)) fetch_history(*open_, store_.last_seq(*open_), out);
        }
        else if constexpr (std::is_same_v<T, ev::SocketMessage>) on_socket_message(x, out);
        else if constexpr (std::is_same_v<T, ev::SocketClosed>) on_socket_closed(x, out);
        else if constexpr (std::is_same_v<T, ev::Tick>) { now_ = std::max(now_, x.now); on_tick(out); }
        else if constexpr (std::is_same_v<T, ev::SendText>) on_send(x, out);
        else if constexpr (std::is_same_v<T, ev::OpenConversation>) {
            if (!x.title.empty()) conversation(x.conv).title = x.title;
            open_conversation(x.conv, out);
        }
        else if constexpr (std::is_same_v<T, ev::ShowList>) {
            screen_ = Screen::List;
            open_.reset();
            if (!user_.token.empty()) http("GET", "/api/chat/grouplist/1", nullptr, {Purpose::GroupList}, out);
        }
        else if constexpr (std::is_same_v<T, ev::NetworkOffline>) {
            network_offline_ = true;   // keep trying (the event is a hint), but say so
        }
        else if constexpr (std::is_same_v<T, ev::NetworkOnline>) {
            network_offline_ = false;
            if (conn_ == Conn::Backoff || conn_ == Conn::Offline) open_socket(out);
            bootstrap_retry_at_ = 0;
            advance(out);
        }
        else if constexpr (std::is_same_v<T, ev::RetrySend>) {
            for (const Message* m : store_.unsent())
                if (m->client_msg_id == x.client_msg_id) { send_message(*m, out); break; }
        }
        else if constexpr (std::is_same_v<T, ev::LoadEarlier>) {
            if (!can_load_earlier() || loading_earlier()) return;
            const auto& msgs = store_.messages(*open_);
            Pending p{Purpose::History, *open_};
            p.before_seq = msgs.front().seq;
            http("GET", "/api/chat/history/" + open_->chat_type + "/" + std::to_string(open_->id) +
                 "?limit=" + std::to_string(timing_.history_page) + "&before_seq=" + std::to_string(p.before_seq),
                 nullptr, p, out);
        }
        else if constexpr (std::is_same_v<T, ev::ShowLogin>) {
            screen_ = Screen::Login;
            notice_.clear();
        }
        else if constexpr (std::is_same_v<T, ev::SignIn>) {
            notice_.clear();
            if (user_.role == "visitor" && !user_.token.empty()) {
                // A guest keeps what it has: registering upgrades it in place, logging in
                // brings its groups into the account.
                http("POST", x.create ? "/api/visitorregChat" : "/api/visitorloginChat",
                     Json{{"username", x.username}, {"password", x.password}, {"repassword", x.password}},
                     {Purpose::SignIn}, out);
            } else if (x.create) {
                Pending p{Purpose::SignUp};
                p.username = x.username;
                p.password = x.password;
                http("POST", "/api/regChat",
                     Json{{"username", x.username}, {"password", x.password}, {"repassword", x.password}}, p, out);
            } else {
                http("POST", "/api/loginChat", Json{{"username", x.username}, {"password", x.password}},
                     {Purpose::SignIn}, out);
            }
        }
        else if constexpr (std::is_same_v<T, ev::Logout>) {
            if (user_.role != "user") return;
            http("POST", "/api/chat/logout", nullptr, {Purpose::Logout}, out);
            become(User{}, out);   // and carry on as this device's guest
        }
        else if constexpr (std::is_same_v<T, ev::RequestJoin>) {
            if (screen_ == Screen::Join && join_card_.contact && join_) {
                http("POST", "/api/chat/addContact", Json{{"code", join_->code}}, {Purpose::AddContact}, out);
                return;
            }
            if (screen_ != Screen::Join || !open_) return;
            if (join_card_.needs_login) {
                screen_ = Screen::Login;
                return;
            }
            notice_.clear();
            http("POST", "/api/chat/groupInviteUser",
                 Json{{"group_id", open_->id}, {"user_id", user_.id}, {"inviteuser_id", -1}, {"addGroupDesc", x.reason}},
                 {Purpose::Join, *open_}, out);
        }
        else if constexpr (std::is_same_v<T, ev::ShowGroupInfo>) {
            if (!open_ || open_->chat_type != "group") return;
            screen_ = Screen::GroupInfo;
            notice_.clear();
            refresh_group(out);
            http("GET", "/api/chat/groupQrcode/" + std::to_string(open_->id) + "?type=H5&format=matrix", nullptr,
                 {Purpose::GroupQr, *open_}, out);
        }
        else if constexpr (std::is_same_v<T, ev::GroupAction>) {
            if (!open_ || open_->chat_type != "group") return;
            const int64_t gid = open_->id;
            const std::string& a = x.action;
            Json body;
            std::string route;
            if (a == "rename") { route = "groupUpdateName"; body = {{"id", gid}, {"name", x.text}}; }
            else if (a == "remark") { route = "groupremark"; body = {{"id", gid}, {"remark", x.text}}; }
            else if (a == "nickname") { route = "groupnickname"; body = {{"id", gid}, {"nickname", x.text}}; }
            else if (a == "policy") { route = "groupAddUserSet"; body = {{"group_id", gid}, {"addGroupSet", x.value}}; }
            else if (a == "mute" || a == "unmute") {
                route = "groupMuteUser";
                body = {{"group_id", gid}, {"user_id", x.user_id}, {"mute", a == "mute" ? 1 : 0}};
            }
            else if (a == "remove") { route = "groupDeleteUser"; body = {{"group_id", gid}, {"user_id", x.user_id}}; }
            else if (a == "approve" || a == "reject") {
                route = "groupAgreeOrNo";
                body = {{"group_id", gid}, {"user_id", x.user_id}, {"type", a == "approve" ? "agree" : "no"}};
            }
            else if (a == "quit") { route = "groupDeleteOrQuit"; body = {{"id", gid}}; }
            else return;
            Pending p{Purpose::GroupAction, *open_};
            p.client_msg_id = a;   // which action, for the answer
            http("POST", "/api/chat/" + route, body, p, out);
        }
        else if constexpr (std::is_same_v<T, ev::Recall>) {
            if (!open_) return;
            for (const auto& m : store_.messages(*open_)) {
                if (m.id != x.message_id || !can_recall(m)) continue;
                http("POST", "/api/chat/revokeMessage",
                     Json{{"to_id", open_->id}, {"chatType", open_->chat_type}, {"id", m.id}, {"create_time", m.create_time}},
                     {Purpose::Recall, *open_}, out);
                break;
            }
        }
        else if constexpr (std::is_same_v<T, ev::ShowSettings>) {
            screen_ = Screen::Settings;
            notice_.clear();
            if (!user_.token.empty()) {
                http("GET", "/api/chat/userset", nullptr, {Purpose::Settings}, out);
                http("GET", "/api/chat/userQrcode?format=matrix", nullptr, {Purpose::MyQr}, out);
            }
        }
        else if constexpr (std::is_same_v<T, ev::SaveSettings>) {
            if (!x.language.empty()) {
                lang_ = lang_from_locale(x.language);
                out.push_back(act::Persist{kKeyLang, x.language});
            }
            if (user_.token.empty()) return;
            if (x.send_count < 0 && x.nickname != user_.nickname)
                http("POST", "/api/chat/updateUserinfo", Json{{"nickname", x.nickname}}, {Purpose::SaveSettings}, out);
            if (x.send_count >= 0 && x.send_count <= 2 && x.send_count != send_count_) {
                send_count_ = x.send_count;
                Json set{{"chatset", {{"visitor", {{"sendCount", x.send_count}, {"needFollow", false}}}}}};
                http("POST", "/api/chat/userset", Json{{"userset", set.dump()}}, {Purpose::SaveSettings}, out);
            }
        }
        else if constexpr (std::is_same_v<T, ev::CreateGroup>) {
            if (user_.role != "user") return;
            http("POST", "/api/chat/group/create", Json{{"name", x.name}, {"userIds", Json::array()}},
                 {Purpose::CreateGroup}, out);
        }
        else if constexpr (std::is_same_v<T, ev::UploadImage>) {
            // Throwaway until the core's delivery component owns uploads (issue 8): upload,
            // then send the image message to the conversation it was picked in.
            if (x.blob == 0 || !can_send()) return;
            notice_.clear();
            http("POST", "/api/chat/upload", nullptr, {Purpose::Upload, *open_}, out);
            std::get<act::Http>(out.back()).blob = x.blob;
        }
        else if constexpr (std::is_same_v<T, ev::DismissModal>) {
            modal_.clear();
            if (conn_ == Conn::Kicked) {   // "use it here": a fresh guest session for this device
                conn_ = Conn::Idle;
                user_.token.clear();
                advance(out);
            }
        }
    }, e);
    if (connection() != conn_before) changed_ = true;
    return out;
}

// ---- bootstrap ----------------------------------------------------------------

void Session::on_start(const ev::Start& e, std::vector<Action>& out) {
    if (started_) return;
    started_ = true;
    now_ = e.now;
    lang_ = lang_from_locale(e.language);
    origin_ = e.origin;
    while (!origin_.empty() && origin_.back() == '/') origin_.pop_back();
    ws_origin_ = websocket_origin(origin_);
    join_ = parse_join_target(e.href);
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
        Json j = Json::parse(e.user_json, nullptr, false);
        if (!j.is_discarded()) user_ = user_from_json(j);
    }
    if (user_.id) load_stored(e);
    if (join_ && join_->id <= 0) {   // a malformed link: nothing to join
        screen_ = Screen::NotFound;
        join_done_ = true;
    }
    advance(out);
}

void Session::advance(std::vector<Action>& out) {
    auto busy = [&](Purpose p) {
        return std::any_of(inflight_.begin(), inflight_.end(),
                           [&](const auto& kv) { return kv.second.purpose == p; });
    };
    if (now_ < bootstrap_retry_at_) return;
    if (user_.token.empty()) {
        if (!busy(Purpose::Register)) {
            http("POST", "/api/visitorRegister",
                 Json{{"deviceId", device_id_}, {"timestamp", now_}}, {Purpose::Register}, out);
        }
        return;
    }
    if (conn_ == Conn::Idle) open_socket(out);
    if (join_ && join_->chat_type == "single" && !join_done_ && !busy(Purpose::ContactInfo) && !busy(Purpose::AddContact)) {
        http("GET", "/api/chat/contactInfo/" + join_->code, nullptr, {Purpose::ContactInfo}, out);
    } else if (join_ && join_->chat_type == "group" && !join_done_ && !busy(Purpose::GroupInfo) && !busy(Purpose::Join)) {
        http("GET", "/api/chat/groupinfo/" + std::to_string(join_->id), nullptr, {Purpose::GroupInfo}, out);
    } else if (!join_ && screen_ == Screen::Loading && !busy(Purpose::GroupList)) {
        screen_ = Screen::List;
        http("GET", "/api/chat/grouplist/1", nullptr, {Purpose::GroupList}, out);
    }
}

int Session::http(std::string method, std::string path, Json body, Pending p, std::vector<Action>& out) {
    const int id = next_http_id_++;
    inflight_[id] = std::move(p);
    out.push_back(act::Http{id, std::move(method), origin_ + path, user_.token,
                            body.is_null() ? std::string() : body.dump()});
    return id;
}

void Session::token_invalid(std::vector<Action>& out) {
    // Our token is gone (expired, or replaced by a newer login of this device).
    // A guest silently registers again with its device id.
    if (conn_ == Conn::Connecting || conn_ == Conn::Online) out.push_back(act::CloseSocket{1000, "token"});
    conn_ = Conn::Idle;
    const bool was_user = user_.role == "user";
    user_ = User{};
    out.push_back(act::Persist{kKeyUser, ""});
    inflight_.clear();
    if (was_user) notice_ = tr(lang_, Str::Kicked);
    advance(out);
}

void Session::on_http(const ev::HttpDone& e, std::vector<Action>& out) {
    auto it = inflight_.find(e.id);
    if (it == inflight_.end()) return;   // answer to a request we abandoned
    const Pending p = it->second;
    inflight_.erase(it);
    const ApiResult r = parse_api_result(e.status, e.body);
    if (!r.ok && r.reason() == kErrTokenInvalid && p.purpose != Purpose::Register) {
        token_invalid(out);
        return;
    }
    const bool network_error = e.status == 0 || e.status >= 500;

    switch (p.purpose) {
    case Purpose::Register:
        if (!r.ok) {
            notice_ = r.reason();
            bootstrap_retry_at_ = now_ + backoff_.next(rng_);
            return;
        }
        user_ = user_from_json(r.data);
        out.push_back(act::Persist{kKeyUser, user_to_json(user_).dump()});
        advance(out);
        return;

    case Purpose::SignUp:
        if (!r.ok) { notice_ = r.reason(); return; }
        http("POST", "/api/loginChat", Json{{"username", p.username}, {"password", p.password}}, {Purpose::SignIn}, out);
        return;

    case Purpose::SignIn:
        if (!r.ok) { notice_ = r.reason(); return; }
        become(user_from_json(r.data), out);
        return;

    case Purpose::Logout:
        return;

    case Purpose::ContactInfo: {
        if (!r.ok) { link_failed(r, network_error); return; }
        join_done_ = true;
        const int64_t uid = r.data.value("id", int64_t{0});
        const std::string name = r.data.value("name", std::string());
        if (r.data.value("is_self", false)) { screen_ = Screen::List; return; }
        if (r.data.value("is_contact", false)) {
            conversation({"single", uid}).title = name;
            open_conversation({"single", uid}, out);
            return;
        }
        join_card_ = JoinCard{name, 0, 0, false, false, true, uid};
        screen_ = Screen::Join;
        return;
    }

    case Purpose::AddContact: {
        if (!r.ok) { notice_ = r.reason(); return; }
        const ConversationKey k{"single", r.data.value("id", int64_t{0})};
        conversation(k).title = r.data.value("name", std::string());
        open_conversation(k, out);
        return;
    }

    case Purpose::GroupDetail:
        if (!r.ok) { notice_ = r.reason(); return; }
        if (open_ && *open_ == p.conv) group_detail_ = protocol::read_group(r.data);
        apply_group(r.data);
        return;

    case Purpose::GroupQr:
    case Purpose::MyQr:   // the screen shows one QR code at a time: the group's or mine
        if (!r.ok || !r.data.is_object()) return;
        qr_ = Qr{r.data.value("url", std::string()), r.data.value("size", 0), {}};
        for (const auto& row : r.data.value("rows", Json::array())) qr_.rows.push_back(row.get<std::string>());
        return;

    case Purpose::GroupAction:
        if (!r.ok) { notice_ = r.reason(); return; }
        if (p.client_msg_id == "quit" && conversation(p.conv).owner_id != user_.id) {
            // We left: the conversation goes; back to the list.
            convs_.erase(std::remove_if(convs_.begin(), convs_.end(), [&](auto& c) { return c.key == p.conv; }),
                         convs_.end());
            open_.reset();
            screen_ = Screen::List;
            http("GET", "/api/chat/grouplist/1", nullptr, {Purpose::GroupList}, out);
            return;
        }
        if (r.data.is_object()) {
            apply_group(r.data);
            if (open_ && *open_ == p.conv && r.data.contains("group_users")) group_detail_ = protocol::read_group(r.data);
        }
        return;

    case Purpose::Recall:
        if (!r.ok) { notice_ = r.reason(); return; }
        receive(message_from_json(r.data), out);
        return;

    case Purpose::Settings:
        if (r.ok) {
            try { send_count_ = r.data.at("chatset").at("visitor").value("sendCount", 1); } catch (...) {}
        }
        return;

    case Purpose::SaveSettings:
        if (!r.ok) { notice_ = r.reason(); return; }
        if (r.data.is_object() && r.data.contains("nickname")) {
            user_.nickname = r.data.value("nickname", std::string());
            out.push_back(act::Persist{kKeyUser, user_to_json(user_).dump()});
        }
        return;

    case Purpose::Upload: {
        const bool has_url = r.ok && r.data.is_object() && r.data.contains("url") && r.data["url"].is_string();
        if (!has_url) {
            notice_ = network_error || r.reason().empty() ? tr(lang_, Str::UploadFailed) : r.reason();
            return;
        }
        if (open_ && *open_ == p.conv) on_send(ev::SendText{r.data["url"].get<std::string>(), "image"}, out);
        return;
    }

    case Purpose::CreateGroup: {
        if (!r.ok) { notice_ = r.reason(); return; }
        apply_group(r.data);
        open_conversation({"group", r.data.value("id", int64_t{0})}, out);
        return;
    }

    case Purpose::GroupInfo: {
        if (!r.ok) { link_failed(r, network_error); return; }
        apply_group(r.data);
        const ConversationKey k{"group", r.data.value("id", int64_t{0})};
        int my = r.data.value("my_status", -1);
        for (const auto& m : r.data.value("group_users", Json::array()))
            if (m.value("user_id", int64_t{0}) == user_.id) my = m.value("status", 1);
        if (r.data.contains("group_users") && my != 2 && my != -1) {   // a member: straight to the chat
            join_done_ = true;
            open_conversation(k, out);
            return;
        }
        const int policy = r.data.value("invite_confirm", 0);
        join_card_ = JoinCard{r.data.value("name", std::string()), r.data.value("member_count", 0), policy,
                              my == 2, policy == 2 && user_.role != "user"};
        if (policy == 0) {
            http("POST", "/api/chat/groupInviteUser",
                 Json{{"group_id", k.id}, {"user_id", user_.id}, {"inviteuser_id", -1}, {"addGroupDesc", ""}},
                 {Purpose::Join, k}, out);
            return;
        }
        join_done_ = true;       // the join screen: apply with an optional reason (or log in first)
        screen_ = Screen::Join;
        open_ = k;
        return;
    }

    case Purpose::Join:
        if (!r.ok) {
            if (network_error) { bootstrap_retry_at_ = now_ + backoff_.next(rng_); return; }
            join_done_ = true;
            screen_ = Screen::Join;
            open_ = p.conv;
            notice_ = r.reason();
            if (e.status == 403) join_card_.needs_login = true;
            return;
        }
        join_done_ = true;
        if (r.data.value("pending", false)) {   // the owner decides; joinAgreed brings us in
            join_card_.pending = true;
            screen_ = Screen::Join;
            open_ = p.conv;
            return;
        }
        if (auto gu = r.data.find("group_users"); gu != r.data.end() && gu->is_array())
            conversation(p.conv).member_count = static_cast<int>(gu->size());
        open_conversation(p.conv, out);
        return;

    case Purpose::GroupList:
        if (!r.ok || !r.data.is_array()) return;
        for (const auto& g : r.data) {
            const ConversationKey k{"group", g.value("id", int64_t{0})};
            apply_group(g);
            Conversation& c = conversation(k);
            const int64_t server_last = g.value("last_seq", int64_t{0});
            const int64_t held = store_.last_seq(k);
            const bool is_open = open_ && *open_ == k;
            if (server_last > held && held > 0 && !is_open) c.unread = static_cast<int>(server_last - held);
        }
        return;

    case Purpose::History: {
        if (!r.ok) return;
        const Json& list = r.data.is_object() && r.data.contains("list") ? r.data["list"] : r.data;
        if (!list.is_array()) return;
        for (const auto& j : list) store_.upsert(p.conv, message_from_json(j));
        history_loaded_.insert(p.conv);
        cache_dirty_ = true;
        const bool short_page = static_cast<int>(list.size()) < timing_.history_page;
        if (short_page && (p.before_seq > 0 || p.after_seq < 0)) reached_start_.insert(p.conv);
        // A full page after a known seq means there may be more: keep paging forward.
        if (p.after_seq >= 0 && static_cast<int>(list.size()) >= timing_.history_page)
            fetch_history(p.conv, store_.last_seq(p.conv), out);
        return;
    }

    case Purpose::Send:
        send_deadlines_.erase(p.client_msg_id);
        if (!r.ok) {
            // Network trouble is retried on the next connect; a refusal waits for the user.
            store_.set_status(p.client_msg_id, SendStatus::Failed);
            if (!network_error) notice_ = r.reason();
            persist_outbox(out);
            return;
        }
        receive(message_from_json(r.data), out);
        persist_outbox(out);
        return;
    }
}

// ---- conversations --------------------------------------------------------

Conversation& Session::conversation(const ConversationKey& k) {
    for (auto& c : convs_) if (c.key == k) return c;
    convs_.push_back(Conversation{k, "", 0, 0});
    return convs_.back();
}

const Conversation* Session::open_conversation() const {
    if (!open_) return nullptr;
    for (const auto& c : convs_) if (c.key == *open_) return &c;
    return nullptr;
}

const std::vector<Message>& Session::open_messages() const {
    static const std::vector<Message> none;
    return open_ ? store_.messages(*open_) : none;
}

void Session::open_conversation(const ConversationKey& k, std::vector<Action>& out) {
    open_ = k;
    screen_ = Screen::Chat;
    conversation(k).unread = 0;
    // First open: the latest page. Later: only what came after what we hold.
    fetch_history(k, history_loaded_.count(k) ? store_.last_seq(k) : -1, out);
}

void Session::fetch_history(const ConversationKey& k, int64_t after_seq, std::vector<Action>& out) {
    if (user_.token.empty()) return;
    for (const auto& [id, p] : inflight_)
        if (p.purpose == Purpose::History && p.conv == k && p.after_seq == after_seq) return;
    std::string path = "/api/chat/history/" + k.chat_type + "/" + std::to_string(k.id) +
                       "?limit=" + std::to_string(timing_.history_page);
    if (after_seq >= 0) path += "&after_seq=" + std::to_string(after_seq);
    Pending p{Purpose::History, k};
    p.after_seq = after_seq;
    http("GET", path, nullptr, p, out);
}

void Session::receive(const Message& m, std::vector<Action>& out) {
    if (!m.action_type.empty() && m.action_type != "revoke") {   // an event, not a message
        on_group_event(m, m.action_type, out);
        return;
    }
    const ConversationKey k = conversation_of(m, user_.id);
    if (k.chat_type == "single" && conversation(k).title.empty())
        conversation(k).title = m.from_id == user_.id ? m.to_name : m.from_name;
    // Membership, names and status change with system notices: refresh what is on screen.
    if (m.type == "systemNotice" && m.action_type.empty() && open_ && *open_ == k && m.id > 0 &&
        store_.last_seq(k) < m.seq && (screen_ == Screen::Chat || screen_ == Screen::GroupInfo))
        refresh_group(out);
    const int64_t before = store_.last_seq(k);
    const auto r = store_.upsert(k, m);
    if (r != MessageStore::Upsert::Duplicate) cache_dirty_ = true;
    if (r == MessageStore::Upsert::Inserted) {
        Conversation& c = conversation(k);
        if (c.title.empty() && k.chat_type == "group") c.title = m.to_name;
        if (!open_ || !(*open_ == k)) c.unread += 1;
    }
    // A live message that skips seqs means we missed some: fetch the gap.
    if (before > 0 && m.seq > before + 1) fetch_history(k, before, out);
}

// ---- socket ---------------------------------------------------------------

void Session::open_socket(std::vector<Action>& out) {
    if (user_.token.empty() || conn_ == Conn::Kicked) return;
    if (conn_ == Conn::Connecting || conn_ == Conn::Online) return;   // exactly one socket
    conn_ = Conn::Connecting;
    connect_deadline_ = now_ + timing_.connect_timeout_ms;
    out.push_back(act::OpenSocket{ws_origin_ + "/ws?token=" + percent_encode(user_.token)});
}

void Session::enter_backoff(std::vector<Action>& out) {
    (void)out;
    conn_ = Conn::Backoff;
    retry_at_ = now_ + backoff_.next(rng_);
}

void Session::on_socket_message(const ev::SocketMessage& e, std::vector<Action>& out) {
    if (conn_ != Conn::Online) return;
    auto f = parse_server_frame(e.text);
    if (!f) return;
    changed_ = f->kind != ServerFrame::Kind::Pong && f->kind != ServerFrame::Kind::Ping &&
               f->kind != ServerFrame::Kind::System;
    switch (f->kind) {
        case ServerFrame::Kind::Pong:   missed_pongs_ = 0; break;
        case ServerFrame::Kind::Chat:   receive(f->message, out); break;
        case ServerFrame::Kind::Fail:   notice_ = f->text; break;  // a close with a code follows
        default: break;
    }
}

void Session::on_socket_closed(const ev::SocketClosed& e, std::vector<Action>& out) {
    if (conn_ != Conn::Connecting && conn_ != Conn::Online) return;
    switch (e.code) {
        case kCloseTokenInvalid:
            token_invalid(out);
            return;
        case kCloseLoggedInElsewhere:
            for (const auto& [id, p] : inflight_)
                if (p.purpose == Purpose::SignIn || p.purpose == Purpose::SignUp) {
                    conn_ = Conn::Idle;   // our own login replaced this session: not "elsewhere"
                    return;
                }
            kicked(out);
            return;
        case kCloseDisabled:
            conn_ = Conn::Offline;
            notice_ = e.reason;
            return;
        default:
            enter_backoff(out);
            return;
    }
}

void Session::on_tick(std::vector<Action>& out) {
    switch (conn_) {
        case Conn::Connecting:
            if (now_ >= connect_deadline_) {
                out.push_back(act::CloseSocket{1000, "connect timeout"});
                enter_backoff(out);
            }
            break;
        case Conn::Online:
            if (now_ >= next_ping_) {
                if (missed_pongs_ >= timing_.max_missed_pongs) {
                    out.push_back(act::CloseSocket{1000, "heartbeat timeout"});
                    enter_backoff(out);
                    break;
                }
                out.push_back(act::SendSocket{make_ping(user_.token, now_)});
                ++missed_pongs_;
                next_ping_ = now_ + timing_.ping_interval_ms;
            }
            break;
        case Conn::Backoff:
            if (now_ >= retry_at_) open_socket(out);
            break;
        default: break;
    }
    if (conn_ == Conn::Online && now_ >= stable_at_) {
        backoff_.reset();   // a stable connection: the next drop retries quickly again
        stable_at_ = INT64_MAX;
    }
    for (auto it = send_deadlines_.begin(); it != send_deadlines_.end();) {
        if (now_ < it->second) { ++it; continue; }
        store_.set_status(it->first, SendStatus::Failed);   // still in flight: an answer can still confirm it
        changed_ = true;
        it = send_deadlines_.erase(it);
    }
    if (cache_dirty_ && now_ >= next_cache_write_) write_cache(out);
    if (bootstrap_retry_at_ != 0 && now_ >= bootstrap_retry_at_) {
        bootstrap_retry_at_ = 0;
        advance(out);
    }
}

// ---- sending --------------------------------------------------------------

void Session::on_send(const ev::SendText& e, std::vector<Action>& out) {
    const std::string text = trim(e.text);
    if (text.empty() || !can_send() || (e.type != "text" && e.type != "image")) return;
    Message m;
    m.from_id = user_.id;
    m.from_name = user_.display_name();
    m.to_id = open_->id;
    m.chat_type = open_->chat_type;
    m.type = e.type;
    m.data = text;
    m.create_time = now_;
    m.client_msg_id = new_uuid();
    m.status = SendStatus::Pending;
    store_.upsert(*open_, m);
    cache_dirty_ = true;
    send_message(m, out);
    persist_outbox(out);
}

void Session::send_message(const Message& m, std::vector<Action>& out) {
    for (const auto& [id, p] : inflight_)
        if (p.purpose == Purpose::Send && p.client_msg_id == m.client_msg_id) return;   // already on its way
    store_.set_status(m.client_msg_id, SendStatus::Pending);
    send_deadlines_[m.client_msg_id] = now_ + timing_.send_timeout_ms;
    const ConversationKey k = conversation_of(m, user_.id);
    http("POST", "/api/chat/socket/sendmessage",
         Json{{"sendto_id", m.to_id}, {"chatType", m.chat_type}, {"type", m.type},
              {"data", m.data}, {"options", m.options}, {"client_msg_id", m.client_msg_id}},
         Pending{Purpose::Send, k, m.client_msg_id}, out);
}

void Session::resend_unsent(std::vector<Action>& out) {
    if (user_.token.empty()) return;
    for (const Message* m : store_.unsent())
        if (m->from_id == user_.id) send_message(*m, out);   // idempotent: same client_msg_id
}

void Session::persist_outbox(std::vector<Action>& out) {
    Json box = Json::array();
    for (const Message* m : store_.unsent()) box.push_back(to_json(*m));
    out.push_back(act::Persist{kKeyOutbox, box.empty() ? std::string() : box.dump()});
}

void Session::write_cache(std::vector<Action>& out) {
    cache_dirty_ = false;
    next_cache_write_ = now_ + timing_.cache_interval_ms;
    Json convs = Json::array();
    for (const auto& c : convs_) {
        Json msgs = Json::array();
        const auto& v = store_.messages(c.key);
        size_t from = v.size() > static_cast<size_t>(timing_.cache_messages) ? v.size() - timing_.cache_messages : 0;
        for (size_t i = from; i < v.size(); ++i)
            if (v[i].id > 0) msgs.push_back(to_json(v[i]));   // unsent ones live in the outbox
        convs.push_back({{"chatType", c.key.chat_type}, {"id", c.key.id}, {"title", c.title},
                         {"member_count", c.member_count}, {"messages", msgs}});
    }
    out.push_back(act::Persist{kKeyCache, Json{{"user", user_.id}, {"conversations", convs}}.dump()});
}

void Session::load_stored(const ev::Start& e) {
    Json cache = Json::parse(e.cache_json.empty() ? "{}" : e.cache_json, nullptr, false);
    if (cache.is_object() && cache.value("user", int64_t{0}) == user_.id) {
        for (const auto& c : cache.value("conversations", Json::array())) {
            const ConversationKey k{c.value("chatType", std::string("group")), c.value("id", int64_t{0})};
            Conversation& conv = conversation(k);
            conv.title = c.value("title", std::string());
            conv.member_count = c.value("member_count", 0);
            for (const auto& j : c.value("messages", Json::array())) store_.upsert(k, message_from_json(j));
            if (!store_.messages(k).empty()) history_loaded_.insert(k);
        }
    }
    Json box = Json::parse(e.outbox_json.empty() ? "[]" : e.outbox_json, nullptr, false);
    if (box.is_array()) {
        for (const auto& j : box) {
            Message m = message_from_json(j);
            if (m.from_id != user_.id || m.client_msg_id.empty()) continue;
            m.id = 0;
            m.seq = 0;
            m.status = SendStatus::Pending;
            store_.upsert(conversation_of(m, user_.id), m);
        }
    }
    // Show the cached conversation at once, before the socket is up.
    if (join_ && join_->id > 0 && history_loaded_.count({"group", join_->id})) {
        open_ = ConversationKey{"group", join_->id};
        screen_ = Screen::Chat;
    }
}

void Session::kicked(std::vector<Action>& out) {
    modal_ = std::string(tr(lang_, Str::Kicked)) + "\n" + tr(lang_, Str::KickedDetail);
    if (user_.role == "user") {
        // Never reconnect with the old token: log out and carry on as this device's guest.
        conn_ = Conn::Idle;
        become(User{}, out);
    } else {
        conn_ = Conn::Kicked;   // a guest waits for "use it here" (DismissModal)
    }
}

// The scanned link could not be looked up: network trouble is retried, anything else
// is "not found".
void Session::link_failed(const ApiResult& r, bool network_error) {
    if (network_error) { bootstrap_retry_at_ = now_ + backoff_.next(rng_); return; }
    screen_ = Screen::NotFound;
    join_done_ = true;
    notice_ = r.reason();
}

void Session::on_group_event(const Message& m, const std::string& action, std::vector<Action>& out) {
    const ConversationKey k{"group", m.to_id};
    if (action == "joinRequest") {
        notice_ = m.data;   // the owner: someone waits; the group info view lists the request
        if (open_ && *open_ == k && screen_ == Screen::GroupInfo) refresh_group(out);
    } else if (action == "joinAgreed") {
        notice_.clear();
        join_card_.pending = false;
        if (join_ && join_->id == k.id) { join_done_ = false; advance(out); }
        else http("GET", "/api/chat/grouplist/1", nullptr, {Purpose::GroupList}, out);
    } else if (action == "joinRejected") {
        join_card_.pending = false;
        notice_ = m.data;
    } else if (action == "removed") {
        conversation(k).my_status = -1;
        notice_ = m.data;
    }
}

void Session::refresh_group(std::vector<Action>& out) {
    if (!open_ || open_->chat_type != "group" || user_.token.empty()) return;
    for (const auto& [id, p] : inflight_)
        if (p.purpose == Purpose::GroupDetail && p.conv == *open_) return;
    http("GET", "/api/chat/groupinfo/" + std::to_string(open_->id), nullptr, {Purpose::GroupDetail, *open_}, out);
}

void Session::apply_group(const Json& g) {
    if (!g.is_object() || !g.contains("id")) return;
    Conversation& c = conversation({"group", g.value("id", int64_t{0})});
    c.title = g.value("name", c.title);
    c.member_count = g.value("member_count", c.member_count);
    c.status = g.value("status", 1);
    c.owner_id = g.value("user_id", int64_t{0});
    if (g.contains("my_status")) c.my_status = g.value("my_status", 1);
    for (const auto& m : g.value("group_users", Json::array()))
        if (m.value("user_id", int64_t{0}) == user_.id) c.my_status = m.value("status", 1);
}

bool Session::can_send() const {
    if (!open_ || screen_ != Screen::Chat || user_.token.empty()) return false;
    if (open_->chat_type != "group") return true;
    for (const auto& c : convs_)
        if (c.key == *open_) return c.status == 1 && c.my_status == 1;
    return false;
}

bool Session::can_recall(const Message& m) const {
    if (m.id <= 0 || m.isremove || m.type == "systemNotice") return false;
    if (open_ && open_->chat_type == "group")
        for (const auto& c : convs_)
            if (c.key == *open_ && c.owner_id == user_.id && c.status == 1) return true;   // owners: any time
    return m.from_id == user_.id && now_ - m.create_time <= 5 * 60 * 1000;
}

void Session::become(const User& u, std::vector<Action>& out) {
    if (conn_ == Conn::Connecting || conn_ == Conn::Online) out.push_back(act::CloseSocket{1000, "identity changed"});
    conn_ = Conn::Idle;
    user_ = u;
    out.push_back(act::Persist{kKeyUser, u.token.empty() ? std::string() : user_to_json(u).dump()});
    // Conversations, messages and requests belonged to the previous identity.
    inflight_.clear();
    send_deadlines_.clear();
    convs_.clear();
    store_ = MessageStore{};
    history_loaded_.clear();
    reached_start_.clear();
    open_.reset();
    group_detail_ = protocol::Group();
    qr_ = Qr{};
    join_card_ = JoinCard{};
    bootstrap_retry_at_ = 0;
    join_done_ = !join_ || join_->id <= 0;
    screen_ = join_done_ && join_ ? Screen::NotFound : Screen::Loading;
    advance(out);   // registers a guest if u has no token; otherwise connects and rejoins
}

bool Session::can_load_earlier() const {
    if (!open_ || reached_start_.count(*open_)) return false;
    const auto& v = store_.messages(*open_);
    return !v.empty() && v.front().seq > 1;
}

bool Session::loading_earlier() const {
    for (const auto& [id, p] : inflight_)
        if (p.purpose == Purpose::History && p.before_seq > 0) return true;
    return false;
}

std::string Session::new_uuid() {
    static const char* hex = "0123456789abcdef";
    unsigned char b[16];
    for (auto& x : b) x = static_cast<unsigned char>(std::clamp(rng_(), 0.0, 0.999999) * 256.0);
    b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
    b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
    std::string s;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
        s.push_back(hex[b[i] >> 4]);
        s.push_back(hex[b[i] & 15]);
    }
    return s;
}

// ---- test hook ----------------------------------------------------------------

Json Session::group_snapshot() const {
    if (!open_ || open_->chat_type != "group") return nullptr;
    const Conversation* c = open_conversation();
    if (!c) return nullptr;
    Json members = Json::array();
    for (const auto& m : group_detail_.members)
        members.push_back({{"user_id", m.user_id}, {"role", protocol::to_string(m.role)},
                           {"status", static_cast<int>(m.status)}, {"name", m.display_name()}});
    return Json{{"status", c->status}, {"my_status", c->my_status}, {"owner_id", c->owner_id},
                {"policy", static_cast<int>(group_detail_.policy)},
                {"remark", group_detail_.remark},
                {"members", members}, {"qr_url", qr_.url}};
}

Json Session::snapshot() const {
    Json convs = Json::array();
    for (const auto& c : convs_) {
        convs.push_back({{"chatType", c.key.chat_type}, {"id", c.key.id}, {"title", c.title},
                         {"unread", c.unread}, {"lastSeq", store_.last_seq(c.key)}});
    }
    Json open = nullptr;
    if (open_) {
        Json msgs = Json::array();
        for (const auto& m : store_.messages(*open_)) {
            msgs.push_back({{"id", m.id}, {"seq", m.seq}, {"from_id", m.from_id}, {"type", m.type},
                            {"data", m.data}, {"status", to_string(m.status)},
                            {"client_msg_id", m.client_msg_id}});
        }
        open = {{"chatType", open_->chat_type}, {"id", open_->id}, {"messages", msgs}};
    }
    return Json{
        {"user", user_.id ? Json{{"id", user_.id}, {"role", user_.role}, {"name", user_.display_name()}}
                          : Json(nullptr)},
        {"connection", to_string(connection())},
        {"screen", to_string(screen_)},
        {"conversations", convs},
        {"open", open},
        {"modal", modal_.empty() ? Json(nullptr) : Json(modal_)},
        {"notice", notice_},
        {"join", screen_ == Screen::Join ? Json{{"name", join_card_.name}, {"policy", join_card_.policy},
                                                {"pending", join_card_.pending}, {"needs_login", join_card_.needs_login},
                                                {"contact", join_card_.contact}}
                                         : Json(nullptr)},
        {"group", group_snapshot()},
        {"settings", screen_ == Screen::Settings ? Json{{"qr_url", qr_.url}, {"send_count", send_count_}} : Json(nullptr)},
    };
}

}  // namespace imchat::core
