#include "core/message_store.hpp"
#include "core/seq.hpp"

#include <algorithm>

namespace imchat::core {

namespace {
const std::vector<Message> kEmpty;
uint64_t g_revisions = 0;   // shared, so a fresh store never repeats an old revision

// Confirmed messages (seq > 0) ascending by seq, then unconfirmed ones in send order.
void insert_ordered(std::vector<Message>& v, const Message& m) {
    if (m.seq <= 0) { v.push_back(m); return; }
    auto it = std::find_if(v.begin(), v.end(), [&](const Message& x) {
        return x.seq <= 0 || x.seq > m.seq;
    });
    v.insert(it, m);
}
}  // namespace

MessageStore::Upsert MessageStore::upsert(const ConversationKey& conv, const Message& m) {
    if (!sane_seq(m.seq)) return Upsert::Duplicate;   // not a seq a server makes: dropped
    revision_ = ++g_revisions;
    auto& v = convs_[conv];
    auto same = std::find_if(v.begin(), v.end(), [&](const Message& x) {
        if (m.id > 0 && x.id == m.id) return true;
        if (m.seq > 0 && x.seq == m.seq) return true;
        return !m.client_msg_id.empty() && x.client_msg_id == m.client_msg_id &&
               x.from_id == m.from_id;
    });
    if (same == v.end()) {
        insert_ordered(v, m);
        return Upsert::Inserted;
    }
    if (same->id > 0) {
        // Already confirmed: only flags a later copy may carry (recall) change.
        if (m.id == same->id && m.isremove != same->isremove) {
            same->isremove = m.isremove;
            same->data = m.data;
            return Upsert::Updated;
        }
        return Upsert::Duplicate;
    }
    if (m.id <= 0) {
        // Re-queued local copy of a still-unconfirmed send.
        same->status = m.status;
        if (m.status != SendStatus::Failed) errors_.erase(m.client_msg_id);
        return Upsert::Duplicate;
    }
    // The server's copy of a pending send: replace and move to its seq position.
    errors_.erase(same->client_msg_id);
    v.erase(same);
    Message confirmed = m;
    confirmed.status = SendStatus::Sent;
    insert_ordered(v, confirmed);
    return Upsert::Updated;
}

bool MessageStore::set_status(const std::string& client_msg_id, SendStatus s) {
    for (auto& [conv, v] : convs_) {
        for (auto& m : v) {
            if (m.id == 0 && m.client_msg_id == client_msg_id) {
                m.status = s;
                if (s != SendStatus::Failed) errors_.erase(client_msg_id);
                revision_ = ++g_revisions;
                return true;
            }
        }
    }
    return false;
}

bool MessageStore::fail(const std::string& client_msg_id, SendError e) {
    if (!set_status(client_msg_id, SendStatus::Failed)) return false;
    errors_[client_msg_id] = std::move(e);
    return true;
}

bool MessageStore::set_content(const std::string& client_msg_id, const std::string& type, const std::string& data,
                               const std::string& options) {
    for (auto& [conv, v] : convs_)
        for (auto& m : v)
            if (m.id == 0 && m.client_msg_id == client_msg_id) {
                m.type = type;
                m.data = data;
                m.options = options;
                revision_ = ++g_revisions;
                return true;
            }
    return false;
}

bool MessageStore::remove_unsent(const std::string& client_msg_id) {
    for (auto& [conv, v] : convs_) {
        auto it = std::find_if(v.begin(), v.end(), [&](const Message& m) { return m.id == 0 && m.client_msg_id == client_msg_id; });
        if (it == v.end()) continue;
        v.erase(it);
        errors_.erase(client_msg_id);
        revision_ = ++g_revisions;
        return true;
    }
    return false;
}

const SendError* MessageStore::error(const std::string& client_msg_id) const {
    auto it = errors_.find(client_msg_id);
    return it == errors_.end() ? nullptr : &it->second;
}

std::vector<const Message*> MessageStore::retryable() const {
    std::vector<const Message*> out;
    for (const Message* m : unsent())
        if (const SendError* e = error(m->client_msg_id); !e || e->retry) out.push_back(m);
    return out;
}

const std::vector<Message>& MessageStore::messages(const ConversationKey& conv) const {
    auto it = convs_.find(conv);
    return it == convs_.end() ? kEmpty : it->second;
}

int64_t MessageStore::last_seq(const ConversationKey& conv) const {
    int64_t best = 0;
    for (const auto& m : messages(conv)) best = std::max(best, m.seq);
    return best;
}

std::vector<const Message*> MessageStore::unsent() const {
    std::vector<const Message*> out;
    for (const auto& [conv, v] : convs_)
        for (const auto& m : v)
            if (m.id == 0) out.push_back(&m);
    std::stable_sort(out.begin(), out.end(), [](const Message* a, const Message* b) {
        return a->create_time < b->create_time;
    });
    return out;
}

}  // namespace imchat::core
