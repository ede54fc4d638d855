// The metrics a run produces, by the names the results use (docs/scenarios.md, "Metrics"):
// `wall`, `gil.handoffs`, `threads.NAME.cpu`, ... A flat, ordered map, so that
// JSON and CSV output is in a stable order.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "models/config.h"
#include "sim/time.h"

namespace models {

using Metrics = std::map<std::string, double>;

class RunPlan;

// Every metric name a run of `plan` will report, known before running it,
// so that `expect` expressions can be checked when the file is loaded
// (RunPlan::metric_names() holds them).
std::vector<std::string> metric_names(const RunPlan& plan);

class Machine;
class PythonThreads;
// The metrics of a run that ended at `wall`, after `events` events: every
// name of metric_names(plan), each once.
Metrics collect_metrics(const RunPlan& plan, const Machine& machine, const PythonThreads& threads, sim::Time wall,
                        std::uint64_t events);

// The per-thread metric names (`cpu`, `gil_wait`, ...).
std::vector<std::string> thread_metric_suffixes();

}  // namespace models
