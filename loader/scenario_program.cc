#include "loader/scenario_program.h"

#include <algorithm>

#include "loader/scenario_distribution.h"
#include "loader/yaml_values.h"

namespace loader {

namespace {

using models::Op;
using models::OpKind;

const std::vector<std::string> kModelled = {"cpu",  "native",    "io",     "sleep", "repeat",
                                            "lock", "increment", "submit", "map",   "wait",
                                            "asyncio", "await_io", "await_sleep", "to_thread", "serve"};
// In the contract (scenario-format.md) but not simulated yet: a file using
// them is valid for a later gilsim, so the message says "not yet". None at
// the moment.
const std::vector<std::string> kNotModelled = {};
// Keys that go beside an operation's own key (`repeat: 4` + `run: [...]`).
const std::vector<std::string> kCompanions = {"run", "args", "result", "tasks"};

// The companions each operation takes.
const std::vector<std::string>& companions_of(const std::string& op) {
  static const std::vector<std::string> none;
  static const std::vector<std::string> run = {"run"};
  static const std::vector<std::string> work = {"run", "args", "result"};
  static const std::vector<std::string> map = {"tasks", "run", "args", "result"};
  if (op == "repeat" || op == "lock") return run;
  if (op == "submit" || op == "to_thread") return work;
  if (op == "map") return map;
  return none;
}

// `map: POOL` items and asyncio tasks per group: each is simulated one by
// one, so the limits keep a typo from eating the memory.
constexpr std::int64_t kMaxMapTasks = 10'000'000;
constexpr std::int64_t kMaxAsyncioTasks = 100'000;

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : ", ") + w;
  return out;
}

// Where the operations being compiled run.
enum class Place {
  Thread,  // a thread's own program (and its repeat/lock blocks)
  Task,    // an asyncio task's program, on its thread's event loop
  Work,    // the work of a submit, map or to_thread, on a pool's worker
};

struct Scope {
  Place place = Place::Thread;
  // A request type's program (and the work it sends): the stream and the
  // type, empty otherwise. Its place is Task when asyncio loops serve the
  // stream, Thread when threads do.
  std::string stream;
  std::string request;
  std::string task;    // Task: the task's name
  std::string sender;  // Work: "submit", "map" or "to_thread"
  std::string pool;    // Work: the pool's name
  const models::PoolConfig* pool_config = nullptr;  // Work: null when names are not checked
};

class ProgramCompiler {
 public:
  ProgramCompiler(const YamlSource& src, const std::string& thread, const ProgramContext& context,
                  Scope scope)
      : src_(src), thread_(thread), context_(context), scope_(std::move(scope)) {}

  models::Program compile(const YAML::Node& run, const std::string& what) {
    operations(run, what);
    return std::move(program_);
  }

 private:
  // `block` is the operation whose `run` this is ("repeat", "lock"), or
  // empty for the program itself.
  void operations(const YAML::Node& run, const std::string& what, const std::string& block = {}) {
    const auto items = list_items(src_, run, what);
    if (items.empty()) src_.fail(run, what + " is empty: give it at least one operation");
    const std::string outer = block_;
    block_ = block;
    for (std::size_t i = 0; i < items.size(); ++i) {
      last_ = i + 1 == items.size();
      operation(items[i]);
    }
    block_ = outer;
  }

  // "thread 'main'", or "request 'search' of stream 'api'": whose program it is.
  std::string owner() const {
    if (!scope_.stream.empty()) return "request '" + scope_.request + "' of stream '" + scope_.stream + "'";
    return "thread '" + thread_ + "'";
  }

  // "in thread 'main'", "in task 'fetch' of thread 'main'", ...: for messages.
  std::string in() const {
    switch (scope_.place) {
      case Place::Task:
        if (!scope_.stream.empty()) break;
        return "in task '" + scope_.task + "' of thread '" + thread_ + "'";
      case Place::Work:
        return "in the work of '" + scope_.sender + "' from " + owner();
      case Place::Thread:
        break;
    }
    return "in " + owner();
  }

