// Session: sending, outbox, send timeouts, seq sync, history paging, recall, images (src/core/session_delivery.cpp).
#include "session_harness.hpp"

TEST(Session, SendShowsPendingThenSent) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"  你好 world \n"});
    auto req = h.http_to("/api/chat/socket/sendmessage");
    Json b = Json::parse(req.body);
    EXPECT_EQ(b["data"], "你好 world");
    EXPECT_EQ(b["sendto_id"], 3);
    EXPECT_EQ(b["chatType"], "group");
    const std::string cmid = b["client_msg_id"];
    EXPECT_EQ(cmid.size(), 36u);
    ASSERT_EQ(h.s.open_messages().size(), 1u);
    EXPECT_EQ(h.s.open_messages()[0].status, SendStatus::Pending);
    Json stored = Harness::chat_frame(50, 1, 10, "你好 world", cmid)["data"];
    h.reply(req, 200, Harness::ok(stored));
    ASSERT_EQ(h.s.open_messages().size(), 1u);
    EXPECT_EQ(h.s.open_messages()[0].status, SendStatus::Sent);
    EXPECT_EQ(h.s.open_messages()[0].id, 50);
}

TEST(Session, EmptySendIsIgnored) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{" \n\t"});
    EXPECT_TRUE(h.all<act::Http>().empty());
    EXPECT_TRUE(h.s.open_messages().empty());
}

TEST(Session, FailedSendIsMarkedFailed) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"x"});
    h.reply(h.http_to("sendmessage"), 403, Harness::fail("您不是该群成员"));   // what the server answers a non-member
    EXPECT_EQ(h.s.open_messages()[0].status, SendStatus::Failed);
}

TEST(Session, LiveMessagesDedupAndGapTriggersFetch) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SocketMessage{Harness::chat_frame(1, 1, 20, "a").dump()});
    h.feed(ev::SocketMessage{Harness::chat_frame(1, 1, 20, "a").dump()});
    EXPECT_EQ(h.s.open_messages().size(), 1u);
    EXPECT_TRUE(h.all<act::Http>().empty());
    h.feed(ev::SocketMessage{Harness::chat_frame(4, 4, 20, "d").dump()});
    auto gap = h.http_to("/api/chat/history/group/3");
    EXPECT_NE(gap.url.find("after_seq=1"), std::string::npos);
    h.reply(gap, 200, Harness::ok(Json{{"list", {Harness::chat_frame(2, 2, 20, "b")["data"],
                                                 Harness::chat_frame(3, 3, 20, "c")["data"],
                                                 Harness::chat_frame(4, 4, 20, "d")["data"]}}}));
    std::vector<int64_t> seqs;
    for (auto& m : h.s.open_messages()) seqs.push_back(m.seq);
    EXPECT_EQ(seqs, (std::vector<int64_t>{1, 2, 3, 4}));
}

TEST(Session, MessageForAnotherConversationCountsUnread) {
    Harness h;
    h.bootstrap_to_chat();
    Json f = Harness::chat_frame(9, 1, 20, "elsewhere");
    f["data"]["to_id"] = 8;
    f["data"]["to_name"] = "other";
    h.feed(ev::SocketMessage{f.dump()});
    auto snap = h.s.snapshot();
    bool found = false;
    for (auto& c : snap["conversations"])
        if (c["id"] == 8) { found = true; EXPECT_EQ(c["unread"], 1); EXPECT_EQ(c["title"], "other"); }
    EXPECT_TRUE(found);
    EXPECT_EQ(h.s.open_messages().size(), 0u);
}

TEST(Session, LiveMessageBeforeFirstHistoryStillLoadsTheLatestPage) {
    Harness h;
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    const act::Http info = h.http_to("/api/chat/groupinfo/3");
    h.feed(ev::SocketOpened{});
    h.reply(info, 200, Harness::ok(h.group_json(false)));
    const act::Http join = h.http_to("/api/chat/groupInviteUser");
    // Our own join notice arrives on the socket before the join answer.
    h.feed(ev::SocketMessage{Harness::chat_frame(3, 3, 0, "joined").dump()});
    h.reply(join, 200, Harness::ok(h.group_json(true)));
    auto hist = h.http_to("/api/chat/history/group/3");
    EXPECT_EQ(hist.url.find("after_seq"), std::string::npos) << "asks for the latest page, not after seq 3";
    h.reply(hist, 200, Harness::ok(Json{{"list", {Harness::chat_frame(1, 1, 0, "welcome")["data"],
                                                  Harness::chat_frame(2, 2, 7, "hi")["data"],
                                                  Harness::chat_frame(3, 3, 0, "joined")["data"]}}}));
    EXPECT_EQ(h.s.open_messages().size(), 3u);
}

