// imchat::web frame loop: (only while something changed)
// one ImGui frame, its GL submission and the UI's output carried to the core and page.
#pragma once

namespace imchat::web::frame {

void run();   // emscripten_set_main_loop's callback: draw if dirty (ticks come from dispatch)

}  // namespace imchat::web::frame
