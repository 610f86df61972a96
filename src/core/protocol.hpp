// imchat::core wire protocol: the message object, the socket envelope and the
// HTTP envelope, with the reference system's field names (see README, "Protocol").
// Shared by the client core and the server. Only the standard library and
// nlohmann/json here.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace imchat::core {

using Json = nlohmann::json;

// Error texts that clients compare verbatim (reference system).
inline constexpr std::string_view kErrTokenInvalid  = "Token 令牌不合法！";
inline constexpr std::string_view kErrGroupNotFound = "群不存在或者已解散";

// Close codes (4000-4999 are private; see docs in README "Close codes").
inline constexpr int kCloseLoggedInElsewhere = 4001;
inline constexpr int kCloseTokenInvalid      = 4002;
inline constexpr int kCloseDisabled          = 4003;
inline constexpr int kClosePolicy            = 4008;

enum class SendStatus { Sent, Pending, Failed };   // client-side only
const char* to_string(SendStatus s);

struct Message {
    int64_t     id = 0;              // server-made, unique; 0 while pending
    int64_t     seq = 0;             // per-conversation sequence; 0 while pending
    int64_t     from_id = 0;
    std::string from_name;
    std::string from_avatar;
    int64_t     to_id = 0;           // group id for group chats, user id for single
    std::string to_name;
    std::string to_avatar;
    std::string chat_type = "group"; // "single" | "group"
    std::string type = "text";       // "text" | "image" | "systemNotice" | ...
    std::string data;
    std::string options;             // URI-encoded JSON string (reference)
    int64_t     create_time = 0;     // ms since epoch
    int         isremove = 0;
    std::string client_msg_id;       // idempotency key; also sent as `sendUUid`
    std::string action_type;         // "revoke", "joinRequest", ... (events, not new messages)
    SendStatus  status = SendStatus::Sent;
};

Json    to_json(const Message& m);             // wire form (no client status)
Message message_from_json(const Json& j);      // tolerant: missing fields default

// The conversation a message belongs to, seen from user `me`.
struct ConversationKey {
    std::string chat_type;   // "group" | "single"
    int64_t     id = 0;      // group id, or the other user's id
    bool operator==(const ConversationKey&) const = default;
    bool operator<(const ConversationKey& o) const {   // explicit: libc++ 14 lacks string <=>
        return chat_type != o.chat_type ? chat_type < o.chat_type : id < o.id;
    }
};
ConversationKey conversation_of(const Message& m, int64_t me);

// --- Socket frames --------------------------------------------------------
// Server -> client: {type:"system"|"singleChat"|"pong"|"error", data, timestamp}
// or, before closing on a bad token, {msg:"fail", data:"<reason>"}.
struct ServerFrame {
    enum class Kind { System, Chat, Pong, Ping, Fail, Error, Unknown };
    Kind        kind = Kind::Unknown;
    std::string text;        // System/Fail/Error: the text
    Message     message;     // Chat
    int64_t     timestamp = 0;
};
std::optional<ServerFrame> parse_server_frame(std::string_view text);

std::string make_ping(std::string_view token, int64_t now_ms);
std::string make_frame(std::string_view type, const Json& data, int64_t now_ms);

// --- HTTP envelope --------------------------------------------------------
// Success: 200 {"msg":"ok","data":...}; failure: 400 {"msg":"fail","data":"reason"}.
struct ApiResult {
    bool        ok = false;
    Json        data;        // payload, or the reason string on failure
    std::string reason() const;   // failure text ("" on success)
};
ApiResult parse_api_result(int http_status, std::string_view body);

}  // namespace imchat::core
