// Helpers the api_*.cpp files share (not a public header).
#pragma once
#include <charconv>
#include <optional>
#include <string>
#include <string_view>

#include "protocol/codes.hpp"
#include "protocol/envelope.hpp"
#include "protocol/frames.hpp"
#include "protocol/message.hpp"
#include "protocol/group.hpp"
#include "protocol/json_read.hpp"
#include "server/api/errors.hpp"
#include "server/store/store.hpp"

namespace imchat::server::detail {

using protocol::Json;
using protocol::parse_json;   // request bodies and stored JSON: never throws
using protocol::read_int;
using protocol::read_obj;
using protocol::read_str;

// Member status as stored and sent (protocol::MemberStatus on the wire).
constexpr int kMuted   = static_cast<int>(protocol::MemberStatus::Muted);
constexpr int kMember  = static_cast<int>(protocol::MemberStatus::Member);
constexpr int kPending = static_cast<int>(protocol::MemberStatus::Pending);

// A path or query parameter as an integer; nullopt unless it is all digits.
inline std::optional<int64_t> to_int(std::string_view s) {
    int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
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

// A frame that is not a stored message: clients refresh what it names.
inline Json event_message(const GroupRow& g, const char* action, int64_t about_user, const std::string& text) {
    return Json{{"id", 0}, {"seq", 0}, {"chatType", "group"}, {"type", "systemNotice"}, {"actionType", action},
                {"to_id", g.id}, {"to_name", g.name}, {"from_id", about_user}, {"data", text}};
}

}  // namespace imchat::server::detail
