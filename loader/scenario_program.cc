#include "loader/scenario_program.h"

#include <algorithm>

#include "loader/program_compiler.h"
#include "loader/yaml_values.h"

namespace loader {

namespace {

// The operation named `key`, or null.
const Operation* find_operation(const std::string& key) {
  for (const auto& o : ProgramCompiler::table())
    if (key == o.name) return &o;
  return nullptr;
}

bool is_companion(const std::string& key) {
  const auto& all = ProgramCompiler::companions();
  return std::any_of(all.begin(), all.end(), [&](const Companion& c) { return key == c.name; });
}

}  // namespace

// `block` is the operation whose `run` this is ("repeat", "lock"), or
// empty for the program itself.
void ProgramCompiler::operations(const YAML::Node& run, const std::string& what, const std::string& block) {
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
std::string ProgramCompiler::owner() const {
  if (!scope_.stream.empty()) return "request '" + scope_.request + "' of stream '" + scope_.stream + "'";
  return "thread '" + thread_ + "'";
}

// "in thread 'main'", "in task 'fetch' of thread 'main'", ...: for messages.
std::string ProgramCompiler::in() const {
  switch (scope_.place) {
    case kTask:
      if (!scope_.stream.empty()) break;
      return "in task '" + scope_.task + "' of thread '" + thread_ + "'";
    case kWork:
      return "in the work of '" + scope_.sender + "' from " + owner();
    case kThread:
      break;
  }
  return "in " + owner();
}

void ProgramCompiler::operation(const YAML::Node& item) {
  if (!item.IsMap()) src_.fail(item, "expected an operation like 'cpu: 10ms', got " + describe(item));
  const auto entries = map_entries(src_, item, "an operation");
  if (entries.empty()) src_.fail(item, "an empty operation: write one like 'cpu: 10ms'");
  const YamlEntry* op = nullptr;
  const Operation& o = operation_of(entries, op);
  check_companions(entries, *op, o);
  check_place(*op, o);
  (this->*o.read)(o, OperationItem{item, entries, *op, "'" + op->key + "' " + in()});
}

// The entry that says what the operation is: the first key that is not a
// companion, so `run:` may come before `repeat:`.
const Operation& ProgramCompiler::operation_of(const std::vector<YamlEntry>& entries, const YamlEntry*& op) const {
  auto it = std::find_if(entries.begin(), entries.end(), [](const YamlEntry& e) { return !is_companion(e.key); });
  if (it == entries.end())
    src_.fail(entries.front().key_node,
              "'" + entries.front().key + "' needs an operation beside it, such as 'repeat: N'");
  op = &*it;
  if (const Operation* o = find_operation(it->key)) return *o;
  if (const char* why = not_modelled(it->key)) src_.fail(it->key_node, "unknown operation '" + it->key + "': " + why);
  // Suggest only what may be written here ('await' in a task: the awaits,
  // not a thread's 'wait'). A word that begins operations of another place
  // ('await' in a thread) says where those go.
  std::vector<std::string> here, elsewhere;
  for (const auto& o : table()) (o.places & scope_.place ? here : elsewhere).push_back(o.name);
  const std::string unknown = "unknown operation '" + it->key + "'";
  const auto near_here = likely_meant(it->key, here);
  const auto near_elsewhere = likely_meant(it->key, elsewhere);
  const bool begins_elsewhere = !near_elsewhere.empty() && near_elsewhere.front().size() > it->key.size() &&
                                near_elsewhere.front().compare(0, it->key.size(), it->key) == 0;
  if (begins_elsewhere || (near_here.empty() && !near_elsewhere.empty())) {
    const unsigned places = find_operation(near_elsewhere.front())->places;
    std::vector<std::string> where;
    if (places & kThread) where.push_back("a thread");
    if (places & kTask) where.push_back("an asyncio task (asyncio: {tasks: [...]})");
    if (places & kWork) where.push_back("a pool's work");
    src_.fail(it->key_node, unknown + "; " + join_words(near_elsewhere, " and ") +
                                (near_elsewhere.size() == 1 ? " works" : " work") + " only inside " +
                                join_words(where, " or ") + "; the operations here are " + join_words(here, ", "));
  }
  const std::string hint = did_you_mean(it->key, here);
  src_.fail(it->key_node, unknown + (hint.empty() ? "; the operations here are " + join_words(here, ", ") : hint));
}

// `- cpu: 1ms` and `io: 2ms` on the next line, indented alike, make one
// map with two operations: a YAML slip worth its own message.
void ProgramCompiler::check_companions(const std::vector<YamlEntry>& entries, const YamlEntry& op,
                                       const Operation& o) const {
  for (const auto& e : entries) {
    if (&e == &op) continue;
    if (find_operation(e.key))
      src_.fail(e.key_node, "one operation per list item: start '" + e.key + "' on its own line with '- '");
    if (std::find(o.companions.begin(), o.companions.end(), e.key) != o.companions.end()) continue;
    if (const char* why = not_modelled(e.key)) src_.fail(e.key_node, "'" + e.key + "' beside '" + op.key + "': " + why);
    src_.fail(e.key_node, "'" + e.key + "' does not go with '" + op.key + "'" + did_you_mean(e.key, o.companions));
  }
}

// What may run where (the table's places): awaits in asyncio tasks only,
// pools from the main process's threads, no nesting that gilsim does not model.
void ProgramCompiler::check_place(const YamlEntry& op, const Operation& o) const {
  const std::string& k = op.key;
  if (!(o.places & kThread) && scope_.place != kTask) {
    const std::string head = "'" + k + "' works only inside an asyncio task (asyncio: {tasks: [...]}); ";
    if (scope_.place == kThread && !scope_.stream.empty())
      src_.fail(op.key_node, head + "request stream '" + scope_.stream + "' is served by threads (serve: " +
                                 scope_.stream + "): use '" + o.instead +
                                 "', or serve it from an asyncio loop (asyncio: {serve: " + scope_.stream + "})");
    const std::string here = scope_.place == kThread
                                 ? "in a thread"
                                 : "in the work of '" + scope_.sender + "', which a pool's worker runs,";
    src_.fail(op.key_node, head + here + " use '" + o.instead + "'");
  }
  if (o.check) (this->*o.check)(op);
  // A task's `submit` is fire-and-forget (executor.submit(f), Celery's
  // delay()); `map` would block the loop until its items are done.
  if (scope_.place == kTask && !(o.places & kTask))
    src_.fail(op.key_node, "'" + k + "' inside an asyncio task" + o.in_task);
  if (scope_.place == kWork && !(o.places & kWork))
    src_.fail(op.key_node, "'" + k + "' inside the work of '" + scope_.sender +
                               "' (which a pool's worker runs) is not modelled");
  if (o.uses_pool && !context_.process.empty())
    src_.fail(op.key_node, "pools are used from the main process's threads: '" + k +
                               "' in a thread of process '" + context_.process + "' is not modelled");
}

// `serve` takes requests for ever: only a thread's own program can end
// with it (work, tasks and requests run to an end, and whatever followed it
// in a block or in the program would never run).
void ProgramCompiler::check_serve_place(const YamlEntry& op) const {
  if (!scope_.stream.empty())
    src_.fail(op.key_node, "'serve' inside a request of stream '" + scope_.stream +
                               "' is not modelled: a request runs to its response");
  if (scope_.place != kThread) return;  // a task or work: the table's places say why not
  if (!block_.empty())
    src_.fail(op.key_node, "serve must be the thread's last operation: it never returns, so it cannot "
                           "be inside '" + block_ + "'");
  if (!last_)
    src_.fail(op.key_node, "serve must be the thread's last operation: it never returns, so what "
                           "follows it would never run");
}

// A thread-served request runs on its thread: no event loop of its own.
void ProgramCompiler::check_asyncio_place(const YamlEntry& op) const {
  if (scope_.place == kThread && !scope_.stream.empty())
    src_.fail(op.key_node, "'asyncio' inside a request of stream '" + scope_.stream +
                               "', which threads serve: serve the stream from an asyncio loop instead "
                               "(asyncio: {serve: " + scope_.stream + "})");
}

// Locks and counters live in the main process's memory.
void ProgramCompiler::check_shared_object(const YamlEntry& op) const {
  if (!context_.process.empty())
    src_.fail(op.key_node, "'lock' and 'increment' are modelled in the main process's threads only: "
                           "a child process shares no memory with it (multiprocessing.Lock and "
                           "Value are not modelled yet)");
  if (scope_.place != kWork || !scope_.pool_config) return;
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

const std::vector<std::string>& operation_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& o : ProgramCompiler::table()) v.push_back(o.name);
    return v;
  }();
  return names;
}

void fail_unknown(const YamlSource& src, const YAML::Node& node, const std::string& kind, const std::string& name,
                  const std::vector<std::string>& defined, const std::string& section, const std::string& example) {
  std::string message = "unknown " + kind + " '" + name + "'";
  const std::string close = closest_match(name, defined);
  if (!close.empty()) {
    message += "; did you mean '" + close + "'?";
  } else if (!defined.empty()) {
    message += "; the " + kind + "s are: " + join_words(defined, ", ");
  } else {
    message += ": define it under '" + section + ":', e.g. " + section + ": [" + example + "]";
  }
  src.fail(node, message);
}

models::Program read_request_program(const YamlSource& src, const YAML::Node& run, const std::string& stream,
                                     const std::string& type, bool async, const ProgramContext& context) {
  Scope scope;
  scope.place = async ? kTask : kThread;
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
