// imchat::core UI strings in zh-CN and English.
#pragma once
#include <string_view>

namespace imchat::core {

enum class Lang { ZhCN, En };
enum class Str {
    AppName, Connecting, Online, Reconnecting, Offline, Kicked, Loading,
    GroupNotFound, GroupNotFoundHint, Conversations, NoConversations, Back,
    Send, Pending, Failed, Guest, JoinNeedsApproval, ComposerHint, Members,
    KickedDetail, Ok, RetryNow, TapToRetry, LoadEarlier, UseHere,
    Login, LoginTitle, LoginHint, Logout, User,
    Count_
};

Lang        lang_from_locale(std::string_view navigator_language);   // "zh*" -> ZhCN
const char* tr(Lang lang, Str s);

}  // namespace imchat::core
