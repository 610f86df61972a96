// Every route the client calls, and the typed answers.
#include <gtest/gtest.h>

#include "core/api_client.hpp"

using namespace imchat::core;
using imchat::protocol::Json;

TEST(ApiClient, BuildsRoutesWithoutOriginOrToken) {
    const act::Http reg = api::visitor_register("dev", 5);
    EXPECT_EQ(reg.method, "POST");
    EXPECT_EQ(reg.url, "/api/visitorRegister");
    EXPECT_TRUE(reg.token.empty());
    EXPECT_EQ(Json::parse(reg.body), (Json{{"deviceId", "dev"}, {"timestamp", 5}}));
    EXPECT_EQ(api::group_list().url, "/api/chat/grouplist/1");
    EXPECT_EQ(api::group_list().method, "GET");
    EXPECT_TRUE(api::group_list().body.empty());
    EXPECT_EQ(api::group_info(3).url, "/api/chat/groupinfo/3");
    EXPECT_EQ(api::group_qr(3).url, "/api/chat/groupQrcode/3?type=H5&format=matrix");
    EXPECT_EQ(api::contact_info("ab").url, "/api/chat/contactInfo/ab");
    EXPECT_EQ(api::my_qr().url, "/api/chat/userQrcode?format=matrix");
    EXPECT_EQ(api::sign_in("u", "p").url, "/api/loginChat");
    EXPECT_FALSE(Json::parse(api::sign_in("u", "p").body).contains("repassword"));
    EXPECT_EQ(Json::parse(api::sign_up("u", "p").body)["repassword"], "p");
    EXPECT_EQ(api::guest_upgrade("u", "p", true).url, "/api/visitorregChat");
    EXPECT_EQ(api::guest_upgrade("u", "p", false).url, "/api/visitorloginChat");
}

TEST(ApiClient, HistoryPagesForwardOrBackward) {
    const ConversationKey k{"group", 3};
    EXPECT_EQ(api::history(k, 50, -1, 0).url, "/api/chat/history/group/3?limit=50");
    EXPECT_EQ(api::history(k, 50, 7, 0).url, "/api/chat/history/group/3?limit=50&after_seq=7");
    EXPECT_EQ(api::history(k, 50, -1, 9).url, "/api/chat/history/group/3?limit=50&before_seq=9");
}

TEST(ApiClient, GroupActionsMapToTheirRoutes) {
    EXPECT_EQ(api::group_action(3, "rename", 0, "n", 0).url, "/api/chat/groupUpdateName");
    EXPECT_EQ(api::group_action(3, "policy", 0, "", 2).url, "/api/chat/groupAddUserSet");
    EXPECT_EQ(Json::parse(api::group_action(3, "policy", 0, "", 2).body)["addGroupSet"], 2);
    EXPECT_EQ(Json::parse(api::group_action(3, "unmute", 8, "", 0).body)["mute"], 0);
    EXPECT_EQ(Json::parse(api::group_action(3, "reject", 8, "", 0).body)["type"], "no");
    EXPECT_EQ(api::group_action(3, "quit", 0, "", 0).url, "/api/chat/groupDeleteOrQuit");
    EXPECT_TRUE(api::group_action(3, "explode", 0, "", 0).method.empty());
}

TEST(ApiClient, UploadCarriesTheBlobNotABody) {
    const act::Http up = api::upload(12);
    EXPECT_EQ(up.url, "/api/chat/upload");
    EXPECT_EQ(up.method, "POST");
    EXPECT_EQ(up.blob, 12);
    EXPECT_TRUE(up.body.empty());
}

TEST(ApiClient, ReadsAnswersTolerantly) {
    EXPECT_EQ(api::read_history(Json{{"list", {{{"id", 1}}, {{"id", 2}}}}})->size(), 2u);
    EXPECT_EQ(api::read_history(Json::array({{{"id", 1}}}))->size(), 1u);
    EXPECT_FALSE(api::read_history(Json{{"list", "x"}}));
    EXPECT_FALSE(api::read_history(Json("x")));
    EXPECT_TRUE(api::read_join(Json{{"pending", true}}).pending);
    EXPECT_EQ(api::read_join(Json{{"group_users", {1, 2, 3}}}).members, 3);
    EXPECT_EQ(api::read_join(Json{{"group_users", "x"}}).members, -1);
    EXPECT_EQ(api::read_join(Json{{"member_count", 5000}}).members, 5000);   // a big group answers the card only
    EXPECT_EQ(api::read_send_count(Json{{"chatset", {{"visitor", {{"sendCount", 0}}}}}}, 1), 0);
    EXPECT_EQ(api::read_send_count(Json{{"chatset", 5}}, 2), 2);
    EXPECT_EQ(api::read_upload(Json{{"url", "/uploads/a.png"}}).url, "/uploads/a.png");
    EXPECT_EQ(api::read_upload(Json("oops")).url, "");
    const Qr q = api::read_qr(Json{{"url", "u"}, {"size", 3}, {"rows", {"101", 7}}});
    EXPECT_EQ(q.size, 3);
    EXPECT_EQ(q.rows, std::vector<std::string>{"101"});
}
