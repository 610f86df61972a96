// Behaviour every Store implementation keeps (see store.hpp). Add a factory
// to kStores for each new implementation. PostgreSQL runs when IMCHAT_TEST_PG names a
// reachable database (tests/lib/pg-test-db.sh -- ...), else its cases skip and say why.
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <unistd.h>

#include <SQLiteCpp/SQLiteCpp.h>

#include "server/store/store.hpp"
#include "pg_test_db.hpp"

using namespace imchat::server;
using imchat::protocol::Message;

namespace {
struct StoreFactory {
    std::string name;
    std::function<std::unique_ptr<Store>()> make;
};

// PostgreSQL: a fresh schema per store; nullptr (the test skips, saying why) when no database
// is reachable (IMCHAT_TEST_PG, see pg_test_db.hpp) or the build has no PostgreSQL store.
std::unique_ptr<Store> make_pg_for_test() {
    if (!imchat::test::pg_skip_reason().empty()) return nullptr;
#ifdef IMCHAT_HAVE_POSTGRES
    return make_postgres_store(imchat::test::pg_fresh_schema_conninfo("conf"));
#else
    return nullptr;
#endif
}

const StoreFactory kStores[] = {
    {"sqlite_memory", [] { return make_sqlite_store(":memory:"); }},
    {"sqlite_file", [] {
         static int n = 0;
         auto p = std::filesystem::temp_directory_path() /
                  ("imchat_store_test_" + std::to_string(::getpid()) + "_" + std::to_string(++n) + ".db");
         std::filesystem::remove(p);
         return make_sqlite_store(p.string());
     }},
    {"postgres", make_pg_for_test},
};

class StoreConformance : public ::testing::TestWithParam<StoreFactory> {
protected:
    std::unique_ptr<Store> s = GetParam().make();
    void SetUp() override {
        if (!s) GTEST_SKIP() << imchat::test::pg_skip_reason();
    }
    Message text(int64_t from, int64_t gid, const std::string& data, const std::string& cmid = "") {
        Message m; m.from_id = from; m.to_id = gid; m.chat_type = "group"; m.data = data; m.client_msg_id = cmid;
        m.create_time = 1;
        return m;
    }
};
}  // namespace

TEST_P(StoreConformance, VisitorForDeviceIsStable) {
    const std::string dev = "abcdefgh-0000-4000-8000-000000000001";
    UserRow a = s->visitor_for_device(dev, 1);
    UserRow b = s->visitor_for_device(dev, 2);
    EXPECT_EQ(a.id, b.id);
    EXPECT_EQ(a.role, "visitor");
    EXPECT_EQ(a.username, "VISabcdefgh");
    UserRow c = s->visitor_for_device("abcdefgh-0000-4000-8000-000000000002", 3);
    EXPECT_NE(c.id, a.id);
    EXPECT_NE(c.username, a.username) << "usernames stay unique when device prefixes clash";
}

TEST_P(StoreConformance, TokenHashLookupAndReplacement) {
    UserRow u = s->visitor_for_device("dev00000-0000-4000-8000-000000000001", 1);
    EXPECT_FALSE(s->user_by_token_hash("h1"));
    s->set_token_hash(u.id, "h1");
    EXPECT_EQ(s->user_by_token_hash("h1")->id, u.id);
    s->set_token_hash(u.id, "h2");
    EXPECT_FALSE(s->user_by_token_hash("h1")) << "a new token replaces the old one";
    EXPECT_EQ(s->user_by_token_hash("h2")->id, u.id);
    EXPECT_FALSE(s->user_by_token_hash(""));
}

TEST_P(StoreConformance, Credentials) {
    EXPECT_FALSE(s->credentials("alice"));
    UserRow u = s->create_user("alice", "", "user", 1);
    EXPECT_EQ(s->credentials("alice")->second, "");
    s->set_password_hash(u.id, "$argon2id$x");
    auto c = s->credentials("alice");
    ASSERT_TRUE(c);
    EXPECT_EQ(c->first.id, u.id);
    EXPECT_EQ(c->second, "$argon2id$x");
    EXPECT_THROW(s->create_user("alice", "", "user", 2), std::exception) << "usernames are unique";
}

