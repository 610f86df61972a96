#include <gtest/gtest.h>

#include "protocol/codes.hpp"

using namespace imchat::protocol;

TEST(Codes, ChatAndMessageTypesRoundTripTheirWireSpelling) {
    for (ChatType t : {ChatType::Single, ChatType::Group}) EXPECT_EQ(chat_type_from_wire(to_string(t)), t);
    EXPECT_EQ(chat_type_from_wire("nonsense"), ChatType::Group);
    for (MessageType t : {MessageType::Text, MessageType::Image, MessageType::SystemNotice})
        EXPECT_EQ(message_type_from_wire(to_string(t)), t);
    EXPECT_EQ(message_type_from_wire("video"), MessageType::Other);
    EXPECT_STREQ(to_string(MessageType::SystemNotice), "systemNotice");
}

TEST(Codes, CloseCodesAreTheDocumentedNumbers) {
    EXPECT_EQ(kCloseLoggedInElsewhere, 4001);
    EXPECT_EQ(kCloseTokenInvalid, 4002);
    EXPECT_EQ(kCloseDisabled, 4003);
    EXPECT_EQ(kClosePolicy, 4008);
    EXPECT_EQ(close_code_from_wire(4002), CloseCode::TokenInvalid);
    EXPECT_STREQ(to_string(*close_code_from_wire(4001)), "logged_in_elsewhere");
    EXPECT_FALSE(close_code_from_wire(1006));
}
