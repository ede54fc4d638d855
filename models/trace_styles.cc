#include "models/trace_styles.h"

namespace models::trace_styles {

// The same words as the README and the summary.
const sim::SliceStyle kGilHeld{"GIL held", "#882255"};           // Tol wine
const sim::SliceStyle kCoreRunning{"thread on core", "#332288"};  // Tol indigo
const sim::SliceStyle kCoreSwitch{"context switch", "#000000"};
const sim::SliceStyle kThread[] = {
    {"not started", nullptr},
    {"Running", "#009E73"},           // bluish green
    {"Native", "#999933"},            // Tol olive
    {"Runnable", "#F0E442"},          // yellow
    {"Waiting for GIL", "#D55E00"},   // vermillion
    {"Waiting for lock", "#CC79A7"},  // reddish purple
    {"Waiting", "#AAAAAA"},           // grey
    {"I/O", "#0072B2"},               // blue
    {"Sleeping", "#56B4E9"},          // sky blue
    {"done", nullptr},
};
static_assert(sizeof(kThread) / sizeof(kThread[0]) == static_cast<int>(ThreadState::kCount));
// A task Running is its thread Running bytecode: the same style.
const sim::SliceStyle kTask[] = {
    {"idle", nullptr}, {"Ready", "#E69F00"}, {"Running", "#009E73"}, {"Awaiting", "#88CCEE"}, {"done", nullptr},
};

const std::vector<const sim::SliceStyle*>& legend_order() {
  static const std::vector<const sim::SliceStyle*> order = {
      &kGilHeld, &kCoreRunning, &kCoreSwitch, &kThread[1], &kThread[2], &kThread[3], &kTask[1],
      &kThread[4], &kThread[5], &kThread[6], &kTask[3], &kThread[7], &kThread[8],
  };
  return order;
}

}  // namespace models::trace_styles
