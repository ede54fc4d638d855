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

constexpr double to_seconds(Time t) { return static_cast<double>(t) / 1e9; }

}  // namespace sim
