// imchat::protocol enums the wire spells as strings or numbers, with their
// conversions. `from_wire` never fails: an unknown spelling reads as the
// documented fallback, so server input cannot put the client in a bad state.
#pragma once
#include <optional>
#include <string_view>

namespace imchat::protocol {

enum class ChatType    { Single, Group };                               // wire: chatType "single" | "group"
enum class MessageType { Text, Image, SystemNotice, Other };            // wire: type
enum class CloseCode   { Normal = 1000, LoggedInElsewhere = 4001, TokenInvalid = 4002,
                         Disabled = 4003, Policy = 4008 };              // socket close codes (README)

// Close codes as plain ints for the transports (4000-4999 are private).
inline constexpr int kCloseLoggedInElsewhere = static_cast<int>(CloseCode::LoggedInElsewhere);
inline constexpr int kCloseTokenInvalid      = static_cast<int>(CloseCode::TokenInvalid);
inline constexpr int kCloseDisabled          = static_cast<int>(CloseCode::Disabled);
inline constexpr int kClosePolicy            = static_cast<int>(CloseCode::Policy);

const char*              to_string(ChatType t);         // "single" | "group"
const char*              to_string(MessageType t);      // "text" | "image" | "systemNotice" | "other"
const char*              to_string(CloseCode c);        // "normal", "logged_in_elsewhere", ...
ChatType                 chat_type_from_wire(std::string_view s);      // anything but "single": Group
MessageType              message_type_from_wire(std::string_view s);   // unknown: Other
std::optional<CloseCode> close_code_from_wire(int code);               // not one of ours: nullopt

}  // namespace imchat::protocol
