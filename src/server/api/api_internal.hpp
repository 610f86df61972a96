// Helpers and error texts shared by the api_*.cpp files (not a public header).
#pragma once
#include <charconv>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/envelope.hpp"
#include "protocol/codes.hpp"
#include "protocol/frames.hpp"
#include "protocol/message.hpp"
#include "server/store/store.hpp"

namespace imchat::server::detail {

using protocol::Json;

// Error texts: Chinese sentences shown to the user as they are (reference wording where it exists).
constexpr std::string_view kErrNoRoute       = "接口不存在";
constexpr std::string_view kErrBadJson       = "请求数据格式错误";
constexpr std::string_view kErrGuest         = "您没有权限访问，请先注册或登录";
constexpr std::string_view kErrDeviceId      = "设备id不合法";
constexpr std::string_view kErrTooMany       = "请求太频繁，请稍后再试";
constexpr std::string_view kErrNotMember     = "您不在群里，无法发消息";
constexpr std::string_view kErrGroupClosed   = "群不存在或者已解散或者被封禁，无法发消息";
constexpr std::string_view kErrNotInGroup    = "您不是该群成员";
constexpr std::string_view kErrNotOwner      = "只有群主可以这样做";
constexpr std::string_view kErrMuted         = "您已被禁言";
constexpr std::string_view kErrNeedApproval  = "已申请加入，等待群主同意";
constexpr std::string_view kErrNeedLogin     = "加入该群需要先登录或注册";
constexpr std::string_view kErrEmptyMessage  = "消息内容不能为空";
constexpr std::string_view kErrTooLong       = "消息内容太长";
constexpr std::string_view kErrMsgType       = "暂不支持该消息类型";
constexpr std::string_view kErrChatType      = "暂不支持该会话类型";
constexpr std::string_view kErrBadParam      = "参数错误";
constexpr std::string_view kErrInviteOthers  = "暂不支持邀请他人";
constexpr std::string_view kErrUsername      = "用户名长度为4到20个字符";
constexpr std::string_view kErrPassword      = "密码长度为6到20个字符";
constexpr std::string_view kErrRepassword    = "两次输入的密码不一致";
constexpr std::string_view kErrUserExists    = "用户名已存在";
constexpr std::string_view kErrLogin         = "用户名或密码错误";
constexpr std::string_view kErrName          = "名称长度为1到30个字符";
constexpr std::string_view kErrRemark        = "群公告最多500个字符";
constexpr std::string_view kErrReason        = "申请理由最多500个字符";
constexpr std::string_view kErrNoCommonGroup = "你们没有共同的群，无法发消息";
constexpr std::string_view kErrGuestBlocked  = "对方不接收游客的消息，请先注册或登录";
constexpr std::string_view kErrGuestOnce     = "对方只允许游客发送一条消息，请先注册或登录";
constexpr std::string_view kErrRecallLate    = "消息超过5分钟，不能撤回";
constexpr std::string_view kErrRecallOther   = "只能撤回自己的消息";
constexpr std::string_view kErrNoMessage     = "消息不存在";
constexpr std::string_view kErrSelf          = "不能对自己这样做";
constexpr std::string_view kErrDisabled      = "账号已被禁用";

inline std::optional<int64_t> to_int(std::string_view s) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

inline int64_t json_int(const Json& j, const char* key, int64_t def = 0) {
    if (!j.is_object()) return def;
    auto it = j.find(key);
    if (it == j.end()) return def;
    if (it->is_number()) return it->get<int64_t>();
    if (it->is_string()) return to_int(it->get<std::string>()).value_or(def);
    return def;
}

inline std::string json_str(const Json& j, const char* key) {
    if (!j.is_object()) return {};
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

inline bool valid_utf8(std::string_view s) {
    try { (void)Json(std::string(s)).dump(); return true; } catch (const Json::exception&) { return false; }
}

// Length in characters (UTF-8 code points).
inline size_t char_count(std::string_view s) {
    size_t n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

inline Json user_json(const UserRow& u) {
    return Json{{"id", u.id}, {"username", u.username}, {"nickname", u.nickname},
                {"avatar", u.avatar}, {"role", u.role}, {"status", u.status}};
}

}  // namespace imchat::server::detail