TEST_P(StoreConformance, GroupsAndMembers) {
    UserRow owner = s->create_user("owner", "Owner", "user", 1);
    UserRow guest = s->visitor_for_device("dev00000-0000-4000-8000-000000000002", 1);
    GroupRow g = s->create_group(owner.id, "群", 0, 5);
    EXPECT_EQ(s->group_by_id(g.id)->name, "群");
    EXPECT_EQ(s->group_count(), 1);
    EXPECT_TRUE(s->member(g.id, owner.id));
    EXPECT_FALSE(s->member(g.id, guest.id));
    EXPECT_TRUE(s->add_member(g.id, guest.id, 1, 6));
    EXPECT_FALSE(s->add_member(g.id, guest.id, 1, 7)) << "adding twice is a no-op";
    auto ms = s->members(g.id);
    ASSERT_EQ(ms.size(), 2u);
    EXPECT_EQ(ms[1].user.username, guest.username);
    EXPECT_EQ(s->groups_of_user(guest.id, 0, 10).size(), 1u);
    EXPECT_TRUE(s->groups_of_user(guest.id, 1, 10).empty());
    EXPECT_FALSE(s->group_by_id(999));
}

TEST_P(StoreConformance, AppendAssignsGaplessSeqPerConversation) {
    for (int i = 0; i < 5; ++i) {
        auto r = s->append_message("group:1", text(1, 1, "a" + std::to_string(i)));
        EXPECT_TRUE(r.created);
        EXPECT_EQ(r.message.seq, i + 1);
        EXPECT_GT(r.message.id, 0);
    }
    EXPECT_EQ(s->append_message("group:2", text(1, 2, "other")).message.seq, 1);
    auto all = s->messages_after("group:1", 0, 100);
    ASSERT_EQ(all.size(), 5u);
    EXPECT_EQ(all[4].data, "a4");
    auto after = s->messages_after("group:1", 3, 100);
    ASSERT_EQ(after.size(), 2u);
    EXPECT_EQ(after[0].seq, 4);
    auto latest = s->messages_latest("group:1", 2);
    ASSERT_EQ(latest.size(), 2u);
    EXPECT_EQ(latest[0].seq, 4);
    EXPECT_EQ(latest[1].seq, 5);
    EXPECT_EQ(s->messages_after("group:1", 0, 2).size(), 2u);
}

TEST_P(StoreConformance, ClientMsgIdIsIdempotentPerSender) {
    auto a = s->append_message("group:1", text(1, 1, "hello", "c1"));
    auto b = s->append_message("group:1", text(1, 1, "hello again", "c1"));
    EXPECT_TRUE(a.created);
    EXPECT_FALSE(b.created);
    EXPECT_EQ(b.message.id, a.message.id);
    EXPECT_EQ(b.message.data, "hello");
    auto c = s->append_message("group:1", text(2, 1, "same id, other sender", "c1"));
    EXPECT_TRUE(c.created);
    EXPECT_EQ(c.message.seq, 2) << "the duplicate consumed no seq";
    EXPECT_EQ(s->messages_after("group:1", 0, 10).size(), 2u);
}

TEST_P(StoreConformance, MessageFieldsRoundTrip) {
    Message m = text(3, 1, "你好 👋", "k");
    m.from_name = "VISx"; m.to_name = "群"; m.options = "%7B%7D"; m.type = "text"; m.create_time = 1234;
    auto r = s->append_message("group:1", m);
    auto back = s->messages_after("group:1", 0, 1).at(0);
    EXPECT_EQ(back.data, "你好 👋");
    EXPECT_EQ(back.from_name, "VISx");
    EXPECT_EQ(back.to_name, "群");
    EXPECT_EQ(back.options, "%7B%7D");
    EXPECT_EQ(back.create_time, 1234);
    EXPECT_EQ(back.client_msg_id, "k");
    EXPECT_EQ(back.id, r.message.id);
}

TEST_P(StoreConformance, MessagesBeforeAndLastSeq) {
    EXPECT_EQ(s->last_seq("group:1"), 0);
    for (int i = 0; i < 6; ++i) s->append_message("group:1", text(1, 1, "m" + std::to_string(i + 1)));
    EXPECT_EQ(s->last_seq("group:1"), 6);
    auto before = s->messages_before("group:1", 5, 2);
    ASSERT_EQ(before.size(), 2u);
    EXPECT_EQ(before[0].seq, 3);
    EXPECT_EQ(before[1].seq, 4);
    EXPECT_TRUE(s->messages_before("group:1", 1, 10).empty());
}

TEST_P(StoreConformance, AckCursorsOnlyMoveForward) {
    EXPECT_EQ(s->ack_cursor(7, "group:1"), 0);
    s->advance_ack_cursor(7, "group:1", 5);
    s->advance_ack_cursor(7, "group:1", 3);
    EXPECT_EQ(s->ack_cursor(7, "group:1"), 5);
    EXPECT_EQ(s->ack_cursor(8, "group:1"), 0);
    EXPECT_EQ(s->ack_cursor(7, "group:2"), 0);
}

