// imchat::core message store: the client's messages per conversation, ordered
// by the server's `seq`, with pending sends after them. Dedups live echoes,
// retried sends and re-fetched ranges (by id, by client_msg_id, by seq).
#pragma once
#include <map>
#include <vector>

#include "protocol/message.hpp"

namespace imchat::core {

// The wire types the core works with (the UI names them through imchat::core).
using protocol::ConversationKey;
using protocol::Json;
using protocol::Message;
using protocol::SendStatus;

class MessageStore {
public:
    enum class Upsert { Inserted, Updated, Duplicate };

    Upsert upsert(const ConversationKey& conv, const Message& m);
    // Marks a pending send failed (timeout or error); returns false if unknown.
    bool   set_status(const std::string& client_msg_id, SendStatus s);

    const std::vector<Message>& messages(const ConversationKey& conv) const;
    int64_t last_seq(const ConversationKey& conv) const;        // highest seq held, 0 if none
    std::vector<const Message*> unsent() const;                 // pending or failed, oldest first
    const std::map<ConversationKey, std::vector<Message>>& all() const { return convs_; }
    uint64_t revision() const { return revision_; }   // changes with every change (UI layout caches)

private:
    std::map<ConversationKey, std::vector<Message>> convs_;
    uint64_t revision_ = 0;
};

}  // namespace imchat::core
