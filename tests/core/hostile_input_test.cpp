// A hostile server's messages (issue 14, tests/browser/hostile.test.mjs end to end): a seq no
// server makes is dropped, so it cannot sort after everything and stop later gap fetches.
#include "core/seq.hpp"
#include "session_harness.hpp"

namespace {
Json frame_with_seq(int64_t id, int64_t seq, const std::string& text) {
    Json f = Harness::chat_frame(id, 1, 20, text);
    f["data"]["seq"] = seq;
    return f;
}
}  // namespace

TEST(HostileInput, AbsurdSeqsAreDroppedAndGapFetchesKeepWorking) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SocketMessage{frame_with_seq(1, 1, "one").dump()});
    h.feed(ev::SocketMessage{frame_with_seq(2, INT64_MAX, "max").dump()});
    EXPECT_TRUE(h.all<act::Http>().empty()) << "no gap fetch for a seq no server makes";
    h.feed(ev::SocketMessage{frame_with_seq(3, -5, "negative").dump()});
    h.feed(ev::SocketMessage{frame_with_seq(4, (int64_t{1} << 53), "2^53").dump()});
    ASSERT_EQ(h.s.open_messages().size(), 1u);
    EXPECT_EQ(h.s.open_messages()[0].data, "one");
    // A real gap after them is still fetched, and the message shows.
    h.feed(ev::SocketMessage{frame_with_seq(5, 3, "three").dump()});
    EXPECT_NE(h.http_to("/api/chat/history/group/3").url.find("after_seq=1"), std::string::npos);
    EXPECT_EQ(h.s.open_messages().back().data, "three");
}

TEST(HostileInput, AbsurdSeqsInAHistoryPageAreDropped) {
    MessageStore store;
    const ConversationKey k{"group", 3};
    Message m;
    m.id = 9;
    m.seq = INT64_MAX;
    EXPECT_EQ(store.upsert(k, m), MessageStore::Upsert::Duplicate);
    m.seq = -1;
    EXPECT_EQ(store.upsert(k, m), MessageStore::Upsert::Duplicate);
    m.seq = kMaxSeq;
    EXPECT_EQ(store.upsert(k, m), MessageStore::Upsert::Inserted);
    EXPECT_EQ(store.last_seq(k), kMaxSeq);
}
