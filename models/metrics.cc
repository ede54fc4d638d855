#include "models/metrics.h"

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <utility>
#include <unordered_set>

#include "models/gil_protocol.h"
#include "models/python_threads.h"
#include "models/requests.h"
#include "models/run_plan.h"
#include "models/simulation.h"

namespace models {

namespace {
// Per-thread metrics (seconds unless noted). `cpu` is time on a core
// (bytecode + native); `python` the part running bytecode with the GIL.
const char* const kThreadMetrics[] = {"cpu", "python", "native", "gil_wait",     "lock_wait", "wait",
                                      "runnable", "io", "sleep", "end", "acquisitions", "io_ops"};
// "PREFIX" + "OWNER" + "." + "METRIC" in one allocation: a million tasks, or
// a sweep's 10,000 points of 100 threads, make millions of these names.
std::string metric_name(std::string_view prefix, std::string_view owner, std::string_view metric) {
  std::string name;
  name.reserve(prefix.size() + owner.size() + 1 + metric.size());
  name.append(prefix).append(owner).append(1, '.').append(metric);
  return name;
}
}  // namespace

std::vector<std::string> thread_metric_suffixes() {
  return {std::begin(kThreadMetrics), std::end(kThreadMetrics)};
}

std::vector<std::string> metric_names(const RunPlan& plan) {
  const SimulationConfig& config = plan.config();
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
  for (const auto& c : plan.counters())
    for (const char* m : {"value", "increments", "lost"}) names.push_back("counters." + c + "." + m);
  // `contended`: acquisitions that had to wait (blocking waits).
  for (const auto& l : plan.locks())
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
  const Layout& l = plan.layout();
  // asyncio tasks: when each ended, its latency from asyncio.run()'s start,
  // and how many steps the loop gave it; a group's is its last task's (steps: the sum).
  // A group's names come before its first member's (a set says which groups
  // are in: a million tasks must not mean a million searches of a list).
  std::vector<std::string> tasks;
  std::unordered_set<std::string> groups;
  for (const auto& t : l.tasks) {
    if (t.group_size > 1 && groups.insert(t.group).second) tasks.push_back(t.group);
    tasks.push_back(t.name);
  }
  for (const auto& t : tasks)
    for (const char* m : {"end", "latency", "steps"}) names.push_back(metric_name("tasks.", t, m));
  std::vector<std::string> owners;
  groups.clear();
  for (const auto& t : l.threads) {
    if (t.group_size > 1 && groups.insert(t.group).second) owners.push_back(t.group);  // the group: sum over its threads
    owners.push_back(t.name);
  }
  for (const auto& o : owners)
    for (const char* m : kThreadMetrics) names.push_back(metric_name("threads.", o, m));
  std::vector<std::string> processes;
  groups.clear();
  for (const auto& p : l.processes) {
    if (p.pool_worker) continue;
    if (p.group_size > 1 && groups.insert(p.group).second) processes.push_back(p.group);
    processes.push_back(p.name);
  }
  for (const auto& p : processes) names.push_back("processes." + p + ".end");
  return names;
}

Metrics collect_metrics(const RunPlan& plan, const Machine& machine, const PythonThreads& threads, sim::Time wall,
                        std::uint64_t events) {
  const SimulationConfig& config = plan.config();
  const ThreadControl& control = threads.threads();
  // The map is built once from the names in byte order (one comparison per
  // insertion), and each name's entry is kept by its place in metric_names'
  // list: the per-task and per-thread figures (three per task, twelve per
  // thread: a million tasks make three million) are written through those
  // places, not looked up by name, which cost a search of the map per figure.
  std::vector<std::string> names = metric_names(plan);
  // (Sorted as views beside their places: the sort then reads no string it is not comparing.)
  std::vector<std::pair<std::string_view, std::uint32_t>> order(names.size());
  for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = {names[i], i};
  std::sort(order.begin(), order.end());
  Metrics m;
  std::vector<double*> at(names.size());
  // Each name moves into its map entry (a sweep's point of 100 threads has
  // 1,232: a copy each cost an allocation); `key` finds it there by its place.
  std::vector<const std::string*> key(names.size());
  for (const auto& [name, i] : order) {
    const auto entry = m.emplace_hint(m.end(), std::move(names[i]), 0.0);
    at[i] = &entry->second;
    key[i] = &entry->first;
  }
  const std::size_t declared = m.size();
  // Where a section of metric_names' list starts (its first name starting with `prefix`).
  auto section = [&](const std::string& prefix) {
    std::size_t i = 0;
    while (i < key.size() && key[i]->compare(0, prefix.size(), prefix) != 0) ++i;
    return i;
  };
  // The walks below follow metric_names' order; a name where a walk expects
  // another is a bug of one of the two functions.
  auto expect_name = [&](std::size_t i, const std::string& name) {
    if (i >= key.size() || *key[i] != name)
      throw InvariantViolation("collect_metrics expected the metric " + name + " at place " + std::to_string(i));
  };
  m["wall"] = sim::to_seconds(wall);
  // GIL figures add up over the interpreters; `gil.held` is then the mean
  // number of GILs held at once (the fraction of time, with one interpreter).
  if (control.checks().serialises)
    for (int i = 0; i < control.interpreters(); ++i) {
      const GilProtocol& g = *control.gil(i);
      const GilStats& s = g.stats();
      m["gil.handoffs"] += static_cast<double>(s.handoffs);
      m["gil.drop_requests"] += static_cast<double>(s.drop_requests);
      m["gil.forced_switches"] += static_cast<double>(s.forced_switches);
      m["gil.timeouts"] += static_cast<double>(s.timeouts);
      m["gil.futile_wakeups"] += static_cast<double>(s.futile_wakeups);
      m["gil.held"] += g.held_fraction(wall);
    }
  m["cores.busy_avg"] = machine.busy_avg(wall);
  m["cores.busy_max"] = static_cast<double>(machine.busy_max());
  m["os.context_switches"] = static_cast<double>(machine.context_switches());
  m["os.wakeups"] = static_cast<double>(machine.wakeups());
  m["os.preemptions"] = static_cast<double>(machine.preemptions());
  m["events"] = static_cast<double>(events);
  threads.servers().requests().collect(m, threads.servers().listen_queue_max(), wall);

  for (std::size_t i = 0; i < plan.counters().size(); ++i) {
    const auto& c = threads.counters()[i];
    const std::string p = "counters." + plan.counters()[i] + ".";
    m[p + "value"] = static_cast<double>(c.value);
    m[p + "increments"] = static_cast<double>(c.increments);
    m[p + "lost"] = static_cast<double>(c.increments - c.value);
  }
  for (std::size_t i = 0; i < config.pools.size(); ++i) {
    const PoolStats& p = threads.pools().stats()[i];
    const std::string prefix = "pools." + config.pools[i].name + ".";
    m[prefix + "tasks"] = static_cast<double>(p.completed);
    m[prefix + "queue_max"] = static_cast<double>(threads.pools().queue_max(static_cast<std::uint32_t>(i)));
    m[prefix + "latency_mean"] =
        p.completed ? sim::to_seconds(p.latency_sum) / static_cast<double>(p.completed) : 0.0;
    m[prefix + "latency_max"] = sim::to_seconds(p.latency_max);
  }
  for (std::size_t i = 0; i < config.resources.size(); ++i) {
    const Resource& r = threads.resources()[i];
    const std::string prefix = "resources." + config.resources[i].name + ".";
    m[prefix + "requests"] = static_cast<double>(r.requests());
    m[prefix + "queued"] = static_cast<double>(r.queued());
    m[prefix + "wait"] = r.wait_seconds();
    m[prefix + "queue_max"] = static_cast<double>(r.queue_max());
    m[prefix + "busy_avg"] = r.busy_avg(wall);
  }
  // A group's tasks are consecutive, its three names before its first task's.
  {
    std::size_t k3 = section("tasks.");
    const std::string* group = nullptr;
    std::size_t group_at = 0;
    for (std::size_t k = 0; k < plan.layout().tasks.size(); ++k) {
      const TaskSpec& spec = plan.layout().tasks[k];
      const Task& task = threads.asyncio().task(static_cast<int>(k));
      const double values[] = {sim::to_seconds(task.end), sim::to_seconds(task.end - task.started),
                               static_cast<double>(task.steps)};
      if (spec.group_size > 1 && (!group || *group != spec.group)) {
        group = &spec.group;
        group_at = k3;
        expect_name(group_at, "tasks." + spec.group + ".end");
        k3 += 3;
      }
      if (k == 0 || spec.group_size == 1) expect_name(k3, "tasks." + spec.name + ".end");
      for (std::size_t j = 0; j < 3; ++j) {
        *at[k3 + j] = values[j];
        if (spec.group_size > 1) {  // a group's end and latency are its last task's; steps add up
          double& v = *at[group_at + j];
          v = j == 2 ? v + values[j] : std::max(v, values[j]);
        }
      }
      k3 += 3;
    }
  }

  for (std::size_t i = 0; i < plan.locks().size(); ++i) {
    const auto& l = threads.locks()[i];
    const std::string p = "locks." + plan.locks()[i] + ".";
    m[p + "acquisitions"] = static_cast<double>(l.acquisitions());
    m[p + "contended"] = static_cast<double>(l.blocking_waits());
  }

  const auto& layout = plan.layout();
  constexpr std::size_t kPerThread = std::size(kThreadMetrics);
  constexpr std::size_t kEnd = 9;  // kThreadMetrics[kEnd] is "end"
  std::size_t t12 = section("threads.");
  const std::string* group = nullptr;
  std::size_t group_at = 0;
  for (std::size_t i = 0; i < layout.threads.size(); ++i) {
    const PythonThread& t = control[static_cast<int>(i)];
    const ThreadSpec& spec = layout.threads[i];
    auto in = [&](ThreadState s) { return sim::to_seconds(t.time_in[static_cast<int>(s)]); };
    const double values[kPerThread] = {in(ThreadState::Python) + in(ThreadState::Native),
                                       in(ThreadState::Python),
                                       in(ThreadState::Native),
                                       in(ThreadState::GilWait),
                                       in(ThreadState::LockWait),
                                       in(ThreadState::Waiting),
                                       in(ThreadState::Runnable),
                                       in(ThreadState::Io),
                                       in(ThreadState::Sleeping),
                                       sim::to_seconds(t.end),
                                       static_cast<double>(control.gil(spec.interpreter)->acquisitions(static_cast<int>(i))),
                                       static_cast<double>(t.io_ops)};
    // A group's names come before its first thread's (metric_names).
    if (spec.group_size > 1 && (!group || *group != spec.group)) {
      group = &spec.group;
      group_at = t12;
      expect_name(group_at, "threads." + spec.group + "." + kThreadMetrics[0]);
      t12 += kPerThread;
    }
    expect_name(t12 + kEnd, "threads." + t.name + ".end");
    for (std::size_t k = 0; k < kPerThread; ++k) {
      *at[t12 + k] = values[k];
      if (spec.group_size > 1) {
        double& group_value = *at[group_at + k];
        // A group's `end` is its last thread's; everything else is a sum.
        group_value = k == kEnd ? std::max(group_value, values[k]) : group_value + values[k];
      }
    }
    t12 += kPerThread;
    if (spec.interpreter > 0 && !layout.processes[static_cast<std::size_t>(spec.interpreter) - 1].pool_worker) {
      // a process ends with its last thread
      const ProcessSpec& p = layout.processes[static_cast<std::size_t>(spec.interpreter) - 1];
      for (const std::string& name : {p.name, p.group}) {
        double& end = m["processes." + name + ".end"];
        end = std::max(end, values[kEnd]);
      }
    }
  }
  // The names are declared once, before the run (metric_names): a value
  // written under another name is a bug of this function.
  if (m.size() != declared)
    throw InvariantViolation("a run reported " + std::to_string(m.size()) + " metrics, " + std::to_string(declared) +
                             " were declared");
  return m;
}

}  // namespace models
