// A scenario file, loaded and validated: its variants as ready-to-run
// simulation configs, and its expectations parsed.
//
// Format: docs/scenarios.md, and
// docs/scenario-reference.md, made from the loader's tables (loader/schema.h).
// Every kind of bad input is an InputError with file:line:column.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "loader/expr.h"
#include "loader/input_error.h"
#include "loader/profile.h"
#include "loader/schema.h"
#include "loader/sweep_spec.h"
#include "loader/yaml_source.h"
#include "models/config.h"
#include "models/run_plan.h"

namespace loader {

struct Expectation {
  std::string text;  // as written
  SourcePos pos;
  Expr expr;
};

// An extension of the contract: `figures:` lists labelled expressions that
// the claims table and the summary print (e.g. "threads / sequential").
struct Figure {
  std::string label;
  std::string text;
  SourcePos pos;
  Expr expr;
};

struct Variant {
  std::string name;
  models::SimulationConfig config;
  // The config prepared for a run (and for checking names before it).
  std::shared_ptr<const models::RunPlan> plan;
};

struct Scenario {
  std::string file;
  std::string name;
  std::string description;
  std::string claim;  // "C2", or empty
  std::uint64_t seed = 1;
  std::string profile;  // the --profile's name, or empty
  std::vector<Variant> variants;  // in file order; one named "main" without `variants`
  std::vector<Expectation> expect;
  std::vector<Figure> figures;
  // `gilsim sweep`'s axes and replications; validated, ignored by run;
  // `check` validates the sweep's points too.
  SweepSpec sweep;
};

// A variant may run at most this many operations (models/operation_count.h)
// unless --max-operations raises it: a run costs roughly a microsecond per
// operation on current hardware (a few events each), so the default is
// minutes of work, and `repeat: 1000000000000` is refused at once rather
// than running for days.
constexpr std::uint64_t kDefaultMaxOperations = 1'000'000'000;

struct LoadOptions {
  // --seed: replaces the file's seed (and every variant's).
  bool override_seed = false;
  std::uint64_t seed = 1;
  // --profile: the machine's costs, under the scenario's own settings
  // (loader/profile.h). Null: the built-in defaults.
  std::shared_ptr<const Profile> profile;
  // --max-operations: the most operations a variant may run.
  std::uint64_t max_operations = kDefaultMaxOperations;
  // Leaves the `sweep` section unread (Scenario::sweep stays empty): a
  // sweep's points, whose section was read once when the sweep was defined
  // (re-reading its axes cost a tenth of loading each point).
  bool skip_sweep = false;
};

// Throws InputError for every kind of bad input.
Scenario load_scenario_file(const std::string& path, const LoadOptions& options = {});
Scenario load_scenario_text(const std::string& text, const std::string& file_name,
                            const LoadOptions& options = {});
// The same from a parsed tree of `src` (a sweep changes the tree first). Nodes
// the caller made have no place in the file; errors about them carry none.
Scenario load_scenario_tree(const YamlSource& src, const YAML::Node& root,
                            const LoadOptions& options = {});

// The reference's sections: the scenario's own keys, a figure.
std::vector<SectionDoc> scenario_docs();

}  // namespace loader