TEST_P(StoreConformance, UpgradeVisitorKeepsTheId) {
    UserRow g = s->visitor_for_device("dev00000-0000-4000-8000-000000000009", 1);
    s->create_user("taken", "", "user", 1);
    EXPECT_FALSE(s->upgrade_visitor(g.id, "taken", "h")) << "username in use";
    EXPECT_TRUE(s->upgrade_visitor(g.id, "carol", "h"));
    auto u = s->user_by_id(g.id);
    EXPECT_EQ(u->role, "user");
    EXPECT_EQ(u->username, "carol");
    EXPECT_FALSE(s->upgrade_visitor(g.id, "carol2", "h")) << "only guests upgrade";
    EXPECT_NE(s->visitor_for_device("dev00000-0000-4000-8000-000000000009", 2).id, g.id)
        << "the device gets a new guest afterwards";
}

TEST_P(StoreConformance, UserSettings) {
    UserRow u = s->create_user("dave", "", "user", 1);
    EXPECT_EQ(s->userset(u.id), "");
    s->set_userset(u.id, R"({"chatset":{}})");
    EXPECT_EQ(s->userset(u.id), R"({"chatset":{}})");
    s->set_nickname(u.id, "大卫");
    EXPECT_EQ(s->user_by_id(u.id)->nickname, "大卫");
}

TEST_P(StoreConformance, GroupUpdatesAndMembership) {
    UserRow o = s->create_user("owner", "", "user", 1);
    UserRow m = s->create_user("member", "", "user", 1);
    GroupRow g = s->create_group(o.id, "g", 0, 1);
    g.name = "renamed"; g.remark = "公告"; g.invite_confirm = 2; g.status = 0;
    s->update_group(g);
    auto back = s->group_by_id(g.id);
    EXPECT_EQ(back->name, "renamed");
    EXPECT_EQ(back->remark, "公告");
    EXPECT_EQ(back->invite_confirm, 2);
    EXPECT_EQ(back->status, 0);
    s->add_member(g.id, m.id, 2, 2);
    EXPECT_EQ(s->member(g.id, m.id)->status, 2);
    s->set_member_status(g.id, m.id, 0);
    s->set_member_nickname(g.id, m.id, "小明");
    EXPECT_EQ(s->member(g.id, m.id)->status, 0);
    EXPECT_EQ(s->member(g.id, m.id)->nickname, "小明");
    s->remove_member(g.id, m.id);
    EXPECT_FALSE(s->member(g.id, m.id));
}

TEST_P(StoreConformance, CopyMembershipsSkipsPendingAndExisting) {
    UserRow o = s->create_user("owner", "", "user", 1);
    UserRow guest = s->visitor_for_device("dev00000-0000-4000-8000-00000000000a", 1);
    UserRow user = s->create_user("erin", "", "user", 1);
    GroupRow g1 = s->create_group(o.id, "g1", 0, 1);
    GroupRow g2 = s->create_group(o.id, "g2", 0, 1);
    GroupRow g3 = s->create_group(o.id, "g3", 1, 1);
    s->add_member(g1.id, guest.id, 1, 2);
    s->add_member(g2.id, guest.id, 1, 2);
    s->add_member(g2.id, user.id, 1, 2);
    s->add_member(g3.id, guest.id, 2, 2);   // pending: not carried over
    EXPECT_EQ(s->copy_memberships(guest.id, user.id, 3), (std::vector<int64_t>{g1.id}));
    EXPECT_TRUE(s->member(g1.id, user.id));
    EXPECT_FALSE(s->member(g3.id, user.id));
}

TEST_P(StoreConformance, RecallAndCounts) {
    auto a = s->append_message("single:1:2", text(1, 2, "secret"));
    s->append_message("single:1:2", text(1, 2, "again"));
    s->append_message("single:1:2", text(2, 1, "reply"));
    EXPECT_EQ(s->count_from("single:1:2", 1), 2);
    EXPECT_EQ(s->count_from("single:1:2", 3), 0);
    s->mark_removed(a.message.id);
    auto m = s->message_by_id(a.message.id);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->isremove, 1);
    EXPECT_EQ(m->data, "") << "recalled text is not kept";
    EXPECT_FALSE(s->message_by_id(999999));
    auto k = s->append_message("single:1:2", text(1, 2, "keyed", "ck"));
    EXPECT_EQ(s->message_by_client_id(1, "ck")->id, k.message.id);
    EXPECT_FALSE(s->message_by_client_id(2, "ck"));
}

