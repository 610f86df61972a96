// imchat::core message store: the client's messages per conversation, ordered
// by the server's `seq`, with pending sends after them. Dedups live echoes,
// retried sends and re-fetched ranges (by id, by client_msg_id, by seq).
#pragma once
#include <map>
#include <string>
#include <vector>

#include "protocol/message.hpp"

namespace imchat::core {

// Why a send failed, kept per pending message (by client_msg_id) while it is unsent.
struct SendError {
    std::string reason;          // the server's `data` text, or ours for a network error / timeout
    bool        retry = true;    // a retry can succeed (network, timeout, 5xx, 429); false: a refusal
};

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
    // Marks a pending send failed with its reason; a refusal (retry false) is not resent.
    bool   fail(const std::string& client_msg_id, SendError e);
    const SendError* error(const std::string& client_msg_id) const;   // nullptr when none
    // An unsent message's content, once its upload answered (issue 13); false if unknown.
    bool   set_content(const std::string& client_msg_id, const std::string& type, const std::string& data,
                       const std::string& options);
    bool   remove_unsent(const std::string& client_msg_id);             // a cancelled upload

    const std::vector<Message>& messages(const ConversationKey& conv) const;
    int64_t last_seq(const ConversationKey& conv) const;        // highest seq held, 0 if none
    std::vector<const Message*> unsent() const;                 // pending or failed, oldest first
    std::vector<const Message*> retryable() const;              // unsent() minus refusals
    const std::map<ConversationKey, std::vector<Message>>& all() const { return convs_; }
    uint64_t revision() const { return revision_; }   // changes with every change (UI layout caches)

private:
    std::map<ConversationKey, std::vector<Message>> convs_;
    std::map<std::string, SendError> errors_;   // client_msg_id -> why it failed (Failed ones only)
    uint64_t revision_ = 0;
};

}  // namespace imchat::core
