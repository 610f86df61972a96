// Server-side conversations on the client (issue 9): conversationList merged into
// the list, previews, order, unread, conversationRead / Hide, and the time labels.
#include "session_harness.hpp"

#include "core/time_label.hpp"

namespace {

// 2026-11-27 (a Friday) 15:04 in UTC+8 = 07:04 UTC.
constexpr int64_t kNow = 1795763040000;   // checked below: the label of kNow itself is "15:04"
constexpr int     kCst = 480;
constexpr int64_t kHour = 3600 * 1000, kDay = 24 * kHour;

Json item(const std::string& type, int64_t id, const std::string& name, int64_t update_time, int unread,
          const std::string& text, int64_t last_seq) {
    return Json{{"chatType", type}, {"id", id}, {"name", name}, {"avatar", ""}, {"update_time", update_time},
                {"unread", unread}, {"last_seq", last_seq}, {"read_seq", last_seq - unread},
                {"last", {{"id", 100 + last_seq}, {"seq", last_seq}, {"from_id", 20}, {"from_name", "bob"},
                          {"type", "text"}, {"text", text}, {"time", update_time}}}};
}

Json single_frame(int64_t id, int64_t seq, int64_t from, int64_t to, const std::string& text, int64_t time) {
    return Json{{"type", "singleChat"}, {"timestamp", 1},
                {"data", {{"id", id}, {"seq", seq}, {"from_id", from}, {"from_name", "bob"}, {"to_id", to},
                          {"chatType", "single"}, {"type", "text"}, {"data", text}, {"create_time", time}}}};
}

// Signed in (stored user), on the list, socket open, the list answered with `items`.
void to_list(Harness& h, const Json& items) {
    h.feed(ev::Start{"http://h:8080/", kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    const act::Http list = h.http_to("/api/chat/conversationList");
    h.feed(ev::SocketOpened{});
    h.reply(list, 200, Harness::ok(items));
}

int count_http(const std::vector<Action>& acts, const std::string& part) {
    int n = 0;
    for (const auto& a : acts)
        if (const auto* p = std::get_if<act::Http>(&a); p && p->url.find(part) != std::string::npos) ++n;
    return n;
}

}  // namespace

TEST(TimeLabel, TodayYesterdayWeekdayAndDate) {
    EXPECT_EQ(time_label(kNow, kNow, kCst, Lang::ZhCN), "15:04");
    EXPECT_EQ(time_label(kNow - 15 * kHour, kNow, kCst, Lang::ZhCN), "00:04") << "still today in UTC+8";
    EXPECT_EQ(time_label(kNow - 16 * kHour, kNow, kCst, Lang::ZhCN), "昨天");
    EXPECT_EQ(time_label(kNow - 16 * kHour, kNow, kCst, Lang::En), "Yesterday");
    EXPECT_EQ(time_label(kNow - 2 * kDay, kNow, kCst, Lang::ZhCN), "星期三");
    EXPECT_EQ(time_label(kNow - 2 * kDay, kNow, kCst, Lang::En), "Wednesday");
    EXPECT_EQ(time_label(kNow - 6 * kDay, kNow, kCst, Lang::ZhCN), "星期六");
    EXPECT_EQ(time_label(kNow - 24 * kDay, kNow, kCst, Lang::ZhCN), "2026/11/3");
    EXPECT_EQ(time_label(kNow - 24 * kDay, kNow, kCst, Lang::En), "11/3/2026");
    EXPECT_EQ(time_label(kNow - 400 * kDay, kNow, kCst, Lang::ZhCN), "2025/10/23");
    EXPECT_EQ(time_label(0, kNow, kCst, Lang::ZhCN), "");
}

TEST(TimeLabel, TheOffsetDecidesWhichDayItIs) {
    // Now is 07:04 UTC: 15:04 in Shanghai, 23:04 (of the day before) at UTC-8.
    EXPECT_EQ(time_label(kNow, kNow, -480, Lang::En), "23:04");
    EXPECT_EQ(time_label(kNow - kHour, kNow, -480, Lang::En), "22:04");
    // 16:30 UTC the day before: Shanghai 00:30 today; UTC it is yesterday.
    const int64_t t = kNow - 7 * kHour - 4 * 60000 - 7 * kHour - 30 * 60000;
    EXPECT_EQ(time_label(t, kNow, kCst, Lang::ZhCN), "00:30");
    EXPECT_EQ(time_label(t, kNow, 0, Lang::ZhCN), "昨天");
}

TEST(Conversations, PreviewFollowsTheServersRule) {
    Message m;
    m.type = "text";
    m.data = std::string(70, 'a');
    EXPECT_EQ(last_of(m).text, std::string(60, 'a'));
    std::string zh;
    for (int i = 0; i < 70; ++i) zh += "字";
    m.data = zh;
    EXPECT_EQ(last_of(m).text.size(), 60u * 3) << "60 code points, not bytes";
    m.type = "image";
    EXPECT_EQ(last_of(m).text, "[图片]");
    m.type = "audio";
    EXPECT_EQ(last_of(m).text, "[语音]");
    m.isremove = 1;
    EXPECT_EQ(last_of(m).text, "[消息已撤回]");
}

TEST(Conversations, ApiBuildersAndReader) {
    EXPECT_EQ(api::conversation_list().url, "/api/chat/conversationList");
    EXPECT_EQ(api::conversation_list().method, "GET");
    const act::Http r = api::conversation_read({"single", 7}, 12);
    EXPECT_EQ(r.url, "/api/chat/conversationRead");
    EXPECT_EQ(Json::parse(r.body), (Json{{"chatType", "single"}, {"id", 7}, {"seq", 12}}));
    const act::Http hd = api::conversation_hide({"group", 3});
    EXPECT_EQ(hd.url, "/api/chat/conversationHide");
    EXPECT_EQ(Json::parse(hd.body), (Json{{"chatType", "group"}, {"id", 3}}));

    Json data = Json::array({item("single", 7, "bob", 5000, 2, "hi", 4),
                             {{"chatType", "group"}, {"id", 3}, {"name", "g"}, {"last", nullptr}, {"my_status", 2},
                              {"pending_count", 3}, {"owner_id", 10}, {"member_count", "x"}},
                             {{"chatType", "weird"}, {"id", 1}}, 5, {{"chatType", "group"}}});
    const auto list = api::read_conversation_list(data);
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 2u) << "unknown chatType, non-objects and id-less entries skipped";
    EXPECT_EQ((*list)[0].key, (ConversationKey{"single", 7}));
    EXPECT_EQ((*list)[0].unread, 2);
    ASSERT_TRUE((*list)[0].last);
    EXPECT_EQ((*list)[0].last->text, "hi");
    EXPECT_EQ((*list)[0].last->from_name, "bob");
    EXPECT_EQ((*list)[0].last->time, 5000);
    EXPECT_FALSE((*list)[1].last);
    EXPECT_EQ((*list)[1].my_status, 2);
    EXPECT_EQ((*list)[1].pending_count, 3);
    EXPECT_EQ((*list)[1].member_count, 0) << "wrong type reads as default";
    EXPECT_FALSE(api::read_conversation_list(Json{{"list", 1}}));
    EXPECT_EQ(api::read_conversation_read(Json{{"read_seq", 9}, {"unread", 0}}).read_seq, 9);
}

TEST(Conversations, ServerListBringsOneToOneChatsWithPreviewUnreadAndOrder) {
    Harness h;
    to_list(h, Json::array({item("group", 3, "g", 2000, 0, "old", 5), item("single", 7, "bob", 9000, 2, "hi", 4)}));
    const auto& cs = h.s.conversations();
    ASSERT_EQ(cs.size(), 2u);
    EXPECT_EQ(cs[0].key, (ConversationKey{"single", 7})) << "newest activity first";
    EXPECT_EQ(cs[0].title, "bob");
    EXPECT_EQ(cs[0].unread, 2) << "the server's unread, for a conversation this device never saw";
    ASSERT_TRUE(cs[0].last);
    EXPECT_EQ(cs[0].last->text, "hi");
    EXPECT_EQ(cs[1].key, (ConversationKey{"group", 3}));
    const Json snap = h.s.snapshot();
    EXPECT_EQ(snap["conversations"][0]["last"]["text"], "hi");
    EXPECT_EQ(snap["conversations"][0]["last"]["from_name"], "bob");
    EXPECT_EQ(snap["conversations"][0]["last"]["type"], "text");
    EXPECT_EQ(snap["conversations"][0]["last"]["time"], 9000);
    EXPECT_EQ(snap["conversations"][0]["unread"], 2);
}

TEST(Conversations, ListIsFetchedAgainOnEachReconnect) {
    Harness h;
    to_list(h, Json::array());
    h.feed(ev::SocketClosed{1006, ""});
    h.tick(60000);
    h.feed(ev::SocketOpened{});
    h.http_to("/api/chat/conversationList");
}

TEST(Conversations, ANewMessageUpdatesThePreviewAndMovesItsRowToTheTop) {
    Harness h;
    to_list(h, Json::array({item("single", 7, "bob", 9000, 0, "hi", 4), item("group", 3, "g", 2000, 0, "old", 5)}));
    Json f = Harness::chat_frame(50, 6, 20, "新消息");
    f["data"]["from_name"] = "carol";
    f["data"]["create_time"] = 12000;
    h.feed(ev::SocketMessage{f.dump()});
    const auto& cs = h.s.conversations();
    EXPECT_EQ(cs[0].key, (ConversationKey{"group", 3}));
    EXPECT_EQ(cs[0].unread, 1);
    ASSERT_TRUE(cs[0].last);
    EXPECT_EQ(cs[0].last->text, "新消息");
    EXPECT_EQ(cs[0].last->from_name, "carol");
    EXPECT_EQ(cs[0].update_time, 12000);
    // A 1:1 message from someone new creates its row at the top.
    h.feed(ev::SocketMessage{single_frame(51, 1, 30, 10, "hello", 13000).dump()});
    EXPECT_EQ(cs[0].key, (ConversationKey{"single", 30}));
    EXPECT_EQ(cs[0].unread, 1);
}

TEST(Conversations, AnOpenVisibleConversationIsMarkedReadOnceForABurst) {
    Harness h;
    to_list(h, Json::array({item("single", 7, "bob", 9000, 2, "hi", 4)}));
    h.feed(ev::OpenConversation{{"single", 7}});
    EXPECT_EQ(h.s.conversations()[0].unread, 0);
    const act::Http hist = h.http_to("/api/chat/history/single/7");
    EXPECT_EQ(count_http(h.last, "conversationRead"), 0) << "nothing held yet";
    Json page = Json::array();
    for (int i = 1; i <= 4; ++i)
        page.push_back(single_frame(100 + i, i, i % 2 ? 7 : 10, 7, "m", 1000 + i)["data"]);
    h.reply(hist, 200, Harness::ok(Json{{"list", page}}));
    const act::Http read = h.http_to("/api/chat/conversationRead");
    EXPECT_EQ(Json::parse(read.body)["seq"], 4);
    // More arrive while it is in flight: no second request until it answers.
    h.feed(ev::SocketMessage{single_frame(105, 5, 7, 10, "a", 2000).dump()});
    h.feed(ev::SocketMessage{single_frame(106, 6, 7, 10, "b", 2001).dump()});
    EXPECT_EQ(count_http(h.last, "conversationRead"), 0);
    h.reply(read, 200, Harness::ok(Json{{"read_seq", 4}, {"unread", 2}}));
    const act::Http again = h.http_to("/api/chat/conversationRead");
    EXPECT_EQ(Json::parse(again.body)["seq"], 6) << "one call for the whole burst";
    h.reply(again, 200, Harness::ok(Json{{"read_seq", 6}, {"unread", 0}}));
    EXPECT_EQ(count_http(h.last, "conversationRead"), 0);
    EXPECT_EQ(h.s.conversations()[0].unread, 0);
}

TEST(Conversations, NotMarkedReadWhileThePageIsHiddenNorForOurOwnMessages) {
    Harness h;
    to_list(h, Json::array({item("single", 7, "bob", 9000, 4, "hi", 4)}));
    h.feed(ev::OpenConversation{{"single", 7}});
    Json page = Json::array();
    for (int i = 1; i <= 4; ++i) page.push_back(single_frame(100 + i, i, 7, 10, "m", 1000 + i)["data"]);
    h.reply(h.http_to("/api/chat/history/single/7"), 200, Harness::ok(Json{{"list", page}}));
    h.reply(h.http_to("/api/chat/conversationRead"), 200, Harness::ok(Json{{"read_seq", 4}, {"unread", 0}}));
    h.feed(ev::PageVisibility{false});
    h.feed(ev::SocketMessage{single_frame(105, 5, 7, 10, "a", 2000).dump()});
    EXPECT_EQ(count_http(h.last, "conversationRead"), 0) << "hidden: not read";
    EXPECT_EQ(h.s.conversations()[0].unread, 1) << "counts for the title while hidden";
    h.feed(ev::PageVisibility{true});
    EXPECT_EQ(Json::parse(h.http_to("/api/chat/conversationRead").body)["seq"], 5);
    EXPECT_EQ(h.s.conversations()[0].unread, 0);
    h.reply(h.http_to("/api/chat/conversationRead"), 200, Harness::ok(Json{{"read_seq", 5}, {"unread", 0}}));
    h.feed(ev::SocketMessage{single_frame(106, 6, 10, 7, "mine", 2100).dump()});
    EXPECT_EQ(count_http(h.last, "conversationRead"), 0) << "our own message needs no read";
}

TEST(Conversations, HideRemovesTheRowAndTellsTheServer) {
    Harness h;
    to_list(h, Json::array({item("single", 7, "bob", 9000, 0, "hi", 4), item("group", 3, "g", 2000, 0, "x", 5)}));
    h.feed(ev::HideConversation{{"single", 7}});
    const act::Http hide = h.http_to("/api/chat/conversationHide");
    EXPECT_EQ(Json::parse(hide.body), (Json{{"chatType", "single"}, {"id", 7}}));
    ASSERT_EQ(h.s.conversations().size(), 1u);
    h.reply(hide, 200, Harness::ok(Json{{"hidden", true}}));
    // A newer message brings it back.
    h.feed(ev::SocketMessage{single_frame(105, 5, 7, 10, "back", 20000).dump()});
    ASSERT_EQ(h.s.conversations().size(), 2u);
    EXPECT_EQ(h.s.conversations()[0].key, (ConversationKey{"single", 7}));
}

TEST(Conversations, AFailedHideShowsTheReasonAndReloadsTheList) {
    Harness h;
    to_list(h, Json::array({item("single", 7, "bob", 9000, 0, "hi", 4)}));
    h.feed(ev::HideConversation{{"single", 7}});
    h.reply(h.http_to("/api/chat/conversationHide"), 400, Harness::fail("参数错误"));
    EXPECT_EQ(h.s.notice(), "参数错误");
    h.reply(h.http_to("/api/chat/conversationList"), 200, Harness::ok(Json::array({item("single", 7, "bob", 9000, 0, "hi", 4)})));
    EXPECT_EQ(h.s.conversations().size(), 1u);
}
