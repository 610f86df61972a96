// errors.hpp: one condition answers one status (and one text) on every route.
#include <gtest/gtest.h>

#include <set>

#include "api_fixture.hpp"
#include "server/api/errors.hpp"

using namespace imchat::server;
using imchat::protocol::Json;
namespace {

class Errors : public imchat::server::testing::ApiFixture {
protected:
    // Every route that needs the caller to be a member of the group, called by `w`.
    std::vector<std::pair<std::string, Response>> member_routes(const Who& w, int64_t gid, int64_t msg_id,
                                                                bool with_quit) {
        const std::string id = std::to_string(gid);
        std::vector<std::pair<std::string, Response>> out;
        out.emplace_back("groupQrcode", call("GET", "/api/chat/groupQrcode/" + id + "?format=matrix", w.token));
        out.emplace_back("history", call("GET", "/api/chat/history/group/" + id, w.token));
        out.emplace_back("groupnickname", post(w, "/api/chat/groupnickname", Json{{"id", gid}, {"nickname", "x"}}));
        out.emplace_back("revokeMessage", post(w, "/api/chat/revokeMessage",
                                               Json{{"id", msg_id}, {"chatType", "group"}, {"to_id", gid}}));
        out.emplace_back("sendmessage", post(w, "/api/chat/socket/sendmessage",
                                             Json{{"sendto_id", gid}, {"chatType", "group"}, {"type", "text"}, {"data", "x"}}));
        // A pending member may withdraw its request, so quitting is member-only for strangers only.
        if (with_quit) out.emplace_back("groupDeleteOrQuit", post(w, "/api/chat/groupDeleteOrQuit", Json{{"id", gid}}));
        return out;
    }
};

}  // namespace

TEST_F(Errors, ANonMemberGetsTheSameStatusAndTextOnEveryMemberRoute) {
    Who owner = user("owner1");
    const int64_t gid = create_group(owner);
    const int64_t msg = send(owner, gid, "hello")["data"]["id"];
    Who stranger = guest();
    const size_t before = count(gid);
    for (auto& [route, r] : member_routes(stranger, gid, msg, true)) {
        EXPECT_EQ(r.status, kErrNotInGroup.status) << route;
        EXPECT_EQ(data(r), kErrNotInGroup.text) << route;
    }
    EXPECT_EQ(count(gid), before) << "nothing stored";
    EXPECT_EQ(store->message_by_id(msg)->isremove, 0);
}

TEST_F(Errors, APendingMemberIsNotAMemberYet) {
    Who owner = user("owner1");
    const int64_t gid = create_group(owner, 1);
    const int64_t msg = send(owner, gid, "hello")["data"]["id"];
    Who pending = guest();
    ASSERT_EQ(data(join(pending, gid))["pending"], true);
    for (auto& [route, r] : member_routes(pending, gid, msg, false)) {
        EXPECT_EQ(r.status, kErrNotInGroup.status) << route;
        EXPECT_EQ(data(r), kErrNotInGroup.text) << route;
    }
}

TEST_F(Errors, AnOwnerActingOnANonMemberIsADifferentCondition) {
    Who owner = user("owner1"), stranger = user("stranger1");
    const int64_t gid = create_group(owner);
    for (const char* route : {"/api/chat/groupDeleteUser", "/api/chat/groupMuteUser"}) {
        auto r = post(owner, route, Json{{"group_id", gid}, {"user_id", stranger.id}});
        EXPECT_EQ(r.status, kErrNotAMember.status) << route;
        EXPECT_EQ(data(r), kErrNotAMember.text) << route;
    }
}

TEST(ErrorTable, EachTextNamesOneConditionWithAStatusFromTheTable) {
    const ApiError all[] = {
        kErrBadJson, kErrBadParam, kErrTokenInvalid, kErrDeviceId, kErrUsername, kErrPassword, kErrRepassword,
        kErrUserExists, kErrLogin, kErrName, kErrRemark, kErrReason, kErrGroupNotFound, kErrGroupClosed,
        kErrNotAMember, kErrNoJoinRequest, kErrInviteOthers, kErrSelf, kErrQrInvalid, kErrEmptyMessage,
        kErrTooLong, kErrMsgType, kErrChatType, kErrImageUrl, kErrNoMessage, kErrRecallLate, kErrImageEmpty,
        kErrImageType, kErrGuest, kErrDisabled, kErrNotInGroup, kErrNotOwner, kErrMuted, kErrNeedLogin,
        kErrNoCommonGroup, kErrGuestBlocked, kErrGuestOnce, kErrRecallOther, kErrNoRoute, kErrBodyTooLarge,
        kErrImageTooLarge, kErrTooMany, kErrOutOfMemory, kErrServer, kErrInviteScope, kErrInviteeGuest, kErrOrigin,
        kErrBusy, kErrUploadEmpty, kErrUploadForm, kErrUploadUrl, kErrOptionsTooLong, kErrAvatarUrl,
        kErrUploadTooLarge, kErrUploadQuota, kErrSendRate, kErrTooManyConns, kErrHeaderTooLarge, kErrStorage,
    };
    std::set<std::string_view> texts;
    for (const auto& e : all) {
        EXPECT_TRUE(texts.insert(e.text).second) << "two conditions share the text " << e.text;
        EXPECT_TRUE(std::set<int>({400, 403, 404, 413, 429, 431, 500, 503}).count(e.status)) << e.text;
    }
}
