// imchat::protocol the message object with the reference system's field names
// (README, "Protocol"), and the conversation a message belongs to.
#pragma once
#include <cstdint>
#include <string>

#include "protocol/json_read.hpp"

namespace imchat::protocol {

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
    std::string chat_type = "group"; // "single" | "group" (protocol::ChatType)
    std::string type = "text";       // "text" | "image" | "systemNotice" | ... (protocol::MessageType)
    std::string data;
    std::string options;             // URI-encoded JSON string (reference)
    int64_t     create_time = 0;     // ms since epoch
    int         isremove = 0;
    std::string client_msg_id;       // idempotency key; also sent as `sendUUid`
    std::string action_type;         // "revoke", "joinRequest", ... (events, not new messages)
    SendStatus  status = SendStatus::Sent;
};

Json    to_json(const Message& m);             // wire form (no client status)
Message message_from_json(const Json& j);      // tolerant: missing or wrong-typed fields default

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

}  // namespace imchat::protocol
