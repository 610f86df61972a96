// The session front: event dispatch, the answer table, the clock and the
// read side. Component behaviour lives in session_<component>.cpp.
#include "core/session.hpp"

#include <algorithm>

namespace imchat::core {

Session::Session(Random rng, Timing timing) : rng_(std::move(rng)), timing_(timing) {}

std::vector<Action> Session::handle(const Event& e) {
    std::vector<Action> out;
    const Conn conn_before = connection();
    changed_ = !std::holds_alternative<ev::Tick>(e) && !std::holds_alternative<ev::SocketMessage>(e) &&
               !std::holds_alternative<ev::UploadProgress>(e);
    std::visit([&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ev::Start>) on_start(x, out);
        else if constexpr (std::is_same_v<T, ev::HttpDone>) on_http(x, out);
        else if constexpr (std::is_same_v<T, ev::SocketOpened>) on_socket_opened(out);
        else if constexpr (std::is_same_v<T, ev::SocketMessage>) on_socket_message(x, out);
        else if constexpr (std::is_same_v<T, ev::SocketClosed>) on_socket_closed(x, out);
        else if constexpr (std::is_same_v<T, ev::Tick>) { now_ = std::max(now_, x.now); on_tick(out); }
        else if constexpr (std::is_same_v<T, ev::SendText>) on_send(x, out);
        else if constexpr (std::is_same_v<T, ev::UploadImage>) on_upload(x, out);
        else if constexpr (std::is_same_v<T, ev::OpenConversation>) {
            if (!x.title.empty()) nav_.conversation(x.conv).title = x.title;
            open_conversation(x.conv, out);
        }
        else if constexpr (std::is_same_v<T, ev::ShowList>) on_show_list(out);
        else if constexpr (std::is_same_v<T, ev::NetworkOffline>) conn_.network_offline = true;   // a hint: keep trying, but say so
        else if constexpr (std::is_same_v<T, ev::NetworkOnline>) on_network_online(out);
        else if constexpr (std::is_same_v<T, ev::RetrySend>) on_retry_send(x, out);
        else if constexpr (std::is_same_v<T, ev::LoadEarlier>) on_load_earlier(out);
        else if constexpr (std::is_same_v<T, ev::ShowLogin>) { screen_ = Screen::Login; notice_.clear(); }
        else if constexpr (std::is_same_v<T, ev::SignIn>) on_sign_in(x, out);
        else if constexpr (std::is_same_v<T, ev::Logout>) on_logout(out);
        else if constexpr (std::is_same_v<T, ev::RequestJoin>) on_request_join(x, out);
        else if constexpr (std::is_same_v<T, ev::ShowGroupInfo>) on_show_group_info(out);
        else if constexpr (std::is_same_v<T, ev::GroupAction>) on_group_action(x, out);
        else if constexpr (std::is_same_v<T, ev::Recall>) on_recall(x, out);
        else if constexpr (std::is_same_v<T, ev::ShowSettings>) on_show_settings(out);
        else if constexpr (std::is_same_v<T, ev::SaveSettings>) on_save_settings(x, out);
        else if constexpr (std::is_same_v<T, ev::CreateGroup>) on_create_group(x, out);
        else if constexpr (std::is_same_v<T, ev::DismissModal>) on_dismiss_modal(out);
        else if constexpr (std::is_same_v<T, ev::ShowInvite>) on_show_invite(out);
        else if constexpr (std::is_same_v<T, ev::Invite>) on_invite(x, out);
        else if constexpr (std::is_same_v<T, ev::HideConversation>) on_hide(x, out);
        else if constexpr (std::is_same_v<T, ev::PageVisibility>) page_visible_ = x.visible;
        else if constexpr (std::is_same_v<T, ev::UploadAvatar>) on_upload_avatar(x, out);
        else if constexpr (std::is_same_v<T, ev::UploadVoice>) on_upload_voice(x, out);
        else if constexpr (std::is_same_v<T, ev::VoiceState>) on_voice_state(x, out);
        else if constexpr (std::is_same_v<T, ev::UploadMedia>) on_upload_media(x, out);
        else if constexpr (std::is_same_v<T, ev::UploadProgress>) on_upload_progress(x);
        else if constexpr (std::is_same_v<T, ev::CancelUpload>) on_cancel_upload(x, out);
    }, e);
    sync_read(out);
    if (connection() != conn_before) changed_ = true;
    return out;
}

// An answer goes to the handler of its request's kind (one overload per kind,
// each in its component's file). An invalid token ends any request but Register.
void Session::on_http(const ev::HttpDone& e, std::vector<Action>& out) {
    auto it = inflight_.find(e.id);
    if (it == inflight_.end()) return;   // answer to a request we abandoned
    const Request r = std::move(it->second);
    inflight_.erase(it);
    const ApiResult res = protocol::parse_api_result(e.status, e.body);
    if (!res.ok && res.reason() == protocol::kErrTokenInvalid && !std::holds_alternative<req::Register>(r)) {
        token_invalid(out);
        return;
    }
    std::visit([&](const auto& q) { answer(q, res, e.status, out); }, r);
}

// Every expired timer is stopped before its handler runs (handlers re-arm), so
// after a tick next_deadline() is never in the past.
void Session::on_tick(std::vector<Action>& out) {
    connection_timers(out);
    send_timeouts();
    if (timers_.expired(Timer::CacheWrite, now_)) write_cache(out);
    if (timers_.expired(Timer::Bootstrap, now_)) {
        timers_.stop(Timer::Bootstrap);
        advance(out);
    }
}

int64_t Session::next_deadline() const {
    return std::min(timers_.next(), delivery_.next_send_deadline());
}

void Session::http(act::Http h, Request r, std::vector<Action>& out) {
    h.id = next_http_id_++;
    h.url = origin_ + h.url;
    h.token = user_.token;
    inflight_.emplace(h.id, std::move(r));
    out.push_back(std::move(h));
}

void Session::notify(std::string text) {
    notice_ = std::move(text);
    ++notice_seq_;
    changed_ = true;
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

}  // namespace imchat::core
