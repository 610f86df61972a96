#include "ui_harness.hpp"
#include "ui/theme.hpp"

using namespace imchat;
using namespace imchat::ui::testing;

namespace {
// In group 3 with `n` messages of history, alternately from bob (20) and me.
void to_chat_with(UiHarness& h, int n) {
    h.start(std::string(kOrigin) + "/?group=3", h.user_json());
    const auto info = h.http_to("/api/chat/groupinfo/3");
    h.feed(core::ev::SocketOpened{});
    h.reply(info, 200, UiHarness::ok(h.group_json(true)));
    Json list = Json::array();
    for (int i = 1; i <= n; ++i)
        list.push_back(UiHarness::chat_frame(i, i, i % 2 ? 20 : kMe, "message " + std::to_string(i))["data"]);
    h.answer("/api/chat/history/group/3", Json{{"list", list}});
    ASSERT_EQ(h.s.open_messages().size(), static_cast<size_t>(n));
}
}  // namespace

TEST(ChatView, ComposerRectangleSitsAtTheBottom) {
    UiHarness h;
    h.to_chat();
    h.frame();
    ASSERT_TRUE(h.out.composer_visible);
    EXPECT_EQ(h.out.composer, (ui::Rect{0, 844 - ui::theme::kComposerH, 390, ui::theme::kComposerH}));
}

TEST(ChatView, DissolvedGroupIsReadOnly) {
    UiHarness h;
    h.to_chat();
    Json g = h.group_json(true);
    g["status"] = 0;
    h.feed(core::ev::ShowGroupInfo{});
    h.answer("/api/chat/groupinfo/3", g);
    h.feed(core::ev::OpenConversation{{"group", 3}, ""});
    h.frame();
    EXPECT_FALSE(h.out.composer_visible);
    EXPECT_EQ(ui::chat_vm(h.s).why, ui::ReadOnly::Dissolved);
}

TEST(ChatView, TenThousandMessagesDrawOnlyTheRowsInView) {
    UiHarness h;
    to_chat_with(h, 10000);
    h.frame();
    h.frame();   // the scroll to the bottom lands
    const int drawn = h.count_prefix("msg:");
    EXPECT_GT(drawn, 3);
    EXPECT_LT(drawn, 60) << "virtualised";
    EXPECT_TRUE(h.has("msg:10000")) << "follows the newest message";
    EXPECT_FALSE(h.has("msg:1"));
}

TEST(ChatView, NewMessageFromSomeoneElseIsAnnouncedAndFollowed) {
    UiHarness h;
    to_chat_with(h, 30);
    h.frame();
    h.frame();
    h.feed(core::ev::SocketMessage{UiHarness::chat_frame(31, 31, 20, "hello").dump()});
    h.frame();
    ASSERT_EQ(h.out.announce.size(), 1u);
    EXPECT_EQ(h.out.announce[0], "bob: hello");
    h.frame();
    EXPECT_TRUE(h.has("msg:31"));
    h.feed(core::ev::SocketMessage{UiHarness::chat_frame(32, 32, kMe, "mine").dump()});
    h.frame();
    EXPECT_TRUE(h.out.announce.empty()) << "my own messages are not announced";
}

TEST(ChatView, PendingSendHasNoTargetUntilTheServerNamesIt) {
    UiHarness h;
    h.to_chat();
    h.feed(core::ev::SendText{"hi"});
    h.frame();
    EXPECT_EQ(h.count_prefix("msg:"), 0);
    EXPECT_EQ(h.s.open_messages().size(), 1u);
}
