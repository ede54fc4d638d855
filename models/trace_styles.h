// The states a trace shows, their colours and the legend's one order: every
// picture (the SVG timeline) lists them in this order and colours them alike.
//
// The colours are Okabe and Ito's colour-blind-safe set, completed from Paul
// Tol's "muted" one: states that sit side by side on a row (Ready and Running,
// Runnable and Waiting for GIL, a context switch and a thread on core) differ
// in hue and lightness. A state that is no activity (not started, done, a
// task not yet created) has no colour: pictures leave it blank.
#pragma once

#include <vector>

#include "models/python_thread.h"
#include "sim/trace.h"

namespace models::trace_styles {

extern const sim::SliceStyle kGilHeld;
extern const sim::SliceStyle kCoreRunning;
extern const sim::SliceStyle kCoreSwitch;
// By ThreadState.
extern const sim::SliceStyle kThread[static_cast<int>(ThreadState::kCount)];
// By an asyncio task's state: idle, Ready, Running, Awaiting, done.
extern const sim::SliceStyle kTask[5];

// Every coloured style once, in the legend's order.
const std::vector<const sim::SliceStyle*>& legend_order();

}  // namespace models::trace_styles