TEST_P(StoreConformance, InviteCodesAndContacts) {
    UserRow a = s->create_user("alice", "", "user", 1);
    UserRow b = s->visitor_for_device("dev00000-0000-4000-8000-00000000000b", 1);
    const std::string code = s->invite_code(a.id);
    EXPECT_GE(code.size(), 16u);
    EXPECT_EQ(s->invite_code(a.id), code) << "stable";
    EXPECT_NE(s->invite_code(b.id), code);
    EXPECT_EQ(s->user_by_invite_code(code)->id, a.id);
    EXPECT_FALSE(s->user_by_invite_code("nope"));
    EXPECT_FALSE(s->are_contacts(a.id, b.id));
    s->add_contact(b.id, a.id, 2);
    s->add_contact(b.id, a.id, 3);
    EXPECT_TRUE(s->are_contacts(a.id, b.id));
    EXPECT_TRUE(s->are_contacts(b.id, a.id));
}

// ---- Per user and conversation state (issue 9) ----------------------------------------

namespace {
Message single(int64_t from, int64_t to, const std::string& data, int64_t time = 1) {
    Message m; m.from_id = from; m.to_id = to; m.chat_type = "single"; m.type = "text"; m.data = data;
    m.create_time = time;
    return m;
}
std::vector<int64_t> seqs(const std::vector<Message>& ms) {
    std::vector<int64_t> out;
    for (const auto& m : ms) out.push_back(m.seq);
    return out;
}
}  // namespace

TEST_P(StoreConformance, JoinedSeqIsTheLastSeqWhenAMemberJoinsOrIsApproved) {
    UserRow o = s->create_user("owner", "", "user", 1);
    UserRow m = s->create_user("member", "", "user", 1);
    UserRow p = s->create_user("pending", "", "user", 1);
    GroupRow g = s->create_group(o.id, "g", 1, 1);
    const std::string conv = conv_key("group", g.id);
    EXPECT_EQ(s->joined_seq(o.id, conv), 0);
    for (int i = 0; i < 3; ++i) s->append_message(conv, text(o.id, g.id, "before"));
    s->add_member(g.id, m.id, 1, 2);
    EXPECT_EQ(s->joined_seq(m.id, conv), 3);
    s->add_member(g.id, p.id, 2, 2);
    s->append_message(conv, text(o.id, g.id, "while pending"));
    EXPECT_TRUE(s->take_undelivered(p.id, 100, 200).empty()) << "a pending request gets nothing";
    s->set_member_status(g.id, p.id, 1);
    EXPECT_EQ(s->joined_seq(p.id, conv), 4) << "approval is when the request becomes a member";
    s->set_member_status(g.id, p.id, 0);   // muted later: joined_seq stays
    EXPECT_EQ(s->joined_seq(p.id, conv), 4);
    EXPECT_EQ(seqs(s->take_undelivered(m.id, 100, 200)), (std::vector<int64_t>{4}));
}

TEST_P(StoreConformance, TakeUndeliveredIsOncePagedAndSkipsOwnMessages) {
    UserRow o = s->create_user("owner", "", "user", 1);
    UserRow m = s->create_user("member", "", "user", 1);
    GroupRow g1 = s->create_group(o.id, "g1", 0, 1);
    GroupRow g2 = s->create_group(o.id, "g2", 0, 1);
    s->add_member(g1.id, m.id, 1, 1);
    s->add_member(g2.id, m.id, 1, 1);
    const std::string c1 = conv_key("group", g1.id), c2 = conv_key("group", g2.id);
    for (int i = 0; i < 5; ++i) s->append_message(c1, text(o.id, g1.id, "x"));
    s->append_message(c1, text(m.id, g1.id, "mine"));   // seq 6: never delivered to its sender
    s->append_message(c1, text(o.id, g1.id, "x"));      // seq 7
    for (int i = 0; i < 3; ++i) s->append_message(c2, text(o.id, g2.id, "y"));
    auto page1 = s->take_undelivered(m.id, 2, 3);
    ASSERT_EQ(page1.size(), 3u) << "at most `total`";
    EXPECT_EQ(seqs(page1), (std::vector<int64_t>{1, 2, 1})) << "at most `per_conv`, seq order per conversation";
    EXPECT_EQ(page1[2].to_id, g2.id);
    EXPECT_EQ(s->delivered_cursor(m.id, c1), 2);
    auto page2 = s->take_undelivered(m.id, 2, 3);
    EXPECT_EQ(seqs(page2), (std::vector<int64_t>{3, 4, 2}));
    auto page3 = s->take_undelivered(m.id, 2, 3);
    EXPECT_EQ(seqs(page3), (std::vector<int64_t>{5, 7, 3})) << "own seq 6 skipped";
    EXPECT_TRUE(s->take_undelivered(m.id, 2, 3).empty());
    EXPECT_EQ(seqs(s->take_undelivered(o.id, 2, 3)), (std::vector<int64_t>{6})) << "the owner: only the member's";
    EXPECT_FALSE(s->advance_delivered_cursor(m.id, c1, 3)) << "a late socket write never moves it back";
    EXPECT_EQ(s->delivered_cursor(m.id, c1), 7);
    // A written message moves the cursor only if nothing before it is still undelivered.
    for (int i = 0; i < 3; ++i) s->append_message(c1, text(o.id, g1.id, "z"));   // seq 8, 9, 10
    EXPECT_FALSE(s->advance_delivered_cursor(m.id, c1, 9)) << "seq 8 is still missing";
    EXPECT_EQ(s->delivered_cursor(m.id, c1), 7);
    EXPECT_TRUE(s->advance_delivered_cursor(m.id, c1, 8));
    EXPECT_TRUE(s->advance_delivered_cursor(m.id, c1, 9));
    s->append_message(c1, text(m.id, g1.id, "mine"));                                // seq 11
    s->append_message(c1, text(o.id, g1.id, "z"));                                   // seq 12
    EXPECT_FALSE(s->advance_delivered_cursor(m.id, c1, 12)) << "seq 10 is missing";
    EXPECT_TRUE(s->advance_delivered_cursor(m.id, c1, 10));
    EXPECT_TRUE(s->advance_delivered_cursor(m.id, c1, 12)) << "the user's own seq 11 is no gap";
    EXPECT_TRUE(s->take_undelivered(m.id, 100, 200).empty());
    // Ack mode moves nothing and starts at joined_seq too.
    EXPECT_EQ(s->unacked(m.id, 100, 500).size(), 13u);
    EXPECT_EQ(s->unacked(m.id, 100, 500).size(), 13u);
    s->advance_ack_cursor(m.id, c1, 12);
    EXPECT_EQ(seqs(s->unacked(m.id, 100, 500)), (std::vector<int64_t>{1, 2, 3}));
}