  void operation(const YAML::Node& item) {
    if (!item.IsMap())
      src_.fail(item, "expected an operation like 'cpu: 10ms', got " + describe(item));
    const auto entries = map_entries(src_, item, "an operation");
    if (entries.empty()) src_.fail(item, "an empty operation: write one like 'cpu: 10ms'");
    const YamlEntry& op = operation_entry(entries);
    check_companions(entries, op);
    check_place(op);
    const std::string where = "'" + op.key + "' " + in();
    if (op.key == "cpu") {
      push(OpKind::Cpu, read_distribution(src_, op.value, where));
    } else if (op.key == "sleep") {
      push(OpKind::Sleep, read_distribution(src_, op.value, where));
    } else if (op.key == "await_sleep") {
      push(OpKind::AwaitSleep, read_distribution(src_, op.value, where));
    } else if (op.key == "native") {
      native(op, where);
    } else if (op.key == "io") {
      io(op, where, OpKind::Io);
    } else if (op.key == "await_io") {
      io(op, where, OpKind::AwaitIo);
    } else if (op.key == "increment") {
      increment(op);
    } else if (op.key == "lock") {
      lock(item, entries, op);
    } else if (op.key == "submit" || op.key == "map" || op.key == "to_thread") {
      send_work(item, entries, op);
    } else if (op.key == "wait") {
      wait(op);
    } else if (op.key == "asyncio") {
      asyncio(op);
    } else if (op.key == "serve") {
      serve(op);
    } else {
      repeat(item, entries, op);
    }
  }

  // The entry that says what the operation is: the first key that is not a
  // companion, so `run:` may come before `repeat:`.
  const YamlEntry& operation_entry(const std::vector<YamlEntry>& entries) const {
    auto it = std::find_if(entries.begin(), entries.end(),
                           [](const YamlEntry& e) { return !contains(kCompanions, e.key); });
    if (it == entries.end())
      src_.fail(entries.front().key_node,
                "'" + entries.front().key + "' needs an operation beside it, such as 'repeat: N'");
    if (contains(kNotModelled, it->key))
      src_.fail(it->key_node, "operation '" + it->key + "' is not modelled yet");
    if (!contains(kModelled, it->key)) {
      const std::string hint = closest_match(it->key, operation_names());
      src_.fail(it->key_node, "unknown operation '" + it->key + "'" +
                                  (hint.empty() ? "; the operations are " + join(kModelled)
                                                : "; did you mean '" + hint + "'?"));
    }
    return *it;
  }

  // `- cpu: 1ms` and `io: 2ms` on the next line, indented alike, make one
  // map with two operations: a YAML slip worth its own message.
  void check_companions(const std::vector<YamlEntry>& entries, const YamlEntry& op) const {
    for (const auto& e : entries) {
      if (&e == &op) continue;
      if (contains(kModelled, e.key) || contains(kNotModelled, e.key))
        src_.fail(e.key_node,
                  "one operation per list item: start '" + e.key + "' on its own line with '- '");
      if (!contains(companions_of(op.key), e.key))
        src_.fail(e.key_node, "'" + e.key + "' does not go with '" + op.key + "'");
    }
  }

  // What may run where: awaits in asyncio tasks only, pools from the main
  // process's threads, no nesting that gilsim does not model.
  void check_place(const YamlEntry& op) const {
    const std::string& k = op.key;
    const bool awaits = k == "await_io" || k == "await_sleep" || k == "to_thread";
    const bool pool_use = k == "submit" || k == "map" || k == "to_thread";
    if (awaits && scope_.place != Place::Task) {
      const std::string instead = k == "await_io" ? "io" : k == "await_sleep" ? "sleep" : "submit";
      const std::string head = "'" + k + "' works only inside an asyncio task (asyncio: {tasks: [...]}); ";
      if (scope_.place == Place::Thread && !scope_.stream.empty())
        src_.fail(op.key_node, head + "request stream '" + scope_.stream + "' is served by threads (serve: " +
                                   scope_.stream + "): use '" + instead +
                                   "', or serve it from an asyncio loop (asyncio: {serve: " + scope_.stream + "})");
      const std::string here = scope_.place == Place::Thread
                                   ? "in a thread"
                                   : "in the work of '" + scope_.sender + "', which a pool's worker runs,";
      src_.fail(op.key_node, head + here + " use '" + instead + "'");
    }
    if (k == "serve") check_serve_place(op);
    if (scope_.place == Place::Thread && !scope_.stream.empty() && k == "asyncio")
      src_.fail(op.key_node, "'asyncio' inside a request of stream '" + scope_.stream +
                                 "', which threads serve: serve the stream from an asyncio loop instead "
                                 "(asyncio: {serve: " + scope_.stream + "})");
    if (scope_.place == Place::Task) {
      // A task's `submit` is fire-and-forget (executor.submit(f), Celery's
      // delay()); `map` would block the loop until its items are done.
      if (k == "map")
        src_.fail(op.key_node, "'map' inside an asyncio task is not modelled: use 'to_thread' "
                               "to run work on a pool and await it, or 'submit' to start it without waiting");
      if (k == "wait")
        src_.fail(op.key_node, "'wait' inside an asyncio task is not modelled: 'to_thread' already "
                               "awaits its work");
      if (k == "asyncio")
        src_.fail(op.key_node, "'asyncio' inside an asyncio task: asyncio.run() cannot be called from "
                               "a running event loop; list more tasks in the same 'asyncio' instead");
    }
    if (scope_.place == Place::Work &&
        (k == "submit" || k == "map" || k == "wait" || k == "asyncio" || k == "serve"))
      src_.fail(op.key_node, "'" + k + "' inside the work of '" + scope_.sender +
                                 "' (which a pool's worker runs) is not modelled");
    if (pool_use && !context_.process.empty())
      src_.fail(op.key_node, "pools are used from the main process's threads: '" + k +
                                 "' in a thread of process '" + context_.process +
                                 "' is not modelled");
    if (k == "lock" || k == "increment") check_shared_object(op);
  }

