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

// Settings' "set avatar": the page crops the picked image (a square JPEG) and keeps the
// Blob; we upload it, then tell the server it is my avatar.
void Session::on_upload_avatar(const ev::UploadAvatar& e, std::vector<Action>& out) {
    if (e.blob == 0 || user_.token.empty()) return;
    notice_.clear();
    http(api::upload(e.blob), req::AvatarUpload{}, out);
}

void Session::answer(const req::AvatarUpload&, const ApiResult& r, int, std::vector<Action>& out) {
    const api::Uploaded u = api::read_upload(r.data);
    if (!r.ok || u.url.empty()) { notify(r.reason().empty() ? tr(lang_, Str::UploadFailed) : r.reason()); return; }
    if (!u.kind.empty() && u.kind != "image") { notify(tr(lang_, Str::ImagesOnly)); return; }
    http(api::update_avatar(u.url, user_.nickname), req::SaveAvatar{u.url}, out);
}

void Session::answer(const req::SaveAvatar& q, const ApiResult& r, int, std::vector<Action>& out) {
    if (!r.ok) { notify(r.reason().empty() ? tr(lang_, Str::UploadFailed) : r.reason()); return; }
    user_.avatar = q.url;   // what we set (a server's answer may echo the user from before)
    persist_user(out);
    notify(tr(lang_, Str::AvatarSet));
}

void Session::answer(const req::MyQr&, const ApiResult& r, int, std::vector<Action>&) {
    if (!r.ok || !r.data.is_object()) return;
    groups_.qr = api::read_qr(r.data);   // the screen shows one QR code at a time: the group's or mine
}

}  // namespace imchat::core
