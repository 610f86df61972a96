// Session: settings (src/core/session_settings.cpp).
#include "session_harness.hpp"

TEST(Session, SettingsLoadsTheGuestSendCountAndMyQr) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::ShowSettings{});
    EXPECT_EQ(h.s.screen(), Screen::Settings);
    const act::Http my_qr = h.http_to("/api/chat/userQrcode?format=matrix");
    h.reply(h.http_to("/api/chat/userset"), 200, Harness::ok(Json{{"chatset", {{"visitor", {{"sendCount", 2}}}}}}));
    EXPECT_EQ(h.s.guest_send_count(), 2);
    h.reply(my_qr, 200, Harness::ok(Json{{"url", "http://x/?u=abc"}, {"size", 2}, {"rows", {"10", "01"}}}));
    EXPECT_EQ(h.s.group_qr().url, "http://x/?u=abc");
    EXPECT_EQ(h.s.group_qr().rows.size(), 2u);
    EXPECT_EQ(h.s.snapshot()["settings"]["send_count"], 2);
}

TEST(Session, SavingSettingsSendsOnlyWhatChanged) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::SaveSettings{"", 1, "en"});
    EXPECT_EQ(h.s.lang(), Lang::En);
    EXPECT_EQ(h.one<act::Persist>().key, kKeyLang);
    EXPECT_TRUE(h.all<act::Http>().empty()) << "send count unchanged";
    h.feed(ev::SaveSettings{"", 0, ""});
    Json body = Json::parse(h.http_to("/api/chat/userset").body);
    EXPECT_EQ(Json::parse(body["userset"].get<std::string>())["chatset"]["visitor"]["sendCount"], 0);
    h.feed(ev::SaveSettings{"Neo", -1, ""});
    const act::Http nick = h.http_to("/api/chat/updateUserinfo");
    h.reply(nick, 200, Harness::ok(Json{{"nickname", "Neo"}}));
    EXPECT_EQ(h.s.user().nickname, "Neo");
    EXPECT_EQ(h.one<act::Persist>().key, kKeyUser);
}

TEST(Session, WrongTypedSettingsAnswersChangeNothing) {
    Harness h;
    h.bootstrap_to_chat();
    h.feed(ev::ShowSettings{});
    const act::Http qr = h.http_to("/api/chat/userQrcode");
    h.reply(h.http_to("/api/chat/userset"), 200, Harness::ok(Json{{"chatset", "nope"}}));
    EXPECT_EQ(h.s.guest_send_count(), 1);
    h.reply(qr, 200, Harness::ok(Json{{"url", 5}, {"rows", {1, "01", nullptr}}}));
    EXPECT_EQ(h.s.group_qr().rows, std::vector<std::string>{"01"}) << "non-string rows are skipped";
}
