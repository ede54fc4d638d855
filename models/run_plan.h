// A run, prepared once from a config: its programs lowered, every thread,
// process and task laid out and named, the Python version resolved to a GIL
// protocol, the numbering of queues, trace tracks and random streams, and
// the metric names a run will report. The loader makes one per variant (to
// check names and `expect` paths before anything runs); simulate() runs one.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/config.h"
#include "models/ids.h"
#include "models/layout.h"
#include "models/lowering.h"
#include "models/python_versions.h"

namespace models {

class RunPlan {
 public:
  // Throws std::invalid_argument for what the loader should have refused
  // (an unknown Python version, pool or resource name).
  explicit RunPlan(const SimulationConfig& config);
  RunPlan(const RunPlan&) = delete;
  RunPlan& operator=(const RunPlan&) = delete;

  // The lowered config (programs in primitive operations).
  const SimulationConfig& config() const { return lowered_.config; }
  const std::vector<std::string>& locks() const { return lowered_.locks; }
  const std::vector<std::string>& counters() const { return lowered_.counters; }
  const QueueIds& queues() const { return lowered_.queues; }
  const Layout& layout() const { return layout_; }
  const ResolvedRuntime& runtime() const { return runtime_; }
  // The asyncio loops serving each request stream (thread ids), by stream.
  const std::vector<std::vector<int>>& acceptors() const { return acceptors_; }
  // first_task(thread, ordinal): the first task of the ordinal-th `asyncio`
  // operation of the thread's program.
  int first_task(int thread, std::uint32_t ordinal) const {
    return first_task_[static_cast<std::size_t>(thread)][ordinal];
  }
  TraceTracks tracks() const;
  // Every metric a run reports, in the order models/metrics.cc declares them
  // (computed on each call, not kept: a sweep holds many plans' configs).
  std::vector<std::string> metric_names() const;

 private:
  LoweredConfig lowered_;
  Layout layout_;
  ResolvedRuntime runtime_;
  std::vector<std::vector<int>> acceptors_;
  std::vector<std::vector<int>> first_task_;
};

}  // namespace models
