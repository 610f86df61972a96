// Times and avatars in the UI: separators between messages 5 minutes apart, the exact
// time in the message menu, default and image avatars on bubbles, the list's group
// grid and settings' "set avatar" (what each frame drew: Output::drawn).
#include <algorithm>

#include "ui_harness.hpp"

using namespace imchat;
using namespace imchat::ui::testing;

namespace {
constexpr int64_t kMin = 60 * 1000;
constexpr int64_t kT = 1795763040000;   // Friday 2026-11-27 15:04 in UTC+8

Json frame_at(int64_t id, int64_t seq, int64_t from, const std::string& name, int64_t t,
              const std::string& avatar = "") {
    Json f = UiHarness::chat_frame(id, seq, from, "m" + std::to_string(seq));
    f["data"]["create_time"] = t;
    f["data"]["from_name"] = name;
    f["data"]["from_avatar"] = avatar;
    return f;
}
std::vector<std::string> with_prefix(const ui::Output& o, const std::string& p) {
    std::vector<std::string> v;
    for (const auto& d : o.drawn) if (d.rfind(p, 0) == 0) v.push_back(d);
    return v;
}
bool drew(const ui::Output& o, const std::string& s) { return std::count(o.drawn.begin(), o.drawn.end(), s) > 0; }
}  // namespace

TEST(RichChat, SeparatorsWhenFiveMinutesPassed) {
    UiHarness h;
    h.ui.set_utc_offset(480);
    h.to_chat();
    h.feed(core::ev::SocketMessage{frame_at(5, 1, 20, "bob", kT - 2 * 24 * 60 * kMin).dump()});   // Wednesday
    h.feed(core::ev::SocketMessage{frame_at(6, 2, 20, "bob", kT - 20 * kMin).dump()});
    h.feed(core::ev::SocketMessage{frame_at(7, 3, 20, "bob", kT - 18 * kMin).dump()});   // 2 min later: none
    h.feed(core::ev::SocketMessage{frame_at(8, 4, kMe, "me", kT - 5 * kMin).dump()});
    h.now = kT;
    h.feed(core::ev::Tick{kT});
    h.frame();
    const ui::Output o = h.frame();
    EXPECT_EQ(with_prefix(o, "sep:"), (std::vector<std::string>{"sep:星期三 15:04", "sep:今天 14:44", "sep:今天 14:59"}));
    h.feed(core::ev::SaveSettings{"", -1, "en"});
    h.frame();
    EXPECT_TRUE(drew(h.frame(), "sep:Wednesday 15:04"));
}

TEST(RichChat, LongPressShowsTheExactTime) {
    UiHarness h;
    h.ui.set_utc_offset(480);
    h.to_chat();
    h.feed(core::ev::SocketMessage{frame_at(6, 1, 20, "bob", kT + 9000).dump()});
    h.frame();
    h.frame();
    h.hold("msg:6", 0.7f);
    h.frame();
    EXPECT_TRUE(h.has("menu:time:2026-11-27 15:04:09"));
    EXPECT_TRUE(h.has("menu:copy"));
}

TEST(RichChat, OthersBubblesHaveAvatarsMineDoNot) {
    UiHarness h;
    h.to_chat();
    h.feed(core::ev::SocketMessage{frame_at(6, 1, 20, "bob", kT).dump()});
    h.feed(core::ev::SocketMessage{frame_at(7, 2, 21, "张三", kT).dump()});
    h.feed(core::ev::SocketMessage{frame_at(8, 3, kMe, "me", kT).dump()});
    h.frame();
    const ui::Output o = h.frame();
    EXPECT_TRUE(drew(o, "avatar:20:B"));
    EXPECT_TRUE(drew(o, "avatar:21:张"));
    EXPECT_TRUE(with_prefix(o, "avatar:" + std::to_string(kMe) + ":").empty());
    // Their bubble starts right of the avatar; mine stays on the right.
    const ui::Target* theirs = h.find("msg:6");
    ASSERT_NE(theirs, nullptr);
    EXPECT_GE(theirs->rect.x, 12 + 40);
}

TEST(RichChat, ImageAvatarsAreAskedOnceAndDrawnWhenDecoded) {
    UiHarness h;
    h.to_chat();
    h.feed(core::ev::SocketMessage{frame_at(6, 1, 20, "bob", kT, "/uploads/bob.png").dump()});
    h.feed(core::ev::SocketMessage{frame_at(7, 2, 20, "bob", kT + 1, "/uploads/bob.png").dump()});
    ui::Output first = h.frame();
    for (int i = 0; i < 3; ++i) {
        const ui::Output o = h.frame();
        first.load_images.insert(first.load_images.end(), o.load_images.begin(), o.load_images.end());
        EXPECT_TRUE(drew(o, "avatar:20:B")) << "the default until it is decoded";
    }
    EXPECT_EQ(std::count(first.load_images.begin(), first.load_images.end(), "/uploads/bob.png"), 1)
        << "asked once, not per frame or per bubble";
    h.images.by_url["/uploads/bob.png"] = ui::Images::Entry{reinterpret_cast<ImTextureID>(intptr_t{1}), 80, 60, false};
    ++h.images.generation;
    const ui::Output o = h.frame();
    EXPECT_TRUE(drew(o, "avatar:20:img"));
    EXPECT_FALSE(drew(o, "avatar:20:B"));
    // A failed decode keeps the default.
    h.images.by_url["/uploads/bob.png"] = ui::Images::Entry{nullptr, 0, 0, true};
    EXPECT_TRUE(drew(h.frame(), "avatar:20:B"));
}

TEST(RichChat, TheListShowsAGroupGridOfKnownMembers) {
    UiHarness h;
    h.to_chat();
    h.feed(core::ev::SocketMessage{frame_at(6, 1, 20, "bob", kT).dump()});
    h.feed(core::ev::SocketMessage{frame_at(7, 2, 21, "carol", kT + 1).dump()});
    h.feed(core::ev::ShowList{});
    h.frame();
    const ui::Output o = h.frame();
    const auto grids = with_prefix(o, "group-avatar:3:");
    ASSERT_EQ(grids.size(), 1u);
    EXPECT_NE(grids[0], "group-avatar:3:0");
    EXPECT_TRUE(drew(o, "avatar:20:B"));
    EXPECT_TRUE(drew(o, "avatar:21:C"));
}

TEST(RichChat, SettingsOffersSetAvatar) {
    UiHarness h;
    h.to_list();
    h.feed(core::ev::ShowSettings{});
    h.frame();
    const ui::Output o = h.frame();
    EXPECT_EQ(with_prefix(o, "avatar:" + std::to_string(kMe) + ":").size(), 1u) << "my default avatar";
    ASSERT_TRUE(h.has("set_avatar"));
    EXPECT_TRUE(h.tap("set_avatar").pick_avatar);
}
