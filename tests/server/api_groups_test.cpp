// Accounts, groups, joins, permissions, recall and QR codes through the Api.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "server/api/api.hpp"
#include "server/hub.hpp"
#include "api_fixture.hpp"
#include "fake_connection.hpp"

using namespace imchat::server;
using imchat::protocol::Json;
using imchat::server::testing::FakeConnection;

namespace {

class Groups : public imchat::server::testing::ApiFixture {
protected:
    int device = 0;

    struct Who { int64_t id; std::string token; std::shared_ptr<FakeConnection> sock; };

    Response post(const Who& w, const std::string& route, const Json& body) { return call("POST", route, w.token, body); }

    Who connect(int64_t id, const std::string& token) {
        static uint64_t next = 1;
        auto c = std::make_shared<FakeConnection>(next++);
        hub.attach(id, c);
        return {id, token, c};
    }
    Who guest() {
        char dev[40];
        std::snprintf(dev, sizeof dev, "%08d-0000-4000-8000-00000000000g", ++device);
        std::string d(dev);
        d.back() = '0';
        auto r = call("POST", "/api/visitorRegister", "", Json{{"deviceId", d}});
        EXPECT_EQ(r.status, 200) << r.body;
        return connect(data(r)["id"], data(r)["token"]);
    }
    Who user(const std::string& name) {
        EXPECT_EQ(call("POST", "/api/regChat", "", Json{{"username", name}, {"password", "secret1"}}).status, 200);
        auto r = call("POST", "/api/loginChat", "", Json{{"username", name}, {"password", "secret1"}});
        return connect(data(r)["id"], data(r)["token"]);
    }
    int64_t create_group(const Who& owner, int policy = 0) {
        auto r = post(owner, "/api/chat/group/create", Json{{"name", "测试群"}});
        EXPECT_EQ(r.status, 200) << r.body;
        const int64_t gid = data(r)["id"];
        if (policy) EXPECT_EQ(post(owner, "/api/chat/groupAddUserSet", Json{{"group_id", gid}, {"addGroupSet", policy}}).status, 200);
        return gid;
    }
    Response join(const Who& w, int64_t gid, const std::string& reason = "") {
        return post(w, "/api/chat/groupInviteUser",
                    Json{{"group_id", gid}, {"user_id", w.id}, {"inviteuser_id", -1}, {"addGroupDesc", reason}});
    }
    Json send(const Who& w, int64_t to, const std::string& text, int* status = nullptr, const std::string& type = "group") {
        auto r = post(w, "/api/chat/socket/sendmessage",
                      Json{{"sendto_id", to}, {"chatType", type}, {"type", "text"}, {"data", text}});
        if (status) *status = r.status;
        return Json::parse(r.body);
    }
    size_t count(int64_t gid) { return store->messages_after(conv_key("group", gid), 0, 1000).size(); }
    static Json last_frame(const Who& w) { return w.sock->sent.empty() ? Json() : Json::parse(w.sock->sent.back())["data"]; }
};

}  // namespace

TEST_F(Groups, GuestsOnlyCallTheAllowList) {
    Who g = guest();
    auto r = post(g, "/api/chat/group/create", Json{{"name", "x"}});
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(data(r), "您没有权限访问，请先注册或登录");
    EXPECT_EQ(store->group_count(), 0) << "nothing stored";
    EXPECT_EQ(call("GET", "/api/chat/grouplist/1", g.token).status, 200);
}

