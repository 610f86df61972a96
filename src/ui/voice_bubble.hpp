// imchat::ui the voice message bubble (type `audio`, issue 13), WeChat-like: its width grows
// with the duration, it shows `N"` and a speaker (waves animate while it plays), and a
// received one not played yet has a red dot beside it. A tap asks the page to play it.
#pragma once
#include <imgui.h>

#include <cstdint>

#include "core/media.hpp"
#include "ui/widgets.hpp"

namespace imchat::ui {

struct VoiceLook {
    int  seconds = 0;
    bool mine = false;
    bool playing = false;
    bool unplayed = false;   // received and not played on this device
};

// The bubble's outer width for `seconds` (at most max_w): 1 s is short, 60 s is wide.
float voice_bubble_w(int seconds, float max_w);
// Draws the bubble's content (speaker, `N"`) into the bubble at p..p+size and the unplayed
// dot beside it; notes "voice:<id>:<seconds>[:dot][:playing]" in f.out.drawn.
void  draw_voice(Frame& f, ImDrawList* dl, ImVec2 p, ImVec2 size, int64_t id, const VoiceLook& v);

}  // namespace imchat::ui
