#include "protocol/codes.hpp"

namespace imchat::protocol {

const char* to_string(ChatType t) { return t == ChatType::Single ? "single" : "group"; }

const char* to_string(MessageType t) {
    switch (t) {
        case MessageType::Text:         return "text";
        case MessageType::Image:        return "image";
        case MessageType::SystemNotice: return "systemNotice";
        case MessageType::Other:        return "other";
    }
    return "other";
}

const char* to_string(CloseCode c) {
    switch (c) {
        case CloseCode::Normal:            return "normal";
        case CloseCode::LoggedInElsewhere: return "logged_in_elsewhere";
        case CloseCode::TokenInvalid:      return "token_invalid";
        case CloseCode::Disabled:          return "disabled";
        case CloseCode::Policy:            return "policy";
    }
    return "normal";
}

ChatType chat_type_from_wire(std::string_view s) { return s == "single" ? ChatType::Single : ChatType::Group; }

MessageType message_type_from_wire(std::string_view s) {
    if (s == "text") return MessageType::Text;
    if (s == "image") return MessageType::Image;
    if (s == "systemNotice") return MessageType::SystemNotice;
    return MessageType::Other;
}

std::optional<CloseCode> close_code_from_wire(int code) {
    for (CloseCode c : {CloseCode::Normal, CloseCode::LoggedInElsewhere, CloseCode::TokenInvalid,
                        CloseCode::Disabled, CloseCode::Policy})
        if (static_cast<int>(c) == code) return c;
    return std::nullopt;
}

}  // namespace imchat::protocol