TEST_P(StoreConformance, SingleConversationsExistForBothUsersFromTheFirstMessage) {
    UserRow a = s->create_user("alice", "", "user", 1);
    UserRow b = s->create_user("bob", "", "user", 1);
    const std::string conv = conv_key("single", a.id, b.id);
    EXPECT_FALSE(s->in_conversation(a.id, conv));
    EXPECT_TRUE(s->conversations_of_user(b.id).empty());
    s->append_message(conv, single(a.id, b.id, "hi", 10));
    s->append_message(conv, single(a.id, b.id, "there", 11));
    EXPECT_TRUE(s->in_conversation(a.id, conv));
    EXPECT_TRUE(s->in_conversation(b.id, conv));
    auto lb = s->conversations_of_user(b.id);
    ASSERT_EQ(lb.size(), 1u);
    EXPECT_EQ(lb[0].chat_type, "single");
    EXPECT_EQ(lb[0].id, a.id) << "the peer";
    EXPECT_EQ(lb[0].unread, 2);
    EXPECT_EQ(lb[0].last->data, "there");
    EXPECT_EQ(lb[0].update_time, 11);
    EXPECT_EQ(s->conversations_of_user(a.id)[0].unread, 0) << "own messages are not unread";
    EXPECT_EQ(seqs(s->take_undelivered(b.id, 100, 200)), (std::vector<int64_t>{1, 2}));
    EXPECT_TRUE(s->take_undelivered(b.id, 100, 200).empty());
}

