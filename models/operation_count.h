// How many operations a configuration runs, counted before it runs: each
// thread's program with its loops' iterations multiplied out, times the
// group's threads and processes; a submit's work times its count; each
// asyncio task group's program times its tasks; each request stream's
// expected requests times its largest endpoint. The loader refuses a
// scenario above a cap (loader::LoadOptions::max_operations), since a run
// costs about a few events per operation, and `repeat: 10^12` of a
// nanosecond would otherwise run for days without a word.
//
// An estimate from above of the work, not of the events: I/O waits, GIL
// hand-offs and time slices add events, and a time_limit may stop the run
// early. Closed-loop request streams (their clients send as fast as they are
// answered) are not counted: their pace is known only by running.
#pragma once

#include <cstdint>

#include "models/config.h"

namespace models {

// Saturates at UINT64_MAX rather than overflowing.
std::uint64_t operation_count(const Program& program);
std::uint64_t operation_count(const SimulationConfig& config);

}  // namespace models
