#include "models/metrics.h"

#include <algorithm>

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
  const Layout l = layout(config);
  std::vector<std::string> owners;
  for (const auto& t : l.threads) {
    if (t.group_size > 1 && (owners.empty() || owners.back() != t.group) &&
        std::find(owners.begin(), owners.end(), t.group) == owners.end())
      owners.push_back(t.group);  // the group: sum over its threads
    owners.push_back(t.name);
  }
  for (const auto& o : owners)
    for (const char* m : kThreadMetrics) names.push_back("threads." + o + "." + m);
  std::vector<std::string> processes;
  for (const auto& p : l.processes) {
    if (p.group_size > 1 && std::find(processes.begin(), processes.end(), p.group) == processes.end())
      processes.push_back(p.group);
    processes.push_back(p.name);
  }
  for (const auto& p : processes) names.push_back("processes." + p + ".end");
  return names;
}

}  // namespace models
