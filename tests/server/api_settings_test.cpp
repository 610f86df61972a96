// Settings: the chat settings and the profile (and a group nickname in use).
#include <gtest/gtest.h>

#include "api_fixture.hpp"

using namespace imchat::server;
using imchat::protocol::Json;
using Settings = imchat::server::testing::ApiFixture;

TEST_F(Settings, SettingsAndNicknames) {
    Who a = user("alice01");
    EXPECT_EQ(data(call("GET", "/api/chat/userset", a.token))["chatset"]["visitor"]["sendCount"], 1);
    EXPECT_EQ(data(post(a, "/api/chat/updateUserinfo", Json{{"nickname", "爱丽丝"}}))["nickname"], "爱丽丝");
    EXPECT_EQ(post(a, "/api/chat/updateUserinfo", Json{{"nickname", std::string(21 * 3, 'x')}}).status, 400);
    const int64_t gid = create_group(a);
    EXPECT_EQ(post(a, "/api/chat/groupnickname", Json{{"id", gid}, {"nickname", "群主大人"}}).status, 200);
    EXPECT_EQ(send(a, gid, "hi")["data"]["from_name"], "群主大人");
}
