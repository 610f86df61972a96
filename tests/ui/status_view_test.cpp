#include "ui_harness.hpp"

using namespace imchat;
using namespace imchat::ui::testing;

TEST(StatusView, LoadingDrawsNoControls) {
    UiHarness h;
    h.start(std::string(kOrigin) + "/?group=3", h.user_json());
    ASSERT_EQ(h.s.screen(), core::Screen::Loading);
    h.frame();
    EXPECT_FALSE(h.has("back"));
    EXPECT_FALSE(h.out.composer_visible);
    EXPECT_EQ(h.out.title, "imchat");
}

TEST(StatusView, NotFoundOffersTheWayBackToTheList) {
    UiHarness h;
    h.start(std::string(kOrigin) + "/?group=3", h.user_json());
    h.reply(h.http_to("/api/chat/groupinfo/3"), 400, UiHarness::fail("群不存在或者已解散"));
    ASSERT_EQ(h.s.screen(), core::Screen::NotFound);
    h.frame();
    auto o = h.tap("back");
    EXPECT_TRUE(event_of<core::ev::ShowList>(o));
    h.dispatch(o);
    EXPECT_EQ(h.s.screen(), core::Screen::List);
}
