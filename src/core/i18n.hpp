// imchat::core UI strings in zh-CN and English.
#pragma once
#include <span>
#include <string_view>

namespace imchat::core {

enum class Lang { ZhCN, En };
enum class Str {
    AppName, Connecting, Online, Reconnecting, Offline, Kicked, Loading,
    GroupNotFound, GroupNotFoundHint, Conversations, NoConversations, Back,
    Send, Pending, Failed, Guest, JoinNeedsApproval, ComposerHint, Members,
    KickedDetail, Ok, RetryNow, TapToRetry, LoadEarlier, UseHere,
    Login, LoginTitle, LoginHint, Logout, User,
    Apply, Applied, LoginToJoin, GroupInfo, CopyLink, Copied, LocalhostWarning, Announcement, Rename,
    EditRemark, JoinPolicy, Policy0, Policy1, Policy2, Dissolve, Quit, MyGroupNick, Owner, Muted,
    PendingMember, Approve, Reject, Mute, Unmute, Remove, DirectMessage, Copy, Recall, RecalledBy,
    YouRecalled, Dissolved, YouMuted, NotMember, Settings, Nickname, GuestsMayMessage, SendCount0,
    SendCount1, SendCount2, Language, CreateGroup, GroupName, ReasonTitle, Members2, ScanToJoin,
    AddContact, MyQr, ScanToAdd, Image,
    RetrySuffix, SendTimedOut, NetworkError, JoinRequests, Invite, InviteAdded, InviteRequested, NoCandidates,
    // The conversation list (time labels, previews, hide).
    Yesterday, Today, SetAvatar, AvatarSet, Sunday, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday,
    AudioMsg, VideoMsg, FileMsg, RecalledMsg, HideChat, JoinRequestCount,
    // The DOM page (web/): read through page_strings().
    PageLoading, UsernameHint, PasswordHint, SignUp, Cancel, Confirm, AttachImage, ReloadPage,
    ImageTooLarge, UploadFailed, LangTag, ImagesOnly,
    // Voice messages (issue 13; web/js/voice.js and the audio bubble).
    VoiceMode, KeyboardMode, VoiceHold, VoiceRelease, VoiceSlideCancel, VoiceReleaseCancel, VoiceTooShort,
    VoiceNoMic, VoiceFailed, VoiceMaxReached,
    // Issue 13 files and videos (the attach menu is DOM; the rest drawn).
    AttachPhoto, AttachVideo, RecordVideo, AttachFile, FileTooLarge, VideoUnreadable, Uploading, CancelUpload,
    // Emoji panel, stickers, long-message collapse (issues 13, 14).
    Sticker, Expand, Collapse, EmojiButton, EmojiTab, StickersTab,
    Count_
};

// A string the DOM page shows, by the key its elements name (data-i18n="Send").
struct PageString { const char* key; Str str; };

Lang        lang_from_locale(std::string_view navigator_language);   // "zh*" -> ZhCN
const char* tr(Lang lang, Str s);
std::span<const PageString> page_strings();                            // every key the page uses

}  // namespace imchat::core
