// The compiler of a `run:` list (scenario_program.h says what it makes), and
// the table of the operations it knows. Internal to the loader:
// scenario_program.cc walks a list and checks where each operation may be;
// scenario_operations.cc declares the operations and reads each one.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "loader/scenario_program.h"
#include "loader/schema.h"
#include "loader/yaml_source.h"
#include "loader/yaml_values.h"
#include "models/config.h"

namespace loader {

// Where the operations being compiled run; an operation's `places` are a set of them.
enum Place : unsigned {
  kThread = 1,  // a thread's own program (and its repeat/lock blocks)
  kTask = 2,    // an asyncio task's program, on its thread's event loop
  kWork = 4,    // the work of a submit, map or to_thread, on a pool's worker
};

struct Scope {
  Place place = kThread;
  // A request type's program (and the work it sends): the stream and the
  // type, empty otherwise. Its place is kTask when asyncio loops serve the
  // stream, kThread when threads do.
  std::string stream;
  std::string request;
  std::string task;    // kTask: the task's name
  std::string sender;  // kWork: "submit", "map" or "to_thread"
  std::string pool;    // kWork: the pool's name
  const models::PoolConfig* pool_config = nullptr;  // kWork: null when names are not checked
};

// One list item being compiled: `- repeat: 3` with `run: [...]` beside it.
struct OperationItem {
  const YAML::Node& item;
  const std::vector<YamlEntry>& entries;
  const YamlEntry& op;  // the entry that names the operation
  std::string where;    // "'cpu' in thread 'main'": for messages about its value
};

class ProgramCompiler;

// One operation of the scenario format: a row of the operations' table.
struct Operation {
  using Reader = void (ProgramCompiler::*)(const Operation&, const OperationItem&);
  using Check = void (ProgramCompiler::*)(const YamlEntry&) const;
  const char* name;
  unsigned places;                       // where it may be (Place bits)
  std::vector<std::string> companions = {};  // the keys it takes beside its own
  Reader read;
  models::OpKind kind = models::OpKind::Cpu;  // the operation its reader makes, where it makes one
  std::string value = "";                // what its own key takes, for the reference
  const char* instead = nullptr;         // awaits: what a thread writes instead
  const char* in_task = nullptr;         // why it cannot be in a task (when it cannot)
  Check check = nullptr;                 // a rule of its own about where it may be
  bool uses_pool = false;                // from the main process's threads only
  const char* doc = "";
};

// A key that goes beside an operation's own key (`repeat: 4` + `run: [...]`).
struct Companion {
  const char* name;
  std::string doc;
};

class ProgramCompiler {
 public:
  ProgramCompiler(const YamlSource& src, const std::string& thread, const ProgramContext& context, Scope scope)
      : src_(src), thread_(thread), context_(context), scope_(std::move(scope)) {}

  models::Program compile(const YAML::Node& run, const std::string& what) {
    operations(run, what);
    models::link_repeats(program_);  // `repeat`'s pairs get their jumps: models/program.h
    return std::move(program_);
  }

  // The tables: the operations in the reference's order, their companions,
  // and the sections of the operations that take a map.
  static const std::vector<Operation>& table();
  static const std::vector<Companion>& companions();
  static std::vector<SectionDoc> option_docs();

 private:
  // scenario_program.cc: the list, and where each operation may be.
  void operations(const YAML::Node& run, const std::string& what, const std::string& block = {});
  std::string owner() const;
  std::string in() const;
  void operation(const YAML::Node& item);
  const Operation& operation_of(const std::vector<YamlEntry>& entries, const YamlEntry*& op) const;
  void check_companions(const std::vector<YamlEntry>& entries, const YamlEntry& op, const Operation& o) const;
  void check_place(const YamlEntry& op, const Operation& o) const;
  void check_serve_place(const YamlEntry& op) const;
  void check_asyncio_place(const YamlEntry& op) const;
  void check_shared_object(const YamlEntry& op) const;

  // scenario_operations.cc: each operation's reader, and what they share.
  void timed(const Operation& o, const OperationItem& it);
  void native(const Operation& o, const OperationItem& it);
  void io(const Operation& o, const OperationItem& it);
  void repeat(const Operation& o, const OperationItem& it);
  void lock(const Operation& o, const OperationItem& it);
  void increment(const Operation& o, const OperationItem& it);
  void submit(const Operation& o, const OperationItem& it);
  void map(const Operation& o, const OperationItem& it);
  void wait(const Operation& o, const OperationItem& it);
  void asyncio(const Operation& o, const OperationItem& it);
  void serve(const Operation& o, const OperationItem& it);
  void send_work(const Operation& o, const OperationItem& it, bool map);
  // A duration, or a map of `options` (`native: {time: 5ms, gil: held}`).
  void timed_or_options(const Operation& o, const OperationItem& it, const Section<models::Op, ProgramCompiler>& options);
  void push(models::OpKind kind, sim::Distribution duration);
  bool options_form(const YAML::Node& value) const;
  std::string resource(const YAML::Node& node) const;
  const models::PoolConfig* pool(const YAML::Node& node, const std::string& name) const;
  std::uint32_t served_stream(const YAML::Node& node, const std::string& name, bool asyncio) const;
  void add_task(models::Op& o, const YAML::Node& item);

  static const Section<models::Op, ProgramCompiler>& native_section();
  static const Section<models::Op, ProgramCompiler>& io_section();
  static const Section<models::Op, ProgramCompiler>& asyncio_section();
  static const Section<models::TaskGroup, ProgramCompiler>& task_section();

  const YamlSource& src_;
  const std::string& thread_;
  const ProgramContext& context_;  // its task_names is set (read_program sees to it)
  Scope scope_;
  models::Program program_;
  std::string block_;  // the repeat or lock whose operations are being read, or empty
  bool last_ = false;  // the operation being read is the last of its list
  bool in_increment_call_ = false;  // reading the `run` of `increment` (f() of x = x + f())
};

}  // namespace loader
