// imchat::core delivery state: the messages held, the outbox (pending and
// failed sends live in the store), send timeouts, and how far history is paged.
// Reset (re-constructed) when the identity changes.
#pragma once
#include <cstdint>
#include <map>
#include <set>
#include <string>

#include "core/message_store.hpp"
#include "core/uploads.hpp"

namespace imchat::core {

struct Delivery {
    MessageStore                   store;
    std::set<ConversationKey>      history_loaded;   // latest page fetched once
    std::set<ConversationKey>      reached_start;    // no earlier messages exist
    std::map<std::string, int64_t> send_deadlines;   // client_msg_id -> when it shows failed
    // Sends wait here while an earlier send of their conversation is in flight: one
    // send per conversation at a time, so the server assigns seqs in the order typed
    // (parallel fetches may arrive in any order).
    std::set<std::string>          queued;           // client_msg_ids
    MediaUploads                   uploads;          // files and videos not yet uploaded (issue 13)

    int64_t next_send_deadline() const;              // kNever-like INT64_MAX when none
};

// The message cache written for the next page load (not per identity: the
// cache carries its user id).
struct CacheState {
    bool    dirty = false;
    int64_t allowed_at = 0;      // at most one write per Timing::cache_interval_ms
};

}  // namespace imchat::core