TEST_P(StoreConformance, ReadCursorHideAndOrder) {
    UserRow a = s->create_user("alice", "", "user", 1);
    UserRow b = s->create_user("bob", "", "user", 1);
    GroupRow g = s->create_group(a.id, "g", 0, 5);
    s->add_member(g.id, b.id, 1, 6);
    const std::string gc = conv_key("group", g.id), sc = conv_key("single", a.id, b.id);
    s->append_message(sc, single(a.id, b.id, "1:1", 20));
    for (int i = 0; i < 3; ++i) { auto m = text(a.id, g.id, "g"); m.create_time = 30 + i; s->append_message(gc, m); }
    auto l = s->conversations_of_user(b.id);
    ASSERT_EQ(l.size(), 2u);
    EXPECT_EQ(l[0].conv, gc) << "newest activity first";
    EXPECT_EQ(l[0].unread, 3);
    EXPECT_EQ(s->advance_read_cursor(b.id, gc, 2), 2);
    EXPECT_EQ(s->unread_count(b.id, gc), 1);
    EXPECT_EQ(s->advance_read_cursor(b.id, gc, 1), 2) << "only forward";
    EXPECT_EQ(s->advance_read_cursor(b.id, gc, 99), 3) << "never past the last seq";
    EXPECT_EQ(s->unread_count(b.id, gc), 0);
    s->append_message(sc, single(a.id, b.id, "newer", 40));
    EXPECT_EQ(s->conversations_of_user(b.id)[0].conv, sc) << "a new message moves it up";
    s->hide_conversation(b.id, sc);
    l = s->conversations_of_user(b.id);
    ASSERT_EQ(l.size(), 1u);
    EXPECT_EQ(l[0].conv, gc);
    EXPECT_EQ(s->conversations_of_user(a.id).size(), 2u) << "hidden for b only";
    s->append_message(sc, single(a.id, b.id, "back", 50));
    l = s->conversations_of_user(b.id);
    ASSERT_EQ(l.size(), 2u);
    EXPECT_EQ(l[0].conv, sc) << "listed again on a new message";
    EXPECT_EQ(l[0].unread, 3);
    // A group with no message yet: listed at its join time; a pending request is listed too.
    GroupRow empty = s->create_group(a.id, "empty", 1, 60);
    UserRow c = s->create_user("carol", "", "user", 1);
    s->add_member(empty.id, c.id, 2, 70);
    l = s->conversations_of_user(a.id);
    EXPECT_EQ(l[0].conv, conv_key("group", empty.id));
    EXPECT_FALSE(l[0].last);
    EXPECT_EQ(l[0].update_time, 60);
    auto lc = s->conversations_of_user(c.id);
    ASSERT_EQ(lc.size(), 1u);
    EXPECT_EQ(lc[0].my_status, 2);
}

