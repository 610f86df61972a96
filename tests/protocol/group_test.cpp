#include <gtest/gtest.h>

#include "protocol/group.hpp"

using namespace imchat::protocol;

TEST(Group, ReadsGroupinfoWithMembers) {
    const Json j{{"id", 3}, {"name", "G"}, {"user_id", 1}, {"invite_confirm", 2}, {"status", 1},
                 {"my_status", 2}, {"last_seq", "40"},
                 {"group_users", {{{"user_id", 1}, {"role", "owner"}, {"status", 1}, {"user", {{"username", "own"}}}},
                                  {{"user_id", 2}, {"nickname", "Nick"}, {"status", 0}},
                                  "junk"}}};
    const Group g = read_group(j);
    EXPECT_EQ(g.id, 3);
    EXPECT_EQ(g.policy, JoinPolicy::UsersApprove);
    EXPECT_TRUE(g.has_members);
    ASSERT_EQ(g.members.size(), 2u) << "non-object members are skipped";
    EXPECT_EQ(g.member_count, 2) << "counted from the members when not given";
    EXPECT_EQ(g.member(1)->role, Role::Owner);
    EXPECT_EQ(g.member(1)->display_name(), "own");
    EXPECT_EQ(g.member(2)->status, MemberStatus::Muted);
    EXPECT_EQ(g.member(2)->display_name(), "Nick");
    EXPECT_EQ(g.member(9), nullptr);
    EXPECT_EQ(g.my_status, 2);
    EXPECT_EQ(g.last_seq, 40);
}

TEST(Group, ListSkipsNonObjectsAndMissingFieldsDefault) {
    const auto list = read_group_list(Json::array({Json{{"id", 4}}, 5, "x", Json{{"id", "6"}, {"group_users", "no"}}}));
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].status, 1);
    EXPECT_FALSE(list[0].my_status);
    EXPECT_EQ(list[1].id, 6);
    EXPECT_FALSE(list[1].has_members);
    EXPECT_TRUE(read_group_list(Json{{"id", 1}}).empty());
    EXPECT_EQ(to_json(Member{7, "n", "u", "un", "", Role::Owner, MemberStatus::Pending})["status"], 2);
}
