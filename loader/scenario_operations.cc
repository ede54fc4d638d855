// The operations of a `run:` list, declared once (ProgramCompiler::table),
// and how each is read into the models' operations.
#include <algorithm>
#include <utility>

#include "loader/program_compiler.h"
#include "loader/scenario_distribution.h"

namespace loader {

namespace {

using models::Op;
using models::OpKind;

// `map: POOL` items and asyncio tasks per group: each is simulated one by
// one, so the limits keep a typo from eating the memory.
constexpr std::int64_t kMaxMapTasks = 10'000'000;
constexpr std::int64_t kMaxAsyncioTasks = 100'000;
// Up to 1e12 iterations: loops are two entries and a counter, so the
// limit is only there to catch typos, not to save memory.
constexpr std::int64_t kMaxRepeat = 1'000'000'000'000;

using OpReading = Reading<Op, ProgramCompiler>;
using OpKey = Key<Op, ProgramCompiler>;

}  // namespace

const std::vector<Operation>& ProgramCompiler::table() {
  using P = ProgramCompiler;
  static const std::vector<Operation> operations = {
      {.name = "cpu", .places = kThread | kTask | kWork, .read = &P::timed, .kind = OpKind::Cpu,
       .value = "duration or distribution",
       .doc = "Pure-Python bytecode: it needs the GIL and a core, and a switch request may interrupt it."},
      {.name = "native", .places = kThread | kTask | kWork, .read = &P::native, .kind = OpKind::NativeReleased,
       .value = "duration or distribution, or a map: see native",
       .doc = "A C call. By default it releases the GIL (NumPy, hashlib, zlib) and needs only a core; with "
              "`gil: held` it keeps the GIL and nothing can interrupt it."},
      {.name = "io", .places = kThread | kTask | kWork, .read = &P::io, .kind = OpKind::Io,
       .value = "duration or distribution, or a map: see io",
       .doc = "A blocking system call: the GIL is released and no core is used. On a resource, it first "
              "waits for one of its slots."},
      {.name = "sleep", .places = kThread | kTask | kWork, .read = &P::timed, .kind = OpKind::Sleep,
       .value = "duration or distribution", .doc = "time.sleep: the GIL is released."},
      {.name = "repeat", .places = kThread | kTask | kWork, .companions = {"run"}, .read = &P::repeat,
       .value = "integer, 1 to " + std::to_string(kMaxRepeat),
       .doc = "Runs its `run` this many times (a loop costs two entries and a counter, however long)."},
      {.name = "lock", .places = kThread | kTask | kWork, .companions = {"run"}, .read = &P::lock,
       .value = "name", .check = &P::check_shared_object,
       .doc = "`with NAME:` around its `run` (threading.Lock: the acquire tries with the GIL, then waits "
              "without it). Main process only; shared with a thread pool's workers, not with other "
              "processes or interpreters."},
      {.name = "increment", .places = kThread | kTask | kWork, .companions = {"run"}, .read = &P::increment,
       .value = "name", .check = &P::check_shared_object,
       .doc = "`NAME += 1` on a shared global: a read and a write, between which a switch may fall "
              "(counters.NAME.lost counts the increments lost). With `run`, `NAME = NAME + f()`: f runs "
              "`run` between the read and the write, where its operations' check points fall. Main process only."},
      {.name = "submit", .places = kThread | kTask, .companions = {"run", "args", "result"},
       .read = &P::submit, .kind = OpKind::Submit, .value = "pool name", .uses_pool = true,
       .doc = "executor.submit(f): a worker of the pool runs `run`. In an asyncio task it is fire-and-"
              "forget (Celery's delay()): nobody waits for it."},
      {.name = "map", .places = kThread, .companions = {"tasks", "run", "args", "result"}, .read = &P::map,
       .kind = OpKind::Submit, .value = "pool name",
       .in_task = " is not modelled: use 'to_thread' to run work on a pool and await it, or 'submit' to "
                  "start it without waiting",
       .uses_pool = true,
       .doc = "executor.map over `tasks` items, each running `run`, then waits for them all."},
      {.name = "wait", .places = kThread, .read = &P::wait, .value = "all",
       .in_task = " is not modelled: 'to_thread' already awaits its work",
       .doc = "concurrent.futures.wait on every future this thread has submitted."},
      {.name = "asyncio", .places = kThread, .read = &P::asyncio, .value = "a map: see asyncio",
       .in_task = ": asyncio.run() cannot be called from a running event loop; list more tasks in the same "
                  "'asyncio' instead",
       .check = &P::check_asyncio_place,
       .doc = "asyncio.run(gather(*tasks)) on this thread's event loop; with `serve`, the loop also takes "
              "a request stream's requests, each as a task."},
      {.name = "await_io", .places = kTask, .read = &P::io, .kind = OpKind::AwaitIo,
       .value = "duration or distribution, or a map: see io", .instead = "io",
       .doc = "Awaits a non-blocking I/O: the loop runs other tasks meanwhile."},
      {.name = "await_sleep", .places = kTask, .read = &P::timed, .kind = OpKind::AwaitSleep,
       .value = "duration or distribution", .instead = "sleep", .doc = "await asyncio.sleep()."},
      {.name = "to_thread", .places = kTask, .companions = {"run", "args", "result"}, .read = &P::submit,
       .kind = OpKind::ToThread, .value = "pool name", .instead = "submit", .uses_pool = true,
       .doc = "await loop.run_in_executor(pool, f): a worker of the pool runs `run` while the loop runs "
              "other tasks."},
      {.name = "serve", .places = kThread, .read = &P::serve, .value = "request stream name",
       .in_task = " is not modelled: to serve requests on the event loop, write asyncio: {serve: STREAM} in "
                  "the thread",
       .check = &P::check_serve_place,
       .doc = "Takes the stream's requests for ever, one at a time, running each one's program: the "
              "thread's last operation."},
  };
  return operations;
}

const std::vector<Companion>& ProgramCompiler::companions() {
  static const std::vector<Companion> all = {
      {"run", "The operations it runs: the block of `repeat` and `lock`, or the work a pool's worker runs."},
      {"args", "The size of the call's arguments, pickled to a process or interpreter worker (like 1KB)."},
      {"result", "The size of its result, pickled back."},
      {"tasks", "How many items `map` maps over (1 to " + std::to_string(kMaxMapTasks) + ")."},
  };
  return all;
}

// ---------------------------------------------------------------------------
// Operations that take a duration, or a map of options

void ProgramCompiler::push(OpKind kind, sim::Distribution duration) {
  Op o;
  o.kind = kind;
  o.duration = std::move(duration);
  program_.push_back(std::move(o));
}

// The options form, `{time: D, ...}`, or a duration (maybe a distribution).
bool ProgramCompiler::options_form(const YAML::Node& value) const { return value.IsMap() && !is_distribution(value); }

void ProgramCompiler::timed(const Operation& o, const OperationItem& it) {
  push(o.kind, read_distribution(src_, it.op.value, it.where));
}

const Section<Op, ProgramCompiler>& ProgramCompiler::native_section() {
  static const Section<Op, ProgramCompiler> section(
      "native", "`native: {...}` in a run", "A C call, in full.",
      {
          {.name = "time", .type = ValueType::Distribution, .field = &Op::duration, .presence = Presence::Required,
           .needs = ", e.g. {time: 5ms}", .doc = "How long the call runs."},
          {.name = "gil", .type = ValueType::Word, .fallback = "released", .choices = "held | released",
           .read = [](OpReading& r, const OpKey&, const YamlEntry* e) {
             const std::string g = read_string(r.src, e->value, "gil of " + r.naming.label);
             if (g == "held") {
               r.target.kind = OpKind::NativeHeld;
             } else if (g != "released") {
               r.src.fail(e->value, "gil of " + r.naming.label + " is 'held' or 'released', got '" + g + "'");
             }
           },
           .doc = "Whether the call releases the GIL (Py_BEGIN_ALLOW_THREADS) or keeps it."},
      });
  return section;
}

const Section<Op, ProgramCompiler>& ProgramCompiler::io_section() {
  static const Section<Op, ProgramCompiler> section(
      "io", "`io: {...}` or `await_io: {...}` in a run", "An I/O, in full.",
      {
          {.name = "time", .type = ValueType::Distribution, .field = &Op::duration, .presence = Presence::Required,
           .needs = ", e.g. {time: 5ms}", .doc = "How long the I/O takes once it has a slot."},
          {.name = "resource", .type = ValueType::Identifier, .fallback = "none",
           .read = [](OpReading& r, const OpKey&, const YamlEntry* e) {
             r.target.uses_resource = true;
             r.target.object = r.extra.resource(e->value);
           },
           .doc = "The resource whose slot it waits for first (FIFO)."},
      });
  return section;
}

// `native: D` or `native: {time: D, gil: held}`.
void ProgramCompiler::native(const Operation& o, const OperationItem& it) { timed_or_options(o, it, native_section()); }

// `io` and `await_io`: a duration, or `{time: D, resource: R}`.
void ProgramCompiler::io(const Operation& o, const OperationItem& it) { timed_or_options(o, it, io_section()); }

void ProgramCompiler::timed_or_options(const Operation& o, const OperationItem& it,
                                       const Section<Op, ProgramCompiler>& options) {
  if (!options_form(it.op.value)) {
    push(o.kind, read_distribution(src_, it.op.value, it.where));
    return;
  }
  const auto entries = map_entries(src_, it.op.value, it.op.key);
  Op op;
  op.kind = o.kind;
  const std::string label = "'" + it.op.key + "'";
  OpReading r{src_, entries, it.op.value, {label, "", it.where}, op, *this};
  read_section(options, r, "in " + label);
  program_.push_back(std::move(op));
}

// ---------------------------------------------------------------------------
// Blocks: repeat and lock

void ProgramCompiler::repeat(const Operation&, const OperationItem& it) {
  const std::int64_t count = read_int(src_, it.op.value, "repeat", 1, kMaxRepeat);
  const YamlEntry* run = find_entry(it.entries, "run");
  if (!run) src_.fail(it.item, "'repeat' needs 'run' with the operations to repeat");
  Op b;
  b.kind = OpKind::RepeatBegin;
  b.count = count;
  program_.push_back(b);
  operations(run->value, "run of 'repeat'", "repeat");
  Op e;
  e.kind = OpKind::RepeatEnd;
  program_.push_back(e);
}

// `with lock:` around the inner operations.
void ProgramCompiler::lock(const Operation&, const OperationItem& it) {
  const std::string name = read_identifier(src_, it.op.value, "lock name");
  const YamlEntry* run = find_entry(it.entries, "run");
  if (!run) src_.fail(it.item, "'lock' needs 'run' with the operations it protects");
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

// `counter += 1` on a shared variable: the load (LOAD_GLOBAL, LOAD_CONST,
// BINARY_ADD) and the store (STORE_GLOBAL) are two operations, so that a
// switch can fall between them where the version has a check point there.
// With `run`, `counter = counter + f()`: LOAD_GLOBAL, then the call of f
// (its `run`), then BINARY_OP and STORE_GLOBAL. f's operations end at check
// points (a call returns, a loop edge: docs/model.md, "Model choices"), so a
// switch can fall between the read and the write even from 3.10, where
// `x += 1` has none inside.
void ProgramCompiler::increment(const Operation&, const OperationItem& it) {
  if (in_increment_call_)
    src_.fail(it.op.key_node, "'increment' inside the run of another 'increment' is not modelled: "
                              "a thread keeps one value read at a time");
  const std::string name = read_identifier(src_, it.op.value, "counter name");
  const YamlEntry* run = find_entry(it.entries, "run");
  if (run && scope_.place == kTask)
    src_.fail(run->key_node, "'increment' with 'run' in an asyncio task is not modelled: the value read "
                             "would be the loop thread's, shared by its tasks");
  Op load;
  load.kind = OpKind::IncrementLoad;
  load.object = name;
  program_.push_back(std::move(load));
  if (run) {
    in_increment_call_ = true;
    operations(run->value, "run of 'increment'", "increment");
    in_increment_call_ = false;
  }
  Op store;
  store.kind = OpKind::IncrementStore;
  store.object = name;
  program_.push_back(std::move(store));
}

// ---------------------------------------------------------------------------
// Pools: submit, map, to_thread, wait

namespace {

// The names a scenario defines, for "unknown pool 'x'" messages.
template <typename Config>
std::vector<std::string> names_of(const std::vector<Config>& configs) {
  std::vector<std::string> names;
  for (const auto& c : configs) names.push_back(c.name);
  return names;
}

}  // namespace

std::string ProgramCompiler::resource(const YAML::Node& node) const {
  const std::string name = read_identifier(src_, node, "resource name");
  if (!context_.resources) return name;
  for (const auto& r : *context_.resources)
    if (r.name == name) return name;
  fail_unknown(src_, node, "resource", name, names_of(*context_.resources), "resources",
               "{name: " + name + ", capacity: 10}");
}

// The pool `submit`, `map` or `to_thread` names, or null when names are not checked.
const models::PoolConfig* ProgramCompiler::pool(const YAML::Node& node, const std::string& name) const {
  if (!context_.pools) return nullptr;
  for (const auto& p : *context_.pools)
    if (p.name == name) return &p;
  fail_unknown(src_, node, "pool", name, names_of(*context_.pools), "pools", "{name: " + name + ", kind: thread}");
}

void ProgramCompiler::submit(const Operation& o, const OperationItem& it) { send_work(o, it, false); }
void ProgramCompiler::map(const Operation& o, const OperationItem& it) { send_work(o, it, true); }

// `submit: POOL`, `map: POOL` with `tasks: N`, `to_thread: POOL`: each with
// `run` (the work), and `args` and `result` (their sizes, pickled for a
// process or interpreter pool).
void ProgramCompiler::send_work(const Operation& o, const OperationItem& it, bool map) {
  const std::string& key = it.op.key;
  Op op;
  op.kind = o.kind;
  op.object = read_identifier(src_, it.op.value, "pool name");
  const models::PoolConfig* config = pool(it.op.value, op.object);
  op.count = 1;
  op.detached = scope_.place == kTask && o.kind == OpKind::Submit;
  if (map) {
    op.map = true;
    const YamlEntry* tasks = find_entry(it.entries, "tasks");
    if (!tasks) src_.fail(it.item, "'map' needs 'tasks', the number of items it maps over");
    op.count = read_int(src_, tasks->value, "tasks of 'map'", 1, kMaxMapTasks);
  }
  const YamlEntry* run = find_entry(it.entries, "run");
  if (!run) src_.fail(it.item, "'" + key + "' needs 'run' with the work a worker of the pool runs");
  if (const YamlEntry* args = find_entry(it.entries, "args"))
    op.args_bytes = read_size(src_, args->value, "args of '" + key + "'");
  if (const YamlEntry* result = find_entry(it.entries, "result"))
    op.result_bytes = read_size(src_, result->value, "result of '" + key + "'");
  Scope work{kWork, scope_.stream, scope_.request, scope_.task, key, op.object, config};
  op.body = ProgramCompiler(src_, thread_, context_, std::move(work)).compile(run->value, "run of '" + key + "'");
  program_.push_back(std::move(op));
}

void ProgramCompiler::wait(const Operation&, const OperationItem& it) {
  if (!it.op.value.IsScalar() || it.op.value.Scalar() != "all")
    src_.fail(it.op.value, "wait takes 'all' (wait: all waits for every future this thread "
                           "submitted), got " + describe(it.op.value));
  Op o;
  o.kind = OpKind::WaitAll;
  program_.push_back(std::move(o));
}

// ---------------------------------------------------------------------------
// Serving requests, and asyncio

// The stream `serve` names: its index, recorded as served from here.
std::uint32_t ProgramCompiler::served_stream(const YAML::Node& node, const std::string& name, bool asyncio) const {
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
void ProgramCompiler::serve(const Operation&, const OperationItem& it) {
  Op o;
  o.kind = OpKind::Serve;
  o.object = read_identifier(src_, it.op.value, "request stream name");
  o.index = served_stream(it.op.value, o.object, false);
  program_.push_back(std::move(o));
}

const Section<Op, ProgramCompiler>& ProgramCompiler::asyncio_section() {
  static const Section<Op, ProgramCompiler> section(
      "asyncio", "`asyncio: {...}` in a thread's run",
      "An event loop on the thread, running its tasks and, with `serve`, a stream's requests as tasks too. "
      "It needs `tasks`, `serve`, or both.",
      {
          {.name = "tasks", .type = ValueType::List, .fallback = "none", .items = "an asyncio task",
           .read = [](OpReading& r, const OpKey&, const YamlEntry* e) {
             const auto items = list_items(r.src, e->value, "tasks of 'asyncio'");
             if (items.empty()) r.src.fail(e->value, "tasks of 'asyncio' is empty: give it at least one task");
             for (const auto& item : items) r.extra.add_task(r.target, item);
           },
           .doc = "The tasks gathered: asyncio.run(gather(*tasks))."},
          {.name = "serve", .type = ValueType::Identifier, .fallback = "none",
           .read = [](OpReading& r, const OpKey&, const YamlEntry* e) {
             r.target.object = read_identifier(r.src, e->value, "request stream name");
             r.target.serve = static_cast<std::int32_t>(r.extra.served_stream(e->value, r.target.object, true));
           },
           .doc = "The request stream whose requests the loop serves, each as a task."},
          {.name = "limit_concurrency", .type = ValueType::Integer, .field = &Op::limit_concurrency,
           .limits = {1, 1000000}, .unit = "requests", .fallback = "no limit",
           .read = [](OpReading& r, const OpKey& key, const YamlEntry* e) {
             if (r.target.serve < 0)
               r.src.fail(e->key_node, "limit_concurrency limits the requests a serving loop runs at once: it "
                                       "needs serve: STREAM beside it");
             read_value(r, key, *e);
           },
           .doc = "With `serve`: past this many requests in progress, a new one is answered 503 at once "
                  "(uvicorn's --limit-concurrency)."},
      });
  return section;
}

// `asyncio: {tasks: [{name, count, run}, ...], serve: STREAM,
// limit_concurrency: N}`: asyncio.run(gather(...)); with `serve`, every
// request of the stream that arrives becomes a task too, or past N in
// progress a 503.
void ProgramCompiler::asyncio(const Operation& o, const OperationItem& it) {
  const auto options = map_entries(src_, it.op.value, it.op.key);
  Op op;
  op.kind = OpKind::Asyncio;
  OpReading r{src_, options, it.op.value, {"'" + it.op.key + "'", "", ""}, op, *this};
  read_section(asyncio_section(), r, "in '" + it.op.key + "'");
  if (op.tasks.empty() && op.serve < 0)
    src_.fail(it.op.value.IsNull() ? it.op.key_node : it.op.value,
              "'" + std::string(o.name) + "' needs 'tasks' or 'serve', e.g. asyncio: {tasks: [{name: fetch, "
              "count: 10, run: [await_io: 50ms]}]} or asyncio: {serve: api}");
  program_.push_back(std::move(op));
}

const Section<models::TaskGroup, ProgramCompiler>& ProgramCompiler::task_section() {
  using TaskReading = Reading<models::TaskGroup, ProgramCompiler>;
  using TaskKey = Key<models::TaskGroup, ProgramCompiler>;
  static const Section<models::TaskGroup, ProgramCompiler> section(
      "an asyncio task", "an item of `tasks` in `asyncio`",
      "A group of identical coroutines gathered on the thread's loop. A task of a thread that is one of "
      "several, or of a process's thread, is named THREAD_TASK.",
      {
          {.name = kNameKey, .type = ValueType::Identifier, .field = &models::TaskGroup::name,
           .presence = Presence::Required,
           .doc = "The task's name: tasks.NAME.* in metrics. With a count, its tasks are NAME_0, NAME_1, ..."},
          {.name = "count", .type = ValueType::Integer, .field = &models::TaskGroup::count,
           .limits = {1, kMaxAsyncioTasks}, .unit = "tasks", .doc = "How many such tasks."},
          {.name = "run", .type = ValueType::Operations, .presence = Presence::Required,
           .needs = ", its list of operations",
           .read = [](TaskReading& r, const TaskKey&, const YamlEntry* e) {
             models::TaskGroup& g = r.target;
             r.extra.context_.task_names->add(g.name, g.count, find_entry(r.entries, kNameKey)->value);
             Scope task;
             task.place = kTask;
             task.task = g.name;
             g.program = ProgramCompiler(r.src, r.extra.thread_, r.extra.context_, std::move(task))
                             .compile(e->value, "run of task '" + g.name + "'");
           },
           .doc = "What each task does: awaits let the loop run the others; `cpu`, `io` and `sleep` block "
                  "the loop and every task on it."},
      });
  return section;
}

void ProgramCompiler::add_task(Op& o, const YAML::Node& item) {
  models::TaskGroup g;
  read_item(task_section(), "task", src_, item, g, *this);
  o.tasks.push_back(std::move(g));
}

std::vector<SectionDoc> ProgramCompiler::option_docs() {
  return {native_section().doc(), io_section().doc(), asyncio_section().doc(), task_section().doc()};
}

}  // namespace loader
