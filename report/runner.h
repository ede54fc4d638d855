// Runs a loaded scenario: each selected variant through models::simulate, then
// its expectations and figures against the variants' metrics.
//
// The runner knows nothing of files or terminals: the command line decides
// which variants run and where traces go (RunOptions), and report/report.h turns
// a ScenarioResult into text.
#pragma once

#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "loader/scenario.h"
#include "report/confidence.h"
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
  // One run's metrics; with replications, the means over them (and
  // hit_time_limit: some replication hit it).
  models::RunResult result;
  // With replications: every metric's mean and 95 % interval; empty otherwise.
  std::map<std::string, MeanInterval> intervals;
  // The settings (machine.KEY, runtime.KEY) the scenario's expressions read
  // of this variant, with the values its run used (models/setting_values.h).
  std::map<std::string, double> settings;
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
  std::string profile;  // the machine profile's name, or empty (the built-in costs)
  int replications = 1;          // runs of each variant (RunOptions::replications)
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

// Simulated times [from, to) of a run that its trace shows (--trace-window).
struct TraceWindow {
  sim::Time from = 0;
  sim::Time to = 0;
};

// The sink for one traced run: a Chrome trace at `chrome_path`, an SVG
// timeline at `svg_path` titled `title`, or both through a tee; an empty path
// is not written. Null when both are empty. The files open now (a bad path
// throws std::runtime_error before the run) and appear when the run finishes.
// The SVG shows [svg_from, svg_to) of the run (--svg-window), its legend in
// the models' one order; with `window`, the Chrome trace shows only that part
// of the run (--trace-window, sim/trace_window.h).
std::unique_ptr<sim::TraceSink> make_trace_sink(const std::string& chrome_path,
                                                const std::string& svg_path,
                                                const std::string& title,
                                                sim::Time svg_from = 0,
                                                sim::Time svg_to = std::numeric_limits<sim::Time>::max(),
                                                const std::optional<TraceWindow>& window = std::nullopt);

struct RunOptions {
  std::vector<std::string> variants;  // run only these; empty = every variant
  TraceFactory trace;                 // may be empty: no traces
  // Called before each variant runs (progress on a terminal); may be empty.
  std::function<void(const loader::Scenario&, const loader::Variant&)> on_variant_start;
  // Runs of each variant: replication r (0-based) runs with the variant's
  // seed + r (mod 2^64), so replication 0 is the run without replications.
  // Above 1, the runs' metrics are the means, with intervals, and the
  // expectations and figures are evaluated on the means. No trace then.
  int replications = 1;
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