  // `serve` takes requests for ever: only a thread's own program can end
  // with it (work, tasks and requests run to an end, and whatever followed it
  // in a block or in the program would never run).
  void check_serve_place(const YamlEntry& op) const {
    if (!scope_.stream.empty())
      src_.fail(op.key_node, "'serve' inside a request of stream '" + scope_.stream +
                                 "' is not modelled: a request runs to its response");
    if (scope_.place == Place::Task)
      src_.fail(op.key_node, "'serve' inside an asyncio task is not modelled: to serve requests on the "
                             "event loop, write asyncio: {serve: STREAM} in the thread");
    if (scope_.place != Place::Thread) return;  // Work: the message above
    if (!block_.empty())
      src_.fail(op.key_node, "serve must be the thread's last operation: it never returns, so it cannot "
                             "be inside '" + block_ + "'");
    if (!last_)
      src_.fail(op.key_node, "serve must be the thread's last operation: it never returns, so what "
                             "follows it would never run");
  }

  // Locks and counters live in the main process's memory.
  void check_shared_object(const YamlEntry& op) const {
    if (!context_.process.empty())
      src_.fail(op.key_node, "'lock' and 'increment' are modelled in the main process's threads only: "
                             "a child process shares no memory with it (multiprocessing.Lock and "
                             "Value are not modelled yet)");
    if (scope_.place != Place::Work || !scope_.pool_config) return;
    const std::string head = "'" + op.key + "' in the work of '" + scope_.sender + "' to ";
    if (scope_.pool_config->kind == models::PoolKind::Process)
      src_.fail(op.key_node, head + "process pool '" + scope_.pool +
                                 "': a worker process shares no memory with the parent "
                                 "(multiprocessing.Lock and Value are not modelled yet)");
    if (scope_.pool_config->kind == models::PoolKind::Interpreter)
      src_.fail(op.key_node, head + "interpreter pool '" + scope_.pool +
                                 "': a worker interpreter shares no objects with the main one");
    if (scope_.pool_config->kind == models::PoolKind::Celery)
      src_.fail(op.key_node, head + "celery pool '" + scope_.pool +
                                 "': a Celery worker is another process, which shares no memory with the caller");
  }

  void push(OpKind kind, sim::Distribution duration) {
    Op o;
    o.kind = kind;
    o.duration = std::move(duration);
    program_.push_back(std::move(o));
  }

  // The options form, `{time: D, ...}`, or a duration (maybe a distribution).
  bool options_form(const YAML::Node& value) const {
    return value.IsMap() && !is_distribution(value);
  }

  void native(const YamlEntry& op, const std::string& where) {
    if (!options_form(op.value)) {
      push(OpKind::NativeReleased, read_distribution(src_, op.value, where));
      return;
    }
    const auto options = map_entries(src_, op.value, "native");
    check_keys(src_, options, {"time", "gil"}, "in 'native'");
    OpKind kind = OpKind::NativeReleased;  // the common case: NumPy, hashlib, zlib
    if (const YamlEntry* gil = find_entry(options, "gil")) {
      const std::string g = read_string(src_, gil->value, "gil of 'native'");
      if (g == "held") {
        kind = OpKind::NativeHeld;
      } else if (g != "released") {
        src_.fail(gil->value, "gil of 'native' is 'held' or 'released', got '" + g + "'");
      }
    }
    push(kind, read_distribution(src_, time_of(op, options), where));
  }

