#include "ui_harness.hpp"

using namespace imchat;
using namespace imchat::ui::testing;

TEST(Banner, OnlineShowsNoBannerBackoffOffersRetry) {
    UiHarness h;
    h.to_chat();
    h.frame();
    EXPECT_FALSE(h.has("retry"));
    const float online_top = h.find("back")->rect.y;
    h.feed(core::ev::SocketClosed{1006, ""});
    ASSERT_EQ(h.s.connection(), core::Conn::Backoff);
    h.frame();
    EXPECT_EQ(h.find("back")->rect.y, online_top) << "the bar stays put";
    EXPECT_TRUE(event_of<core::ev::NetworkOnline>(h.tap("retry")));
}

TEST(Banner, ConnectingHasNoRetryButton) {
    UiHarness h;
    h.start(std::string(kOrigin) + "/", h.user_json());
    ASSERT_EQ(h.s.connection(), core::Conn::Connecting);
    h.frame();
    EXPECT_FALSE(h.has("retry"));
}

TEST(Banner, SecondsCountDownToTheRetry) {
    UiHarness h;
    h.to_chat();
    h.feed(core::ev::SocketClosed{1006, ""});
    const auto vm = ui::banner_vm(h.s);
    EXPECT_EQ(vm.kind, ui::BannerKind::Reconnecting);
    EXPECT_EQ(vm.seconds, (h.s.retry_at() - h.s.now() + 999) / 1000);
    EXPECT_TRUE(vm.retry);
}