TEST(Session, SendTimeoutShowsFailedAndLateAckStillConfirms) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"slow"});
    const act::Http req = h.http_to("sendmessage");
    const std::string cmid = Json::parse(req.body)["client_msg_id"];
    h.tick(9999);
    EXPECT_EQ(h.s.open_messages()[0].status, SendStatus::Pending);
    h.tick(1);
    EXPECT_EQ(h.s.open_messages()[0].status, SendStatus::Failed);
    h.reply(req, 200, Harness::ok(Harness::chat_frame(71, 1, 10, "slow", cmid)["data"]));
    EXPECT_EQ(h.s.open_messages()[0].status, SendStatus::Sent);
}

TEST(Session, RetrySendResendsAFailedMessageOnce) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"x"});
    const act::Http req = h.http_to("sendmessage");
    const std::string cmid = Json::parse(req.body)["client_msg_id"];
    h.reply(req, 0, Json());   // network error
    EXPECT_EQ(h.s.open_messages()[0].status, SendStatus::Failed);
    h.feed(ev::RetrySend{cmid});
    auto again = h.http_to("sendmessage");
    EXPECT_EQ(Json::parse(again.body)["client_msg_id"], cmid);
    EXPECT_EQ(h.s.open_messages()[0].status, SendStatus::Pending);
    h.feed(ev::RetrySend{cmid});
    EXPECT_TRUE(h.all<act::Http>().empty()) << "not twice while one is in flight";
}

TEST(Session, ReconnectSyncsConversationListAndResendsUnsent) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"during outage"});
    h.reply(h.http_to("sendmessage"), 0, Json());
    h.feed(ev::SocketClosed{1006, ""});
    h.tick(1000);
    h.feed(ev::SocketOpened{});
    h.http_to("sendmessage");
    h.http_to("/api/chat/conversationList");
    h.http_to("/api/chat/history/group/3");
}

TEST(Session, LoadEarlierPagesBackwardsUntilTheStart) {
    Harness h;
    h.feed(ev::Start{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now});
    h.reply(h.http_to("/api/chat/groupinfo/3"), 200, Harness::ok(h.group_json(true)));
    Json page = Json::array();
    for (int i = 51; i <= 100; ++i) page.push_back(Harness::chat_frame(i, i, 20, "m")["data"]);
    h.reply(h.http_to("/api/chat/history/group/3"), 200, Harness::ok(Json{{"list", page}}));
    EXPECT_TRUE(h.s.can_load_earlier());
    h.feed(ev::LoadEarlier{});
    auto req = h.http_to("before_seq=51");
    EXPECT_TRUE(h.s.loading_earlier());
    h.feed(ev::LoadEarlier{});
    EXPECT_TRUE(h.all<act::Http>().empty()) << "one page at a time";
    Json older = Json::array();
    for (int i = 1; i <= 50; ++i) older.push_back(Harness::chat_frame(i, i, 20, "m")["data"]);
    h.reply(req, 200, Harness::ok(Json{{"list", older}}));
    EXPECT_EQ(h.s.open_messages().size(), 100u);
    EXPECT_EQ(h.s.open_messages().front().seq, 1);
    EXPECT_FALSE(h.s.can_load_earlier());
}

TEST(Session, RecallOwnMessageAndShowOthersRecalls) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SocketMessage{Harness::chat_frame(5, 1, 10, "mine").dump()});
    h.s.handle(ev::Tick{h.now});
    h.feed(ev::Recall{5});
    auto req = h.http_to("/api/chat/revokeMessage");
    EXPECT_EQ(Json::parse(req.body)["id"], 5);
    Json removed = Harness::chat_frame(5, 1, 10, "")["data"];
    removed["isremove"] = 1;
    removed["actionType"] = "revoke";
    h.reply(req, 200, Harness::ok(removed));
    EXPECT_EQ(h.s.open_messages()[0].isremove, 1);
    EXPECT_EQ(h.s.open_messages()[0].data, "");
    // Someone else's message cannot be recalled by us (not the owner), and their recall reaches us.
    h.feed(ev::SocketMessage{Harness::chat_frame(6, 2, 20, "theirs").dump()});
    h.feed(ev::Recall{6});
    EXPECT_TRUE(h.all<act::Http>().empty());
    Json f = Harness::chat_frame(6, 2, 20, "");
    f["data"]["isremove"] = 1;
    f["data"]["actionType"] = "revoke";
    h.feed(ev::SocketMessage{f.dump()});
    EXPECT_EQ(h.s.open_messages()[1].isremove, 1);
    EXPECT_EQ(h.s.open_messages().size(), 2u);
}