  // `io` and `await_io`: a duration, or `{time: D, resource: R}`.
  void io(const YamlEntry& op, const std::string& where, OpKind kind) {
    if (!options_form(op.value)) {
      push(kind, read_distribution(src_, op.value, where));
      return;
    }
    const auto options = map_entries(src_, op.value, op.key);
    check_keys(src_, options, {"time", "resource"}, "in '" + op.key + "'");
    push(kind, read_distribution(src_, time_of(op, options), where));
    if (const YamlEntry* r = find_entry(options, "resource")) {
      program_.back().uses_resource = true;
      program_.back().object = resource(r->value);
    }
  }

  const YAML::Node& time_of(const YamlEntry& op, const std::vector<YamlEntry>& options) const {
    const YamlEntry* time = find_entry(options, "time");
    if (!time) src_.fail(op.value, "'" + op.key + "' needs 'time', e.g. {time: 5ms}");
    return time->value;
  }

  // The names a scenario defines, for "unknown pool 'x'" messages.
  template <typename Config>
  static std::vector<std::string> names_of(const std::vector<Config>& configs) {
    std::vector<std::string> names;
    for (const auto& c : configs) names.push_back(c.name);
    return names;
  }

  std::string resource(const YAML::Node& node) const {
    const std::string name = read_identifier(src_, node, "resource name");
    if (!context_.resources) return name;
    for (const auto& r : *context_.resources)
      if (r.name == name) return name;
    fail_unknown(src_, node, "resource", name, names_of(*context_.resources), "resources",
                 "{name: " + name + ", capacity: 10}");
  }

  // The pool `submit`, `map` or `to_thread` names, or null when names are not checked.
  const models::PoolConfig* pool(const YAML::Node& node, const std::string& name) const {
    if (!context_.pools) return nullptr;
    for (const auto& p : *context_.pools)
      if (p.name == name) return &p;
    fail_unknown(src_, node, "pool", name, names_of(*context_.pools), "pools", "{name: " + name + ", kind: thread}");
  }

  // `submit: POOL`, `map: POOL` with `tasks: N`, `to_thread: POOL`: each with
  // `run` (the work), and `args` and `result` (their sizes, pickled for a
  // process or interpreter pool).
  void send_work(const YAML::Node& item, const std::vector<YamlEntry>& entries, const YamlEntry& op) {
    Op o;
    o.kind = op.key == "to_thread" ? OpKind::ToThread : OpKind::Submit;
    o.object = read_identifier(src_, op.value, "pool name");
    const models::PoolConfig* config = pool(op.value, o.object);
    o.count = 1;
    o.detached = scope_.place == Place::Task && op.key == "submit";
    if (op.key == "map") {
      o.map = true;
      const YamlEntry* tasks = find_entry(entries, "tasks");
      if (!tasks) src_.fail(item, "'map' needs 'tasks', the number of items it maps over");
      o.count = read_int(src_, tasks->value, "tasks of 'map'", 1, kMaxMapTasks);
    }
    const YamlEntry* run = find_entry(entries, "run");
    if (!run) src_.fail(item, "'" + op.key + "' needs 'run' with the work a worker of the pool runs");
    if (const YamlEntry* args = find_entry(entries, "args"))
      o.args_bytes = read_size(src_, args->value, "args of '" + op.key + "'");
    if (const YamlEntry* result = find_entry(entries, "result"))
      o.result_bytes = read_size(src_, result->value, "result of '" + op.key + "'");
    Scope work{Place::Work, scope_.stream, scope_.request, scope_.task, op.key, o.object, config};
    o.body = ProgramCompiler(src_, thread_, context_, std::move(work))
                 .compile(run->value, "run of '" + op.key + "'");
    program_.push_back(std::move(o));
  }

  void wait(const YamlEntry& op) {
    if (!op.value.IsScalar() || op.value.Scalar() != "all")
      src_.fail(op.value, "wait takes 'all' (wait: all waits for every future this thread "
                          "submitted), got " + describe(op.value));
    Op o;
    o.kind = OpKind::WaitAll;
    program_.push_back(std::move(o));
  }

