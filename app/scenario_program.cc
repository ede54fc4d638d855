#include "app/scenario_program.h"

#include <algorithm>

#include "app/scenario_distribution.h"
#include "app/yaml_values.h"

namespace app {

namespace {

using models::Op;
using models::OpKind;

const std::vector<std::string> kModelled = {"cpu", "native", "io", "sleep", "repeat", "lock", "increment"};
// In the contract (scenario-format.md) but not simulated yet: a file using
// them is valid for a later gilsim, so the message says "not yet".
const std::vector<std::string> kNotModelled = {"submit",   "map",         "wait",     "asyncio",
                                               "await_io", "await_sleep", "to_thread"};
// Keys that go beside an operation's own key (`repeat: 4` + `run: [...]`).
const std::vector<std::string> kCompanions = {"run", "args", "result", "tasks"};

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

class ProgramCompiler {
 public:
  ProgramCompiler(const YamlSource& src, const std::string& thread) : src_(src), thread_(thread) {}

  models::Program compile(const YAML::Node& run) {
    operations(run, "run of thread '" + thread_ + "'");
    return std::move(program_);
  }

 private:
  void operations(const YAML::Node& run, const std::string& what) {
    const auto items = list_items(src_, run, what);
    if (items.empty()) src_.fail(run, what + " is empty: give it at least one operation");
    for (const auto& item : items) operation(item);
  }

  void operation(const YAML::Node& item) {
    if (!item.IsMap())
      src_.fail(item, "expected an operation like 'cpu: 10ms', got " + describe(item));
    const auto entries = map_entries(src_, item, "an operation");
    if (entries.empty()) src_.fail(item, "an empty operation: write one like 'cpu: 10ms'");
    const YamlEntry& op = operation_entry(entries);
    check_companions(entries, op);
    const std::string where = "'" + op.key + "' in thread '" + thread_ + "'";
    if (op.key == "cpu") {
      push(OpKind::Cpu, read_distribution(src_, op.value, where));
    } else if (op.key == "sleep") {
      push(OpKind::Sleep, read_distribution(src_, op.value, where));
    } else if (op.key == "native") {
      native(op, where);
    } else if (op.key == "io") {
      io(op, where);
    } else if (op.key == "increment") {
      increment(op);
    } else if (op.key == "lock") {
      lock(item, entries, op);
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
                                  (hint.empty() ? "; the operations are cpu, native, io, sleep, "
                                                  "repeat, lock and increment"
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
      if ((op.key != "repeat" && op.key != "lock") || e.key != "run")
        src_.fail(e.key_node, "'" + e.key + "' does not go with '" + op.key + "'");
    }
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

  void io(const YamlEntry& op, const std::string& where) {
    if (!options_form(op.value)) {
      push(OpKind::Io, read_distribution(src_, op.value, where));
      return;
    }
    const auto options = map_entries(src_, op.value, "io");
    if (const YamlEntry* r = find_entry(options, "resource"))
      src_.fail(r->key_node, "resources are not modelled yet");
    check_keys(src_, options, {"time"}, "in 'io'");
    push(OpKind::Io, read_distribution(src_, time_of(op, options), where));
  }

  const YAML::Node& time_of(const YamlEntry& op, const std::vector<YamlEntry>& options) const {
    const YamlEntry* time = find_entry(options, "time");
    if (!time) src_.fail(op.value, "'" + op.key + "' needs 'time', e.g. {time: 5ms}");
    return time->value;
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
    operations(run->value, "run of 'repeat'");
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
    operations(run->value, "run of 'lock'");
    Op release;
    release.kind = OpKind::LockRelease;
    release.object = name;
    program_.push_back(release);
  }

  const YamlSource& src_;
  const std::string& thread_;
  models::Program program_;
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

models::Program read_program(const YamlSource& src, const YAML::Node& run,
                             const std::string& thread) {
  return ProgramCompiler(src, thread).compile(run);
}

}  // namespace app
