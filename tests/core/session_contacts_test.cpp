// Session: personal QR links (src/core/session_contacts.cpp).
#include "session_harness.hpp"

TEST(Session, PersonalQrAddsAContactAndOpensTheChat) {
    Harness h;
    h.feed(ev::Start{"http://h:8080/?user=00aa11bb22cc33dd", kOrigin, "en", kDevice, h.user_json().dump(), h.now});
    auto info = h.http_to("/api/chat/contactInfo/00aa11bb22cc33dd");
    h.reply(info, 200, Harness::ok(Json{{"id", 40}, {"name", "alice01"}, {"is_contact", false}, {"is_self", false}}));
    EXPECT_EQ(h.s.screen(), Screen::Join);
    EXPECT_TRUE(h.s.join_card().contact);
    h.feed(ev::RequestJoin{""});
    auto add = h.http_to("/api/chat/addContact");
    EXPECT_EQ(Json::parse(add.body)["code"], "00aa11bb22cc33dd");
    h.reply(add, 200, Harness::ok(Json{{"id", 40}, {"name", "alice01"}}));
    EXPECT_EQ(h.s.screen(), Screen::Chat);
    EXPECT_EQ(h.s.open_conversation()->key, (ConversationKey{"single", 40}));
    EXPECT_EQ(h.s.open_conversation()->title, "alice01");
    h.http_to("/api/chat/history/single/40");
}
