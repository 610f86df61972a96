#include <gtest/gtest.h>

#include "core/message_store.hpp"

using namespace imchat::core;

namespace {
const ConversationKey G{"group", 1};
Message msg(int64_t id, int64_t seq, std::string cmid = "", int64_t from = 2) {
    Message m; m.id = id; m.seq = seq; m.client_msg_id = std::move(cmid); m.from_id = from; m.to_id = 1;
    m.data = "m" + std::to_string(seq);
    return m;
}
std::vector<int64_t> seqs(const MessageStore& s) {
    std::vector<int64_t> v;
    for (auto& m : s.messages(G)) v.push_back(m.seq);
    return v;
}
}  // namespace

TEST(MessageStore, OrdersBySeqWhateverTheArrivalOrder) {
    MessageStore s;
    s.upsert(G, msg(13, 3));
    s.upsert(G, msg(11, 1));
    s.upsert(G, msg(12, 2));
    EXPECT_EQ(seqs(s), (std::vector<int64_t>{1, 2, 3}));
    EXPECT_EQ(s.last_seq(G), 3);
}

TEST(MessageStore, DedupsById) {
    MessageStore s;
    EXPECT_EQ(s.upsert(G, msg(11, 1)), MessageStore::Upsert::Inserted);
    EXPECT_EQ(s.upsert(G, msg(11, 1)), MessageStore::Upsert::Duplicate);
    EXPECT_EQ(s.messages(G).size(), 1u);
}

TEST(MessageStore, ServerCopyReplacesPendingSend) {
    MessageStore s;
    s.upsert(G, msg(11, 1));
    Message pending = msg(0, 0, "c1", 5);
    pending.status = SendStatus::Pending;
    s.upsert(G, pending);
    s.upsert(G, msg(12, 2));    // someone else's message arrives before our ack
    EXPECT_EQ(seqs(s), (std::vector<int64_t>{1, 2, 0}));
    EXPECT_EQ(s.upsert(G, msg(13, 3, "c1", 5)), MessageStore::Upsert::Updated);
    EXPECT_EQ(seqs(s), (std::vector<int64_t>{1, 2, 3}));
    EXPECT_EQ(s.messages(G).back().status, SendStatus::Sent);
    EXPECT_TRUE(s.unsent().empty());
    // The same ack again (echo, retry): nothing changes.
    EXPECT_EQ(s.upsert(G, msg(13, 3, "c1", 5)), MessageStore::Upsert::Duplicate);
    EXPECT_EQ(s.messages(G).size(), 3u);
}

TEST(MessageStore, SetStatusMarksOnlyUnconfirmed) {
    MessageStore s;
    Message p = msg(0, 0, "c9", 5);
    p.status = SendStatus::Pending;
    s.upsert(G, p);
    EXPECT_TRUE(s.set_status("c9", SendStatus::Failed));
    EXPECT_EQ(s.messages(G)[0].status, SendStatus::Failed);
    EXPECT_FALSE(s.set_status("nope", SendStatus::Failed));
    EXPECT_EQ(s.unsent().size(), 1u);
}
