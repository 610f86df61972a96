// Avatars (issue 13): updateUserinfo {avatar} takes our image uploads only; the avatar shows
// on the user, on group members and (stored when sent) as from_avatar on messages.
#include "api_fixture.hpp"

using namespace imchat::server;
using namespace imchat::server::testing;

namespace {
class Avatars : public ApiFixture {
protected:
    const std::string png = "/uploads/0123456789abcdef0123456789abcdef.png";
    const std::string mp3 = "/uploads/0123456789abcdef0123456789abcdef.mp3";
    Response set(const Who& w, const Json& body) { return post(w, "/api/chat/updateUserinfo", body); }
};
}  // namespace

TEST_F(Avatars, OnlyOurImageUploadsAreAccepted) {
    Who a = user("avatar1");
    ASSERT_EQ(set(a, Json{{"nickname", "小明"}}).status, 200);
    auto r = set(a, Json{{"avatar", png}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(data(r)["avatar"], png);
    EXPECT_EQ(data(r)["nickname"], "小明") << "an avatar alone leaves the nickname";
    for (const std::string bad : {mp3, std::string("https://evil.example/a.png"), std::string("/uploads/../x.png"),
                                  std::string("javascript:alert(1)"), std::string("/uploads/0123456789abcdef0123456789abcdef.bin")}) {
        auto no = set(a, Json{{"avatar", bad}});
        EXPECT_EQ(no.status, 400) << bad;
        EXPECT_EQ(data(no), kErrAvatarUrl.text) << bad;
    }
    EXPECT_EQ(store->user_by_id(a.id)->avatar, png) << "a refused avatar changes nothing";
    r = set(a, Json{{"nickname", "小红"}, {"avatar", ""}});
    EXPECT_EQ(data(r)["avatar"], "") << "an empty avatar removes it";
    EXPECT_EQ(data(r)["nickname"], "小红");
    EXPECT_EQ(data(set(a, Json::object()))["nickname"], "") << "neither field: the nickname is cleared, as before";
}

TEST_F(Avatars, OnMembersAndMessagesStoredWhenSent) {
    Who owner = user("avatar2"), b = user("avatar3");
    const int64_t gid = create_group(owner);
    ASSERT_EQ(join(b, gid).status, 200);
    ASSERT_EQ(set(owner, Json{{"avatar", png}}).status, 200);

    const Json info = data(call("GET", "/api/chat/groupinfo/" + std::to_string(gid), b.token));
    bool seen = false;
    for (const auto& m : info["group_users"])
        if (m["user_id"] == owner.id) {
            EXPECT_EQ(m["avatar"], png);
            seen = true;
        } else {
            EXPECT_EQ(m["avatar"], "");
        }
    EXPECT_TRUE(seen);

    const Json sent = send(owner, gid, "hello")["data"];
    EXPECT_EQ(sent["from_avatar"], png);
    EXPECT_EQ(last_frame(b)["from_avatar"], png) << "the receiver's frame carries it";
    const std::string other = "/uploads/fedcba9876543210fedcba9876543210.jpg";
    ASSERT_EQ(set(owner, Json{{"avatar", other}}).status, 200);
    EXPECT_EQ(send(owner, gid, "again")["data"]["from_avatar"], other);
    const Json hist = data(call("GET", "/api/chat/history/group/" + std::to_string(gid), b.token))["list"];
    ASSERT_GE(hist.size(), 2u);
    EXPECT_EQ(hist[hist.size() - 2]["from_avatar"], png) << "a message keeps the avatar it was sent with";
    EXPECT_EQ(hist.back()["from_avatar"], other);
}