  // The stream `serve` names: its index, recorded as served from here.
  std::uint32_t served_stream(const YAML::Node& node, const std::string& name, bool asyncio) const {
    if (context_.servers) context_.servers->push_back({name, asyncio, node, context_.process});
    if (!context_.streams) return 0;
    const auto& streams = *context_.streams;
    const auto it = std::find(streams.begin(), streams.end(), name);
    if (it == streams.end())
      fail_unknown(src_, node, "request stream", name, streams, "requests",
                   "{name: " + name + ", arrival: {poisson: 100/s}, run: [cpu: 1ms]}");
    return static_cast<std::uint32_t>(it - streams.begin());
  }

  // `serve: STREAM`: the thread takes the stream's requests for ever.
  void serve(const YamlEntry& op) {
    Op o;
    o.kind = OpKind::Serve;
    o.object = read_identifier(src_, op.value, "request stream name");
    o.index = served_stream(op.value, o.object, false);
    program_.push_back(std::move(o));
  }

  // `asyncio: {tasks: [{name, count, run}, ...], serve: STREAM,
  // limit_concurrency: N}`: asyncio.run(gather(...)); with `serve`, every
  // request of the stream that arrives becomes a task too, or past N in
  // progress a 503.
  void asyncio(const YamlEntry& op) {
    const auto options = map_entries(src_, op.value, "asyncio");
    check_keys(src_, options, {"tasks", "serve", "limit_concurrency"}, "in 'asyncio'");
    const YamlEntry* tasks = find_entry(options, "tasks");
    const YamlEntry* serve = find_entry(options, "serve");
    if (!tasks && !serve)
      src_.fail(op.value.IsNull() ? op.key_node : op.value,
                "'asyncio' needs 'tasks' or 'serve', e.g. asyncio: {tasks: [{name: fetch, count: 10, run: "
                "[await_io: 50ms]}]} or asyncio: {serve: api}");
    Op o;
    o.kind = OpKind::Asyncio;
    if (serve) {
      o.object = read_identifier(src_, serve->value, "request stream name");
      o.serve = static_cast<std::int32_t>(served_stream(serve->value, o.object, true));
    }
    if (const YamlEntry* limit = find_entry(options, "limit_concurrency")) {
      if (!serve)
        src_.fail(limit->key_node, "limit_concurrency limits the requests a serving loop runs at once: it needs "
                                   "serve: STREAM beside it");
      o.limit_concurrency = read_int(src_, limit->value, "limit_concurrency", 1, 1000000);
    }
    if (tasks) add_tasks(o, tasks->value);
    program_.push_back(std::move(o));
  }

  void add_tasks(Op& o, const YAML::Node& tasks) {
    const auto items = list_items(src_, tasks, "tasks of 'asyncio'");
    if (items.empty()) src_.fail(tasks, "tasks of 'asyncio' is empty: give it at least one task");
    for (const auto& item : items) {
      const auto fields = map_entries(src_, item, "an asyncio task");
      const YamlEntry* name = find_entry(fields, "name");
      const std::string label =
          name && name->value.IsScalar() ? "task '" + name->value.Scalar() + "'" : "an asyncio task";
      check_keys(src_, fields, {"name", "count", "run"}, "in " + label);
      if (!name) src_.fail(item, "an asyncio task needs a 'name'");
      models::TaskGroup g;
      g.name = read_identifier(src_, name->value, "task name");
      if (const YamlEntry* count = find_entry(fields, "count"))
        g.count = static_cast<int>(
            read_int(src_, count->value, "count of task '" + g.name + "'", 1, kMaxAsyncioTasks));
      context_.task_names->add(g.name, g.count, name->value);
      const YamlEntry* run = find_entry(fields, "run");
      if (!run) src_.fail(item, label + " needs 'run', its list of operations");
      Scope task;
      task.place = Place::Task;
      task.task = g.name;
      g.program = ProgramCompiler(src_, thread_, context_, std::move(task))
                      .compile(run->value, "run of task '" + g.name + "'");
      o.tasks.push_back(std::move(g));
    }
  }

