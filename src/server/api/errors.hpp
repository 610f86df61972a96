// imchat::server API errors: every failure the API (and the transport) answers,
// as a named text with its one HTTP status. Texts are Chinese sentences shown to
// the user as they are (the reference system's wording where it has one).
//
// One condition answers one status everywhere; the table, condition -> status:
//   400  bad input: malformed JSON/parameters, lengths, types, unknown ids,
//        token missing or invalid (reference behaviour), group not found/closed,
//        the member an owner acts on is not in the group, wrong password
//   403  the caller may not: a guest outside the allow-list, a disabled account,
//        the caller is not a member of the group (pending counts as not), not
//        the owner, muted, no common group, the receiver refuses guests,
//        recalling someone else's message, a guest joining a login-only group,
//        inviting someone who is neither a contact nor in a common group,
//        a socket from an origin not allowed
//   404  no such API route (also uploads when the server keeps no files)
//   413  a body or upload over its limit (per kind: image, audio, video, file)
//   429  rate limits (registration, login, sends per user), the daily upload quota,
//        too many open connections from one address
//   431  a request's header over its limit
//   500  the server failed (text + what failed)
//   503  the server is busy: behind delivering to a group (its backlog passed a bound);
//        retryable, with Retry-After (Response::retry_after_s); nothing was stored.
//        Also: the store cannot write (full disk, read-only data dir; kErrStorage)
// A handler answers `return fail(kErrX);`: the status comes with the text.
#pragma once
#include <string_view>

#include "protocol/codes.hpp"
#include "protocol/envelope.hpp"
#include "protocol/frames.hpp"
#include "protocol/message.hpp"

