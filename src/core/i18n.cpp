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
    /* Apply */             {"申请加入", "Ask to join"},
    /* Applied */           {"已申请，等待群主同意", "Request sent. Waiting for the owner."},
    /* LoginToJoin */       {"登录 / 注册后加入", "Log in or register to join"},
    /* GroupInfo */         {"群信息", "Group info"},
    /* CopyLink */          {"复制链接", "Copy link"},
    /* Copied */            {"已复制", "Copied"},
    /* LocalhostWarning */  {"你正通过 localhost 打开，手机无法访问。手机扫码请用：",
                             "You opened this page on localhost, which phones cannot reach. Phones use:"},
    /* Announcement */      {"群公告", "Announcement"},
    /* Rename */            {"修改群名", "Rename"},
    /* EditRemark */        {"编辑群公告", "Edit announcement"},
    /* JoinPolicy */        {"加群方式", "Who can join"},
    /* Policy0 */           {"扫码直接加入", "Anyone with the QR code"},
    /* Policy1 */           {"需要群主同意", "Owner approves"},
    /* Policy2 */           {"仅注册用户，需群主同意", "Registered users, owner approves"},
    /* Dissolve */          {"解散群聊", "Dissolve group"},
    /* Quit */              {"退出群聊", "Leave group"},
    /* MyGroupNick */       {"我在本群的昵称", "My name in this group"},
    /* Owner */             {"群主", "owner"},
    /* Muted */             {"已禁言", "muted"},
    /* PendingMember */     {"申请加入", "wants to join"},
    /* Approve */           {"同意", "Approve"},
    /* Reject */            {"拒绝", "Reject"},
    /* Mute */              {"禁言", "Mute"},
    /* Unmute */            {"解除禁言", "Unmute"},
    /* Remove */            {"移出群聊", "Remove"},
    /* DirectMessage */     {"发消息", "Message"},
    /* Copy */              {"复制", "Copy"},
    /* Recall */            {"撤回", "Recall"},
    /* RecalledBy */        {" 撤回了一条消息", " recalled a message"},
    /* YouRecalled */       {"你撤回了一条消息", "You recalled a message"},
    /* Dissolved */         {"该群已解散，只能查看聊天记录", "This group was dissolved; history is read-only."},
    /* YouMuted */          {"你已被群主禁言", "The owner muted you."},
    /* NotMember */         {"你已不在该群", "You are no longer in this group."},
    /* Settings */          {"设置", "Settings"},
    /* Nickname */          {"昵称", "Nickname"},
    /* GuestsMayMessage */  {"游客给我发私信", "Guests may message me"},
    /* SendCount0 */        {"不允许", "Never"},
    /* SendCount1 */        {"仅一条", "One message"},
    /* SendCount2 */        {"不限", "Unlimited"},
    /* Language */          {"语言", "Language"},
    /* CreateGroup */       {"创建群聊", "New group"},
    /* GroupName */         {"群名称", "Group name"},
    /* ReasonTitle */       {"申请理由（可选）", "Reason (optional)"},
    /* Members2 */          {"群成员", "Members"},
    /* ScanToJoin */        {"扫码加入群聊", "Scan to join"},
    /* AddContact */        {"添加为联系人", "Add contact"},
    /* MyQr */              {"我的二维码", "My QR code"},
    /* ScanToAdd */         {"扫码加我为联系人", "Scan to add me"},
    /* Image */             {"[图片]", "[image]"},
    /* Yesterday */         {"昨天", "Yesterday"},
    /* Sunday */            {"星期日", "Sunday"},
    /* Monday */            {"星期一", "Monday"},
    /* Tuesday */           {"星期二", "Tuesday"},
    /* Wednesday */         {"星期三", "Wednesday"},
    /* Thursday */          {"星期四", "Thursday"},
    /* Friday */            {"星期五", "Friday"},
    /* Saturday */          {"星期六", "Saturday"},
    /* AudioMsg */          {"[语音]", "[voice]"},
    /* VideoMsg */          {"[视频]", "[video]"},
    /* FileMsg */           {"[文件]", "[file]"},
    /* RecalledMsg */       {"[消息已撤回]", "[recalled]"},
    /* HideChat */          {"不显示该聊天", "Hide this chat"},
    /* JoinRequests */      {"条入群申请", "join requests"},
    /* PageLoading */       {"imchat 加载中…", "imchat loading…"},
    /* UsernameHint */      {"用户名（4-20个字符）", "Username (4-20 characters)"},
    /* PasswordHint */      {"密码（6-20个字符）", "Password (6-20 characters)"},
    /* SignUp */            {"注册", "Register"},
    /* Cancel */            {"取消", "Cancel"},
    /* Confirm */           {"确定", "OK"},
    /* AttachImage */       {"发送图片", "Send an image"},
    /* ReloadPage */        {"刷新", "Reload"},
    /* ImageTooLarge */     {"图片不能超过5MB", "Images up to 5 MB"},
    /* UploadFailed */      {"上传失败，请重试", "Upload failed, try again"},
    /* LangTag */           {"zh-CN", "en"},   // <html lang>, for screen readers and hyphenation
};
static_assert(sizeof(kTable) / sizeof(kTable[0]) == static_cast<int>(Str::Count_));

// The keys are the enum's names, so web/index.html and web/js/ name strings as C++ does.
constexpr PageString kPage[] = {
    {"Send", Str::Send},                 {"ComposerHint", Str::ComposerHint}, {"Login", Str::Login},
    {"SignUp", Str::SignUp},             {"UsernameHint", Str::UsernameHint}, {"PasswordHint", Str::PasswordHint},
    {"Cancel", Str::Cancel},             {"Confirm", Str::Confirm},           {"AttachImage", Str::AttachImage},
    {"Back", Str::Back},                 {"ReloadPage", Str::ReloadPage},     {"PageLoading", Str::PageLoading},
    {"ImageTooLarge", Str::ImageTooLarge}, {"UploadFailed", Str::UploadFailed}, {"LangTag", Str::LangTag},
};
}  // namespace

Lang lang_from_locale(std::string_view l) {
    return (l.size() >= 2 && (l.substr(0, 2) == "zh" || l.substr(0, 2) == "ZH")) ? Lang::ZhCN : Lang::En;
}

const char* tr(Lang lang, Str s) {
    const Entry& e = kTable[static_cast<int>(s)];
    return lang == Lang::ZhCN ? e.zh : e.en;
}

std::span<const PageString> page_strings() { return kPage; }

}  // namespace imchat::core
