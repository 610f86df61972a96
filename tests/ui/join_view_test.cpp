#include "ui_harness.hpp"

using namespace imchat;
using namespace imchat::ui::testing;

namespace {
Json card(int policy) {
    return Json{{"id", 3}, {"name", "审核群"}, {"invite_confirm", policy}, {"member_count", 4}, {"user_id", 99}};
}
void to_join(UiHarness& h, int policy) {
    h.start(std::string(kOrigin) + "/?group=3", h.user_json());
    h.answer("/api/chat/groupinfo/3", card(policy));
    ASSERT_EQ(h.s.screen(), core::Screen::Join);
}
}  // namespace

TEST(JoinView, ApprovalGroupAsksForAReasonThenApplies) {
    UiHarness h;
    to_join(h, 1);
    h.frame();
    EXPECT_FALSE(h.has("join_login"));
    auto o = h.tap("join_apply");
    ASSERT_EQ(o.prompts.size(), 1u);
    EXPECT_EQ(o.prompts[0].key, "reason");
    EXPECT_EQ(o.prompts[0].max_chars, 500);
    for (const auto& e : h.ui.on_prompt("reason", "我是小王")) h.feed(e);
    EXPECT_EQ(Json::parse(h.http_to("/api/chat/groupInviteUser").body)["addGroupDesc"], "我是小王");
}

TEST(JoinView, PendingRequestHidesTheButton) {
    UiHarness h;
    to_join(h, 1);
    h.feed(core::ev::RequestJoin{"hi"});
    Json pending = card(1);
    pending["my_status"] = 2;
    pending["pending"] = true;
    h.answer("/api/chat/groupInviteUser", pending);
    ASSERT_TRUE(h.s.join_card().pending);
    h.frame();
    EXPECT_FALSE(h.has("join_apply"));
}

TEST(JoinView, GuestMustLogInForAUsersOnlyGroup) {
    UiHarness h;
    to_join(h, 2);
    h.frame();
    EXPECT_FALSE(h.has("join_apply"));
    auto o = h.tap("join_login");
    ASSERT_TRUE(event_of<core::ev::RequestJoin>(o));
    h.dispatch(o);
    EXPECT_EQ(h.s.screen(), core::Screen::Login);
}

TEST(JoinView, PersonalQrOffersAddContact) {
    UiHarness h;
    h.start(std::string(kOrigin) + "/?user=00aa11bb22cc33dd", h.user_json());
    h.answer("/api/chat/contactInfo/00aa11bb22cc33dd",
             Json{{"id", 40}, {"name", "alice01"}, {"is_contact", false}, {"is_self", false}});
    ASSERT_EQ(h.s.screen(), core::Screen::Join);
    h.frame();
    EXPECT_FALSE(h.has("join_apply"));
    h.dispatch(h.tap("add_contact"));
    h.http_to("/api/chat/addContact");
}
