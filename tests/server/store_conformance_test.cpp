// Behaviour every Store implementation keeps (see store.hpp). Add a factory
// to kStores for each new implementation (PostgreSQL next).
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <unistd.h>

#include "server/store/store.hpp"

using namespace imchat::server;
using imchat::protocol::Message;

namespace {
struct StoreFactory {
    std::string name;
    std::function<std::unique_ptr<Store>()> make;
};

const StoreFactory kStores[] = {
    {"sqlite_memory", [] { return make_sqlite_store(":memory:"); }},
    {"sqlite_file", [] {
         static int n = 0;
         auto p = std::filesystem::temp_directory_path() /
                  ("imchat_store_test_" + std::to_string(::getpid()) + "_" + std::to_string(++n) + ".db");
         std::filesystem::remove(p);
         return make_sqlite_store(p.string());
     }},
};

class StoreConformance : public ::testing::TestWithParam<StoreFactory> {
protected:
    std::unique_ptr<Store> s = GetParam().make();
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
