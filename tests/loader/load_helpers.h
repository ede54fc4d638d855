// What the loader's tests share: loading a scenario from text, the error it
// gives, and small scenarios to put operations in.
#pragma once

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "loader/input_error.h"
#include "loader/scenario.h"
#include "loader/scenario_program.h"
#include "loader/yaml_source.h"
#include "models/config.h"
#include "models/gil_protocol.h"
#include "models/python_versions.h"
#include "models/run_plan.h"

namespace load_helpers {

using models::OpKind;
using sim::Distribution;
using sim::kMicrosecond;
using sim::kMillisecond;
using sim::kSecond;

inline loader::Scenario load(const std::string& yaml, const loader::LoadOptions& options = {}) {
  return loader::load_scenario_text(yaml, "t.yaml", options);
}

// The rendered InputError that `read` throws, or "(no error)".
template <typename Read>
std::string error_from(Read&& read) {
  try {
    read();
  } catch (const loader::InputError& e) {
    return e.what();
  }
  return "(no error)";
}

// The rendered error of loading `yaml`, or "(no error)".
inline std::string error_of(const std::string& yaml) {
  return error_from([&] { load(yaml); });
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A valid file with one thread running `run` (the operations' YAML, indented
// under `run:`); line 5 is the first operation.
inline std::string with_run(const std::string& run) {
  return "name: t\n"
         "threads:\n"
         "  - name: main\n"
         "    run:\n" +
         run;
}

// A scenario with a process pool `procs`, a thread pool `tp`, an interpreter
// pool `interp` and a resource `db`, and one thread running `run` (its
// operations' YAML, indented under `run:`); line 12 is the first operation.
inline std::string with_pools(const std::string& run) {
  return "name: t\n"
         "pools:\n"
         "  - {name: procs, kind: process}\n"
         "  - {name: tp, kind: thread}\n"
         "  - {name: interp, kind: interpreter}\n"
         "resources:\n"
         "  - {name: db, capacity: 2}\n"
         "threads:\n"
         "  - name: main\n"
         "    count: 2\n"
         "    run:\n" +
         run;
}

// What the loader itself compiles `run` to (the operations' YAML, indented
// under `run:`), before the model lowers pools and asyncio into its own
// operations (models/lowering.h): with with_pools()'s pools and
// resource.
inline models::Program compiled(const std::string& run) {
  static const std::vector<models::PoolConfig> pools = [] {
    std::vector<models::PoolConfig> v(3);
    v[0].name = "procs";
    v[0].kind = models::PoolKind::Process;
    v[1].name = "tp";
    v[1].kind = models::PoolKind::Thread;
    v[2].name = "interp";
    v[2].kind = models::PoolKind::Interpreter;
    return v;
  }();
  static const std::vector<models::ResourceConfig> resources = {{"db", 2}};
  const loader::YamlSource src("t.yaml", "run:\n" + run);
  const YAML::Node root = src.parse();
  loader::ProgramContext context;
  context.pools = &pools;
  context.resources = &resources;
  return loader::read_program(src, root["run"], "main", context);
}

// The first operation of `kind` in `p`, or null.
inline const models::Op* find_op(const models::Program& p, OpKind kind) {
  for (const auto& op : p)
    if (op.kind == kind) return &op;
  return nullptr;
}

// A copy: the scenario is often a temporary.
inline models::Program program_of(const loader::Scenario& s, std::size_t variant = 0, std::size_t group = 0) {
  return s.variants.at(variant).config.threads.at(group).program;
}

}  // namespace load_helpers

// `text` (shown when the check fails) contains `part`.
#define CHECK_CONTAINS(text, part)                  \
  do {                                              \
    const std::string text_ = (text);               \
    INFO(text_);                                    \
    CHECK(load_helpers::contains(text_, part));     \
  } while (0)

#define CHECK_ERROR(yaml, part) CHECK_CONTAINS(load_helpers::error_of(yaml), part)
