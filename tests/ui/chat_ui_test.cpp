// The front: each screen draws its own view, and the document title.
#include "ui_harness.hpp"

using namespace imchat;
using namespace imchat::ui::testing;

TEST(ChatUi, EachScreenDrawsItsView) {
    UiHarness h;
    h.to_chat();
    h.frame();
    EXPECT_TRUE(h.out.composer_visible) << "chat";
    EXPECT_FALSE(h.out.login_visible);
    h.feed(core::ev::ShowLogin{});
    h.frame();
    EXPECT_TRUE(h.out.login_visible) << "login";
    EXPECT_FALSE(h.out.composer_visible);
    h.feed(core::ev::ShowSettings{});
    h.frame();
    EXPECT_TRUE(h.has("lang:en")) << "settings";
    h.feed(core::ev::ShowList{});
    h.frame();
    EXPECT_TRUE(h.has("conv:group:3")) << "list";
}

TEST(ChatUi, TitleCountsUnreadAndNamesTheOpenConversation) {
    UiHarness h;
    h.to_chat();
    h.frame();
    EXPECT_EQ(h.out.title, "imchat 演示群 - imchat");
    h.feed(core::ev::ShowList{});
    h.feed(core::ev::SocketMessage{UiHarness::chat_frame(5, 1, 20, "hi").dump()});
    h.frame();
    EXPECT_EQ(h.out.title.rfind("(1) ", 0), 0u) << h.out.title;
}

TEST(ChatUi, PromptAnswersBecomeSessionEvents) {
    UiHarness h;
    auto e = h.ui.on_prompt("create", "新群");
    ASSERT_EQ(e.size(), 1u);
    EXPECT_EQ(std::get<core::ev::CreateGroup>(e[0]).name, "新群");
}
