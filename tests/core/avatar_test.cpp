// Default avatars (src/core/avatar.*): colour from the id, the name's first character,
// the group grid's layout, and what messages and group answers teach a conversation.
#include <gtest/gtest.h>

#include <set>

#include "core/avatar.hpp"
#include "core/navigation.hpp"

using namespace imchat::core;

TEST(Avatar, ColourIsStablePerIdAndSpreadOverThePalette) {
    EXPECT_EQ(avatar_color(42), avatar_color(42));
    std::set<int> seen;
    for (int64_t id = 1; id <= 60; ++id) {
        const int i = avatar_color_index(id);
        ASSERT_GE(i, 0);
        ASSERT_LT(i, kAvatarPalette);
        seen.insert(i);
        EXPECT_EQ(avatar_color(id) >> 24, 0xFFu) << "opaque";
    }
    EXPECT_EQ(static_cast<int>(seen.size()), kAvatarPalette) << "60 ids use every colour";
    int same = 0;
    for (int64_t id = 1; id < 100; ++id) same += avatar_color_index(id) == avatar_color_index(id + 1);
    EXPECT_LT(same, 25) << "neighbouring ids mostly differ";
}

TEST(Avatar, InitialIsTheFirstCharacter) {
    EXPECT_EQ(avatar_initial("张三"), "张");
    EXPECT_EQ(avatar_initial("alice"), "A");
    EXPECT_EQ(avatar_initial("Bob"), "B");
    EXPECT_EQ(avatar_initial("  zoe"), "Z") << "leading blanks skipped";
    EXPECT_EQ(avatar_initial("7号"), "7");
    EXPECT_EQ(avatar_initial("😀 smile"), "😀") << "emoji: the first code point (4 bytes)";
    EXPECT_EQ(avatar_initial("é"), "é") << "not upper-cased outside ASCII";
    EXPECT_EQ(avatar_initial(""), "?");
    EXPECT_EQ(avatar_initial("   "), "?");
    EXPECT_EQ(avatar_initial(std::string("\xE5\xBC", 2)), std::string("\xE5\xBC", 2)) << "cut UTF-8: no overrun";
}

TEST(Avatar, GroupGridLikeWeChat) {
    EXPECT_TRUE(avatar_grid(0, 48, 2).empty());
    auto one = avatar_grid(1, 48, 2);
    ASSERT_EQ(one.size(), 1u);
    EXPECT_FLOAT_EQ(one[0].side, 44);
    for (size_t n = 2; n <= 4; ++n) {
        auto g = avatar_grid(n, 48, 2);
        ASSERT_EQ(g.size(), n);
        EXPECT_FLOAT_EQ(g[0].side, 21) << "2x2: (48 - 3*2) / 2";
    }
    auto three = avatar_grid(3, 48, 2);
    EXPECT_FLOAT_EQ(three[0].x, (48 - 21) / 2.0f) << "the top row's single face is centred";
    EXPECT_FLOAT_EQ(three[1].y, three[2].y);
    EXPECT_GT(three[1].y, three[0].y);
    auto two = avatar_grid(2, 48, 2);
    EXPECT_FLOAT_EQ(two[0].y, (48 - 21) / 2.0f) << "one row: centred vertically";
    for (size_t n = 5; n <= 9; ++n) {
        auto g = avatar_grid(n, 48, 2);
        ASSERT_EQ(g.size(), n);
        EXPECT_FLOAT_EQ(g[0].side, (48 - 4 * 2) / 3.0f) << "3x3";
        for (const Cell& c : g) {   // inside the square
            EXPECT_GE(c.x, 0);
            EXPECT_GE(c.y, 0);
            EXPECT_LE(c.x + c.side, 48.001f);
            EXPECT_LE(c.y + c.side, 48.001f);
        }
    }
    EXPECT_EQ(avatar_grid(20, 48, 2).size(), 9u) << "at most 9";
}

TEST(Avatar, GroupsRememberUpToNineFaces) {
    std::vector<Face> faces;
    for (int64_t id = 1; id <= 12; ++id) remember_face(faces, Face{id, "u" + std::to_string(id), ""});
    ASSERT_EQ(faces.size(), 9u);
    remember_face(faces, Face{3, "", "/uploads/a.png"});
    EXPECT_EQ(faces[2].name, "u3") << "an empty name keeps the known one";
    EXPECT_EQ(faces[2].avatar, "/uploads/a.png");
    remember_face(faces, Face{0, "nobody", ""});
    EXPECT_EQ(faces.size(), 9u);
}

TEST(Avatar, MessagesTeachTheConversation) {
    Conversation g;
    g.key = {"group", 3};
    imchat::protocol::Message m;
    m.from_id = 7; m.from_name = "小明"; m.from_avatar = "/uploads/x.jpg"; m.type = "text";
    note_sender(g, m, 10);
    ASSERT_EQ(g.faces.size(), 1u);
    EXPECT_EQ(g.faces[0], (Face{7, "小明", "/uploads/x.jpg"}));
    m.type = "systemNotice"; m.from_id = 8;
    note_sender(g, m, 10);
    EXPECT_EQ(g.faces.size(), 1u) << "notices have no face";

    Conversation s;
    s.key = {"single", 7};
    m.type = "text"; m.from_id = 7;
    note_sender(s, m, 10);
    EXPECT_EQ(s.avatar, "/uploads/x.jpg") << "the peer's avatar";
    m.from_id = 10; m.from_avatar = "/uploads/mine.jpg";
    note_sender(s, m, 10);
    EXPECT_EQ(s.avatar, "/uploads/x.jpg") << "my own messages do not change the peer's";
}
