#include "ui_harness.hpp"

using namespace imchat;
using namespace imchat::ui::testing;

namespace {
void to_settings(UiHarness& h, const std::string& role) {
    h.to_list(role);
    h.feed(core::ev::ShowSettings{});
    const auto set = h.http_to("/api/chat/userset");
    const auto qr = h.http_to("/api/chat/userQrcode");
    h.reply(set, 200, UiHarness::ok(Json{{"chatset", {{"visitor", {{"sendCount", 2}}}}}}));
    h.reply(qr, 200, UiHarness::ok(Json{{"url", "http://192.168.1.5:8080/?user=00aa"}, {"size", 2},
                                         {"rows", {"10", "01"}}}));
    ASSERT_EQ(h.s.screen(), core::Screen::Settings);
}
}  // namespace

TEST(SettingsView, UserSeesGuestPolicyLanguageAndQr) {
    UiHarness h;
    to_settings(h, "user");
    h.frame();
    for (const char* id : {"nickname", "sendcount:0", "sendcount:1", "sendcount:2", "lang:zh", "lang:en", "qr", "copy_link"})
        EXPECT_TRUE(h.has(id)) << id;
    const auto save = event_of<core::ev::SaveSettings>(h.tap("sendcount:0"));
    ASSERT_TRUE(save);
    EXPECT_EQ(save->send_count, 0);
    EXPECT_FALSE(event_of<core::ev::SaveSettings>(h.tap("sendcount:2"))) << "already the setting";
    EXPECT_EQ(h.tap("copy_link").copy_text, "http://192.168.1.5:8080/?user=00aa");
}

TEST(SettingsView, GuestHasNoGuestPolicy) {
    UiHarness h;
    to_settings(h, "visitor");
    h.frame();
    EXPECT_EQ(h.count_prefix("sendcount:"), 0);
    EXPECT_TRUE(h.has("lang:en"));
}

TEST(SettingsView, LanguageSwitchesEveryString) {
    UiHarness h;
    to_settings(h, "visitor");
    h.frame();
    auto o = h.tap("lang:en");
    const auto save = event_of<core::ev::SaveSettings>(o);
    ASSERT_TRUE(save);
    EXPECT_EQ(save->language, "en");
    h.dispatch(o);
    EXPECT_EQ(h.s.lang(), core::Lang::En);
    h.frame();
    EXPECT_FALSE(event_of<core::ev::SaveSettings>(h.tap("lang:en")));
}

TEST(SettingsView, NicknameAsksWithTheCurrentOne) {
    UiHarness h;
    to_settings(h, "user");
    h.frame();
    auto o = h.tap("nickname");
    ASSERT_EQ(o.prompts.size(), 1u);
    EXPECT_EQ(o.prompts[0].key, "mynick");
    EXPECT_EQ(o.prompts[0].max_chars, 20);
}
