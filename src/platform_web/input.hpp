// imchat::web input: html5.h mouse, wheel, touch (tap, drag, flick inertia) and key
// callbacks fed to ImGui, and the canvas size. Not Emscripten's GLFW: its touch and key
// handling is unreliable in 3.1.6.
#pragma once

namespace imchat::web::input {

void install();                       // register the html5.h callbacks (after ImGui's context exists)
void resize();                        // canvas CSS size x devicePixelRatio -> ImGui display size
void step_inertia(double now_ms);     // before a frame: a flick keeps scrolling, decaying with time
void after_frame();                   // after a frame: releases that waited for ImGui to see the press

}  // namespace imchat::web::input
