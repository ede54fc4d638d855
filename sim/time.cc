#include "sim/time.h"

#include <cmath>

namespace sim {

Time nearest_ns_slow(double ns) { return static_cast<Time>(std::llround(ns)); }

}  // namespace sim
