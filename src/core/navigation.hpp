// imchat::core navigation: which screen shows, the conversation list and
// which conversation is open. Reset (re-constructed) when the identity changes.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "core/avatar.hpp"
#include "protocol/message.hpp"

namespace imchat::core {

using protocol::ConversationKey;

enum class Screen { Loading, Join, Chat, List, NotFound, Login, GroupInfo, Settings, Invite };
const char* to_string(Screen s);

// The conversation's latest message as the list shows it (conversationList `last`).
struct LastMessage {
    int64_t     seq = 0;
    std::string from_name;
    std::string type;                    // the message type: text, image, systemNotice, ...
    std::string text;                    // short preview ("[图片]" for an image, ...)
    int64_t     time = 0;                // ms
};

struct Conversation {
    ConversationKey key;
    std::string     title;
    int             unread = 0;
    int             member_count = 0;
    int             status = 1;          // group: 1 normal, 0 dissolved (read-only)
    int             my_status = 1;       // group: 1 member, 2 request pending, 0 muted, -1 removed
    int64_t         owner_id = 0;
    std::optional<LastMessage> last;     // none before the first message
    int64_t         update_time = 0;     // last activity (ms): orders the list
    int64_t         read_seq = 0;        // the server's read cursor as we last knew it
    int64_t         read_asked = 0;      // the seq of the last conversationRead we sent
    int             pending_count = 0;   // group owners: join requests waiting
    std::string     avatar;              // the peer's (single) or the group's image URL, "" if none
    std::vector<Face> faces;             // group: up to 9 members we know (its avatar grid)
};

// What a message tells about its conversation's avatars: a group remembers its sender's
// face; a single chat takes the peer's avatar URL. `me`: our user id.
void note_sender(Conversation& c, const protocol::Message& m, int64_t me);

// The list preview of a message: the text cut to 60 code points, "[图片]" for an
// image (likewise audio, video, file), "[消息已撤回]" when recalled (the server's rule).
LastMessage last_of(const protocol::Message& m);

struct Navigation {
    std::vector<Conversation>      convs;
    std::optional<ConversationKey> open;

    Conversation&       conversation(const ConversationKey& k);         // created empty if new
    const Conversation* find(const ConversationKey& k) const;           // nullptr if unknown
    bool                is_open(const ConversationKey& k) const { return open && *open == k; }
    void                remove(const ConversationKey& k);
    // Newest activity first (stable: equal times keep their order); conversations
    // with no known activity go last.
    void                sort_by_activity();
};

}  // namespace imchat::core
