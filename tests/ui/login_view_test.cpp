#include "ui_harness.hpp"
#include "ui/login_view.hpp"
#include "ui/theme.hpp"

using namespace imchat;
using namespace imchat::ui::testing;

TEST(LoginView, ReservesTheFormRectangleBelowTheBar) {
    UiHarness h;
    h.to_chat();
    h.feed(core::ev::ShowLogin{});
    h.frame();
    ASSERT_TRUE(h.out.login_visible);
    EXPECT_GT(h.out.login.y, ui::theme::kBarH);
    EXPECT_EQ(h.out.login.h, ui::kLoginFormH);
    EXPECT_LE(h.out.login.x + h.out.login.w, 390);
    EXPECT_TRUE(h.has("back"));
}

TEST(LoginView, WrongPasswordKeepsTheFormAndShowsTheReason) {
    UiHarness h;
    h.to_chat();
    h.feed(core::ev::ShowLogin{});
    h.frame();
    const ui::Rect before = h.out.login;
    h.feed(core::ev::SignIn{"alice", "nope", false});
    h.reply(h.http_to("/api/visitorloginChat"), 400, UiHarness::fail("用户名或密码错误"));
    EXPECT_EQ(ui::login_vm(h.s).notice, "用户名或密码错误");
    h.frame();
    EXPECT_TRUE(h.out.login_visible);
    EXPECT_EQ(h.out.login, before);
}
