#include "loader/scenario_config.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <utility>

#include "loader/did_you_mean.h"
#include "loader/scenario_pools.h"
#include "loader/scenario_program.h"
#include "loader/scenario_requests.h"
#include "loader/scenario_threads.h"
#include "loader/unique_names.h"
#include "loader/yaml_values.h"
#include "models/os_policy.h"
#include "models/python_versions.h"

namespace loader {

namespace {


// ---------------------------------------------------------------------------
// machine

using MachineReading = Reading<models::MachineConfig, NoExtra>;
using MachineKey = Key<models::MachineConfig>;

std::vector<std::string> os_policy_names() {
  std::vector<std::string> names;
  for (const models::OsPolicyEntry& p : models::os_policies()) names.emplace_back(p.name);
  return names;
}

const char* os_policy_choices() {
  static const std::string choices = join_words(os_policy_names(), " | ", " | ");
  return choices.c_str();
}

// machine.scheduler: a name of kOsPolicies (models/os_policy.cc).
void read_scheduler(const YamlSource& src, const YAML::Node& node, const std::string& where,
                    models::MachineConfig& m) {
  const std::string name = read_string(src, node, where);
  const std::vector<std::string> names = os_policy_names();
  if (std::find(names.begin(), names.end(), name) != names.end()) {
    m.scheduler = name;
    return;
  }
  src.fail(node, where + " is " + join_words(names, " or ") + ", got '" + name + "'" + did_you_mean(name, names));
}

const Section<models::MachineConfig>& machine_section() {
  static const Section<models::MachineConfig> section(
      "machine", "`machine:` at the top level or in a variant",
      "The computer the program runs on: its cores and what its operating system's scheduler costs. A "
      "cost given as a distribution is drawn anew for each event.",
      {
          {.name = "cores", .type = ValueType::Integer, .field = &models::MachineConfig::cores,
           .limits = {1, 1024}, .unit = "cores", .doc = "The machine's cores; a runnable thread beyond them waits."},
          {.name = "context_switch", .type = ValueType::Distribution, .field = &models::MachineConfig::context_switch,
           .doc = "Putting another thread on a core that just ran a different one."},
          {.name = "wakeup_latency", .type = ValueType::Distribution, .field = &models::MachineConfig::wakeup_latency,
           .doc = "From a wake-up (I/O done, a lock or condition signalled, a timer) to running, on an idle core."},
          {.name = "idle_poll", .type = ValueType::Duration, .field = &models::MachineConfig::idle_poll,
           .doc = "How long an idle core polls before it halts; a wake-up onto a core idle for less takes "
                  "polled_wakeup_latency (0: every idle core halts at once)."},
          {.name = "polled_wakeup_latency", .type = ValueType::Distribution,
           .field = &models::MachineConfig::polled_wakeup_latency,
           .doc = "From a wake-up to running, on a core that has been idle for less than idle_poll (still polling)."},
          {.name = "timeslice", .type = ValueType::Duration, .field = &models::MachineConfig::timeslice,
           .limits = {.above_zero = true},
           .doc = "The OS time slice when more threads are runnable than there are cores (round robin)."},
          {.name = "futex_wake", .type = ValueType::Duration, .field = &models::MachineConfig::futex_wake,
           .doc = "CPU time of a futex wake that wakes a thread, paid by the thread that wakes it."},
          {.name = "futex_wake_nobody", .type = ValueType::Duration,
           .field = &models::MachineConfig::futex_wake_nobody,
           .doc = "CPU time of a futex wake that finds nobody asleep."},
          {.name = "wakeup_cpu", .type = ValueType::Distribution, .field = &models::MachineConfig::wakeup_cpu,
           .doc = "CPU time a woken thread spends on its idle core, after wakeup_latency, before its code runs "
                  "(the kernel's switch and system-call return)."},
          {.name = "timer_slack", .type = ValueType::Duration, .field = &models::MachineConfig::timer_slack,
           .doc = "How late a timed wait (the new GIL's) expires after its deadline: Linux's timer slack, 50 us for a "
                  "normal thread."},
          {.name = "timed_wait_cpu", .type = ValueType::Duration, .field = &models::MachineConfig::timed_wait_cpu,
           .doc = "CPU time a timed wait (the new GIL's) costs its thread on its core before it sleeps; a wait due "
                  "by then returns at once, without sleeping."},
          {.name = "timed_wait_return_cpu", .type = ValueType::Duration,
           .field = &models::MachineConfig::timed_wait_return_cpu,
           .doc = "CPU time a timed wait (the new GIL's) costs its thread on its core after the wait ends (woken, "
                  "timed out, or due before it could sleep), before the thread re-checks the GIL."},
          {.name = "cache_refill", .type = ValueType::Duration, .field = &models::MachineConfig::cache_refill,
           .doc = "CPU time a thread loses refilling its caches when it takes the GIL last held by a thread on "
                  "another core."},
          {.name = "wakeup_preemption", .type = ValueType::Bool, .field = &models::MachineConfig::wakeup_preemption,
           .doc = "Whether a woken thread may preempt a running one, as Linux's CFS does."},
          {.name = "wakeup_granularity", .type = ValueType::Duration,
           .field = &models::MachineConfig::wakeup_granularity, .fallback = "1ms x (1 + ilog2(min(cores, 8)))",
           .doc = "How far below a running thread's run time a woken thread must be to preempt it."},
          {.name = "sched_latency", .type = ValueType::Duration, .field = &models::MachineConfig::sched_latency,
           .fallback = "6ms x (1 + ilog2(min(cores, 8)))",
           .doc = "The scheduler's latency; a thread that slept is credited half of it when it wakes (CFS)."},
          {.name = "scheduler", .type = ValueType::Word, .fallback = models::MachineConfig{}.scheduler,
           .choices = os_policy_choices(),
           .read = [](MachineReading& r, const MachineKey& key, const YamlEntry* e) {
             read_scheduler(r.src, e->value, r.where(key.name), r.target);
           },
           .doc = "The OS scheduling policy: `cfs`, Linux's Completely Fair Scheduler before 6.6 (fixed time "
                  "slices, wake-up preemption by vruntime), or `eevdf`, Linux 6.6+'s Earliest Eligible Virtual "
                  "Deadline First (a run queue per core, lag, virtual deadlines, slices checked at the scheduler "
                  "tick)."},
          {.name = "base_slice", .type = ValueType::Duration, .field = &models::MachineConfig::base_slice,
           .limits = {.above_zero = true}, .fallback = "0.7ms x (1 + ilog2(min(cores, 8)))",
           .doc = "EEVDF: the slice a thread asks for; its virtual deadline is this much past its vruntime."},
          {.name = "scheduler_tick", .type = ValueType::Duration, .field = &models::MachineConfig::scheduler_tick,
           .limits = {.above_zero = true},
           .doc = "EEVDF: the period of the scheduler tick, at which a thread past its deadline gives way "
                  "and a core whose run queue is 2 threads shorter than the longest pulls one (4ms: HZ=250)."},
      });
  return section;
}

models::MachineConfig read_machine(const YamlSource& src, const YAML::Node& node) {
  models::MachineConfig m;
  const auto entries = map_entries(src, node, "machine");
  NoExtra none;
  Reading<models::MachineConfig, NoExtra> r{src, entries, node, {"machine", "machine."}, m, none};
  read_section(machine_section(), r, "in machine");
  return m;
}

// ---------------------------------------------------------------------------
// runtime

using RuntimeReading = Reading<models::RuntimeConfig, NoExtra>;
using RuntimeKey = Key<models::RuntimeConfig>;

// runtime.gil, after runtime.python (the versions table: models/python_versions.h).
void read_gil(const YamlSource& src, const YAML::Node& node, models::RuntimeConfig& r) {
  // PYTHON_GIL=1 / -X gil=1 (Doc/using/cmdline.rst 3.13): only a free-threaded
  // build can run without the GIL, so only there can it be switched.
  const std::string gil = read_string(src, node, "runtime.gil");
  if (gil != "enabled" && gil != "disabled")
    src.fail(node, "runtime.gil is 'enabled' or 'disabled', got '" + gil + "'");
  if (!models::find_python_version(r.python)->free_threaded)
    src.fail(node, "runtime.gil applies to free-threaded builds (python \"3.13t\", \"3.14t\"); python \"" +
                       r.python + "\" always has a GIL");
  r.gil_enabled = gil == "enabled";
}

// The CPU overheads the versions table gives: 1 for GIL builds, more for
// the free-threaded ones.
std::string cpu_overheads() {
  std::string out = "by python: 1";
  for (const models::PythonVersion& v : models::python_versions())
    if (v.cpu_overhead != 1.0) out += std::string(", ") + v.name + " " + format_number(v.cpu_overhead);
  return out;
}

// Unset pool and event-loop costs stay -1 in the config: the model's
// defaults, which the reference shows.
std::string pool_cost(sim::Time models::PoolCosts::*cost) {
  return format_duration(models::pool_costs(models::RuntimeConfig{}).*cost);
}
std::string pool_cost(double models::PoolCosts::*cost) {
  return format_number(models::pool_costs(models::RuntimeConfig{}).*cost) + "ns";
}
std::string submit_costs() {
  const models::PoolCosts c = models::pool_costs(models::RuntimeConfig{});
  return "by pool kind: process pools " + format_duration(models::submit_cost_for(c, models::PoolKind::Process)) +
         ", thread and interpreter pools " + format_duration(models::submit_cost_for(c, models::PoolKind::Thread));
}

// The runtime's process start-up costs: a map with a duration for each start
// method (`{fork: 2ms, spawn: 60ms}`); a method not written keeps its default.
using StartCostsReading = Reading<models::StartMethodCosts, NoExtra>;
using StartCostsKey = Key<models::StartMethodCosts>;

Section<models::StartMethodCosts> start_costs_section(std::string title, std::string place, std::string doc,
                                                      sim::Time (*fallback)(models::StartMethod)) {
  using models::StartMethod;
  using models::StartMethodCosts;
  const auto row = [&](const char* name, sim::Time StartMethodCosts::*field, StartMethod m, const char* what) {
    return StartCostsKey{.name = name, .type = ValueType::Duration, .field = field,
                         .fallback = format_duration(fallback(m)), .doc = what};
  };
  return Section<StartMethodCosts>(
      std::move(title), std::move(place), std::move(doc),
      {row("fork", &StartMethodCosts::fork, StartMethod::Fork, "os.fork() (multiprocessing's popen_fork)."),
       row("forkserver", &StartMethodCosts::forkserver, StartMethod::Forkserver,
           "A request to the fork server, which forks (popen_forkserver)."),
       row("spawn", &StartMethodCosts::spawn, StartMethod::Spawn,
           "A new interpreter, executed (popen_spawn_posix), that imports the parent's main module.")});
}

// `process_startup` (the child's start-up) or, with `parent_share`,
// `process_start_interval` (the parent's share of each start).
const Section<models::StartMethodCosts>& process_start_section(bool parent_share) {
  static const Section<models::StartMethodCosts> startup = start_costs_section(
      "process_startup", "`runtime: {process_startup: {...}}`",
      "CPU time of a child process's start-up, by start method: the default `startup` of every process "
      "group and process pool that does not set its own. Measured: one Process start + join of a no-op "
      "target, less the parent's share.",
      models::default_startup);
  static const Section<models::StartMethodCosts> interval = start_costs_section(
      "process_start_interval", "`runtime: {process_start_interval: {...}}`",
      "The parent's share of each Process.start(), by start method: the default `start_interval` of every "
      "process group and process pool that does not set its own. Measured: the CPU time of the thread "
      "that calls start().",
      models::default_start_interval);
  return parent_share ? interval : startup;
}

void read_start_costs(RuntimeReading& r, const RuntimeKey& key, const YamlEntry* e,
                      const Section<models::StartMethodCosts>& section, models::StartMethodCosts& out) {
  const std::string label = r.where(key.name);
  const auto entries = map_entries(r.src, e->value, label);
  NoExtra none;
  StartCostsReading inner{r.src, entries, e->value, {label, label + "."}, out, none};
  read_section(section, inner, "in " + label);
}

const Section<models::RuntimeConfig>& runtime_section() {
  using models::RuntimeConfig;
  static const Section<RuntimeConfig> section(
      "runtime", "`runtime:` at the top level or in a variant",
      "The Python interpreter: its version (which GIL it has), the GIL's settings, and what the "
      "interpreter's own work costs. `python` is read first: it sets the defaults of `gil` and "
      "`cpu_overhead`.",
      {
          {.name = "python", .type = ValueType::Word, .field = &RuntimeConfig::python,
           .choices = models::python_version_names(),
           .read = [](RuntimeReading& r, const RuntimeKey&, const YamlEntry* e) {
             read_python_version(r.src, e->value, r.target);
           },
           .doc = "The CPython version, quoted. 2.x, 3.0 and 3.1 have the old GIL (a check interval in "
                  "ticks), 3.2 .. 3.14 the new one (a switch interval); 3.13t and 3.14t are free-threaded "
                  "builds, without a GIL."},
          {.name = "switch_interval", .type = ValueType::Duration, .field = &RuntimeConfig::switch_interval,
           .doc = "sys.setswitchinterval: how long a thread waits for the GIL before it asks the holder to "
                  "drop it (new GIL). Below 1us it is 1us, as in CPython."},
          {.name = "check_interval", .type = ValueType::Integer, .field = &RuntimeConfig::check_interval,
           .limits = {1, 1'000'000'000}, .unit = "ticks",
           .doc = "sys.setcheckinterval: ticks between two releases of the old GIL (2.x, 3.0, 3.1)."},
          {.name = "eval_breaker_granularity", .type = ValueType::Duration,
           .field = &RuntimeConfig::eval_breaker_granularity, .limits = {.above_zero = true},
           .doc = "CPU time between two eval-breaker check points in pure-Python code, where a drop "
                  "request is honoured (new GIL)."},
          {.name = "wake", .type = ValueType::Word, .fallback = RuntimeConfig{}.wake_random ? "random" : "fifo",
           .choices = "fifo | random",
           .read = [](RuntimeReading& r, const RuntimeKey& key, const YamlEntry* e) {
             const std::string wake = read_string(r.src, e->value, r.where(key.name));
             if (wake != "fifo" && wake != "random")
               r.src.fail(e->value, "runtime.wake is 'fifo' or 'random', got '" + wake + "'");
             r.target.wake_random = wake == "random";
           },
           .doc = "Which GIL waiter a release wakes: the first to wait, or one drawn at random."},
          {.name = "gil", .type = ValueType::Word, .fallback = "by python: disabled on free-threaded builds",
           .choices = "enabled | disabled",
           .read = [](RuntimeReading& r, const RuntimeKey&, const YamlEntry* e) { read_gil(r.src, e->value, r.target); },
           .doc = "Free-threaded builds only: `enabled` runs them with a GIL again (PYTHON_GIL=1)."},
          {.name = "cpu_overhead", .type = ValueType::Number, .field = &RuntimeConfig::cpu_overhead, .unit = "factor",
           .fallback = cpu_overheads(),
           .read = [](RuntimeReading& r, const RuntimeKey& key, const YamlEntry* e) {
             r.target.cpu_overhead = read_number(r.src, e->value, r.where(key.name));
             if (!(r.target.cpu_overhead >= 0.1 && r.target.cpu_overhead <= 10))
               r.src.fail(e->value, "runtime.cpu_overhead is a factor on bytecode CPU time, from 0.1 to 10");
           },
           .doc = "A factor on the CPU time of pure-Python code, from 0.1 to 10: what a free-threaded build "
                  "costs a single thread."},
          {.name = "tick", .type = ValueType::Duration, .field = &RuntimeConfig::tick, .limits = {.above_zero = true},
           .doc = "Old GIL: CPU time of one tick (one pass through the top of the eval loop)."},
          {.name = "release_gap", .type = ValueType::Duration, .field = &RuntimeConfig::release_gap,
           .doc = "Old GIL: the releaser's work between releasing and taking the GIL again at a check, "
                  "the only window in which a waiter that is awake can win."},
          {.name = "increment_time", .type = ValueType::Duration, .field = &RuntimeConfig::increment_time,
           .limits = {2},
           .doc = "CPU time of `counter += 1` on a global, half to read the value and half to write it."},
          {.name = "submit_cost", .type = ValueType::Duration, .field = &RuntimeConfig::submit_cost,
           .fallback = submit_costs(),
           .doc = "executor.submit()'s Python code, run by the submitting thread with the GIL."},
          {.name = "pickle_per_call", .type = ValueType::Duration, .field = &RuntimeConfig::pickle_per_call,
           .fallback = pool_cost(&models::PoolCosts::pickle_per_call),
           .doc = "pickle.dumps or loads of a call's arguments or result, with the GIL held."},
          {.name = "pickle_per_byte", .type = ValueType::PerByte, .field = &RuntimeConfig::pickle_per_byte,
           .unit = "per byte", .fallback = pool_cost(&models::PoolCosts::pickle_per_byte),
           .doc = "... and for each byte of them (a fraction of a nanosecond may be written)."},
          {.name = "ipc_per_call", .type = ValueType::Duration, .field = &RuntimeConfig::ipc_per_call,
           .fallback = pool_cost(&models::PoolCosts::ipc_per_call),
           .doc = "A write to or a read from a multiprocessing pipe, with the GIL released."},
          {.name = "ipc_per_byte", .type = ValueType::PerByte, .field = &RuntimeConfig::ipc_per_byte,
           .unit = "per byte", .fallback = pool_cost(&models::PoolCosts::ipc_per_byte),
           .doc = "... and for each byte of the message."},
          {.name = "loop_step", .type = ValueType::Duration, .field = &RuntimeConfig::loop_step,
           .fallback = pool_cost(&models::PoolCosts::loop_step),
           .doc = "asyncio: the event loop's work for each step of a task, with the GIL."},
          {.name = "process_startup", .type = ValueType::Map, .fallback = "the defaults below",
           .items = "process_startup",
           .read = [](RuntimeReading& r, const RuntimeKey& key, const YamlEntry* e) {
             read_start_costs(r, key, e, process_start_section(false), r.target.process_startup);
           },
           .doc = "A child process's start-up by start method, unless its process group or pool sets `startup`."},
          {.name = "process_start_interval", .type = ValueType::Map, .fallback = "the defaults below",
           .items = "process_start_interval",
           .read = [](RuntimeReading& r, const RuntimeKey& key, const YamlEntry* e) {
             read_start_costs(r, key, e, process_start_section(true), r.target.process_start_interval);
           },
           .doc = "The parent's share of each Process.start() by start method, unless its process group or pool "
                  "sets `start_interval`. Before Python 3.10 a spawn start also pays the fork share: "
                  "_posixsubprocess.fork_exec forks the parent there, and uses vfork() from 3.10 on."},
          {.name = "resource_tracker_start", .type = ValueType::Duration,
           .field = &RuntimeConfig::resource_tracker_start,
           .fallback = format_duration(models::default_resource_tracker_start()),
           .doc = "The parent's CPU, with the GIL, for starting multiprocessing's resource tracker: added to its "
                  "first Process.start() with spawn or forkserver (and, before Python 3.10, a fork share with "
                  "it)."},
      });
  return section;
}

models::RuntimeConfig read_runtime(const YamlSource& src, const YAML::Node& node) {
  models::RuntimeConfig r;
  const auto entries = map_entries(src, node, "runtime");
  NoExtra none;
  RuntimeReading reading{src, entries, node, {"runtime", "runtime."}, r, none};
  read_section(runtime_section(), reading, "in runtime");
  return r;
}

// ---------------------------------------------------------------------------
// The settings

// What the settings' readers share: the names the threads' programs may use
// (read before them), and the nodes the checks after reading point at.
struct SettingsExtra {
  bool check_names = true;
  ProgramContext context;
  std::vector<StreamItem> streams;
  std::vector<std::string> stream_names;
  std::vector<StreamServer> servers;
  const YAML::Node* pools = nullptr;
  const YAML::Node* threads = nullptr;
  const YAML::Node* processes = nullptr;
  const YAML::Node* empty_threads = nullptr;  // `threads: []`
};
using SettingsReading = Reading<models::SimulationConfig, SettingsExtra>;
using SettingsKey = Key<models::SimulationConfig, SettingsExtra>;

// Resources, pools and the streams come before the threads: the threads'
// programs name them (and a celery pool names its broker, a resource).
const Section<models::SimulationConfig, SettingsExtra>& settings_section() {
  using models::SimulationConfig;
  static const Section<SimulationConfig, SettingsExtra> section(
      "settings", "the top level, or a variant (which writes them over the top level's)",
      "What makes one simulation: the machine, the interpreter, and the program's threads, processes, "
      "pools, resources and requests. A variant's maps merge into the top level's key by key; its lists "
      "replace the top level's whole.",
      {
          {.name = "machine", .type = ValueType::Map, .fallback = "the defaults below", .items = "machine",
           .read = [](SettingsReading& r, const SettingsKey&, const YamlEntry* e) {
             r.target.machine = read_machine(r.src, e->value);
           },
           .doc = "The machine: cores and the OS scheduler's costs."},
          {.name = "runtime", .type = ValueType::Map, .fallback = "the defaults below", .items = "runtime",
           .read = [](SettingsReading& r, const SettingsKey&, const YamlEntry* e) {
             r.target.runtime = read_runtime(r.src, e->value);
           },
           .doc = "The Python version and the interpreter's costs."},
          {.name = "resources", .type = ValueType::List, .fallback = "none", .items = "a resource",
           .read = [](SettingsReading& r, const SettingsKey&, const YamlEntry* e) {
             r.target.resources = read_resources(r.src, e->value);
           },
           .doc = "Things with a capacity and a queue that `io` may wait for."},
          {.name = "pools", .type = ValueType::List, .fallback = "none", .items = "a pool",
           .read = [](SettingsReading& r, const SettingsKey&, const YamlEntry* e) {
             r.extra.pools = &e->value;
             r.target.pools = read_pools(r.src, e->value, r.target.machine.cores,
                                         r.extra.check_names ? &r.target.resources : nullptr);
           },
           .doc = "Executors and Celery-like workers that `submit`, `map` and `to_thread` send work to."},
          {.name = "requests", .type = ValueType::List, .fallback = "none", .items = "a request stream",
           .read = [](SettingsReading& r, const SettingsKey&, const YamlEntry* e) {
             r.extra.streams = read_streams(r.src, e->value);
             r.extra.stream_names = stream_names(r.extra.streams);
           },
           .doc = "Streams of requests to a server, which `serve` operations take."},
          {.name = "threads", .type = ValueType::List, .fallback = "required, but for `threads: []` beside processes",
           .items = "a thread",
           .read = [](SettingsReading& r, const SettingsKey&, const YamlEntry* e) {
             r.extra.threads = &e->value;
             r.target.threads = read_threads(r.src, e->value, r.target.machine.cores, r.extra.context, true);
             if (r.target.threads.empty()) r.extra.empty_threads = &e->value;
           },
           .doc = "The main process's threads. With processes, `threads: []` is a main process that only "
                  "starts them."},
          {.name = "processes", .type = ValueType::List, .fallback = "none", .items = "a process",
           .read = [](SettingsReading& r, const SettingsKey&, const YamlEntry* e) {
             r.extra.processes = &e->value;
             r.target.processes = read_processes(r.src, e->value, r.target.machine.cores, r.extra.context);
           },
           .doc = "Child processes, each with its own interpreter, GIL and threads."},
          {.name = "time_limit", .type = ValueType::Duration, .field = &SimulationConfig::time_limit,
           .limits = {.above_zero = true},
           .doc = "A run that has not ended by this simulated time is stopped, and says so."},
      });
  return section;
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

// Every thread's and task's name is a metric name (threads.NAME.*,
// tasks.NAME.*): across processes and pools too.
void check_layout(const YamlSource& src, const models::SimulationConfig& c, const models::Layout& l,
                  const SettingsExtra& x, const YAML::Node& where) {
  const std::int64_t tasks = asyncio_tasks(c);
  if (tasks > kMaxTasks)
    src.fail(where, "this makes " + std::to_string(tasks) + " asyncio tasks (each thread of a group runs its "
                    "own): gilsim simulates at most " + std::to_string(kMaxTasks) + " tasks per variant");
  if (l.threads.size() > static_cast<std::size_t>(kMaxThreads))
    src.fail(x.pools ? *x.pools : where,
             "this makes " + std::to_string(l.threads.size()) + " threads, pools' workers included: gilsim "
             "simulates at most " + std::to_string(kMaxThreads) + " threads per variant");
  std::map<std::string, int> seen;
  for (const auto& t : l.threads)
    if (++seen[t.name] == 2)
      src.fail(t.service && x.pools ? *x.pools : where,
               "two threads are named '" + t.name + "' (a thread of a process is named PROCESS_THREAD, a "
               "pool's workers POOL_i, a process pool's helper threads POOL_feeder and POOL_results): "
               "rename one");
  seen.clear();
  for (const auto& t : l.tasks)
    if (++seen[t.name] == 2)
      src.fail(x.threads ? *x.threads : where,
               "two asyncio tasks are named '" + t.name + "' (a task of a replicated thread or of a "
               "process's thread is named THREAD_TASK): rename one");
}

}  // namespace

const std::vector<std::string>& setting_keys() { return settings_section().names(); }

// runtime.python: a version of the table in models/python_versions.cc.
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
  UniqueNames task_names(src, "task");  // across every thread of the variant
  SettingsExtra x;
  x.check_names = check_names;
  if (check_names) {
    x.context.pools = &c.pools;
    x.context.resources = &c.resources;
    x.context.streams = &x.stream_names;
  }
  x.context.task_names = &task_names;
  x.context.servers = &x.servers;
  SettingsReading r{src, entries, settings, {"the scenario"}, c, x};
  read_rows(settings_section(), r);
  // With processes, the main process may have no threads of its own (a
  // server's master process that only starts its workers): `threads: []`.
  if (x.empty_threads && !x.processes) src.fail(*x.empty_threads, kNoThreads);
  // The requests' programs, now that their servers are known.
  x.context.servers = nullptr;
  c.requests = finish_streams(src, std::move(x.streams), x.servers, x.context, check_names);
  // The run plan lowers submit, map, to_thread and asyncio into the model's
  // own operations, by pool and resource index: only once every name is
  // known. The top level of a file with variants may name pools only its
  // variants define: its names are checked without a plan.
  std::shared_ptr<const models::RunPlan> made;
  models::NamedLayout named;
  if (check_names) made = std::make_shared<const models::RunPlan>(c);
  else named = models::name_layout(c);
  check_layout(src, c, made ? made->layout() : named.layout, x,
               x.processes ? *x.processes : x.threads ? *x.threads : settings);
  if (plan) *plan = std::move(made);
  return c;
}

std::vector<SectionDoc> settings_docs() {
  return {settings_section().doc(), machine_section().doc(), runtime_section().doc(), process_start_section(false).doc(),
          process_start_section(true).doc()};
}

}  // namespace loader
