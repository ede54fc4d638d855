#include "loader/scenario_threads.h"

#include <optional>
#include <utility>

#include "loader/unique_names.h"
#include "loader/yaml_values.h"

namespace loader {

namespace {

struct StartMethodName {
  const char* name;
  models::StartMethod method;
};
constexpr StartMethodName kStartMethods[] = {{"fork", models::StartMethod::Fork},
                                             {"forkserver", models::StartMethod::Forkserver},
                                             {"spawn", models::StartMethod::Spawn}};

std::vector<std::string> start_method_names() {
  std::vector<std::string> names;
  for (const auto& m : kStartMethods) names.push_back(m.name);
  return names;
}

// ---------------------------------------------------------------------------
// A thread

struct ThreadExtra {
  std::int64_t max_core = 0;
  const ProgramContext* context = nullptr;
  std::optional<YAML::Node> count = std::nullopt;  // the count's node, when written (the entries go, the node stays)
};
using ThreadReading = Reading<models::ThreadGroup, ThreadExtra>;
using ThreadKey = Key<models::ThreadGroup, ThreadExtra>;

void read_thread_count(ThreadReading& r, const ThreadKey& key, const YamlEntry* e) {
  const std::int64_t count = read_int(r.src, e->value, r.where(key.name), key.limits.low, key.limits.high);
  if (count > kMaxThreads)
    r.src.fail(e->value, "count " + e->value.Scalar() + " is too many threads: gilsim simulates at most " +
                             std::to_string(kMaxThreads) + " threads per variant");
  r.target.count = static_cast<int>(count);
  r.extra.count.emplace(e->value);
}

const Section<models::ThreadGroup, ThreadExtra>& thread_section() {
  static const Section<models::ThreadGroup, ThreadExtra> section(
      "a thread", "an item of `threads`, at the top level, in a variant or in a process",
      "A group of identical threads that run the same program from time 0, as threading.Thread "
      "objects started at once.",
      {
          {.name = kNameKey, .type = ValueType::Identifier, .field = &models::ThreadGroup::name,
           .presence = Presence::Required,
           .doc = "The thread's name: threads.NAME.* in metrics. With a count, its threads are NAME_0, NAME_1, ..."},
          {.name = "count", .type = ValueType::Integer, .field = &models::ThreadGroup::count, .limits = {1},
           .unit = "threads", .read = read_thread_count,
           .doc = "How many threads run this program (at most " + std::to_string(kMaxThreads) +
                  " threads per variant, pools' workers included)."},
          {.name = "run", .type = ValueType::Operations, .presence = Presence::Required,
           .needs = ", its list of operations",
           .read = [](ThreadReading& r, const ThreadKey&, const YamlEntry* e) {
             r.target.program = read_program(r.src, e->value, r.target.name, *r.extra.context);
           },
           .doc = "What each thread does: the operations below, in order."},
          {.name = "cores", .type = ValueType::Cores, .fallback = "every core",
           .read = [](ThreadReading& r, const ThreadKey&, const YamlEntry* e) {
             r.target.cores = read_cores(r.src, e->value, r.naming.label, "a thread", r.extra.max_core);
           },
           .doc = "The cores its threads may run on (os.sched_setaffinity, taskset), numbered from 0."},
      });
  return section;
}

// A thread group as read, with the nodes later checks point at.
struct ThreadItem {
  models::ThreadGroup group;
  YAML::Node name_node;
  YAML::Node count_node;  // the name's node when `count` is not written
};

ThreadItem read_thread(const YamlSource& src, const YAML::Node& item, std::int64_t max_core,
                       const ProgramContext& context) {
  models::ThreadGroup group;
  ThreadExtra extra{max_core, &context};
  const YAML::Node name = read_item(thread_section(), "thread", src, item, group, extra);
  return ThreadItem{std::move(group), name, extra.count ? *extra.count : name};
}

// ---------------------------------------------------------------------------
// A process

struct ProcessExtra {
  int machine_cores = 0;
  const ProgramContext* context = nullptr;
};
using ProcessReading = Reading<models::ProcessGroup, ProcessExtra>;
using ProcessKey = Key<models::ProcessGroup, ProcessExtra>;

const Section<models::ProcessGroup, ProcessExtra>& process_section() {
  static const Section<models::ProcessGroup, ProcessExtra> section(
      "a process", "an item of `processes`, at the top level or in a variant",
      "A group of child processes (multiprocessing.Process), started by the main process when the run "
      "starts, one after another (start_interval), each with its own interpreter, GIL and threads. A process's threads are named PROCESS_THREAD in metrics.",
      {
          {.name = kNameKey, .type = ValueType::Identifier, .field = &models::ProcessGroup::name,
           .presence = Presence::Required, .doc = "The process's name; with a count, NAME_0, NAME_1, ..."},
          {.name = "count", .type = ValueType::Integer, .field = &models::ProcessGroup::count,
           .limits = {1, kMaxThreads}, .unit = "processes", .doc = "How many such processes."},
          {.name = "start_method", .type = ValueType::Word,
           .fallback = start_method_name(models::ProcessGroup{}.start_method), .choices = start_method_choices(),
           .read = [](ProcessReading& r, const ProcessKey& key, const YamlEntry* e) {
             r.target.start_method = read_start_method(r.src, e->value, r.where(key.name));
           },
           .doc = "How multiprocessing starts it; it sets the start-up's default. Python before 3.4 only forks."},
          {.name = "startup", .type = ValueType::Duration, .field = &models::ProcessGroup::startup,
           .fallback = startup_by_start_method(),
           .doc = "CPU time of the child's start-up (process, interpreter, imports) before its threads run."},
          {.name = "start_interval", .type = ValueType::Duration, .field = &models::ProcessGroup::start_interval,
           .fallback = start_interval_by_start_method(),
           .doc = "The parent's share of Process.start(): the main process's first thread (its main thread) starts "
                  "the children one after another, each this much of its CPU with the GIL held; a child starts "
                  "when its share ends. With no thread in the main process, they start this far apart."},
          {.name = "threads", .type = ValueType::List, .items = "a thread", .presence = Presence::Required,
           .needs = ", the threads it runs",
           .read = [](ProcessReading& r, const ProcessKey&, const YamlEntry* e) {
             ProgramContext in_child = *r.extra.context;
             in_child.process = r.target.name;
             r.target.threads = read_threads(r.src, e->value, r.extra.machine_cores, in_child);
           },
           .doc = "Its threads. They use no pools, and no locks or counters (those live in the main process)."},
      });
  return section;
}

}  // namespace

models::StartMethod read_start_method(const YamlSource& src, const YAML::Node& node, const std::string& where) {
  const std::string method = read_string(src, node, where);
  for (const auto& m : kStartMethods)
    if (method == m.name) return m.method;
  src.fail(node, "start_method is " + join_words(start_method_names(), " or ") + ", got '" + method + "'");
}

const char* start_method_choices() {
  static const std::string choices = join_words(start_method_names(), " | ", " | ");
  return choices.c_str();
}

std::string start_method_name(models::StartMethod method) {
  for (const auto& m : kStartMethods)
    if (method == m.method) return m.name;
  return {};
}

std::string start_interval_by_start_method() {
  std::vector<std::string> each;
  for (const auto& m : kStartMethods)
    each.push_back(std::string(m.name) + " " + format_duration(models::default_start_interval(m.method)));
  return "runtime.process_start_interval, by start_method: " + join_words(each, ", ");
}

std::string startup_by_start_method() {
  std::vector<std::string> each;
  for (const auto& m : kStartMethods)
    each.push_back(std::string(m.name) + " " + format_duration(models::default_startup(m.method)));
  return "runtime.process_startup, by start_method: " + join_words(each, ", ");
}

std::vector<int> read_cores(const YamlSource& src, const YAML::Node& node, const std::string& label,
                            const std::string& who, std::int64_t max_core) {
  const auto items = list_items(src, node, "cores of " + label);
  if (items.empty()) src.fail(node, "cores of " + label + " is empty: " + who + " needs a core to run on");
  std::vector<int> cores;
  for (const auto& c : items) cores.push_back(static_cast<int>(read_int(src, c, "a core number", 0, max_core)));
  return cores;
}

std::vector<models::ThreadGroup> read_threads(const YamlSource& src, const YAML::Node& node, int machine_cores,
                                              const ProgramContext& context, bool may_be_empty) {
  const auto items = list_items(src, node, "threads");
  if (items.empty() && !may_be_empty) src.fail(node, kNoThreads);
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

std::vector<models::ProcessGroup> read_processes(const YamlSource& src, const YAML::Node& node, int machine_cores,
                                                 const ProgramContext& context) {
  std::vector<models::ProcessGroup> out;
  const auto items = list_items(src, node, "processes");
  if (items.empty()) src.fail(node, "processes is empty: give at least one, or remove it");
  for (const auto& item : items) {
    models::ProcessGroup p;
    ProcessExtra extra{machine_cores, &context};
    read_item(process_section(), "process", src, item, p, extra);
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<SectionDoc> thread_docs() { return {thread_section().doc(), process_section().doc()}; }

}  // namespace loader