  void repeat(const YAML::Node& item, const std::vector<YamlEntry>& entries, const YamlEntry& op) {
    // Up to 1e12 iterations: loops are two entries and a counter, so the
    // limit is only there to catch typos, not to save memory.
    const std::int64_t count = read_int(src_, op.value, "repeat", 1, 1'000'000'000'000);
    const YamlEntry* run = find_entry(entries, "run");
    if (!run) src_.fail(item, "'repeat' needs 'run' with the operations to repeat");
    const std::size_t begin = program_.size();
    Op b;
    b.kind = OpKind::RepeatBegin;
    b.count = count;
    program_.push_back(b);
    operations(run->value, "run of 'repeat'", "repeat");
    Op e;
    e.kind = OpKind::RepeatEnd;
    e.jump = static_cast<std::uint32_t>(begin);
    program_.push_back(e);
    program_[begin].jump = static_cast<std::uint32_t>(program_.size() - 1);
  }

  // `counter += 1` on a shared variable: the load (LOAD_GLOBAL, LOAD_CONST,
  // BINARY_ADD) and the store (STORE_GLOBAL) are two operations, so that a
  // switch can fall between them where the version has a check point there.
  void increment(const YamlEntry& op) {
    const std::string name = read_identifier(src_, op.value, "counter name");
    for (OpKind k : {OpKind::IncrementLoad, OpKind::IncrementStore}) {
      Op o;
      o.kind = k;
      o.object = name;
      program_.push_back(std::move(o));
    }
  }

  // `with lock:` around the inner operations.
  void lock(const YAML::Node& item, const std::vector<YamlEntry>& entries, const YamlEntry& op) {
    const std::string name = read_identifier(src_, op.value, "lock name");
    const YamlEntry* run = find_entry(entries, "run");
    if (!run) src_.fail(item, "'lock' needs 'run' with the operations it protects");
    Op acquire;
    acquire.kind = OpKind::LockAcquire;
    acquire.object = name;
    program_.push_back(acquire);
    operations(run->value, "run of 'lock'", "lock");
    Op release;
    release.kind = OpKind::LockRelease;
    release.object = name;
    program_.push_back(release);
  }

  const YamlSource& src_;
  const std::string& thread_;
  const ProgramContext& context_;  // its task_names is set (read_program sees to it)
  Scope scope_;
  models::Program program_;
  std::string block_;  // the repeat or lock whose operations are being read, or empty
  bool last_ = false;  // the operation being read is the last of its list
};

}  // namespace

const std::vector<std::string>& operation_names() {
  static const std::vector<std::string> all = [] {
    std::vector<std::string> v = kModelled;
    v.insert(v.end(), kNotModelled.begin(), kNotModelled.end());
    return v;
  }();
  return all;
}

void fail_unknown(const YamlSource& src, const YAML::Node& node, const std::string& kind, const std::string& name,
                  const std::vector<std::string>& defined, const std::string& section, const std::string& example) {
  std::string message = "unknown " + kind + " '" + name + "'";
  const std::string close = closest_match(name, defined);
  if (!close.empty()) {
    message += "; did you mean '" + close + "'?";
  } else if (!defined.empty()) {
    message += "; the " + kind + "s are: " + join(defined);
  } else {
    message += ": define it under '" + section + ":', e.g. " + section + ": [" + example + "]";
  }
  src.fail(node, message);
}

models::Program read_request_program(const YamlSource& src, const YAML::Node& run, const std::string& stream,
                                     const std::string& type, bool async, const ProgramContext& context) {
  Scope scope;
  scope.place = async ? Place::Task : Place::Thread;
  scope.stream = stream;
  scope.request = type;
  UniqueNames task_names(src, "task");  // no task is defined in a request: `asyncio` is refused
  ProgramContext in_request = context;
  in_request.task_names = &task_names;
  in_request.servers = nullptr;
  return ProgramCompiler(src, stream, in_request, std::move(scope))
      .compile(run, "run of request '" + type + "' of stream '" + stream + "'");
}

models::Program read_program(const YamlSource& src, const YAML::Node& run,
                             const std::string& thread) {
  static const std::vector<models::PoolConfig> no_pools;
  static const std::vector<models::ResourceConfig> no_resources;
  ProgramContext context;
  context.pools = &no_pools;
  context.resources = &no_resources;
  return read_program(src, run, thread, context);
}

models::Program read_program(const YamlSource& src, const YAML::Node& run,
                             const std::string& thread, const ProgramContext& context) {
  if (context.task_names)
    return ProgramCompiler(src, thread, context, Scope{})
        .compile(run, "run of thread '" + thread + "'");
  UniqueNames task_names(src, "task");
  ProgramContext with_names = context;
  with_names.task_names = &task_names;
  return ProgramCompiler(src, thread, with_names, Scope{})
      .compile(run, "run of thread '" + thread + "'");
}

}  // namespace loader
