// A thread's `run:` list, compiled into the flat program the models execute
// (models::Program): `repeat` becomes a RepeatBegin/RepeatEnd pair; the work
// of `submit`, `map` and `to_thread`, and each asyncio task's program, are
// compiled the same way into their own programs (Op::body, TaskGroup::program).
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>
#include <vector>

#include "loader/unique_names.h"
#include "loader/yaml_source.h"
#include "models/config.h"

namespace loader {

// A `serve: STREAM` operation, or an `asyncio` with `serve`, as read: the
// checks that need every thread (is each stream served, and by threads or by
// asyncio loops?) run once all are read.
struct StreamServer {
  std::string stream;
  bool asyncio = false;
  YAML::Node node;      // the stream's name in the operation
  std::string process;  // the child process group of the serving thread, or empty
};

// What a program may name, and where it runs: the variant's pools and
// resources (read before its threads).
struct ProgramContext {
  // Null: the names of pools and resources are not checked (the top level of
  // a file with variants, which a variant may complete), nor what a pool's
  // kind forbids in the work sent to it.
  const std::vector<models::PoolConfig>* pools = nullptr;
  const std::vector<models::ResourceConfig>* resources = nullptr;
  // The process group when the thread belongs to a child process (`processes:`):
  // pools are used from the main process's threads only, and locks and
  // counters live in the main process.
  std::string process;
  // The variant's asyncio task names (metric names tasks.NAME.*); null:
  // checked within this program only.
  UniqueNames* task_names = nullptr;
  // The variant's request streams, in order (an operation's index is the
  // position); null: the names `serve` gives are not checked.
  const std::vector<std::string>* streams = nullptr;
  // Where `serve` operations are recorded; null: nowhere.
  std::vector<StreamServer>* servers = nullptr;
};

// `thread` names the thread in messages. Throws InputError. Without a
// context, no pool or resource exists.
models::Program read_program(const YamlSource& src, const YAML::Node& run,
                             const std::string& thread);
models::Program read_program(const YamlSource& src, const YAML::Node& run,
                             const std::string& thread, const ProgramContext& context);

// The program of request type `type` of stream `stream`: an asyncio task's
// program when asyncio loops serve the stream (`async`), else a thread's (but
// neither `serve` nor `asyncio` may be in it).
models::Program read_request_program(const YamlSource& src, const YAML::Node& run, const std::string& stream,
                                     const std::string& type, bool async, const ProgramContext& context);

// "unknown pool 'x'; did you mean 'y'?", or the list of the `kind`s there
// are, or how to define one under `section` (with `example` as its entry).
[[noreturn]] void fail_unknown(const YamlSource& src, const YAML::Node& node, const std::string& kind,
                               const std::string& name, const std::vector<std::string>& defined,
                               const std::string& section, const std::string& example);

// The operations' names, in their table's order (loader/scenario_operations.cc), for hints.
const std::vector<std::string>& operation_names();

}  // namespace loader
