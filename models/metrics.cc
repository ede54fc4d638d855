#include "models/metrics.h"

namespace models {

namespace {
// Per-thread metrics (seconds unless noted). `cpu` is time on a core
// (bytecode + native); `python` the part running bytecode with the GIL.
const char* const kThreadMetrics[] = {"cpu", "python", "native", "gil_wait", "lock_wait", "runnable",
                                      "io",  "sleep",  "end",    "acquisitions", "io_ops"};
}  // namespace

std::vector<std::string> thread_metric_suffixes() {
  return {std::begin(kThreadMetrics), std::end(kThreadMetrics)};
}

std::vector<std::string> metric_names(const SimulationConfig& config) {
  std::vector<std::string> names = {
      "wall",
      "gil.handoffs",
      "gil.drop_requests",
      "gil.forced_switches",
      "gil.timeouts",
      "gil.futile_wakeups",
      "gil.held",
      "cores.busy_avg",
      "cores.busy_max",
      "os.context_switches",
      "os.wakeups",
      "os.preemptions",
      "events",
  };
  // A counter's `lost` is increments minus value: updates overwritten by a
  // store of a stale value (claim C10).
  for (const auto& c : config.counters)
    for (const char* m : {"value", "increments", "lost"}) names.push_back("counters." + c + "." + m);
  // `contended`: acquisitions that had to wait (blocking waits).
  for (const auto& l : config.locks)
    for (const char* m : {"acquisitions", "contended"}) names.push_back("locks." + l + "." + m);
  for (const auto& g : config.threads) {
    std::vector<std::string> owners;
    if (g.count == 1) {
      owners.push_back(g.name);
    } else {
      owners.push_back(g.name);  // the group: sum over its threads
      for (int i = 0; i < g.count; ++i) owners.push_back(g.name + "_" + std::to_string(i));
    }
    for (const auto& o : owners)
      for (const char* m : kThreadMetrics) names.push_back("threads." + o + "." + m);
  }
  return names;
}

}  // namespace models