// The server's recall push is in the reference's shape: type systemNotice, actionType
// revoke, the recalled id, and the recalled message's own type as original_type.
TEST(Session, AReferenceShapedRecallMarksTheStoredMessageRemovedKeepingItsType) {
    Harness h;
    h.bootstrap_to_chat();
    Json img = Harness::chat_frame(7, 1, 20, "/uploads/0123456789abcdef0123456789abcdef.png");
    img["data"]["type"] = "image";
    h.feed(ev::SocketMessage{img.dump()});
    auto recall = [](int64_t id, int64_t seq, const char* original) {
        Json f = Harness::chat_frame(id, seq, 20, "");
        f["data"]["type"] = "systemNotice";
        f["data"]["actionType"] = "revoke";
        f["data"]["isremove"] = 1;
        f["data"]["revoked_by"] = 20;
        if (original) f["data"]["original_type"] = original;
        return f.dump();
    };
    h.feed(ev::SocketMessage{recall(7, 1, "image")});
    ASSERT_EQ(h.s.open_messages().size(), 1u) << "not a new notice";
    EXPECT_EQ(h.s.open_messages()[0].type, "image");
    EXPECT_EQ(h.s.open_messages()[0].isremove, 1);
    EXPECT_EQ(h.s.open_messages()[0].data, "");
    // A recall of a message this device never had is stored as that (removed) message.
    h.feed(ev::SocketMessage{recall(8, 2, "text")});
    ASSERT_EQ(h.s.open_messages().size(), 2u);
    EXPECT_EQ(h.s.open_messages()[1].type, "text");
    EXPECT_EQ(h.s.open_messages()[1].isremove, 1);
    // Without original_type (a reference server) it is still a removed message, not an empty notice.
    h.feed(ev::SocketMessage{recall(9, 3, nullptr)});
    ASSERT_EQ(h.s.open_messages().size(), 3u);
    EXPECT_NE(h.s.open_messages()[2].type, "systemNotice");
    EXPECT_EQ(h.s.open_messages()[2].isremove, 1);
}

TEST(Session, ImageMessagesCarryTheUploadUrl) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"/uploads/0123456789abcdef0123456789abcdef.png", "image"});
    Json b = Json::parse(h.http_to("sendmessage").body);
    EXPECT_EQ(b["type"], "image");
    EXPECT_EQ(b["data"], "/uploads/0123456789abcdef0123456789abcdef.png");
    h.feed(ev::SendText{"x", "video"});
    EXPECT_TRUE(h.all<act::Http>().empty()) << "unknown types are not sent";
}

TEST(Session, SendTimeoutIsANextDeadline) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"hello"});
    const int64_t sent_at = h.now;
    EXPECT_LE(h.s.next_deadline(), sent_at + 10000);
    // Tick only when the session asks to, as the platform does; pongs keep the socket up.
    for (int i = 0; i < 20 && h.s.open_messages().back().status != SendStatus::Failed; ++i) {
        h.now = h.s.next_deadline();
        h.feed(ev::Tick{h.now});
        h.feed(ev::SocketMessage{R"({"type":"pong"})"});
    }
    EXPECT_EQ(h.s.open_messages().back().status, SendStatus::Failed);
    EXPECT_EQ(h.now, sent_at + 10000) << "woken exactly at the send timeout";
}

