// Session: avatars (src/core/session_settings.cpp upload + updateUserinfo {avatar};
// faces and avatar URLs learnt from group answers, history and the conversation list).
#include "session_harness.hpp"

using namespace session_test;

TEST(SessionAvatar, UploadThenSetWithUpdateUserinfo) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::ShowSettings{});
    h.feed(ev::UploadAvatar{7});
    const act::Http up = h.http_to("/api/chat/upload");
    EXPECT_EQ(up.blob, 7) << "the page's cropped JPEG is the body";
    EXPECT_FALSE(up.token.empty());
    h.reply(up, 200, Harness::ok(Json{{"url", "/uploads/ab.jpg"}}));
    const act::Http set = h.http_to("/api/chat/updateUserinfo");
    EXPECT_EQ(Json::parse(set.body)["avatar"], "/uploads/ab.jpg");
    EXPECT_EQ(Json::parse(set.body)["nickname"], h.s.user().nickname) << "the nickname stays as it is";
    h.reply(set, 200, Harness::ok(Json{{"id", 10}, {"avatar", "/uploads/ab.jpg"}}));
    EXPECT_EQ(h.s.user().avatar, "/uploads/ab.jpg");
    EXPECT_NE(persisted(h.last, kKeyUser).find("/uploads/ab.jpg"), std::string::npos) << "kept for the next visit";
    EXPECT_EQ(h.s.notice(), tr(h.s.lang(), Str::AvatarSet));
}

TEST(SessionAvatar, AFailedUploadSaysSoAndSetsNothing) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::UploadAvatar{7});
    h.reply(h.http_to("/api/chat/upload"), 200, Harness::fail("图片太大"));
    EXPECT_EQ(h.s.notice(), "图片太大");
    EXPECT_TRUE(h.all<act::Http>().empty()) << "no updateUserinfo";
    EXPECT_EQ(h.s.user().avatar, "");
    h.feed(ev::UploadAvatar{0});
    EXPECT_TRUE(h.all<act::Http>().empty()) << "no blob: nothing to upload";
}

TEST(SessionAvatar, GroupFacesComeFromMembersAndHistory) {
    Harness h;
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, "", h.now});
    h.reply(h.http_to("/api/visitorRegister"), 200, Harness::ok(h.user_json()));
    const act::Http info = h.http_to("/api/chat/groupinfo/3");
    h.feed(ev::SocketOpened{});
    Json g = h.group_json(true);
    g["group_users"] = Json::array({{{"user_id", 99}, {"status", 1}, {"nickname", "群主"}, {"avatar", "/uploads/o.png"}},
                                    {{"user_id", 10}, {"status", 1}},
                                    {{"user_id", 55}, {"status", 2}}});   // pending: not a face
    h.reply(info, 200, Harness::ok(g));
    const Json page = Json{{"list", Json::array({{{"id", 1}, {"seq", 1}, {"from_id", 77}, {"from_name", "路人"},
                                                  {"to_id", 3}, {"chatType", "group"}, {"type", "text"},
                                                  {"data", "hi"}, {"create_time", 5}}})}};
    h.reply(h.http_to("/api/chat/history/group/3"), 200, Harness::ok(page));
    const Conversation* c = nullptr;
    for (const auto& x : h.s.conversations()) if (x.key == ConversationKey{"group", 3}) c = &x;
    ASSERT_NE(c, nullptr);
    ASSERT_EQ(c->faces.size(), 3u);
    EXPECT_EQ(c->faces[0], (Face{99, "群主", "/uploads/o.png"}));
    EXPECT_EQ(c->faces[1].id, 10);
    EXPECT_EQ(c->faces[2], (Face{77, "路人", ""}));
}

TEST(SessionAvatar, TheListCarriesAvatarUrls) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::ShowList{});
    const Json items = Json::array({{{"id", 5}, {"chatType", "single"}, {"name", "Ann"}, {"avatar", "/uploads/ann.png"},
                                     {"update_time", 9}}});
    for (auto& x : h.all<act::Http>())
        if (x.url.find("conversationList") != std::string::npos) h.reply(x, 200, Harness::ok(items));
    const Conversation* c = nullptr;
    for (const auto& x : h.s.conversations()) if (x.key == ConversationKey{"single", 5}) c = &x;
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->avatar, "/uploads/ann.png");
}
