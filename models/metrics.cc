#include "models/metrics.h"

#include <algorithm>

#include "models/requests.h"

namespace models {

namespace {
// Per-thread metrics (seconds unless noted). `cpu` is time on a core
// (bytecode + native); `python` the part running bytecode with the GIL.
const char* const kThreadMetrics[] = {"cpu", "python", "native", "gil_wait",     "lock_wait", "wait",
                                      "runnable", "io", "sleep", "end", "acquisitions", "io_ops"};
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
  // Pools: tasks done, the longest queue of calls waiting for a worker, and
  // the time from submit() to the result (seconds).
  for (const auto& p : config.pools)
    for (const char* m : {"tasks", "queue_max", "latency_mean", "latency_max"})
      names.push_back("pools." + p.name + "." + m);
  // Resources: requests, those that queued, their total time in the queue
  // (seconds), the longest queue, and the mean number of slots in use.
  for (const auto& r : config.resources)
    for (const char* m : {"requests", "queued", "wait", "queue_max", "busy_avg"})
      names.push_back("resources." + r.name + "." + m);
  // Request streams (models/requests.h): latency percentiles (seconds) over
  // the requests that arrived in the window [warmup, duration), the offered
  // load (arrivals per second in it) and throughput (responses per second in
  // it); in total, per stream and, for a mix, per request type.
  if (!config.requests.empty()) {
    static const char* const kWindowed[] = {"p50", "p90", "p99", "max", "mean", "offered", "throughput", "goodput"};
    for (const char* m : kWindowed) names.push_back(std::string("requests.") + m);
    for (const RequestCount& c : kRequestCounts) names.push_back(std::string("requests.") + c.name);
    for (const char* m : {"queue_max", "in_flight_max", "in_flight_avg"}) names.push_back(std::string("requests.") + m);
    for (const auto& s : config.requests) {
      const std::string p = "requests." + s.name + ".";
      for (const char* m : kWindowed) names.push_back(p + m);
      for (const RequestCount& c : kRequestCounts) names.push_back(p + c.name);
      names.push_back(p + "queue_max");
      if (s.mix.size() > 1)
        for (const auto& t : s.mix)
          for (const char* m : kWindowed) names.push_back(p + t.name + "." + m);
    }
  }
  const Layout l = layout(config);
  // asyncio tasks: when each ended, its latency from asyncio.run()'s start,
  // and how many steps the loop gave it; a group's is its last task's (steps: the sum).
  std::vector<std::string> tasks;
  for (const auto& t : l.tasks) {
    if (t.group_size > 1 && std::find(tasks.begin(), tasks.end(), t.group) == tasks.end()) tasks.push_back(t.group);
    tasks.push_back(t.name);
  }
  for (const auto& t : tasks)
    for (const char* m : {"end", "latency", "steps"}) names.push_back("tasks." + t + "." + m);
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
    if (p.pool_worker) continue;
    if (p.group_size > 1 && std::find(processes.begin(), processes.end(), p.group) == processes.end())
      processes.push_back(p.group);
    processes.push_back(p.name);
  }
  for (const auto& p : processes) names.push_back("processes." + p + ".end");
  return names;
}

}  // namespace models
