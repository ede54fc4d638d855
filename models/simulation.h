// Runs one simulation (one variant of a scenario) to its end: the one door of
// the model layer. A run plan (models/run_plan.h) and a seed in, metrics out,
// optionally a trace. Inside, the kernel's event queue drives the machine,
// the GILs and the Python threads (models/simulation.cc).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

#include "models/config.h"
#include "models/metrics.h"
#include "models/run_plan.h"
#include "sim/trace.h"

namespace models {

// A broken invariant of the model (two threads running bytecode in one
// interpreter at once, a core running two threads): a gilsim bug. Exit code 3.
class InvariantViolation : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

struct RunResult {
  Metrics metrics;            // every name of the plan's metric_names()
  sim::Time wall = 0;         // end of the last thread
  std::uint64_t events = 0;   // events processed by the kernel
  bool hit_time_limit = false;  // stopped at config.time_limit before every thread ended
};

// `trace` may be null (no trace: the run pays nothing for tracing). When not
// null, the sink receives the whole run and finish() at its end. The same
// plan and seed give the same result, byte for byte, on any machine.
RunResult simulate(const RunPlan& plan, std::uint64_t seed, sim::TraceSink* trace = nullptr);
// The same for a config not prepared yet, with its own seed.
RunResult simulate(const SimulationConfig& config, sim::TraceSink* trace = nullptr);

}  // namespace models
