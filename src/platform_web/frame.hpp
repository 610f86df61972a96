// imchat::web frame loop: the core's clock tick, then (only while something changed)
// one ImGui frame, its GL submission and the UI's output carried to the core and page.
#pragma once

namespace imchat::web::frame {

void tick_if_due(double now_ms);   // the core's Tick every 250 ms (also while idle)
void run();                        // emscripten_set_main_loop's callback: tick, then draw if dirty

}  // namespace imchat::web::frame
