// Runs one simulation (one variant of a scenario) to its end.
//
// This is the whole user-facing API of the model layer: a config in, metrics
// out, optionally a trace. Inside, the kernel's event queue drives the machine,
// the GIL and the Python threads (models/world.h).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "models/config.h"
#include "models/metrics.h"
#include "sim/trace.h"

namespace models {

// A broken invariant of the model (two threads running bytecode in one
// interpreter at once, a core running two threads): a gilsim bug. Exit code 3.
class InvariantViolation : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

struct RunResult {
  Metrics metrics;            // every name in metric_names(config)
  sim::Time wall = 0;         // end of the last thread
  std::uint64_t events = 0;   // events processed by the kernel
  bool hit_time_limit = false;  // stopped at config.time_limit before every thread ended
};

// `trace` may be null (no trace: the run pays nothing for tracing). When not
// null, the sink receives the whole run and finish() at its end.
RunResult simulate(const SimulationConfig& config, sim::TraceSink* trace = nullptr);

}  // namespace models