TEST(Session, UploadImageGoesThroughTheCoreThenSendsTheImage) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::UploadImage{7, "blob:http://x/1"});
    // A pending bubble at once, showing the page's preview while it uploads.
    ASSERT_EQ(h.s.open_messages().size(), 1u);
    const Message pending = h.s.open_messages().back();
    EXPECT_EQ(pending.type, "image");
    EXPECT_EQ(pending.status, SendStatus::Pending);
    ASSERT_NE(h.s.upload_of(pending), nullptr);
    EXPECT_EQ(h.s.upload_of(pending)->preview, "blob:http://x/1");
    const act::Http up = h.one<act::Http>();
    h.feed(ev::UploadProgress{up.id, 50, 100});
    EXPECT_DOUBLE_EQ(h.s.snapshot()["open"]["messages"].back()["upload_progress"].get<double>(), 0.5);
    EXPECT_EQ(up.method, "POST");
    EXPECT_EQ(up.url, std::string(kOrigin) + "/api/chat/upload");
    EXPECT_EQ(up.token, kToken);
    EXPECT_EQ(up.blob, 7);
    EXPECT_TRUE(up.body.empty());
    h.reply(up, 200, Harness::ok(Json{{"url", "/uploads/0123456789abcdef0123456789abcdef.png"}, {"size", 10}}));
    Json b = Json::parse(h.http_to("sendmessage").body);
    EXPECT_EQ(b["type"], "image");
    EXPECT_EQ(b["data"], "/uploads/0123456789abcdef0123456789abcdef.png");
    EXPECT_EQ(b["client_msg_id"], pending.client_msg_id) << "the pending bubble is the message sent";
    ASSERT_EQ(h.s.open_messages().size(), 1u);
    EXPECT_EQ(h.s.open_messages().back().type, "image");
    EXPECT_EQ(h.s.upload_of(h.s.open_messages().back()), nullptr) << "uploaded";
    h.feed(ev::UploadImage{8, "javascript:alert(1)"});
    ASSERT_NE(h.s.upload_of(h.s.open_messages().back()), nullptr);
    EXPECT_EQ(h.s.upload_of(h.s.open_messages().back())->preview, "") << "only the page's blob: URLs are shown";
}

// A refused photo says why and can only be cancelled; one that met network trouble
// goes again by a tap (the same Blob), like a failed text, then sends.
TEST(Session, FailedUploadShowsTheReasonAndARetryableOneGoesAgain) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::UploadImage{3});
    h.reply(h.http_to("/api/chat/upload"), 413, Harness::fail("图片不能超过5MB"));
    EXPECT_TRUE(h.all<act::Http>().empty());
    EXPECT_EQ(h.s.notice(), "图片不能超过5MB");
    const std::string refused = h.s.open_messages().back().client_msg_id;
    EXPECT_EQ(h.s.open_messages().back().status, SendStatus::Failed);
    h.feed(ev::RetrySend{refused});
    EXPECT_TRUE(h.all<act::Http>().empty()) << "a refusal is not uploaded again";
    h.feed(ev::CancelUpload{refused});
    EXPECT_EQ(h.one<act::DropUpload>().blob, 3);
    EXPECT_TRUE(h.s.open_messages().empty());

    h.feed(ev::UploadImage{4});
    h.reply(h.http_to("/api/chat/upload"), 0, Json());
    const Json m = h.s.snapshot()["open"]["messages"].back();
    EXPECT_EQ(m["status"], "failed");
    EXPECT_EQ(m["retry"], true);
    h.feed(ev::RetrySend{m["client_msg_id"].get<std::string>()});
    const act::Http again = h.http_to("/api/chat/upload");
    EXPECT_EQ(again.blob, 4) << "the same Blob";
    h.reply(again, 200, Harness::ok(Json{{"url", "/uploads/0123456789abcdef0123456789abcdef.png"}, {"kind", "image"}}));
    EXPECT_EQ(Json::parse(h.http_to("sendmessage").body)["type"], "image");
    h.feed(ev::UploadImage{0});
    EXPECT_TRUE(h.all<act::Http>().empty()) << "no blob, no upload";
}

TEST(Session, UploadAnsweredAfterLeavingTheConversationGoesWhereItWasPicked) {
    Harness h;
    h.bootstrap_to_chat();
    const int64_t group = h.s.snapshot()["open"]["id"].get<int64_t>();
    h.feed(ev::UploadImage{5});
    const act::Http up = h.one<act::Http>();
    h.feed(ev::OpenConversation{{"single", 99}, "someone else"});
    h.reply(up, 200, Harness::ok(Json{{"url", "/uploads/0123456789abcdef0123456789abcdef.png"}}));
    const Json b = Json::parse(h.http_to("sendmessage").body);
    EXPECT_EQ(b["sendto_id"], group) << "the image belongs to the conversation it was picked in";
    EXPECT_EQ(b["chatType"], "group");
    EXPECT_TRUE(h.s.open_messages().empty()) << "nothing shows in the conversation opened since";
}

