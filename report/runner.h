// Runs a loaded scenario: each selected variant through models::simulate, then
// its expectations and figures against the variants' metrics.
//
// The runner knows nothing of files or terminals: the command line decides
// which variants run and where traces go (RunOptions), and report/report.h turns
// a ScenarioResult into text.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "loader/scenario.h"
#include "models/simulation.h"
#include "sim/trace.h"

namespace report {

// A variant's run, with the parts of its config the report shows.
struct VariantRun {
  std::string name;
  std::uint64_t seed = 1;
  int cores = 0;
  std::string python;
  sim::Time time_limit = 0;
  // Thread groups (name, count) in program order: the report's thread rows.
  std::vector<std::pair<std::string, int>> groups;
  models::RunResult result;
};

enum class Verdict { Holds, Fails, Skipped };

// One `expect` entry after the runs. `values` are the metric paths it read,
// with what they were (empty when skipped).
struct ExpectationResult {
  std::string text;
  Verdict verdict = Verdict::Holds;
  std::vector<std::pair<std::string, double>> values;
  std::string skipped_variant;  // the variant that did not run, when Skipped
};

struct FigureResult {
  std::string label;
  std::string text;
  std::optional<double> value;  // empty when a variant it reads did not run
};

struct ScenarioResult {
  std::string file;
  std::string name;
  std::string description;
  std::string claim;
  std::uint64_t seed = 1;
  std::vector<VariantRun> runs;  // in file order, only those selected
  std::vector<ExpectationResult> expectations;
  std::vector<FigureResult> figures;

  // Every run finished within its time limit and no expectation failed
  // (skipped ones do not count against it).
  bool all_hold() const;
  int failed_expectations() const;
  std::vector<std::string> unfinished_variants() const;
};

// Builds the trace sink of one run, or returns null for no trace. The sink
// receives the whole run and finish(); it is destroyed after simulate returns
// (or throws, which must leave no partial file behind).
using TraceFactory =
    std::function<std::unique_ptr<sim::TraceSink>(const loader::Scenario&, const loader::Variant&)>;

// The sink for one traced run: a Chrome trace at `chrome_path`, an SVG
// timeline at `svg_path` titled `title`, or both through a tee; an empty path
// is not written. Null when both are empty. The files open now (a bad path
// throws std::runtime_error before the run) and appear when the run finishes.
std::unique_ptr<sim::TraceSink> make_trace_sink(const std::string& chrome_path,
                                                const std::string& svg_path,
                                                const std::string& title);

struct RunOptions {
  std::vector<std::string> variants;  // run only these; empty = every variant
  TraceFactory trace;                 // may be empty: no traces
  // Called before each variant runs (progress on a terminal); may be empty.
  std::function<void(const loader::Scenario&, const loader::Variant&)> on_variant_start;
  // Looks at each run while it goes (models::RunWatch); may be null.
  const models::RunWatch* watch = nullptr;
};

// True when `options` selects `variant`.
bool selected(const RunOptions& options, const std::string& variant);

// Runs the selected variants in file order and evaluates the expectations and
// figures. Lets models::InvariantViolation (a model bug) propagate; a metric
// an expression reads but the run did not report is a std::logic_error.
ScenarioResult run_scenario(const loader::Scenario& scenario, const RunOptions& options = {});

// Splits "VARIANT.METRIC" at the first dot.
std::pair<std::string, std::string> split_path(const std::string& path);

}  // namespace report
