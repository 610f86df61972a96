// imchat::core navigation: which screen shows, the conversation list and
// which conversation is open. Reset (re-constructed) when the identity changes.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "protocol/message.hpp"

namespace imchat::core {

using protocol::ConversationKey;

enum class Screen { Loading, Join, Chat, List, NotFound, Login, GroupInfo, Settings, Invite };
const char* to_string(Screen s);

struct Conversation {
    ConversationKey key;
    std::string     title;
    int             unread = 0;
    int             member_count = 0;
    int             status = 1;          // group: 1 normal, 0 dissolved (read-only)
    int             my_status = 1;       // group: 1 member, 2 request pending, 0 muted, -1 removed
    int64_t         owner_id = 0;
};

struct Navigation {
    std::vector<Conversation>      convs;
    std::optional<ConversationKey> open;

    Conversation&       conversation(const ConversationKey& k);         // created empty if new
    const Conversation* find(const ConversationKey& k) const;           // nullptr if unknown
    bool                is_open(const ConversationKey& k) const { return open && *open == k; }
    void                remove(const ConversationKey& k);
};

}  // namespace imchat::core
