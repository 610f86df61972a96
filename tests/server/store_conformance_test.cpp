// Behaviour every Store implementation keeps (see store.hpp). Add a factory
// to kStores for each new implementation (PostgreSQL next).
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <unistd.h>

#include "server/store/store.hpp"

using namespace imchat::server;
using imchat::core::Message;

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

TEST(ConvKey, SingleChatKeyIsOrderIndependent) {
    EXPECT_EQ(conv_key("single", 5, 2), conv_key("single", 2, 5));
    EXPECT_EQ(conv_key("group", 7), "group:7");
}

INSTANTIATE_TEST_SUITE_P(All, StoreConformance, ::testing::ValuesIn(kStores),
                         [](const auto& info) { return info.param.name; });
