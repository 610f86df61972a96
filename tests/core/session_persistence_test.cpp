// Session: what survives a reload, and the test hook snapshot (src/core/session_persistence.cpp).
#include "session_harness.hpp"

TEST(Session, SnapshotHasTheDocumentedShape) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SendText{"hi"});
    Json s = h.s.snapshot();
    EXPECT_EQ(s["user"]["id"], 10);
    EXPECT_EQ(s["user"]["role"], "visitor");
    EXPECT_EQ(s["connection"], "online");
    EXPECT_EQ(s["screen"], "chat");
    EXPECT_EQ(s["open"]["chatType"], "group");
    EXPECT_EQ(s["open"]["id"], 3);
    EXPECT_EQ(s["open"]["messages"][0]["status"], "pending");
    EXPECT_EQ(s["conversations"][0]["title"], "imchat 演示群");
}

TEST(Session, PendingSendSurvivesReloadAndIsResentOnConnect) {
    std::string outbox, cmid;
    {
        Harness h;
        h.bootstrap_to_chat();
        h.feed(ev::SendText{"offline words"});
        outbox = persisted(h.last, kKeyOutbox);
        ASSERT_NE(outbox, "<none>");
        cmid = Json::parse(h.http_to("sendmessage").body)["client_msg_id"];
        // The page dies before any answer.
    }
    Harness h;
    ev::Start st{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now};
    st.outbox_json = outbox;
    h.feed(st);
    const act::Http info = h.http_to("/api/chat/groupinfo/3");
    h.reply(info, 200, Harness::ok(h.group_json(true)));
    h.reply(h.http_to("/api/chat/history/group/3"), 200, Harness::ok(Json{{"list", Json::array()}}));
    ASSERT_EQ(h.s.open_messages().size(), 1u);
    EXPECT_EQ(h.s.open_messages()[0].status, SendStatus::Pending);
    h.feed(ev::SocketOpened{});
    auto resend = h.http_to("sendmessage");
    EXPECT_EQ(Json::parse(resend.body)["client_msg_id"], cmid) << "same idempotency key";
    h.reply(resend, 200, Harness::ok(Harness::chat_frame(70, 5, 10, "offline words", cmid)["data"]));
    EXPECT_EQ(h.s.open_messages()[0].status, SendStatus::Sent);
    EXPECT_EQ(persisted(h.last, kKeyOutbox), "") << "outbox emptied once acknowledged";
}

TEST(Session, CacheShowsTheConversationBeforeTheSocketIsUp) {
    std::string cache;
    {
        Harness h;
        h.bootstrap_to_chat();
        h.feed(ev::SocketMessage{Harness::chat_frame(1, 1, 20, "cached hello").dump()});
        h.tick(1000);
        cache = persisted(h.last, kKeyCache);
        ASSERT_NE(cache, "<none>");
    }
    Harness h;
    ev::Start st{kHref, kOrigin, "zh-CN", kDevice, h.user_json().dump(), h.now};
    st.cache_json = cache;
    h.feed(st);
    EXPECT_EQ(h.s.screen(), Screen::Chat);
    ASSERT_EQ(h.s.open_messages().size(), 1u);
    EXPECT_EQ(h.s.open_messages()[0].data, "cached hello");
    EXPECT_EQ(h.s.connection(), Conn::Connecting);
    // Once confirmed, only what came after the cache is fetched.
    h.reply(h.http_to("/api/chat/groupinfo/3"), 200, Harness::ok(h.group_json(true)));
    EXPECT_NE(h.http_to("/api/chat/history/group/3").url.find("after_seq=1"), std::string::npos);
}

TEST(Session, CacheOfAnotherUserIsIgnored) {
    Harness h;
    ev::Start st{kHref, kOrigin, "zh-CN", kDevice, h.user_json(99).dump(), h.now};
    st.cache_json = Json{{"user", 10}, {"conversations", Json::array({{{"chatType", "group"}, {"id", 3},
        {"messages", Json::array({Harness::chat_frame(1, 1, 20, "not yours")["data"]})}}})}}.dump();
    h.feed(st);
    EXPECT_TRUE(h.s.open_messages().empty());
    EXPECT_EQ(h.s.screen(), Screen::Loading);
}
