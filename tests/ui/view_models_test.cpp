#include "ui_harness.hpp"

using namespace imchat;
using namespace imchat::ui::testing;

TEST(ViewModels, TopBarTitleAndBackFollowTheScreen) {
    UiHarness h;
    h.to_chat();
    auto bar = ui::top_bar_vm(h.s);
    EXPECT_EQ(bar.title, "imchat 演示群 (2)");
    EXPECT_EQ(bar.back, ui::Back::ToList);
    EXPECT_TRUE(bar.group_info);
    EXPECT_FALSE(bar.account);
    h.feed(core::ev::ShowGroupInfo{});
    bar = ui::top_bar_vm(h.s);
    EXPECT_EQ(bar.back, ui::Back::ToChat);
    EXPECT_EQ(bar.chat, (core::ConversationKey{"group", 3}));
    h.feed(core::ev::ShowList{});
    bar = ui::top_bar_vm(h.s);
    EXPECT_EQ(bar.back, ui::Back::None);
    EXPECT_TRUE(bar.account);
    EXPECT_TRUE(bar.guest);
    EXPECT_EQ(bar.title, core::tr(core::Lang::ZhCN, core::Str::Conversations));
}

TEST(ViewModels, ChatReferencesTheSessionsMessagesWithoutCopying) {
    UiHarness h;
    h.to_chat();
    h.feed(core::ev::SocketMessage{UiHarness::chat_frame(5, 1, kMe, "mine").dump()});
    const auto vm = ui::chat_vm(h.s);
    ASSERT_EQ(vm.messages.size(), 1u);
    EXPECT_EQ(vm.messages.data(), h.s.open_messages().data());
    EXPECT_TRUE(vm.can_send);
    EXPECT_TRUE(vm.can_recall(vm.messages[0]));
    EXPECT_EQ(vm.me, kMe);
}

TEST(ViewModels, MutedMemberReadsWhy) {
    UiHarness h;
    h.to_chat();
    Json g = h.group_json(true);
    g["group_users"][0]["status"] = 0;
    h.feed(core::ev::ShowGroupInfo{});
    h.answer("/api/chat/groupinfo/3", g);
    h.feed(core::ev::OpenConversation{{"group", 3}, ""});
    const auto vm = ui::chat_vm(h.s);
    EXPECT_FALSE(vm.can_send);
    EXPECT_EQ(vm.why, ui::ReadOnly::Muted);
}

TEST(ViewModels, NoOpenConversationNoGroupInfoNoModal) {
    UiHarness h;
    h.to_list();
    EXPECT_FALSE(ui::group_info_vm(h.s).has_value());
    EXPECT_FALSE(ui::modal_vm(h.s).has_value());
    EXPECT_EQ(ui::document_title(h.s), "imchat");
    EXPECT_EQ(ui::banner_vm(h.s).kind, ui::BannerKind::None);
}
