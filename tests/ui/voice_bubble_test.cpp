// The voice bubble (ui/voice_bubble.*): width by duration, `N"`, the unplayed dot, the
// playing indicator, and a tap asking the page to play it.
#include <algorithm>

#include "ui_harness.hpp"
#include "ui/voice_bubble.hpp"

using namespace imchat;
using namespace imchat::ui::testing;

namespace {
const char* kUrl = "/uploads/0123456789abcdef0123456789abcdef.weba";

Json voice(int64_t id, int64_t from, int seconds) {
    Json f = UiHarness::chat_frame(id, id, from, kUrl, "audio");
    f["data"]["options"] = core::audio_options(seconds);
    return f;
}
bool drew(const UiHarness& h, const std::string& what) {
    return std::find(h.out.drawn.begin(), h.out.drawn.end(), what) != h.out.drawn.end();
}
}  // namespace

TEST(VoiceBubble, WidthGrowsWithTheDurationUpToTheRowsShare) {
    EXPECT_LT(ui::voice_bubble_w(1, 300), ui::voice_bubble_w(5, 300));
    EXPECT_LT(ui::voice_bubble_w(5, 300), ui::voice_bubble_w(30, 300));
    EXPECT_LT(ui::voice_bubble_w(30, 300), ui::voice_bubble_w(60, 300));
    EXPECT_EQ(ui::voice_bubble_w(0, 300), ui::voice_bubble_w(1, 300)) << "an unknown duration draws as 1 s";
    EXPECT_EQ(ui::voice_bubble_w(600, 300), ui::voice_bubble_w(60, 300));
    EXPECT_LE(ui::voice_bubble_w(60, 200), 200.0f);
}

TEST(VoiceBubble, UnplayedDotTapToPlayAndThePlayingIndicator) {
    UiHarness h;
    h.to_chat();
    h.feed(core::ev::SocketMessage{voice(1, 20, 2).dump()});
    h.feed(core::ev::SocketMessage{voice(2, 20, 40).dump()});
    h.feed(core::ev::SocketMessage{voice(3, kMe, 3).dump()});
    h.frame();
    h.frame();
    EXPECT_TRUE(drew(h, "voice:1:2:dot"));
    EXPECT_TRUE(drew(h, "voice:2:40:dot"));
    EXPECT_TRUE(drew(h, "voice:3:3")) << "no dot on my own";
    ASSERT_TRUE(h.has("msg:1") && h.has("msg:2"));
    EXPECT_LT(h.find("msg:1")->rect.w + 40, h.find("msg:2")->rect.w) << "40 s is much wider than 2 s";

    const ui::Output o = h.tap("msg:1");
    EXPECT_EQ(o.play_voice.id, 1);
    EXPECT_EQ(o.play_voice.url, kUrl);
    h.feed(core::ev::VoiceState{1, true});   // the page's <audio> started
    h.frame();
    EXPECT_TRUE(drew(h, "voice:1:2:playing"));
    EXPECT_TRUE(h.out.animating) << "the waves move while it plays";
    h.feed(core::ev::VoiceState{1, false});
    h.frame();
    EXPECT_TRUE(drew(h, "voice:1:2")) << "played: the dot is gone";
    EXPECT_TRUE(drew(h, "voice:2:40:dot"));
}

TEST(VoiceBubble, AMalformedDurationStillDrawsAndAnnouncesAsVoice) {
    UiHarness h;
    h.to_chat();
    h.frame();
    Json f = voice(1, 20, 2);
    f["data"]["options"] = "%7B%22duration%22%3A%22x";
    h.feed(core::ev::SocketMessage{f.dump()});
    h.frame();
    h.frame();
    EXPECT_TRUE(drew(h, "voice:1:0:dot"));
    h.feed(core::ev::SocketMessage{voice(2, 20, 5).dump()});
    h.frame();
    ASSERT_FALSE(h.out.announce.empty());
    EXPECT_EQ(h.out.announce.back(), "bob: [语音]");
}
