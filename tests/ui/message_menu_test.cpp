#include "ui_harness.hpp"

using namespace imchat;
using namespace imchat::ui::testing;

namespace {
void with_two_messages(UiHarness& h) {
    h.to_chat();
    h.feed(core::ev::SocketMessage{UiHarness::chat_frame(5, 1, kMe, "mine").dump()});
    h.feed(core::ev::SocketMessage{UiHarness::chat_frame(6, 2, 20, "theirs").dump()});
    h.frame();
    h.frame();
}
}  // namespace

TEST(MessageMenu, RightClickOnMyMessageOffersCopyAndRecall) {
    UiHarness h;
    with_two_messages(h);
    h.tap("msg:5", 1);
    h.frame();
    ASSERT_TRUE(h.has("menu:copy"));
    ASSERT_TRUE(h.has("menu:recall"));
    const auto r = event_of<core::ev::Recall>(h.tap("menu:recall"));
    ASSERT_TRUE(r);
    EXPECT_EQ(r->message_id, 5);
}

TEST(MessageMenu, OthersMessagesCanOnlyBeCopied) {
    UiHarness h;
    with_two_messages(h);
    h.tap("msg:6", 1);
    h.frame();
    EXPECT_FALSE(h.has("menu:recall"));
    EXPECT_EQ(h.tap("menu:copy").copy_text, "theirs");
}

TEST(MessageMenu, LongPressOpensItAShortTapDoesNot) {
    UiHarness h;
    with_two_messages(h);
    h.tap("msg:6");
    h.frame();
    EXPECT_FALSE(h.has("menu:copy"));
    h.hold("msg:6", 0.6f);
    h.frame();
    EXPECT_TRUE(h.has("menu:copy"));
}