// Parallel fetches may reach the server in any order (CI saw 18 stored before 17), so a
// conversation has one send in flight; the next goes when it is answered.
TEST(Session, SendsInOneConversationGoOneAtATimeInTypedOrder) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"one"});   // h.rnd differs per send: each gets its own client_msg_id
    auto sends = h.all<act::Http>();
    h.rnd = 0.2;
    h.feed(ev::SendText{"two"});
    EXPECT_TRUE(h.all<act::Http>().empty()) << "two waits for one's answer";
    h.rnd = 0.4;
    h.feed(ev::SendText{"three"});
    EXPECT_TRUE(h.all<act::Http>().empty()) << "three waits too";
    std::vector<std::string> order;
    for (int64_t seq = 1; seq <= 3; ++seq) {
        ASSERT_EQ(sends.size(), 1u);
        const Json b = Json::parse(sends[0].body);
        order.push_back(b["data"]);
        h.reply(sends[0], 200, Harness::ok(Harness::chat_frame(100 + seq, seq, 10, b["data"], b["client_msg_id"])["data"]));
        sends = h.all<act::Http>();
    }
    EXPECT_TRUE(sends.empty());
    EXPECT_EQ(order, (std::vector<std::string>{"one", "two", "three"}));
    for (const auto& m : h.s.open_messages()) EXPECT_EQ(m.status, SendStatus::Sent) << m.data;
}

TEST(Session, ARefusedSendLetsTheNextGoAndANetworkErrorFailsTheQueueInOrder) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"too long"});
    const act::Http first = h.http_to("sendmessage");
    h.rnd = 0.2;
    h.feed(ev::SendText{"fine"});
    h.rnd = 0.4;
    h.feed(ev::SendText{"later"});
    h.reply(first, 400, Harness::fail("消息太长"));
    const act::Http fine = h.http_to("sendmessage");
    EXPECT_EQ(Json::parse(fine.body)["data"], "fine");
    h.reply(fine, 0, Json());   // network error: "later" is not sent into it
    EXPECT_TRUE(h.all<act::Http>().empty());
    const auto& msgs = h.s.open_messages();
    ASSERT_EQ(msgs.size(), 3u);
    for (const auto& m : msgs) EXPECT_EQ(m.status, SendStatus::Failed) << m.data;
    // Reconnecting resends the retryable ones, still one at a time, "fine" first.
    h.feed(ev::SocketClosed{1006, ""});
    h.tick(60000);
    h.feed(ev::SocketOpened{});
    auto again = h.all<act::Http>();
    std::vector<std::string> sent;
    for (const auto& r : again) if (r.url.find("sendmessage") != std::string::npos) sent.push_back(Json::parse(r.body)["data"]);
    EXPECT_EQ(sent, (std::vector<std::string>{"fine"}));
}

// The server takes any file and says what it judged it to be: a picked "image" that is not
// one is not sent as an image message (the server would refuse it), and the user is told.
TEST(Session, AnUploadTheServerJudgesNotAnImageIsNotSentAsAnImage) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::UploadImage{7});
    h.reply(h.http_to("/api/chat/upload"), 200,
            Harness::ok(Json{{"url", "/uploads/0123456789abcdef0123456789abcdef.bin"}, {"kind", "file"}, {"size", 12}}));
    EXPECT_TRUE(h.all<act::Http>().empty()) << "no sendmessage";
    EXPECT_EQ(h.one<act::DropUpload>().blob, 7) << "the Blob is let go";
    EXPECT_TRUE(h.s.open_messages().empty()) << "the pending bubble goes";
    EXPECT_EQ(h.s.snapshot()["notice"], "只支持 PNG、JPEG、GIF、WebP 图片");
    h.feed(ev::UploadImage{8});
    h.reply(h.http_to("/api/chat/upload"), 200,
            Harness::ok(Json{{"url", "/uploads/0123456789abcdef0123456789abcdef.png"}, {"kind", "image"}}));
    EXPECT_EQ(Json::parse(h.http_to("sendmessage").body)["type"], "image");
}