TEST_F(Groups, OwnerActionsAreTheOwnersOnly) {
    Who owner = user("owner1"), member = user("member1"), other = user("member2");
    const int64_t gid = create_group(owner);
    join(member, gid);
    join(other, gid);
    const size_t before = count(gid);
    for (auto [route, body] : std::vector<std::pair<std::string, Json>>{
             {"/api/chat/groupDeleteUser", {{"group_id", gid}, {"user_id", other.id}}},
             {"/api/chat/groupUpdateName", {{"id", gid}, {"name", "hijack"}}},
             {"/api/chat/groupremark", {{"id", gid}, {"remark", "x"}}},
             {"/api/chat/groupMuteUser", {{"group_id", gid}, {"user_id", other.id}}},
             {"/api/chat/groupAddUserSet", {{"group_id", gid}, {"addGroupSet", 1}}}}) {
        auto r = post(member, route, body);
        EXPECT_EQ(r.status, 403) << route;
        EXPECT_EQ(data(r), "只有群主可以这样做") << route;
    }
    EXPECT_EQ(count(gid), before) << "no notice, no change";
    EXPECT_TRUE(store->member(gid, other.id));
    EXPECT_EQ(store->group_by_id(gid)->name, "测试群");

    EXPECT_EQ(post(owner, "/api/chat/groupUpdateName", Json{{"id", gid}, {"name", "新名字"}}).status, 200);
    EXPECT_EQ(post(owner, "/api/chat/groupremark", Json{{"id", gid}, {"remark", "周五开会"}}).status, 200);
    EXPECT_EQ(post(owner, "/api/chat/groupDeleteUser", Json{{"group_id", gid}, {"user_id", other.id}}).status, 200);
    EXPECT_FALSE(store->member(gid, other.id));
    EXPECT_EQ(last_frame(other)["actionType"], "removed");
    auto notices = store->messages_after(conv_key("group", gid), before, 10);
    ASSERT_EQ(notices.size(), 3u) << "every change is a notice";
    EXPECT_NE(notices[0].data.find("新名字"), std::string::npos);
    EXPECT_NE(notices[2].data.find("移出"), std::string::npos);
}

TEST_F(Groups, MutedMemberCannotSendAndNothingIsStored) {
    Who owner = user("owner1"), member = user("member1");
    const int64_t gid = create_group(owner);
    join(member, gid);
    EXPECT_EQ(post(owner, "/api/chat/groupMuteUser", Json{{"group_id", gid}, {"user_id", member.id}, {"mute", 1}}).status, 200);
    const size_t before = count(gid);
    int status = 0;
    EXPECT_EQ(send(member, gid, "hello", &status)["data"], "您已被禁言");
    EXPECT_EQ(status, 403);
    EXPECT_EQ(count(gid), before);
    post(owner, "/api/chat/groupMuteUser", Json{{"group_id", gid}, {"user_id", member.id}, {"mute", 0}});
    send(member, gid, "hello", &status);
    EXPECT_EQ(status, 200);
}

TEST_F(Groups, DissolvedGroupIsReadOnlyButKeepsItsHistory) {
    Who owner = user("owner1"), member = user("member1");
    const int64_t gid = create_group(owner);
    join(member, gid);
    send(member, gid, "before");
    EXPECT_EQ(post(owner, "/api/chat/groupDeleteOrQuit", Json{{"id", gid}}).status, 200);
    EXPECT_EQ(last_frame(member)["data"], "群主已解散该群");
    const size_t before = count(gid);
    int status = 0;
    EXPECT_EQ(send(owner, gid, "still there?", &status)["data"], "群不存在或者已解散或者被封禁，无法发消息");
    EXPECT_EQ(status, 400);
    EXPECT_EQ(count(gid), before);
    Json info = data(call("GET", "/api/chat/groupinfo/" + std::to_string(gid), member.token));
    EXPECT_EQ(info["status"], 0) << "members still see it, read-only";
    EXPECT_EQ(call("GET", "/api/chat/history/group/" + std::to_string(gid), member.token).status, 200);
    Who stranger = guest();
    EXPECT_EQ(call("GET", "/api/chat/groupinfo/" + std::to_string(gid), stranger.token).status, 400);
    EXPECT_EQ(join(stranger, gid).status, 400);
}

TEST_F(Groups, MemberQuitsWithANotice) {
    Who owner = user("owner1"), member = user("member1");
    const int64_t gid = create_group(owner);
    join(member, gid);
    EXPECT_EQ(post(member, "/api/chat/groupDeleteOrQuit", Json{{"id", gid}}).status, 200);
    EXPECT_FALSE(store->member(gid, member.id));
    EXPECT_EQ(store->group_by_id(gid)->status, 1);
    EXPECT_NE(last_frame(owner)["data"].get<std::string>().find("退出了群聊"), std::string::npos);
}

