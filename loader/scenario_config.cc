#include "loader/scenario_config.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <utility>

#include "loader/scenario_distribution.h"
#include "loader/scenario_program.h"
#include "loader/scenario_requests.h"
#include "loader/unique_names.h"
#include "loader/yaml_values.h"
#include "models/python_versions.h"

namespace loader {

namespace {

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
  if (const auto* e = find_entry(entries, "wakeup_preemption"))
    m.wakeup_preemption = read_bool(src, e->value, "machine.wakeup_preemption");
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
              "cpu_overhead", "tick", "release_gap", "increment_time", "submit_cost", "pickle_per_call",
              "pickle_per_byte", "ipc_per_call", "ipc_per_byte", "loop_step"},
             "in runtime");
  if (const auto* e = find_entry(entries, "python")) read_python_version(src, e->value, r);
  if (const auto* e = find_entry(entries, "gil")) {
    // PYTHON_GIL=1 / -X gil=1 (Doc/using/cmdline.rst 3.13): only a free-threaded
    // build can run without the GIL, so only there can it be switched.
    const std::string gil = read_string(src, e->value, "runtime.gil");
    if (gil != "enabled" && gil != "disabled")
      src.fail(e->value, "runtime.gil is 'enabled' or 'disabled', got '" + gil + "'");
    if (!models::find_python_version(r.python)->free_threaded)
      src.fail(e->value, "runtime.gil applies to free-threaded builds (python \"3.13t\", \"3.14t\"); python \"" +
                             r.python + "\" always has a GIL");
    r.gil_enabled = gil == "enabled";
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
  // Costs of pools and event loops; unset (-1), the model's defaults. The
  // costs per byte may be fractions of a nanosecond.
  const std::pair<const char*, sim::Time*> costs[] = {{"submit_cost", &r.submit_cost},
                                                      {"pickle_per_call", &r.pickle_per_call},
                                                      {"ipc_per_call", &r.ipc_per_call},
                                                      {"loop_step", &r.loop_step}};
  for (const auto& [key, field] : costs)
    if (const auto* e = find_entry(entries, key)) *field = read_duration(src, e->value, std::string("runtime.") + key);
  const std::pair<const char*, double*> per_byte[] = {{"pickle_per_byte", &r.pickle_per_byte},
                                                      {"ipc_per_byte", &r.ipc_per_byte}};
  for (const auto& [key, field] : per_byte)
    if (const auto* e = find_entry(entries, key))
      *field = read_fractional_duration(src, e->value, std::string("runtime.") + key);
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

// A list of core numbers (os.sched_setaffinity), each in [0, max_core]:
// `max_core` is the highest core number of the machine (cores - 1). `label`
// names the owner ("thread 'w'"), `who` says what runs there ("a thread").
std::vector<int> read_cores(const YamlSource& src, const YAML::Node& node, const std::string& label,
                            const std::string& who, std::int64_t max_core) {
  const auto items = list_items(src, node, "cores of " + label);
  if (items.empty()) src.fail(node, "cores of " + label + " is empty: " + who + " needs a core to run on");
  std::vector<int> cores;
  for (const auto& c : items) cores.push_back(static_cast<int>(read_int(src, c, "a core number", 0, max_core)));
  return cores;
}

models::StartMethod read_start_method(const YamlSource& src, const YAML::Node& node) {
  const std::string method = read_string(src, node, "start_method");
  if (method == "fork") return models::StartMethod::Fork;
  if (method == "forkserver") return models::StartMethod::Forkserver;
  if (method == "spawn") return models::StartMethod::Spawn;
  src.fail(node, "start_method is fork, forkserver or spawn, got '" + method + "'");
}

ThreadItem read_thread(const YamlSource& src, const YAML::Node& item, std::int64_t max_core,
                       const ProgramContext& context) {
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
  t.group.program = read_program(src, run->value, t.group.name, context);
  if (const auto* cores = find_entry(entries, "cores"))
    t.group.cores = read_cores(src, cores->value, label, "a thread", max_core);
  return t;
}

std::vector<models::ThreadGroup> read_threads(const YamlSource& src, const YAML::Node& node, int machine_cores,
                                              const ProgramContext& context) {
  const auto items = list_items(src, node, "threads");
  if (items.empty()) src.fail(node, "threads is empty: a scenario needs at least one thread");
  std::vector<models::ThreadGroup> groups;
  UniqueNames names(src, "thread");
  int total = 0;
  for (const auto& item : items) {
    ThreadItem t = read_thread(src, item, machine_cores - 1, context);
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

// `context` is the main process's; a child process's threads get their own,
// which forbids pools, locks and counters (read_program checks them).
std::vector<models::ProcessGroup> read_processes(const YamlSource& src, const YAML::Node& node, int machine_cores,
                                                 const ProgramContext& context) {
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
    if (const auto* m = find_entry(entries, "start_method")) p.start_method = read_start_method(src, m->value);
    if (const auto* st = find_entry(entries, "startup")) p.startup = read_duration(src, st->value, "startup");
    const YamlEntry* threads = find_entry(entries, "threads");
    if (!threads) src.fail(item, "process '" + p.name + "' needs 'threads', the threads it runs");
    ProgramContext in_child = context;
    in_child.process = p.name;
    p.threads = read_threads(src, threads->value, machine_cores, in_child);
    out.push_back(std::move(p));
  }
  return out;
}

// `resources:` things with a capacity and a queue (a database's connections).
std::vector<models::ResourceConfig> read_resources(const YamlSource& src, const YAML::Node& node) {
  std::vector<models::ResourceConfig> out;
  DefinedNames names(src, "resource");
  for (const auto& item : list_items(src, node, "resources")) {
    const auto entries = map_entries(src, item, "a resource");
    const YamlEntry* name = find_entry(entries, "name");
    const std::string label =
        name && name->value.IsScalar() ? "resource '" + name->value.Scalar() + "'" : "a resource";
    check_keys(src, entries, {"name", "capacity"}, "in " + label);
    if (!name) src.fail(item, "a resource needs a 'name'");
    models::ResourceConfig r;
    r.name = read_identifier(src, name->value, "resource name");
    names.add(r.name, name->value);
    if (const auto* c = find_entry(entries, "capacity"))
      r.capacity = static_cast<int>(read_int(src, c->value, "capacity of " + label, 1, 1'000'000));
    out.push_back(std::move(r));
  }
  return out;
}

constexpr const char* kPoolKinds = "process, thread, interpreter or celery";

models::PoolKind read_pool_kind(const YamlSource& src, const YAML::Node& node) {
  const std::string kind = read_string(src, node, "kind of a pool");
  if (kind == "process") return models::PoolKind::Process;
  if (kind == "thread") return models::PoolKind::Thread;
  if (kind == "interpreter") return models::PoolKind::Interpreter;
  if (kind == "celery") return models::PoolKind::Celery;
  src.fail(node, std::string("pool kind is ") + kPoolKinds + ", got '" + kind + "'");
}

// "a thread pool", "an interpreter pool": for messages about keys a kind does not take.
std::string a_pool_of_kind(models::PoolKind kind) {
  switch (kind) {
    case models::PoolKind::Process:
      return "a process pool";
    case models::PoolKind::Thread:
      return "a thread pool";
    case models::PoolKind::Interpreter:
      return "an interpreter pool";
    case models::PoolKind::Celery:
      break;
  }
  return "a celery pool";
}

// The keys of a Celery pool alone: its broker and the costs of talking to it.
const std::vector<std::string> kBrokerKeys = {"broker", "broker_latency", "poll_interval", "publish_cost"};

// `broker: RESOURCE` and the broker's costs of a celery pool; the broker's
// name is checked against `resources` unless that is null.
void read_broker(const YamlSource& src, const YAML::Node& item, const std::vector<YamlEntry>& entries,
                 const std::string& label, const std::vector<models::ResourceConfig>* resources,
                 models::PoolConfig& p) {
  const YamlEntry* broker = find_entry(entries, "broker");
  if (!broker)
    src.fail(item, "celery " + label + " needs 'broker': the resource that is its broker and result "
                   "backend, e.g. broker: redis with resources: [{name: redis, capacity: 100}]");
  p.broker = read_identifier(src, broker->value, "broker of " + label);
  if (resources) {
    std::vector<std::string> names;
    for (const auto& r : *resources) names.push_back(r.name);
    const auto it = std::find(names.begin(), names.end(), p.broker);
    if (it == names.end())
      fail_unknown(src, broker->value, "resource", p.broker, names, "resources",
                   "{name: " + p.broker + ", capacity: 100}");
    p.broker_index = static_cast<std::uint32_t>(it - names.begin());
  }
  // A round trip and a polling interval of 0 would make a free broker and a
  // busy loop; publishing may be free.
  const std::pair<const char*, sim::Time*> above_zero[] = {{"broker_latency", &p.broker_latency},
                                                           {"poll_interval", &p.poll_interval}};
  for (const auto& [key, field] : above_zero)
    if (const auto* e = find_entry(entries, key)) {
      *field = read_duration(src, e->value, std::string(key) + " of " + label);
      if (*field <= 0) src.fail(e->value, std::string(key) + " of " + label + " must be above 0");
    }
  if (const auto* e = find_entry(entries, "publish_cost"))
    p.publish_cost = read_duration(src, e->value, "publish_cost of " + label);
}

// `pools:` concurrent.futures executors (and multiprocessing.Pool), made when
// the program starts, and Celery-like workers behind a broker (one of
// `resources`; null: the broker's name is not checked).
std::vector<models::PoolConfig> read_pools(const YamlSource& src, const YAML::Node& node, int machine_cores,
                                           const std::vector<models::ResourceConfig>* resources) {
  std::vector<models::PoolConfig> out;
  DefinedNames names(src, "pool");
  for (const auto& item : list_items(src, node, "pools")) {
    const auto entries = map_entries(src, item, "a pool");
    const YamlEntry* name = find_entry(entries, "name");
    const std::string label = name && name->value.IsScalar() ? "pool '" + name->value.Scalar() + "'" : "a pool";
    std::vector<std::string> keys = {"name", "kind", "workers", "start_method", "startup", "cores"};
    keys.insert(keys.end(), kBrokerKeys.begin(), kBrokerKeys.end());
    check_keys(src, entries, keys, "in " + label);
    if (!name) src.fail(item, "a pool needs a 'name'");
    models::PoolConfig p;
    p.name = read_identifier(src, name->value, "pool name");
    names.add(p.name, name->value);
    const YamlEntry* kind = find_entry(entries, "kind");
    if (!kind) src.fail(item, label + " needs 'kind': " + kPoolKinds);
    p.kind = read_pool_kind(src, kind->value);
    if (const auto* w = find_entry(entries, "workers"))
      p.workers = static_cast<int>(read_int(src, w->value, "workers of " + label, 1, kMaxThreads));
    if (const auto* m = find_entry(entries, "start_method")) {
      if (p.kind != models::PoolKind::Process)
        src.fail(m->key_node, "start_method applies to process pools; " + label + " is " + a_pool_of_kind(p.kind) +
                                  (p.kind == models::PoolKind::Celery
                                       ? " (its workers are started before the run, by the Celery command)"
                                       : ""));
      p.start_method = read_start_method(src, m->value);
    }
    // A celery pool's startup left unset (-1) is the model's default: none,
    // since the workers are started before the run.
    if (const auto* st = find_entry(entries, "startup"))
      p.startup = read_duration(src, st->value, "startup of " + label);
    if (const auto* cores = find_entry(entries, "cores"))
      p.cores = read_cores(src, cores->value, label, "a pool's worker", machine_cores - 1);
    if (p.kind == models::PoolKind::Celery) {
      read_broker(src, item, entries, label, resources, p);
    } else {
      for (const auto& key : kBrokerKeys)
        if (const auto* e = find_entry(entries, key))
          src.fail(e->key_node, key + " applies to celery pools; " + label + " is " + a_pool_of_kind(p.kind));
    }
    out.push_back(std::move(p));
  }
  return out;
}

// The asyncio tasks a run would make: every thread of a group runs its
// program's `asyncio` operations, each with its tasks.
std::int64_t asyncio_tasks(const models::SimulationConfig& c) {
  const auto per_thread = [](const models::ThreadGroup& g) {
    std::int64_t n = 0;
    for (const auto& op : g.program)
      for (const auto& t : op.tasks) n += t.count;
    return n * g.count;
  };
  std::int64_t total = 0;
  for (const auto& g : c.threads) total += per_thread(g);
  for (const auto& p : c.processes)
    for (const auto& g : p.threads) total += per_thread(g) * p.count;
  return total;
}

}  // namespace

const std::vector<std::string>& setting_keys() {
  static const std::vector<std::string> keys = {"machine",   "runtime",  "pools",     "resources", "threads",
                                                "processes", "requests", "time_limit"};
  return keys;
}

void read_python_version(const YamlSource& src, const YAML::Node& node,
                         models::RuntimeConfig& runtime) {
  // Read as text, so that `python: 3.10` is "3.10", not the float 3.1.
  const std::string v = read_string(src, node, "runtime.python");
  if (!models::find_python_version(v))
    src.fail(node, "unknown python version '" + v + "'; valid: " + models::python_version_names());
  runtime.python = v;
}

models::SimulationConfig read_settings(const YamlSource& src, const YAML::Node& settings, bool check_names,
                                       std::shared_ptr<const models::RunPlan>* plan) {
  models::SimulationConfig c;
  const auto entries = map_entries(src, settings, "the scenario");
  const YamlEntry* pools = find_entry(entries, "pools");
  const YamlEntry* threads = find_entry(entries, "threads");
  const YamlEntry* processes = find_entry(entries, "processes");
  if (const auto* e = find_entry(entries, "machine")) c.machine = read_machine(src, e->value);
  if (const auto* e = find_entry(entries, "runtime")) c.runtime = read_runtime(src, e->value);
  // Resources, pools and the streams' names first: the threads' programs
  // name them (and a celery pool names its broker, a resource).
  if (const auto* e = find_entry(entries, "resources")) c.resources = read_resources(src, e->value);
  if (pools) c.pools = read_pools(src, pools->value, c.machine.cores, check_names ? &c.resources : nullptr);
  std::vector<StreamItem> streams;
  if (const auto* e = find_entry(entries, "requests")) streams = read_streams(src, e->value);
  const std::vector<std::string> names_of_streams = stream_names(streams);
  UniqueNames task_names(src, "task");  // across every thread of the variant
  std::vector<StreamServer> servers;
  ProgramContext context;
  if (check_names) {
    context.pools = &c.pools;
    context.resources = &c.resources;
    context.streams = &names_of_streams;
  }
  context.task_names = &task_names;
  context.servers = &servers;
  // With processes, the main process may have no threads of its own (a
  // server's master process that only starts its workers): `threads: []`.
  if (threads && !(processes && threads->value.IsSequence() && threads->value.size() == 0))
    c.threads = read_threads(src, threads->value, c.machine.cores, context);
  if (processes) c.processes = read_processes(src, processes->value, c.machine.cores, context);
  // The requests' programs, now that their servers are known.
  context.servers = nullptr;
  c.requests = finish_streams(src, std::move(streams), servers, context, check_names);
  // The run plan lowers submit, map, to_thread and asyncio into the model's
  // own operations, by pool and resource index: only once every name is
  // known. The top level of a file with variants may name pools only its
  // variants define: its names are checked without a plan.
  std::shared_ptr<const models::RunPlan> made;
  models::NamedLayout named;
  if (check_names) made = std::make_shared<const models::RunPlan>(c);
  else named = models::name_layout(c);
  const models::Layout& l = made ? made->layout() : named.layout;

  // Every thread's and task's name is a metric name (threads.NAME.*,
  // tasks.NAME.*): across processes and pools too.
  const YAML::Node& where = processes ? processes->value : threads ? threads->value : settings;
  const std::int64_t tasks = asyncio_tasks(c);
  if (tasks > kMaxTasks)
    src.fail(where, "this makes " + std::to_string(tasks) + " asyncio tasks (each thread of a group runs its "
                    "own): gilsim simulates at most " + std::to_string(kMaxTasks) + " tasks per variant");
  if (l.threads.size() > static_cast<std::size_t>(kMaxThreads))
    src.fail(pools ? pools->value : where,
             "this makes " + std::to_string(l.threads.size()) + " threads, pools' workers included: gilsim "
             "simulates at most " + std::to_string(kMaxThreads) + " threads per variant");
  std::map<std::string, int> seen;
  for (const auto& t : l.threads)
    if (++seen[t.name] == 2)
      src.fail(t.service && pools ? pools->value : where,
               "two threads are named '" + t.name + "' (a thread of a process is named PROCESS_THREAD, a "
               "pool's workers POOL_i, a process pool's helper threads POOL_feeder and POOL_results): "
               "rename one");
  seen.clear();
  for (const auto& t : l.tasks)
    if (++seen[t.name] == 2)
      src.fail(threads ? threads->value : where,
               "two asyncio tasks are named '" + t.name + "' (a task of a replicated thread or of a "
               "process's thread is named THREAD_TASK): rename one");

  if (const auto* e = find_entry(entries, "time_limit")) {
    c.time_limit = read_duration(src, e->value, "time_limit");
    if (c.time_limit <= 0) src.fail(e->value, "time_limit must be above 0");
  }
  if (plan) *plan = std::move(made);
  return c;
}

}  // namespace loader
