#include "ui/view_models.hpp"

#include <algorithm>

#include "core/sticker.hpp"
#include "core/time_label.hpp"

namespace imchat::ui {

using core::Screen;

TopBarVm top_bar_vm(const core::Session& s) {
    TopBarVm vm;
    const Screen scr = s.screen();
    const auto* open = s.open_conversation();
    vm.screen = scr;
    vm.conn = s.connection();
    if (scr == Screen::Chat || scr == Screen::NotFound || scr == Screen::Join || scr == Screen::Login ||
        scr == Screen::GroupInfo || scr == Screen::Settings) {
        vm.back = scr == Screen::GroupInfo && open ? Back::ToChat : Back::ToList;
        if (vm.back == Back::ToChat) vm.chat = open->key;
    }
    if (scr == Screen::Invite) vm.back = open ? Back::ToGroupInfo : Back::ToList;
    vm.account = scr == Screen::List;
    vm.guest = s.user().role != "user";
    vm.group_info = scr == Screen::Chat && open && open->key.chat_type == "group";
    if (vm.group_info) vm.badge = s.pending_requests();
    vm.title = tr(s.lang(), scr == Screen::Login      ? core::Str::LoginTitle
                            : scr == Screen::Settings ? core::Str::Settings
                            : scr == Screen::Invite   ? core::Str::Invite
                                                      : core::Str::Conversations);
    if (open && scr != Screen::List && scr != Screen::Login && scr != Screen::Settings && scr != Screen::Invite) {
        vm.title = open->title;
        if (open->member_count > 0) vm.title += " (" + std::to_string(open->member_count) + ")";
    }
    return vm;
}

BannerVm banner_vm(const core::Session& s) {
    BannerVm vm;
    switch (s.connection()) {
        case core::Conn::Online: break;
        case core::Conn::Idle: break;   // before the first socket: the loading screen says enough
        case core::Conn::Connecting: vm.kind = BannerKind::Connecting; break;
        case core::Conn::Backoff:
            vm.kind = BannerKind::Reconnecting;
            vm.seconds = std::max<int64_t>(0, (s.retry_at() - s.now() + 999) / 1000);
            vm.retry = true;
            break;
        case core::Conn::Kicked: vm.kind = BannerKind::Kicked; break;
        case core::Conn::Offline: vm.kind = BannerKind::Offline; vm.retry = true; break;
    }
    return vm;
}

std::optional<ModalVm> modal_vm(const core::Session& s) {
    if (s.modal().empty()) return std::nullopt;
    return ModalVm{s.modal(), s.connection() == core::Conn::Kicked};
}

std::string list_preview(core::Lang lang, const core::Conversation& c) {
    using core::Str;
    if (c.key.chat_type == "group" && c.my_status == 2) return core::tr(lang, Str::Applied);
    if (!c.last) return {};
    const core::LastMessage& l = *c.last;
    std::string text = l.text;
    if (text == "[消息已撤回]") text = core::tr(lang, Str::RecalledMsg);
    else if (l.type == "image") text = core::tr(lang, Str::Image);
    else if (l.type == "audio") text = core::tr(lang, Str::AudioMsg);
    else if (l.type == "video") text = core::tr(lang, Str::VideoMsg);
    else if (l.type == "file") text = core::tr(lang, Str::FileMsg);
    else if (core::is_sticker_type(l.type)) text = core::tr(lang, Str::Sticker);
    for (char& ch : text) if (ch == '\n' || ch == '\r') ch = ' ';   // one line
    if (c.key.chat_type == "group" && l.type != "systemNotice" && !l.from_name.empty())
        return l.from_name + ": " + text;
    return text;
}

ListVm list_vm(const core::Session& s, int utc_offset_min) {
    ListVm vm;
    vm.can_create = s.user().role == "user";
    vm.rows.reserve(s.conversations().size());
    for (const auto& c : s.conversations()) {
        if (c.key.chat_type == "group" && c.my_status == -1) continue;   // left or removed
        ListRow r;
        r.conv = &c;
        r.title = c.title.empty() ? "#" + std::to_string(c.key.id) : c.title;
        r.preview = list_preview(s.lang(), c);
        const int64_t t = c.last && c.last->time > 0 ? c.last->time : c.update_time;
        r.time = core::time_label(t, s.now(), utc_offset_min, s.lang());
        if (c.unread > 0) r.badge = c.unread > 99 ? "99+" : std::to_string(c.unread);
        if (c.key.chat_type == "group" && c.owner_id == s.user().id) r.pending = c.pending_count;
        vm.rows.push_back(std::move(r));
    }
    return vm;
}

JoinVm join_vm(const core::Session& s) { return JoinVm{s.join_card(), s.notice()}; }

LoginVm login_vm(const core::Session& s) { return LoginVm{s.notice()}; }

std::optional<GroupInfoVm> group_info_vm(const core::Session& s) {
    const auto* c = s.open_conversation();
    if (!c) return std::nullopt;
    return GroupInfoVm{*c,
                       s.group_detail(),
                       s.user().id,
                       c->owner_id == s.user().id,
                       c->status == 1 && c->my_status != -1,
                       QrVm{s.group_qr(), s.page_is_localhost()},
                       s.notice(),
                       s.now(),
                       c->status == 1 && c->my_status != -1 && c->my_status != 2};
}

InviteVm invite_vm(const core::Session& s) { return InviteVm{s.invite_picker()}; }

std::string toast_text(const core::Session& s, uint64_t& seen) {
    if (s.notice_seq() == seen) return {};
    seen = s.notice_seq();
    if (s.screen() == Screen::Login || s.screen() == Screen::Join) return {};   // shown with the form
    return s.notice();
}

SettingsVm settings_vm(const core::Session& s) {
    return SettingsVm{s.user().display_name(), s.user().nickname,          s.user().role == "user",
                      s.guest_send_count(),    QrVm{s.group_qr(), s.page_is_localhost()}, s.notice(),
                      s.user().id,             s.user().avatar};
}

ChatVm chat_vm(const core::Session& s) {
    ChatVm vm;
    const auto& msgs = s.open_messages();
    vm.messages = std::span<const core::Message>(msgs.data(), msgs.size());
    vm.conv = s.open_conversation();
    vm.me = s.user().id;
    vm.revision = s.store().revision();
    vm.can_load_earlier = s.can_load_earlier();
    vm.loading_earlier = s.loading_earlier();
    vm.can_send = s.can_send();
    vm.why = !vm.conv || vm.conv->status != 1 ? ReadOnly::Dissolved
           : vm.conv->my_status == 0          ? ReadOnly::Muted
                                              : ReadOnly::NotMember;
    vm.can_recall = [&s](const core::Message& m) { return s.can_recall(m); };
    vm.send_error = [&s](const core::Message& m) { return s.send_error(m); };
    vm.media = &s.media();
    vm.upload_of = [&s](const core::Message& m) { return s.upload_of(m); };
    return vm;
}

std::string document_title(const core::Session& s) {
    int unread = 0;
    for (const auto& c : s.conversations()) unread += c.unread;
    const auto* open = s.open_conversation();
    return (unread ? "(" + std::to_string(unread) + ") " : std::string()) +
           (open && !open->title.empty() ? open->title + " - " : std::string()) + "imchat";
}

}  // namespace imchat::ui