TEST_F(Groups, Policy1JoinNeedsTheOwnersApproval) {
    Who owner = user("owner1");
    const int64_t gid = create_group(owner, 1);
    Who g = guest();
    EXPECT_EQ(join(g, gid, std::string(501, 'x')).status, 400) << "reason is at most 500 chars";
    auto r = join(g, gid, "我是小王");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(data(r)["pending"], true);
    EXPECT_EQ(store->member(gid, g.id)->status, 2);
    Json req = last_frame(owner);
    EXPECT_EQ(req["actionType"], "joinRequest");
    EXPECT_NE(req["data"].get<std::string>().find("我是小王"), std::string::npos);
    int status = 0;
    send(g, gid, "let me in", &status);
    EXPECT_EQ(status, 400) << "a pending member cannot send";
    EXPECT_EQ(call("GET", "/api/chat/history/group/" + std::to_string(gid), g.token).status, 403);
    // The owner sees the request in the member list; others do not.
    Json info = data(call("GET", "/api/chat/groupinfo/" + std::to_string(gid), owner.token));
    bool listed = false;
    for (auto& m : info["group_users"]) listed |= m["user_id"] == g.id && m["status"] == 2;
    EXPECT_TRUE(listed);
    auto ok = post(owner, "/api/chat/groupAgreeOrNo", Json{{"group_id", gid}, {"user_id", g.id}, {"type", "agree"}});
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(store->member(gid, g.id)->status, 1);
    send(g, gid, "thanks", &status);
    EXPECT_EQ(status, 200);
}

TEST_F(Groups, Policy1RejectRemovesTheRequest) {
    Who owner = user("owner1");
    const int64_t gid = create_group(owner, 1);
    Who g = guest();
    join(g, gid);
    post(owner, "/api/chat/groupAgreeOrNo", Json{{"group_id", gid}, {"user_id", g.id}, {"type", "no"}});
    EXPECT_FALSE(store->member(gid, g.id));
    EXPECT_EQ(last_frame(g)["actionType"], "joinRejected");
    EXPECT_EQ(post(owner, "/api/chat/groupAgreeOrNo", Json{{"group_id", gid}, {"user_id", g.id}, {"type", "agree"}}).status, 400);
}

TEST_F(Groups, Policy2AsksGuestsToLogInAndUsersForApproval) {
    Who owner = user("owner1");
    const int64_t gid = create_group(owner, 2);
    Who g = guest();
    auto r = join(g, gid);
    EXPECT_EQ(r.status, 403);
    EXPECT_EQ(data(r), "加入该群需要先登录或注册");
    EXPECT_FALSE(store->member(gid, g.id));
    Who u = user("joiner1");
    EXPECT_EQ(data(join(u, gid))["pending"], true) << "users are not let straight in (the reference's bug)";
}

TEST_F(Groups, RecallRules) {
    Who owner = user("owner1"), a = user("member1"), b = user("member2");
    const int64_t gid = create_group(owner);
    join(a, gid);
    join(b, gid);
    const int64_t id = send(a, gid, "oops")["data"]["id"];
    auto recall = [&](const Who& w, int64_t mid) {
        return post(w, "/api/chat/revokeMessage", Json{{"to_id", gid}, {"chatType", "group"}, {"id", mid}});
    };
    EXPECT_EQ(recall(b, id).status, 403) << "not someone else's message (the reference forgot this)";
    EXPECT_EQ(store->message_by_id(id)->isremove, 0);
    EXPECT_EQ(recall(a, id).status, 200);
    Json f = last_frame(b);
    EXPECT_EQ(f["actionType"], "revoke");
    EXPECT_EQ(f["id"], id);
    EXPECT_EQ(f["isremove"], 1);
    EXPECT_EQ(f["data"], "") << "the text is gone for everyone";
    const int64_t late = send(a, gid, "old news")["data"]["id"];
    clock += 5 * 60 * 1000 + 1;
    auto r = recall(a, late);
    EXPECT_EQ(data(r), "消息超过5分钟，不能撤回");
    EXPECT_EQ(recall(owner, late).status, 200) << "the owner may recall any time";
}

