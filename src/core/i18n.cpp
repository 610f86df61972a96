#include "core/i18n.hpp"

namespace imchat::core {

namespace {
struct Entry { const char* zh; const char* en; };
constexpr Entry kTable[] = {
    /* AppName */           {"imchat", "imchat"},
    /* Connecting */        {"连接中…", "Connecting…"},
    /* Online */            {"在线", "Online"},
    /* Reconnecting */      {"重新连接中…", "Reconnecting…"},
    /* Offline */           {"网络已断开", "Offline"},
    /* Kicked */            {"账号异地登录", "Logged in elsewhere"},
    /* Loading */           {"加载中…", "Loading…"},
    /* GroupNotFound */     {"群不存在", "Group not found"},
    /* GroupNotFoundHint */ {"这个群不存在或者已解散，请检查二维码。",
                             "This group does not exist or was dissolved. Check the QR code."},
    /* Conversations */     {"会话", "Chats"},
    /* NoConversations */   {"还没有会话，扫描群二维码加入群聊。",
                             "No chats yet. Scan a group's QR code to join."},
    /* Back */              {"返回", "Back"},
    /* Send */              {"发送", "Send"},
    /* Pending */           {"发送中", "sending"},
    /* Failed */            {"发送失败", "failed"},
    /* Guest */             {"游客", "Guest"},
    /* JoinNeedsApproval */ {"加入这个群需要群主同意。", "Joining this group needs the owner's approval."},
    /* ComposerHint */      {"输入消息", "Message"},
    /* Members */           {"人", "members"},
    /* KickedDetail */      {"您的账号在异地登录，本设备将会退出", "Your account was signed in on another device; this one is signed out."},
    /* Ok */                {"我知道了", "OK"},
    /* RetryNow */          {"立即重试", "Retry now"},
    /* TapToRetry */        {"发送失败，点按重试", "Not sent. Tap to retry"},
    /* LoadEarlier */       {"加载更早的消息", "Load earlier messages"},
    /* UseHere */           {"在此设备继续", "Continue here"},
    /* Login */             {"登录", "Log in"},
    /* LoginTitle */        {"登录 / 注册", "Log in / Register"},
    /* LoginHint */         {"注册后可以保留聊天记录，在其他设备登录。", "Register to keep your chats and use them on other devices."},
    /* Logout */            {"退出登录", "Log out"},
    /* User */              {"用户", "User"},
};
static_assert(sizeof(kTable) / sizeof(kTable[0]) == static_cast<int>(Str::Count_));
}  // namespace

Lang lang_from_locale(std::string_view l) {
    return (l.size() >= 2 && (l.substr(0, 2) == "zh" || l.substr(0, 2) == "ZH")) ? Lang::ZhCN : Lang::En;
}

const char* tr(Lang lang, Str s) {
    const Entry& e = kTable[static_cast<int>(s)];
    return lang == Lang::ZhCN ? e.zh : e.en;
}

}  // namespace imchat::core
