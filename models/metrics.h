// The metrics a run produces, by their contract names (scenario-format.md):
// `wall`, `gil.handoffs`, `threads.NAME.cpu`, ... A flat, ordered map, so that
// JSON and CSV output is in a stable order.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "models/config.h"

namespace models {

using Metrics = std::map<std::string, double>;

// Every metric name a run of `config` will report, known before running it,
// so that `expect` expressions can be checked when the file is loaded.
std::vector<std::string> metric_names(const SimulationConfig& config);

// The per-thread metric names (`cpu`, `gil_wait`, ...).
std::vector<std::string> thread_metric_suffixes();

}  // namespace models
