// Simulated time: integer nanoseconds since the start of a run.
//
// Integer time is what makes runs byte-identical across machines: no floating
// point ever decides the order of two events.
#pragma once

#include <cstdint>

namespace sim {

using Time = std::int64_t;  // nanoseconds

constexpr Time kNanosecond = 1;
constexpr Time kMicrosecond = 1000;
constexpr Time kMillisecond = 1000 * kMicrosecond;
constexpr Time kSecond = 1000 * kMillisecond;
constexpr Time kNever = INT64_MAX;

Time nearest_ns_slow(double ns);  // std::llround (time.cc)

constexpr double to_seconds(Time t) { return static_cast<double>(t) / 1e9; }

// A duration in nanoseconds given as a double, rounded to the nearest whole
// nanosecond, halves away from zero: std::llround's result, without its
// library call on the hot path. For 0 <= ns < 2^53 the integer part and the
// fraction are exact in a double.
inline Time nearest_ns(double ns) {
  if (!(ns >= 0 && ns < 9007199254740992.0)) return nearest_ns_slow(ns);
  const auto whole = static_cast<Time>(ns);
  return ns - static_cast<double>(whole) >= 0.5 ? whole + 1 : whole;
}

}  // namespace sim