// A database written by the schema before issue 9 opens, and what it knew carries over:
// members joined at their membership time, read/delivered at their ack cursor; 1:1s listed.
TEST(StoreMigration, OldDatabaseOpensWithConversationState) {
    auto path = std::filesystem::temp_directory_path() / ("imchat_old_schema_" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path);
    {
        SQLite::Database db(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec(R"SQL(
CREATE TABLE users (
  id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, nickname TEXT NOT NULL DEFAULT '',
  avatar TEXT NOT NULL DEFAULT '', role TEXT NOT NULL, device_id TEXT UNIQUE,
  password_hash TEXT, token_hash TEXT, status INTEGER NOT NULL DEFAULT 1, create_time INTEGER NOT NULL,
  userset TEXT NOT NULL DEFAULT '');
CREATE INDEX users_token ON users(token_hash);
CREATE TABLE chat_groups (
  id INTEGER PRIMARY KEY, uuid TEXT NOT NULL, user_id INTEGER NOT NULL, name TEXT NOT NULL,
  avatar TEXT NOT NULL DEFAULT '', remark TEXT NOT NULL DEFAULT '', invite_confirm INTEGER NOT NULL DEFAULT 0,
  status INTEGER NOT NULL DEFAULT 1, create_time INTEGER NOT NULL);
CREATE TABLE group_users (
  group_id INTEGER NOT NULL, user_id INTEGER NOT NULL, nickname TEXT NOT NULL DEFAULT '',
  status INTEGER NOT NULL DEFAULT 1, create_time INTEGER NOT NULL, PRIMARY KEY (group_id, user_id));
CREATE INDEX group_users_user ON group_users(user_id);
CREATE TABLE conversations (conv TEXT PRIMARY KEY, last_seq INTEGER NOT NULL);
CREATE TABLE invite_codes (user_id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE);
CREATE TABLE contacts (
  user_id INTEGER NOT NULL, peer_id INTEGER NOT NULL, create_time INTEGER NOT NULL, PRIMARY KEY (user_id, peer_id));
CREATE TABLE ack_cursors (
  user_id INTEGER NOT NULL, conv TEXT NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY (user_id, conv));
CREATE TABLE messages (
  id INTEGER PRIMARY KEY, conv TEXT NOT NULL, seq INTEGER NOT NULL,
  from_id INTEGER NOT NULL, from_name TEXT NOT NULL, from_avatar TEXT NOT NULL,
  to_id INTEGER NOT NULL, to_name TEXT NOT NULL, to_avatar TEXT NOT NULL,
  chat_type TEXT NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, options TEXT NOT NULL,
  create_time INTEGER NOT NULL, isremove INTEGER NOT NULL DEFAULT 0, client_msg_id TEXT,
  UNIQUE (conv, seq), UNIQUE (from_id, client_msg_id));
INSERT INTO users (id, username, role, create_time) VALUES (1, 'owner', 'user', 1), (2, 'early', 'user', 1),
  (3, 'late', 'user', 1);
INSERT INTO chat_groups (id, uuid, user_id, name, create_time) VALUES (1, 'u', 1, 'old group', 1);
INSERT INTO group_users (group_id, user_id, status, create_time) VALUES (1, 1, 1, 1), (1, 2, 1, 1), (1, 3, 1, 250);
INSERT INTO conversations VALUES ('group:1', 4), ('single:1:2', 1);
INSERT INTO messages (conv, seq, from_id, from_name, from_avatar, to_id, to_name, to_avatar, chat_type, type, data,
  options, create_time) VALUES
  ('group:1', 1, 1, 'o', '', 1, 'g', '', 'group', 'text', 'a', '', 100),
  ('group:1', 2, 1, 'o', '', 1, 'g', '', 'group', 'text', 'b', '', 200),
  ('group:1', 3, 1, 'o', '', 1, 'g', '', 'group', 'text', 'c', '', 300),
  ('group:1', 4, 1, 'o', '', 1, 'g', '', 'group', 'text', 'd', '', 400),
  ('single:1:2', 1, 1, 'o', '', 2, 'e', '', 'single', 'text', 'dm', '', 500);
INSERT INTO ack_cursors VALUES (2, 'group:1', 3);
)SQL");
    }
    auto store = make_sqlite_store(path.string());
    EXPECT_EQ(store->joined_seq(3, "group:1"), 2) << "joined after seq 2 (by its membership time)";
    EXPECT_EQ(seqs(store->take_undelivered(3, 100, 200)), (std::vector<int64_t>{3, 4}));
    auto early = store->take_undelivered(2, 100, 200);
    ASSERT_EQ(early.size(), 2u) << "from its ack cursor: group seq 4, then the 1:1";
    EXPECT_EQ(early[0].seq, 4);
    EXPECT_EQ(early[1].data, "dm");
    auto l = store->conversations_of_user(2);
    ASSERT_EQ(l.size(), 2u);
    EXPECT_EQ(l[0].chat_type, "single");
    EXPECT_EQ(l[0].unread, 0) << "old 1:1s start read";
    EXPECT_EQ(l[1].unread, 1) << "after its ack cursor";
    EXPECT_EQ(store->append_message("group:1", Message{}).message.seq, 5) << "and keeps working";
    store.reset();
    std::filesystem::remove(path);
}

TEST(ConvKey, SingleChatKeyIsOrderIndependent) {
    EXPECT_EQ(conv_key("single", 5, 2), conv_key("single", 2, 5));
    EXPECT_EQ(conv_key("group", 7), "group:7");
}

// ---- Join requests and invites (issue 9) ----

TEST_P(StoreConformance, JoinRequestsKeepReasonAndTimeUntilRemoved) {
    UserRow o = s->create_user("owner", "", "user", 1);
    UserRow a = s->create_user("alice", "", "user", 1);
    UserRow b = s->create_user("bobby", "", "user", 1);
    GroupRow g = s->create_group(o.id, "g", 1, 1);
    GroupRow other = s->create_group(o.id, "other", 1, 1);
    EXPECT_TRUE(s->join_requests(g.id).empty());
    s->set_join_request(g.id, b.id, "second", 20);
    s->set_join_request(g.id, a.id, "我是小王", 10);
    s->set_join_request(other.id, a.id, "elsewhere", 5);
    auto r = s->join_requests(g.id);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].user_id, a.id) << "oldest first";
    EXPECT_EQ(r[0].reason, "我是小王");
    EXPECT_EQ(r[0].request_time, 10);
    s->set_join_request(g.id, a.id, "again", 30);   // a new request replaces the old one
    r = s->join_requests(g.id);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[1].user_id, a.id);
    EXPECT_EQ(r[1].reason, "again");
    EXPECT_EQ(r[1].request_time, 30);
    s->remove_join_request(g.id, a.id);
    r = s->join_requests(g.id);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].user_id, b.id);
    EXPECT_EQ(s->join_requests(other.id).size(), 1u) << "per group";
}

