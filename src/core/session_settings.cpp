// Session: settings. Language (kept on the device), nickname, how many
// messages a guest may send to a user, and my personal QR code.
#include "core/session.hpp"

namespace imchat::core {

void Session::on_show_settings(std::vector<Action>& out) {
    screen_ = Screen::Settings;
    notice_.clear();
    if (!user_.token.empty()) {
        http(api::user_settings(), req::Settings{}, out);
        http(api::my_qr(), req::MyQr{}, out);
    }
}

void Session::on_save_settings(const ev::SaveSettings& e, std::vector<Action>& out) {
    if (!e.language.empty()) {
        lang_ = lang_from_locale(e.language);
        out.push_back(act::Persist{kKeyLang, e.language});
    }
    if (user_.token.empty()) return;
    if (e.send_count < 0 && e.nickname != user_.nickname)
        http(api::update_nickname(e.nickname), req::SaveSettings{}, out);
    if (e.send_count >= 0 && e.send_count <= 2 && e.send_count != send_count_) {
        send_count_ = e.send_count;
        http(api::save_send_count(e.send_count), req::SaveSettings{}, out);
    }
}

void Session::answer(const req::Settings&, const ApiResult& r, int, std::vector<Action>&) {
    if (r.ok) send_count_ = api::read_send_count(r.data, send_count_);
}

void Session::answer(const req::SaveSettings&, const ApiResult& r, int, std::vector<Action>& out) {
    if (!r.ok) { notify(r.reason()); return; }
    if (api::has_nickname(r.data)) {
        user_.nickname = protocol::read_str(r.data, "nickname");
        persist_user(out);
    }
}

void Session::answer(const req::MyQr&, const ApiResult& r, int, std::vector<Action>&) {
    if (!r.ok || !r.data.is_object()) return;
    groups_.qr = api::read_qr(r.data);   // the screen shows one QR code at a time: the group's or mine
}

}  // namespace imchat::core
