#include <gtest/gtest.h>

#include "protocol/message.hpp"

using namespace imchat::protocol;

TEST(Protocol, MessageRoundTripKeepsReferenceFieldNames) {
    Message m;
    m.id = 7; m.seq = 3; m.from_id = 1; m.from_name = "VISabc"; m.to_id = 2; m.chat_type = "group";
    m.data = "你好"; m.create_time = 123; m.client_msg_id = "c1";
    Json j = to_json(m);
    EXPECT_EQ(j["chatType"], "group");
    EXPECT_EQ(j["sendUUid"], "c1");
    Message back = message_from_json(j);
    EXPECT_EQ(back.id, 7);
    EXPECT_EQ(back.seq, 3);
    EXPECT_EQ(back.data, "你好");
    EXPECT_EQ(back.client_msg_id, "c1");
}

TEST(Protocol, MessageFromJsonToleratesStringsAndMissingFields) {
    Message m = message_from_json(Json{{"id", "42"}, {"sendUUid", "u"}, {"data", 5}});
    EXPECT_EQ(m.id, 42);
    EXPECT_EQ(m.client_msg_id, "u");
    EXPECT_EQ(m.data, "");       // wrong type: default, no throw
    EXPECT_EQ(m.chat_type, "group");
}

TEST(Protocol, ConversationOfSingleChatIsTheOtherUser) {
    Message m; m.chat_type = "single"; m.from_id = 5; m.to_id = 9;
    EXPECT_EQ(conversation_of(m, 5), (ConversationKey{"single", 9}));
    EXPECT_EQ(conversation_of(m, 9), (ConversationKey{"single", 5}));
    m.chat_type = "group";
    EXPECT_EQ(conversation_of(m, 5), (ConversationKey{"group", 9}));
}

TEST(Protocol, GroupMessagesCarryTheReferenceGroupObject) {
    Message m;
    m.chat_type = "group"; m.to_id = 9; m.to_name = "测试群"; m.to_avatar = "/a.png";
    Json j = to_json(m);
    ASSERT_TRUE(j.contains("group"));
    EXPECT_EQ(j["group"], (Json{{"id", 9}, {"name", "测试群"}, {"avatar", "/a.png"}}));
    m.chat_type = "single";
    EXPECT_FALSE(to_json(m).contains("group")) << "1:1 messages have no group";
}
