#include <gtest/gtest.h>

#include "protocol/user.hpp"

using namespace imchat::protocol;

TEST(User, ReadsAndWritesTheStoredForm) {
    const User u = read_user(Json{{"id", "4"}, {"username", "VIS1"}, {"token", "t"}});
    EXPECT_EQ(u.id, 4);
    EXPECT_EQ(u.role, "visitor") << "role defaults to guest";
    EXPECT_EQ(u.display_name(), "VIS1");
    const User back = read_user(to_json(User{5, "bob", "Bob", "", "user", "tok"}));
    EXPECT_EQ(back.display_name(), "Bob");
    EXPECT_EQ(back.role, "user");
    EXPECT_EQ(back.token, "tok");
    EXPECT_EQ(read_user(Json::array()).id, 0);
}

TEST(User, ContactInfoIsTolerant) {
    const ContactInfo c = read_contact_info(Json{{"id", 9}, {"name", "Ann"}, {"is_contact", 1}, {"is_self", "yes"}});
    EXPECT_EQ(c.id, 9);
    EXPECT_EQ(c.name, "Ann");
    EXPECT_TRUE(c.is_contact);
    EXPECT_FALSE(c.is_self) << "a string is not a bool";
}
