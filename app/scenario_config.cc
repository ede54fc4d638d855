#include "app/scenario_config.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <regex>

#include "app/scenario_distribution.h"
#include "app/scenario_program.h"
#include "app/yaml_values.h"

namespace app {

namespace {

using models::GilKind;
using sim::kMicrosecond;


models::MachineConfig read_machine(const YamlSource& src, const YAML::Node& node) {
  models::MachineConfig m;
  const auto entries = map_entries(src, node, "machine");
  check_keys(src, entries,
             {"cores", "context_switch", "wakeup_latency", "timeslice", "futex_wake", "futex_wake_nobody",
              "wakeup_preemption", "wakeup_granularity", "sched_latency"},
             "in machine");
  if (const auto* e = find_entry(entries, "futex_wake"))
    m.futex_wake = read_duration(src, e->value, "machine.futex_wake");
  if (const auto* e = find_entry(entries, "futex_wake_nobody"))
    m.futex_wake_nobody = read_duration(src, e->value, "machine.futex_wake_nobody");
  if (const auto* e = find_entry(entries, "wakeup_granularity"))
    m.wakeup_granularity = read_duration(src, e->value, "machine.wakeup_granularity");
  if (const auto* e = find_entry(entries, "sched_latency"))
    m.sched_latency = read_duration(src, e->value, "machine.sched_latency");
  if (const auto* e = find_entry(entries, "wakeup_preemption")) {
    const std::string v = read_string(src, e->value, "machine.wakeup_preemption");
    if (v != "true" && v != "false")
      src.fail(e->value, "machine.wakeup_preemption is true or false, got '" + v + "'");
    m.wakeup_preemption = v == "true";
  }
  if (const auto* e = find_entry(entries, "cores"))
    m.cores = static_cast<int>(read_int(src, e->value, "machine.cores", 1, 1024));
  if (const auto* e = find_entry(entries, "context_switch"))
    m.context_switch = read_distribution(src, e->value, "machine.context_switch");
  if (const auto* e = find_entry(entries, "wakeup_latency"))
    m.wakeup_latency = read_distribution(src, e->value, "machine.wakeup_latency");
  if (const auto* e = find_entry(entries, "timeslice")) {
    m.timeslice = read_duration(src, e->value, "machine.timeslice");
    if (m.timeslice <= 0) src.fail(e->value, "machine.timeslice must be above 0");
  }
  return m;
}

models::RuntimeConfig read_runtime(const YamlSource& src, const YAML::Node& node) {
  models::RuntimeConfig r;
  const auto entries = map_entries(src, node, "runtime");
  check_keys(src, entries,
             {"python", "switch_interval", "check_interval", "eval_breaker_granularity", "wake", "gil",
              "cpu_overhead", "tick", "release_gap", "increment_time"},
             "in runtime");
  if (const auto* e = find_entry(entries, "python")) read_python_version(src, e->value, r);
  if (const auto* e = find_entry(entries, "gil")) {
    // PYTHON_GIL=1 / -X gil=1 (Doc/using/cmdline.rst 3.13): only a free-threaded
    // build can run without the GIL, so only there can it be switched.
    const std::string gil = read_string(src, e->value, "runtime.gil");
    if (gil != "enabled" && gil != "disabled")
      src.fail(e->value, "runtime.gil is 'enabled' or 'disabled', got '" + gil + "'");
    if (!r.free_threaded)
      src.fail(e->value, "runtime.gil applies to free-threaded builds (python \"3.13t\", \"3.14t\"); python \"" +
                             r.python + "\" always has a GIL");
    r.gil = gil == "enabled" ? GilKind::NewGil : GilKind::NoGil;
  }
  if (const auto* e = find_entry(entries, "cpu_overhead")) {
    r.cpu_overhead = read_number(src, e->value, "runtime.cpu_overhead");
    if (!(r.cpu_overhead >= 0.1 && r.cpu_overhead <= 10))
      src.fail(e->value, "runtime.cpu_overhead is a factor on bytecode CPU time, from 0.1 to 10");
  }
  if (const auto* e = find_entry(entries, "tick")) {
    r.tick = read_duration(src, e->value, "runtime.tick");
    if (r.tick <= 0) src.fail(e->value, "runtime.tick must be above 0");
  }
  if (const auto* e = find_entry(entries, "increment_time")) {
    r.increment_time = read_duration(src, e->value, "runtime.increment_time");
    if (r.increment_time < 2) src.fail(e->value, "runtime.increment_time must be at least 2ns");
  }
  if (const auto* e = find_entry(entries, "release_gap"))
    r.release_gap = read_duration(src, e->value, "runtime.release_gap");
  if (const auto* e = find_entry(entries, "switch_interval")) {
    // sys.setswitchinterval(0) is accepted by CPython and clamped to 1 us
    // (ceval_gil.c: "if (interval < 1) interval = 1"); gilsim does the same.
    r.switch_interval =
        std::max(read_duration(src, e->value, "runtime.switch_interval"), kMicrosecond);
  }
  if (const auto* e = find_entry(entries, "check_interval"))
    r.check_interval = read_int(src, e->value, "runtime.check_interval", 1, 1'000'000'000);
  if (const auto* e = find_entry(entries, "eval_breaker_granularity")) {
    r.eval_breaker_granularity = read_duration(src, e->value, "runtime.eval_breaker_granularity");
    if (r.eval_breaker_granularity <= 0)
      src.fail(e->value, "runtime.eval_breaker_granularity must be above 0");
  }
  if (const auto* e = find_entry(entries, "wake")) {
    const std::string wake = read_string(src, e->value, "runtime.wake");
    if (wake != "fifo" && wake != "random")
      src.fail(e->value, "runtime.wake is 'fifo' or 'random', got '" + wake + "'");
    r.wake_random = wake == "random";
  }
  return r;
}

// Where each thread name of a variant comes from, to explain a clash.
struct NameOrigin {
  std::string group;
  int line = 0;
};

class ThreadNames {
 public:
  explicit ThreadNames(const YamlSource& src) : src_(src) {}

  // Adds a group's name and, for a replicated group, NAME_0 .. NAME_{n-1}:
  // every one of them is a metric path (threads.NAME.cpu) and must be unique.
  void add(const std::string& group, int count, const YAML::Node& name_node) {
    const int line = src_.pos(name_node.Mark()).line;
    check_and_add(group, group, line, name_node);
    if (count == 1) return;
    for (int i = 0; i < count; ++i)
      check_and_add(group + "_" + std::to_string(i), group, line, name_node);
  }

 private:
  void check_and_add(const std::string& name, const std::string& group, int line,
                     const YAML::Node& name_node) {
    auto [it, added] = names_.emplace(name, NameOrigin{group, line});
    if (added) return;
    const NameOrigin& first = it->second;
    if (name == group && first.group == group)
      src_.fail(name_node, "duplicate thread name '" + name + "' (first on line " +
                               std::to_string(first.line) + ")");
    src_.fail(name_node, "thread name '" + name + "' clashes with thread '" + first.group +
                             "' on line " + std::to_string(first.line) +
                             ": a group with a count names its threads NAME_0, NAME_1, ...");
  }

  const YamlSource& src_;
  std::map<std::string, NameOrigin> names_;
};

int read_count(const YamlSource& src, const YAML::Node& node, const std::string& thread) {
  const std::int64_t count = read_int(src, node, "count of thread '" + thread + "'", 1, INT64_MAX);
  if (count > kMaxThreads)
    src.fail(node, "count " + node.Scalar() + " is too many threads: gilsim simulates at most " +
                       std::to_string(kMaxThreads) + " threads per variant");
  return static_cast<int>(count);
}

// A thread group as read, with the nodes later checks point at.
struct ThreadItem {
  models::ThreadGroup group;
  YAML::Node name_node;
  YAML::Node count_node;  // the name's node when `count` is not written
};

// `max_core` is the highest core number of the machine (cores - 1).
ThreadItem read_thread(const YamlSource& src, const YAML::Node& item, std::int64_t max_core) {
  const auto entries = map_entries(src, item, "a thread");
  const YamlEntry* name = find_entry(entries, "name");
  const std::string label =
      name && name->value.IsScalar() ? "thread '" + name->value.Scalar() + "'" : "a thread";
  check_keys(src, entries, {"name", "count", "run", "cores"}, "in " + label);
  if (!name) src.fail(item, "a thread needs a 'name'");
  ThreadItem t{{}, name->value, name->value};
  t.group.name = read_identifier(src, name->value, "thread name");
  if (const auto* count = find_entry(entries, "count")) {
    t.group.count = read_count(src, count->value, t.group.name);
    t.count_node.reset(count->value);  // not `=`: that would write into the name's node
  }
  const YamlEntry* run = find_entry(entries, "run");
  if (!run) src.fail(item, label + " needs 'run', its list of operations");
  t.group.program = read_program(src, run->value, t.group.name);
  if (const auto* cores = find_entry(entries, "cores")) {
    const auto items = list_items(src, cores->value, "cores of " + label);
    if (items.empty()) src.fail(cores->value, "cores of " + label + " is empty: a thread needs a core to run on");
    for (const auto& c : items) {
      const auto core = static_cast<int>(read_int(src, c, "a core number", 0, max_core));
      t.group.cores.push_back(core);
    }
  }
  return t;
}

std::vector<models::ThreadGroup> read_threads(const YamlSource& src, const YAML::Node& node, int machine_cores) {
  const auto items = list_items(src, node, "threads");
  if (items.empty()) src.fail(node, "threads is empty: a scenario needs at least one thread");
  std::vector<models::ThreadGroup> groups;
  ThreadNames names(src);
  int total = 0;
  for (const auto& item : items) {
    ThreadItem t = read_thread(src, item, machine_cores - 1);
    names.add(t.group.name, t.group.count, t.name_node);
    total += t.group.count;
    if (total > kMaxThreads)
      src.fail(t.count_node, "this makes " + std::to_string(total) +
                                 " threads: gilsim simulates at most " +
                                 std::to_string(kMaxThreads) + " threads per variant");
    groups.push_back(std::move(t.group));
  }
  return groups;
}

// Locks and counters live in one process's memory; sharing them between
// processes (multiprocessing.Lock, Value) is not modelled yet.
void reject_shared_objects(const YamlSource& src, const YAML::Node& threads_node,
                           const std::vector<models::ThreadGroup>& groups) {
  for (const auto& g : groups)
    for (const auto& op : g.program)
      if (op.kind == models::OpKind::LockAcquire || op.kind == models::OpKind::IncrementLoad)
        src.fail(threads_node, "'lock' and 'increment' are modelled in the main process's threads only: "
                               "a child process shares no memory with it (multiprocessing.Lock and "
                               "Value are not modelled yet)");
}

std::vector<models::ProcessGroup> read_processes(const YamlSource& src, const YAML::Node& node, int machine_cores) {
  std::vector<models::ProcessGroup> out;
  const auto items = list_items(src, node, "processes");
  if (items.empty()) src.fail(node, "processes is empty: give at least one, or remove it");
  for (const auto& item : items) {
    const auto entries = map_entries(src, item, "a process");
    check_keys(src, entries, {"name", "count", "start_method", "startup", "threads"}, "in a process");
    const YamlEntry* name = find_entry(entries, "name");
    if (!name) src.fail(item, "a process needs a 'name'");
    models::ProcessGroup p;
    p.name = read_identifier(src, name->value, "process name");
    if (const auto* count = find_entry(entries, "count"))
      p.count = static_cast<int>(read_int(src, count->value, "count of process '" + p.name + "'", 1, kMaxThreads));
    if (const auto* m = find_entry(entries, "start_method")) {
      const std::string method = read_string(src, m->value, "start_method");
      if (method == "fork") p.start_method = models::StartMethod::Fork;
      else if (method == "forkserver") p.start_method = models::StartMethod::Forkserver;
      else if (method == "spawn") p.start_method = models::StartMethod::Spawn;
      else src.fail(m->value, "start_method is fork, forkserver or spawn, got '" + method + "'");
    }
    if (const auto* st = find_entry(entries, "startup")) p.startup = read_duration(src, st->value, "startup");
    const YamlEntry* threads = find_entry(entries, "threads");
    if (!threads) src.fail(item, "process '" + p.name + "' needs 'threads', the threads it runs");
    p.threads = read_threads(src, threads->value, machine_cores);
    reject_shared_objects(src, threads->value, p.threads);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace

const std::vector<std::string>& setting_keys() {
  static const std::vector<std::string> keys = {"machine", "runtime", "threads", "processes", "time_limit"};
  return keys;
}

void read_python_version(const YamlSource& src, const YAML::Node& node,
                         models::RuntimeConfig& runtime) {
  // Read as text, so that `python: 3.10` is "3.10", not the float 3.1.
  const std::string v = read_string(src, node, "runtime.python");
  runtime.python = v;
  runtime.free_threaded = false;
  runtime.cpu_overhead = 1.0;
  std::smatch m;
  if (std::regex_match(v, m, std::regex(R"(3\.(\d{1,2}))"))) {
    const int minor = std::stoi(m[1]);
    if (minor >= 2 && minor <= 14) {
      runtime.gil = GilKind::NewGil;
      runtime.minor = minor;
      return;
    }
    if (minor <= 1) {  // 3.0 and 3.1 still had the old GIL (the new one is 3.2's)
      runtime.gil = GilKind::OldGil;
      runtime.minor = minor;
      return;
    }
  }
  if (std::regex_match(v, std::regex(R"(2\.(\d{1,2}|x))"))) {
    runtime.gil = GilKind::OldGil;
    return;
  }
  if (v == "3.13t" || v == "3.14t") {
    runtime.gil = GilKind::NoGil;
    runtime.free_threaded = true;
    runtime.minor = v == "3.13t" ? 13 : 14;
    // Single-thread overhead of the free-threaded build: models/config.h.
    runtime.cpu_overhead = v == "3.13t" ? 1.40 : 1.08;
    return;
  }
  src.fail(node, "unknown python version '" + v +
                     "'; valid: \"2.7\" (old GIL), \"3.0\" .. \"3.14\", \"3.13t\", \"3.14t\" (free-threaded)");
}

models::SimulationConfig read_settings(const YamlSource& src, const YAML::Node& settings) {
  models::SimulationConfig c;
  const auto entries = map_entries(src, settings, "the scenario");
  if (const auto* e = find_entry(entries, "machine")) c.machine = read_machine(src, e->value);
  if (const auto* e = find_entry(entries, "runtime")) c.runtime = read_runtime(src, e->value);
  if (const auto* e = find_entry(entries, "threads")) c.threads = read_threads(src, e->value, c.machine.cores);
  const YamlEntry* processes = find_entry(entries, "processes");
  if (processes) c.processes = read_processes(src, processes->value, c.machine.cores);
  models::index_shared_objects(c);
  // Every thread's name is a metric name: across processes too.
  const models::Layout l = models::layout(c);
  if (l.threads.size() > static_cast<std::size_t>(kMaxThreads))
    src.fail(processes ? processes->value : settings,
             "this makes " + std::to_string(l.threads.size()) + " threads: gilsim simulates at most " +
                 std::to_string(kMaxThreads) + " threads per variant");
  std::map<std::string, int> seen;
  for (const auto& t : l.threads)
    if (++seen[t.name] == 2)
      src.fail(processes ? processes->value : settings,
               "two threads are named '" + t.name + "' (a thread of a process is named PROCESS_THREAD): rename one");
  if (const auto* e = find_entry(entries, "time_limit")) {
    c.time_limit = read_duration(src, e->value, "time_limit");
    if (c.time_limit <= 0) src.fail(e->value, "time_limit must be above 0");
  }
  return c;
}

}  // namespace app