namespace imchat::server {

struct ApiError {
    std::string_view text;     // shown to the user
    int              status;   // HTTP status, per the table above
};

// [400] input
inline constexpr ApiError kErrBadJson         {"请求数据格式错误", 400};
inline constexpr ApiError kErrBadParam        {"参数错误", 400};
inline constexpr ApiError kErrTokenInvalid    {protocol::kErrTokenInvalid, 400};   // reference: 400, not 401
inline constexpr ApiError kErrDeviceId        {"设备id不合法", 400};
inline constexpr ApiError kErrUsername        {"用户名长度为4到20个字符", 400};
inline constexpr ApiError kErrPassword        {"密码长度为6到20个字符", 400};
inline constexpr ApiError kErrRepassword      {"两次输入的密码不一致", 400};
inline constexpr ApiError kErrUserExists      {"用户名已存在", 400};
inline constexpr ApiError kErrLogin           {"用户名或密码错误", 400};
inline constexpr ApiError kErrName            {"名称长度为1到30个字符", 400};
inline constexpr ApiError kErrRemark          {"群公告最多500个字符", 400};
inline constexpr ApiError kErrReason          {"申请理由最多500个字符", 400};
inline constexpr ApiError kErrGroupNotFound   {protocol::kErrGroupNotFound, 400};
inline constexpr ApiError kErrGroupClosed     {"群不存在或者已解散或者被封禁，无法发消息", 400};
inline constexpr ApiError kErrNotAMember      {"该用户不是群成员", 400};   // the member an owner acts on
inline constexpr ApiError kErrNoJoinRequest   {"没有这个加群申请", 400};
inline constexpr ApiError kErrInviteOthers    {"暂不支持邀请他人", 400};
inline constexpr ApiError kErrSelf            {"不能对自己这样做", 400};
inline constexpr ApiError kErrQrInvalid       {"二维码无效或已过期", 400};
inline constexpr ApiError kErrEmptyMessage    {"消息内容不能为空", 400};
inline constexpr ApiError kErrTooLong         {"消息内容太长", 400};
inline constexpr ApiError kErrMsgType         {"暂不支持该消息类型", 400};
inline constexpr ApiError kErrChatType        {"暂不支持该会话类型", 400};
inline constexpr ApiError kErrImageUrl        {"图片地址不合法", 400};
inline constexpr ApiError kErrNoMessage       {"消息不存在", 400};
inline constexpr ApiError kErrRecallLate      {"消息超过5分钟，不能撤回", 400};
inline constexpr ApiError kErrImageEmpty      {"图片不能为空", 400};
inline constexpr ApiError kErrImageType       {"只支持 PNG、JPEG、GIF、WebP 图片", 400};   // an avatar that is not an image
inline constexpr ApiError kErrUploadEmpty     {"文件不能为空", 400};
inline constexpr ApiError kErrUploadForm      {"上传格式错误", 400};   // a multipart body we cannot read
inline constexpr ApiError kErrUploadUrl       {"文件地址不合法", 400};   // not our upload, or of another kind
inline constexpr ApiError kErrOptionsTooLong  {"消息附加信息太长", 400};   // `options`
inline constexpr ApiError kErrAvatarUrl       {"头像地址不合法", 400};
// [403] permission
inline constexpr ApiError kErrGuest           {"您没有权限访问，请先注册或登录", 403};
inline constexpr ApiError kErrDisabled        {"账号已被禁用", 403};
inline constexpr ApiError kErrNotInGroup      {"您不是该群成员", 403};   // the caller; every member-only route
inline constexpr ApiError kErrNotOwner        {"只有群主可以这样做", 403};
inline constexpr ApiError kErrMuted           {"您已被禁言", 403};
inline constexpr ApiError kErrNeedLogin       {"加入该群需要先登录或注册", 403};
inline constexpr ApiError kErrNoCommonGroup   {"你们没有共同的群，无法发消息", 403};
inline constexpr ApiError kErrGuestBlocked    {"对方不接收游客的消息，请先注册或登录", 403};
inline constexpr ApiError kErrGuestOnce       {"对方只允许游客发送一条消息，请先注册或登录", 403};
inline constexpr ApiError kErrRecallOther     {"只能撤回自己的消息", 403};
inline constexpr ApiError kErrInviteScope     {"只能邀请联系人或共同群成员", 403};
inline constexpr ApiError kErrOrigin          {"不允许从该来源连接", 403};   // /ws from an origin not allowed
inline constexpr ApiError kErrInviteeGuest    {"该群需要登录后才能加入", 403};   // inviting a guest into a policy-2 group
// [404] [413] [429] [500] [503]
inline constexpr ApiError kErrNoRoute         {"接口不存在", 404};
inline constexpr ApiError kErrBodyTooLarge    {"请求内容太大", 413};   // the transport's body limit
inline constexpr ApiError kErrImageTooLarge   {"图片不能超过5MB", 413};
inline constexpr ApiError kErrUploadTooLarge  {"文件太大：", 413};   // + "图片不能超过5MB" (the kind's limit)
inline constexpr ApiError kErrTooMany         {"请求太频繁，请稍后再试", 429};
inline constexpr ApiError kErrSendRate        {"发送太频繁，请稍后再试：", 429};   // + "每10秒最多200条"; Retry-After
inline constexpr ApiError kErrTooManyConns    {"该地址打开的连接太多，请稍后再试：", 429};   // + "最多1000个" (--max-conns-per-ip)
inline constexpr ApiError kErrHeaderTooLarge  {"请求头太大：", 431};   // + "最多16KB" (--max-header-kb)
inline constexpr ApiError kErrUploadQuota     {"今天的上传已达上限，请明天再试：", 429};   // + "每天200MB"
inline constexpr ApiError kErrOutOfMemory     {"服务器内存不足", 500};
inline constexpr ApiError kErrServer          {"服务器错误，请稍后重试", 500};   // what failed goes to the log, not to the client
inline constexpr ApiError kErrBusy            {"服务器繁忙，请稍后重试", 503};   // + Retry-After; "server busy, retry later"
// Issue 14: a write failed for lack of space or a read-only data dir (store_errors.hpp); nothing was stored.
inline constexpr ApiError kErrStorage         {"服务器存储空间不足或只读，暂时无法保存，请稍后重试 (storage full or read-only, retry later)", 503};
inline constexpr ApiError kErrNotReady        {"服务未就绪: ", 503};   // /readyz, + what is not ready ("not ready: ")

}  // namespace imchat::server
