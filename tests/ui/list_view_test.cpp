#include "ui_harness.hpp"

using namespace imchat;
using namespace imchat::ui::testing;

TEST(ListView, RowsOpenTheirConversationAndLeftGroupsAreHidden) {
    UiHarness h;
    h.to_list();
    h.frame();
    EXPECT_TRUE(h.has("conv:group:3"));
    EXPECT_FALSE(h.has("conv:group:4")) << "my_status -1: left or removed";
    EXPECT_FALSE(h.has("create_group")) << "guests cannot create groups";
    auto o = h.tap("conv:group:3");
    const auto open = event_of<core::ev::OpenConversation>(o);
    ASSERT_TRUE(open);
    EXPECT_EQ(open->conv, (core::ConversationKey{"group", 3}));
    h.dispatch(o);
    EXPECT_EQ(h.s.screen(), core::Screen::Chat);
}

TEST(ListView, UserCreatesAGroupThroughAPrompt) {
    UiHarness h;
    h.to_list("user");
    h.frame();
    auto o = h.tap("create_group");
    ASSERT_EQ(o.prompts.size(), 1u);
    EXPECT_EQ(o.prompts[0].key, "create");
    for (const auto& e : h.ui.on_prompt("create", "新群")) h.feed(e);
    EXPECT_EQ(Json::parse(h.http_to("/api/chat/group/create").body)["name"], "新群");
}

TEST(ListView, UnreadCountIsPartOfTheRow) {
    UiHarness h;
    h.to_list();
    h.feed(core::ev::SocketMessage{UiHarness::chat_frame(5, 1, 20, "hi").dump()});
    ASSERT_EQ(ui::list_vm(h.s).rows.size(), 1u);
    EXPECT_EQ(ui::list_vm(h.s).rows[0]->unread, 1);
    h.frame();
    EXPECT_TRUE(h.has("conv:group:3"));
}

TEST(ListView, NoConversationsSaysSo) {
    UiHarness h;
    h.start(std::string(kOrigin) + "/", h.user_json());
    h.answer("/api/chat/conversationList", Json::array());
    h.frame();
    EXPECT_EQ(h.count_prefix("conv:"), 0);
    EXPECT_TRUE(h.has("settings"));
}

namespace {
// The list as conversationList answers it: a group with a preview, a 1:1 chat, our own group.
void to_server_list(UiHarness& h, int unread_single = 3) {
    h.start(std::string(kOrigin) + "/", h.user_json(kMe, "user"));
    h.feed(core::ev::SocketOpened{});
    const Json last = {{"seq", 9}, {"from_id", 20}, {"from_name", "bob"}, {"type", "text"}, {"text", "晚上见"}, {"time", 900}};
    h.answer("/api/chat/conversationList",
             Json::array({{{"chatType", "single"}, {"id", 7}, {"name", "alice"}, {"update_time", 950}, {"unread", unread_single},
                           {"last", {{"seq", 2}, {"from_id", 7}, {"from_name", "alice"}, {"type", "image"}, {"text", "[图片]"}, {"time", 950}}}},
                          {{"chatType", "group"}, {"id", 3}, {"name", "imchat 演示群"}, {"update_time", 900}, {"unread", 0}, {"last", last}},
                          {{"chatType", "group"}, {"id", 5}, {"name", "my group"}, {"update_time", 0}, {"unread", 0},
                           {"last", nullptr}, {"owner_id", kMe}, {"pending_count", 2}}}));
}
}  // namespace

TEST(ListView, RowsCarryPreviewTimeAndBadges) {
    UiHarness h;
    to_server_list(h, 120);
    const ui::ListVm vm = ui::list_vm(h.s, 480);
    ASSERT_EQ(vm.rows.size(), 3u);
    EXPECT_EQ(vm.rows[0].title, "alice");
    EXPECT_EQ(vm.rows[0].preview, "[图片]") << "1:1: no sender prefix";
    EXPECT_EQ(vm.rows[0].badge, "99+");
    EXPECT_EQ(vm.rows[1].preview, "bob: 晚上见") << "groups: name: text";
    EXPECT_EQ(vm.rows[1].badge, "");
    EXPECT_FALSE(vm.rows[1].time.empty());
    EXPECT_EQ(vm.rows[2].pending, 2) << "we own it: join requests show";
    EXPECT_EQ(vm.rows[2].time, "") << "no activity known";
    h.frame();
    const ui::Target* row = h.find("conv:single:7");
    ASSERT_TRUE(row);
    EXPECT_GE(row->rect.h, 64.0f) << "comfortable row height";
    EXPECT_TRUE(h.has("conv:group:3"));
    EXPECT_TRUE(h.has("pending:group:5"));
    EXPECT_FALSE(h.has("pending:group:3"));
    EXPECT_EQ(ui::document_title(h.s), "(120) imchat");
}

TEST(ListView, PreviewIsLocalised) {
    core::Conversation c;
    c.key = {"single", 7};
    c.last = core::LastMessage{2, "alice", "image", "[图片]", 950};
    EXPECT_EQ(ui::list_preview(core::Lang::En, c), "[image]");
    c.last->type = "text";
    c.last->text = "[消息已撤回]";
    EXPECT_EQ(ui::list_preview(core::Lang::En, c), "[recalled]");
    c.key = {"group", 3};
    c.my_status = 2;
    EXPECT_EQ(ui::list_preview(core::Lang::ZhCN, c), core::tr(core::Lang::ZhCN, core::Str::Applied));
}

TEST(ListView, RightClickOrLongPressOffersHide) {
    UiHarness h;
    to_server_list(h);
    h.frame();
    h.tap("conv:group:3", 1);
    h.frame();
    ASSERT_TRUE(h.has("hide:group:3"));
    auto o = h.tap("hide:group:3");
    const auto hide = event_of<core::ev::HideConversation>(o);
    ASSERT_TRUE(hide);
    EXPECT_EQ(hide->conv, (core::ConversationKey{"group", 3}));
    h.dispatch(o);
    EXPECT_TRUE(h.asked("/api/chat/conversationHide"));
    h.frame();
    EXPECT_FALSE(h.has("conv:group:3"));

    UiHarness t;
    to_server_list(t);
    t.frame();
    auto held = t.hold("conv:single:7", 0.8f);
    EXPECT_FALSE(event_of<core::ev::OpenConversation>(held)) << "a long press is not a tap";
    t.frame();
    EXPECT_TRUE(t.has("hide:single:7"));
}

TEST(ListView, ANewMessageMovesItsRowToTheTop) {
    UiHarness h;
    to_server_list(h);
    Json f = UiHarness::chat_frame(50, 10, 20, "new!");
    f["data"]["create_time"] = 5000;
    h.feed(core::ev::SocketMessage{f.dump()});
    h.frame();
    const ui::Target* g = h.find("conv:group:3");
    const ui::Target* s = h.find("conv:single:7");
    ASSERT_TRUE(g && s);
    EXPECT_LT(g->rect.y, s->rect.y);
    EXPECT_EQ(ui::list_vm(h.s).rows[0].preview, "bob: new!");
}
