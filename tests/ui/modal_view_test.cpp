#include "ui_harness.hpp"

using namespace imchat;
using namespace imchat::ui::testing;

TEST(ModalView, KickShowsTheModalAndItsButtonDismissesIt) {
    UiHarness h;
    h.to_chat();
    h.feed(core::ev::SocketClosed{4001, ""});
    ASSERT_FALSE(h.s.modal().empty());
    h.frame();
    h.frame();   // the popup appears the frame after it opens
    ASSERT_TRUE(h.has("modal:ok"));
    auto o = h.tap("modal:ok");
    EXPECT_TRUE(event_of<core::ev::DismissModal>(o));
    h.dispatch(o);
    EXPECT_TRUE(h.s.modal().empty());
    h.frame();
    EXPECT_FALSE(h.has("modal:ok"));
}

TEST(ModalView, TheModalBlocksTheViewsBehindIt) {
    UiHarness h;
    h.to_chat();
    h.feed(core::ev::SocketClosed{4001, ""});
    h.frame();
    h.frame();
    EXPECT_FALSE(event_of<core::ev::ShowList>(h.tap("back")));
}