TEST_P(StoreConformance, InviteCandidatesAreContactsAndCoMembersNotInTheGroup) {
    UserRow me = s->create_user("meme", "", "user", 1);
    UserRow contact = s->create_user("contact", "", "user", 1);
    UserRow comember = s->create_user("comember", "", "user", 1);
    UserRow pending_there = s->create_user("pendingthere", "", "user", 1);
    UserRow already = s->create_user("already", "", "user", 1);
    UserRow asking = s->create_user("asking", "", "user", 1);
    UserRow stranger = s->create_user("stranger", "", "user", 1);
    GroupRow target = s->create_group(me.id, "target", 1, 1);
    GroupRow mine = s->create_group(me.id, "mine", 0, 1);
    GroupRow asked = s->create_group(stranger.id, "asked", 1, 1);
    s->add_contact(me.id, contact.id, 1);
    s->add_member(mine.id, comember.id, 1, 2);
    s->add_member(mine.id, pending_there.id, 2, 2);     // not a member there yet
    s->add_member(mine.id, already.id, 0, 2);           // muted is still a member
    s->add_member(target.id, already.id, 1, 2);         // but already in the target
    s->add_member(mine.id, asking.id, 1, 2);
    s->add_member(target.id, asking.id, 2, 2);          // pending in the target: not a candidate
    s->add_member(asked.id, me.id, 2, 2);               // my own request elsewhere shares nothing
    std::vector<int64_t> ids;
    for (const auto& u : s->invite_candidates(me.id, target.id, 200)) ids.push_back(u.id);
    EXPECT_EQ(ids, (std::vector<int64_t>{contact.id, comember.id}));
    EXPECT_EQ(s->invite_candidates(me.id, target.id, 1).size(), 1u) << "limit";
    EXPECT_TRUE(s->share_a_group(me.id, comember.id));
    EXPECT_TRUE(s->share_a_group(comember.id, me.id));
    EXPECT_FALSE(s->share_a_group(me.id, pending_there.id));
    EXPECT_FALSE(s->share_a_group(me.id, stranger.id)) << "a pending request is no shared group";
    EXPECT_FALSE(s->share_a_group(me.id, contact.id)) << "contacts are another relation";
}

INSTANTIATE_TEST_SUITE_P(All, StoreConformance, ::testing::ValuesIn(kStores),
                         [](const auto& info) { return info.param.name; });

// Issue 13: avatars on users, members and (stored at send time) messages; the upload quota.
TEST_P(StoreConformance, AvatarOnUsersAndMembers) {
    UserRow u = s->create_user("ava1", "Ava", "user", 1);
    const std::string url = "/uploads/0123456789abcdef0123456789abcdef.png";
    s->set_avatar(u.id, url);
    EXPECT_EQ(s->user_by_id(u.id)->avatar, url);
    GroupRow g = s->create_group(u.id, "g", 0, 1);
    EXPECT_EQ(s->members(g.id).at(0).user.avatar, url);
    EXPECT_EQ(s->member(g.id, u.id)->user.avatar, url);
    s->set_nickname(u.id, "Ava2");
    EXPECT_EQ(s->user_by_id(u.id)->avatar, url) << "the nickname does not touch the avatar";
    s->set_avatar(u.id, "");
    EXPECT_EQ(s->user_by_id(u.id)->avatar, "");
}

TEST_P(StoreConformance, UploadQuotaAddsUpToTheLimitPerUserAndDay) {
    EXPECT_TRUE(s->add_upload_bytes(1, 100, 60, 100));
    EXPECT_TRUE(s->add_upload_bytes(1, 100, 40, 100)) << "exactly the limit";
    EXPECT_FALSE(s->add_upload_bytes(1, 100, 1, 100)) << "one byte over";
    EXPECT_TRUE(s->add_upload_bytes(2, 100, 100, 100)) << "another user";
    EXPECT_TRUE(s->add_upload_bytes(1, 101, 100, 100)) << "the next day";
    EXPECT_FALSE(s->add_upload_bytes(3, 100, 101, 100)) << "one upload over the limit on its own";
    EXPECT_TRUE(s->add_upload_bytes(3, 100, 100, 100)) << "a refused upload counted nothing";
}

// Issue 14: an operator disables an account (imchat-server --disable-user) and enables it again.
TEST_P(StoreConformance, DisableAndEnableUserByName) {
    auto a = s->create_user("alice1", "", "user", 1);
    auto b = s->create_user("bobby1", "", "user", 1);
    s->set_token_hash(a.id, "hash-a");
    EXPECT_TRUE(s->disabled_user_ids().empty());
    EXPECT_FALSE(s->set_user_status("nobody", 0));

    auto d = s->set_user_status("alice1", 0);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->id, a.id);
    EXPECT_EQ(d->status, 0);
    EXPECT_EQ(s->disabled_user_ids(), std::vector<int64_t>{a.id});
    EXPECT_EQ(s->user_by_id(a.id)->status, 0);
    EXPECT_EQ(s->user_by_token_hash("hash-a")->status, 0);   // the API refuses it with the reason
    EXPECT_EQ(s->credentials("alice1")->first.status, 0);
    EXPECT_EQ(s->user_by_id(b.id)->status, 1);

    auto e = s->set_user_status("alice1", 1);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->status, 1);
    EXPECT_TRUE(s->disabled_user_ids().empty());
    EXPECT_EQ(s->user_by_token_hash("hash-a")->status, 1);   // the token works again
}