TEST_F(Groups, GuestUpgradeKeepsIdGroupsAndHistory) {
    Who owner = user("owner1");
    const int64_t gid = create_group(owner);
    Who g = guest();
    join(g, gid);
    send(g, gid, "as a guest");
    auto r = post(g, "/api/visitorregChat", Json{{"username", "upgraded"}, {"password", "secret1"}, {"repassword", "secret1"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(data(r)["id"], g.id);
    EXPECT_EQ(data(r)["role"], "user");
    const std::string token = data(r)["token"];
    EXPECT_EQ(g.sock->closed_with, 0) << "no 'logged in elsewhere' for upgrading oneself";
    EXPECT_FALSE(api.authenticate(g.token)) << "the guest token is replaced";
    auto hist = data(call("GET", "/api/chat/history/group/" + std::to_string(gid), token))["list"];
    bool mine = false;
    for (auto& m : hist) mine |= m["data"] == "as a guest" && m["from_id"] == g.id;
    EXPECT_TRUE(mine);
    EXPECT_EQ(call("POST", "/api/loginChat", "", Json{{"username", "upgraded"}, {"password", "secret1"}}).status, 200);
}

TEST_F(Groups, GuestLoginMovesMembershipsIntoTheAccount) {
    Who owner = user("owner1"), account = user("member1");
    const int64_t gid = create_group(owner);
    Who g = guest();
    join(g, gid);
    auto r = post(g, "/api/visitorloginChat", Json{{"username", "member1"}, {"password", "secret1"}});
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(data(r)["id"], account.id);
    EXPECT_TRUE(store->member(gid, account.id));
    EXPECT_FALSE(api.authenticate(g.token)) << "the guest session ends";
    EXPECT_EQ(post(g, "/api/visitorloginChat", Json{{"username", "member1"}, {"password", "bad"}}).status, 400);
}

TEST_F(Groups, SingleChatNeedsACommonGroupAndRespectsSendCount) {
    Who owner = user("owner1"), alice = user("alice01");
    const int64_t gid = create_group(owner);
    Who g = guest();
    int status = 0;
    send(g, alice.id, "hi", &status, "single");
    EXPECT_EQ(status, 403) << "no common group yet";
    join(g, gid);
    join(alice, gid);
    // Default sendCount 1: one message, then register.
    send(g, alice.id, "hi", &status, "single");
    EXPECT_EQ(status, 200);
    EXPECT_EQ(last_frame(alice)["data"], "hi");
    Json second = send(g, alice.id, "hi again", &status, "single");
    EXPECT_EQ(status, 403);
    EXPECT_EQ(second["data"], "对方只允许游客发送一条消息，请先注册或登录");
    // sendCount 0: never; 2: unlimited.
    post(alice, "/api/chat/userset", Json{{"userset", R"({"chatset":{"visitor":{"sendCount":0}}})"}});
    EXPECT_EQ(send(g, alice.id, "x", &status, "single")["data"], "对方不接收游客的消息，请先注册或登录");
    post(alice, "/api/chat/userset", Json{{"userset", R"({"chatset":{"visitor":{"sendCount":2}}})"}});
    send(g, alice.id, "x", &status, "single");
    EXPECT_EQ(status, 200);
    // Users are not limited, and both sides read the same conversation.
    send(alice, g.id, "reply", &status, "single");
    EXPECT_EQ(status, 200);
    auto hist = data(call("GET", "/api/chat/history/single/" + std::to_string(alice.id), g.token))["list"];
    EXPECT_EQ(hist.size(), 3u);
    EXPECT_EQ(post(alice, "/api/chat/userset", Json{{"userset", R"({"chatset":{"visitor":{"sendCount":7}}})"}}).status, 400);
}

TEST_F(Groups, QrCodeIsAPngOfTheJoinUrl) {
    Who owner = user("owner1");
    const int64_t gid = create_group(owner);
    auto png = call("GET", "/api/chat/groupQrcode/" + std::to_string(gid) + "?type=H5&http=http://evil.example", owner.token);
    EXPECT_EQ(png.content_type, "image/png");
    EXPECT_EQ(png.body.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
    auto m = data(call("GET", "/api/chat/groupQrcode/" + std::to_string(gid) + "?format=matrix", owner.token));
    EXPECT_EQ(m["url"], "http://192.168.1.5:8080/?group=" + std::to_string(gid)) << "never the caller's `http`";
    EXPECT_EQ(m["rows"].size(), m["size"].get<size_t>());
    auto svg = call("GET", "/api/chat/groupQrcode/" + std::to_string(gid) + "?format=svg", owner.token);
    EXPECT_EQ(svg.content_type, "image/svg+xml");
    Who outsider = guest();
    EXPECT_EQ(call("GET", "/api/chat/groupQrcode/" + std::to_string(gid), outsider.token).status, 403);
}

TEST_F(Groups, SettingsAndNicknames) {
    Who a = user("alice01");
    EXPECT_EQ(data(call("GET", "/api/chat/userset", a.token))["chatset"]["visitor"]["sendCount"], 1);
    EXPECT_EQ(data(post(a, "/api/chat/updateUserinfo", Json{{"nickname", "爱丽丝"}}))["nickname"], "爱丽丝");
    EXPECT_EQ(post(a, "/api/chat/updateUserinfo", Json{{"nickname", std::string(21 * 3, 'x')}}).status, 400);
    const int64_t gid = create_group(a);
    EXPECT_EQ(post(a, "/api/chat/groupnickname", Json{{"id", gid}, {"nickname", "群主大人"}}).status, 200);
    EXPECT_EQ(send(a, gid, "hi")["data"]["from_name"], "群主大人");
}

TEST_F(Groups, PersonalQrAddsAContactWhoCanThenChat) {
    Who alice = user("alice01");
    Who g = guest();
    auto m = data(call("GET", "/api/chat/userQrcode?format=matrix", alice.token));
    const std::string url = m["url"];
    ASSERT_EQ(url.rfind("http://192.168.1.5:8080/?user=", 0), 0u);
    const std::string code = url.substr(url.find("user=") + 5);
    EXPECT_GE(code.size(), 16u) << "a random code, not the guessable id";
    Json card = data(call("GET", "/api/chat/contactInfo/" + code, g.token));
    EXPECT_EQ(card["name"], "alice01");
    EXPECT_EQ(card["is_contact"], false);
    int status = 0;
    send(g, alice.id, "hi", &status, "single");
    EXPECT_EQ(status, 403) << "strangers cannot message";
    EXPECT_EQ(post(g, "/api/chat/addContact", Json{{"code", code}}).status, 200);
    EXPECT_EQ(post(g, "/api/chat/addContact", Json{{"code", "bad"}}).status, 400);
    send(g, alice.id, "hi", &status, "single");
    EXPECT_EQ(status, 200);
    EXPECT_EQ(last_frame(alice)["data"], "hi");
    EXPECT_EQ(call("GET", "/api/chat/userQrcode", g.token).content_type, "image/png");
}

TEST(Uploads, ImagesAreJudgedByContentAndOnlyOurOwnCanBeSent) {
    auto store = make_sqlite_store(":memory:");
    auto bus = make_memory_bus();
    Hub hub(*bus);
    const auto dir = std::filesystem::temp_directory_path() / ("imchat_blobs_" + std::to_string(::getpid()));
    auto blobs = make_file_blob_store(dir.string());
    Api api(*store, *bus, [] { return int64_t{1'700'000'000'000}; }, ApiConfig{"http://h"}, blobs.get());
    GroupRow g = api.ensure_demo_group();
    Request reg{"POST", "/api/visitorRegister", "", "", R"({"deviceId":"abcdefgh-0000-4000-8000-000000000001"})", "1.1.1.1"};
    const std::string token = Json::parse(api.handle(reg)->body)["data"]["token"];
    api.handle(Request{"POST", "/api/chat/groupInviteUser", "", token, Json{{"group_id", g.id}, {"inviteuser_id", -1}}.dump(), ""});

    const std::string png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
    auto up = api.handle(Request{"POST", "/api/chat/upload", "", token, png, ""});
    ASSERT_EQ(up->status, 200) << up->body;
    const std::string url = Json::parse(up->body)["data"]["url"];
    EXPECT_EQ(url.substr(url.size() - 4), ".png");
    EXPECT_TRUE(std::filesystem::exists(dir / url.substr(9)));
    auto html = api.handle(Request{"POST", "/api/chat/upload", "", token, "<html><script>alert(1)</script>", ""});
    EXPECT_EQ(html->status, 400) << "a named .png that is not one is refused";
    EXPECT_EQ(api.handle(Request{"POST", "/api/chat/upload", "", "", png, ""})->status, 400) << "needs a token";

    auto send = [&](const std::string& data) {
        return api.handle(Request{"POST", "/api/chat/socket/sendmessage", "", token,
                                  Json{{"sendto_id", g.id}, {"chatType", "group"}, {"type", "image"}, {"data", data}}.dump(), ""});
    };
    EXPECT_EQ(send(url)->status, 200);
    EXPECT_EQ(send("https://evil.example/x.png")->status, 400);
    EXPECT_EQ(send("/uploads/../../etc/passwd")->status, 400);
    std::filesystem::remove_all(dir);
}
