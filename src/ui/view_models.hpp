// imchat::ui view models: the plain data each view draws, built from the Session
// in one place (view_models.cpp). Views never see the Session, its JSON or its
// internals. Large data (messages, members) is referenced, never copied: a view
// model lives for one frame only.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/session.hpp"

namespace imchat::ui {

enum class Back { None, ToList, ToChat, ToGroupInfo };    // what the top bar's "< Back" does
enum class ReadOnly { Dissolved, Muted, NotMember };      // why the composer is hidden
enum class BannerKind { None, Connecting, Reconnecting, Kicked, Offline };

struct TopBarVm {
    core::Screen          screen = core::Screen::Loading;
    core::Conn            conn = core::Conn::Idle;        // the dot on the right
    std::string           title;                         // centred, ellipsized
    Back                  back = Back::None;
    core::ConversationKey chat;                          // Back::ToChat: which one
    bool                  account = false;               // list: settings (left) + login/logout (right)
    bool                  guest = true;                  // account: "log in" rather than "log out"
    bool                  group_info = false;            // the "..." button of an open group
    int                   badge = 0;                     // on "...": the group's pending join requests
};

struct BannerVm {
    BannerKind kind = BannerKind::None;
    int64_t    seconds = 0;                              // Reconnecting: in how long
    bool       retry = false;                            // offer "retry now"
};

struct ModalVm {
    const std::string& text;
    bool               kicked = false;                   // the button says "use it here"
};

// One conversation list row, ready to draw.
struct ListRow {
    const core::Conversation* conv = nullptr;
    std::string               title;                // the name, or "#id" before it is known
    std::string               preview;              // "name: text" in groups; "[图片]" etc. localised
    std::string               time;                 // time_label of the last activity
    std::string               badge;                // unread: "" | "3" | "99+"
    int                       pending = 0;          // join requests waiting (we own the group)
    const core::Conversation* operator->() const { return conv; }
};

struct ListVm {
    bool                  can_create = false;       // registered users create groups
    std::vector<ListRow>  rows;                     // shown, newest activity first (left groups hidden)
};

struct JoinVm {
    const core::JoinCard& card;
    const std::string&    notice;
};

struct LoginVm {
    const std::string& notice;
};

struct QrVm {
    const core::Qr& qr;
    bool            localhost = false;                   // warn: a phone cannot open localhost
};

struct GroupInfoVm {
    const core::Conversation& conv;
    const protocol::Group&    group;                     // remark, policy, members
    int64_t                   me = 0;
    bool                      owner = false;
    bool                      can_act = false;           // not dissolved and still a member
    QrVm                      qr;
    const std::string&        notice;
    int64_t                   now = 0;                   // for the requests' times
    bool                      can_invite = false;        // a member (not pending) of a live group
};

struct SettingsVm {
    std::string        name;                             // display name
    const std::string& nickname;
    bool               is_user = false;                  // guests have no "guests may message me"
    int                send_count = 1;
    QrVm               qr;
    const std::string& notice;
    int64_t            id = 0;                           // mine: the default avatar's colour
    std::string        avatar;                           // my avatar image URL, "" if none
};

struct ChatVm {
    std::span<const core::Message>              messages;        // the open conversation's, in order
    const core::Conversation*                   conv = nullptr;
    int64_t                                     me = 0;
    uint64_t                                    revision = 0;    // store revision: layout cache key
    bool                                        can_load_earlier = false;
    bool                                        loading_earlier = false;
    bool                                        can_send = false;
    ReadOnly                                    why = ReadOnly::NotMember;   // when !can_send
    std::function<bool(const core::Message&)>   can_recall;
    std::function<const core::SendError*(const core::Message&)> send_error;   // why an unsent one failed
    const core::Media*                          media = nullptr; // voice messages: played, playing
    std::function<const core::MediaUpload*(const core::Message&)> upload_of;  // a file / video not yet uploaded
};

struct InviteVm {
    const core::InvitePicker& picker;                    // candidates, each with its result once tapped
};

TopBarVm                   top_bar_vm(const core::Session& s);
BannerVm                   banner_vm(const core::Session& s);
std::optional<ModalVm>     modal_vm(const core::Session& s);      // none when no modal
// utc_offset_min: the local time zone (the platform's), for the rows' time labels.
ListVm                     list_vm(const core::Session& s, int utc_offset_min = 0);
std::string                list_preview(core::Lang lang, const core::Conversation& c);   // the row's second line
JoinVm                     join_vm(const core::Session& s);
LoginVm                    login_vm(const core::Session& s);
std::optional<GroupInfoVm> group_info_vm(const core::Session& s); // none without an open conversation
SettingsVm                 settings_vm(const core::Session& s);
ChatVm                     chat_vm(const core::Session& s);
InviteVm                   invite_vm(const core::Session& s);
// The notice to show as a toast this frame ("" if none): a new notice, on screens
// that do not already show it inline (login, join). `seen`: the last notice_seq shown.
std::string                toast_text(const core::Session& s, uint64_t& seen);
std::string                document_title(const core::Session& s);   // "(unread) title - imchat"

}  // namespace imchat::ui
