// Runs one simulation (one variant of a scenario) to its end: the one door of
// the model layer. A run plan (models/run_plan.h) and a seed in, metrics out,
// optionally a trace. Inside, the kernel's event queue drives the machine,
// the GILs and the Python threads (models/simulation.cc).
#pragma once

#include <cstdint>
#include <functional>
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

// Looks at a run while it goes, every `every` events (a counter compare per
// event, nothing more): with the simulated time reached and the events so
// far. It may throw to stop the run (Ctrl-C, a fuzzer's budget): the run's
// objects, its trace sink's temporaries included, then go as for any
// exception. The terminal's progress line is drawn from it.
struct RunWatch {
  std::uint64_t every = std::uint64_t{1} << 16;
  std::function<void(sim::Time now, std::uint64_t events)> look;
};

// `trace` may be null (no trace: the run pays nothing for tracing). When not
// null, the sink receives the whole run and finish() at its end. The same
// plan and seed give the same result, byte for byte, on any machine.
// `watch` may be null, or have no `look`: nobody looks.
RunResult simulate(const RunPlan& plan, std::uint64_t seed, sim::TraceSink* trace = nullptr,
                   const RunWatch* watch = nullptr);
// The same for a config not prepared yet, with its own seed.
RunResult simulate(const SimulationConfig& config, sim::TraceSink* trace = nullptr,
                   const RunWatch* watch = nullptr);

}  // namespace models
