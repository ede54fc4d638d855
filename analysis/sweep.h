// `gilsim sweep` and `gilsim merge` (docs/sweeps.md): one scenario run
// over the cartesian product of its axes' values, with replications under
// independent seeds, points in parallel, resumable, and splittable into shards
// that `merge` joins. Results are assembled in point order from the records
// of the points run now and the point files of those run before, so they are
// byte-identical for any --jobs, after any resume, and sharded-then-merged.
//
// Expectations (`expect`) are not evaluated: they are about one run.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/sweep_definition.h"
#include "analysis/sweep_records.h"
#include "analysis/sweep_state.h"
#include "loader/durations.h"
#include "loader/scenario.h"
#include "models/config.h"

namespace analysis {

// The K-th (1-based) of N disjoint parts: the points with index % N == K - 1.
struct Shard {
  int index = 1;
  int count = 1;
  bool contains(std::size_t point) const {
    return point % static_cast<std::size_t>(count) == static_cast<std::size_t>(index - 1);
  }
  bool whole() const { return count == 1; }
};
// "K/N" with 1 <= K <= N.
loader::ParseResult<Shard> parse_shard(std::string_view text);

// What the command line asks for; empty or unset members defer to the file.
struct SweepRequest {
  std::string file;
  std::vector<loader::SweepAxis> axes;  // replace the file's axis of the same path, or add
  std::optional<int> replications;
  std::optional<std::uint64_t> seed;
  std::vector<std::string> variants;  // empty: every variant
  // --profile: the machine's costs under the scenario's (loader/profile.h).
  std::shared_ptr<const loader::Profile> profile;
  // --max-operations: the cap on each point's variants.
  std::uint64_t max_operations = loader::kDefaultMaxOperations;
};

// A sweep defined, ready to validate and run: its points are loaded when
// they are (validate_points, run_sweep), never all held at once.
struct PreparedSweep {
  SweepDefinition definition;
  std::string file;  // the scenario file and its text, read once
  std::string text;
  loader::LoadOptions load;  // how every point is loaded: the --profile
  // `sweep.fit`, its x checked to be an axis. Not part of the definition: the
  // fit reads the results, it does not change them, so adding one to a
  // sweep's file must not stop it from resuming.
  std::optional<loader::SweepFit> fit;
  // `sweep.saturation`, its load checked to be an axis; outside the
  // definition for the same reason.
  std::optional<loader::SweepSaturation> saturation;
};

// Loads the scenario and defines the sweep, without loading its points.
// Throws loader::InputError (a fit's x that is not an axis, a bad axis path)
// or SweepError (an unknown variant, too many points). A file with no axes is
// one point: a sweep of its replications.
PreparedSweep define_sweep(const SweepRequest& request);

// Called from the workers, serialised: `done` of `total` items of a phase.
using Progress = std::function<void(std::size_t done, std::size_t total)>;

// Loads and validates every point, `jobs` at once, so that a bad one fails
// before anything runs, not hours in. Returns every metric name the points'
// runs will report, in byte order. Throws loader::InputError naming the
// first bad point's values (the lowest-numbered of those found bad).
// Metric names only when `collect_metric_names` (they cost a little per point).
std::vector<std::string> validate_points(const PreparedSweep& sweep, unsigned jobs, const Progress& progress = {},
                                         bool collect_metric_names = false);

// define_sweep, then validate_points on one thread.
PreparedSweep prepare_sweep(const SweepRequest& request);

// The text whose hash identifies the sweep (manifest.json's file_hash): the
// file's text without the lines of the entries at `entries` (their keys'
// places: `sweep.fit`, `sweep.saturation`), so that adding, changing or
// removing an analysis of the results keeps the sweep the same and it
// resumes. An entry is its key's line and the lines after it indented deeper
// (blank and comment lines between them too). A key with text before it on
// its line (a flow map, `sweep: {fit: ...}`) cannot be cut out by lines: then
// that text stays, and the entry is part of the sweep's identity.
std::string identity_text(const std::string& text, std::vector<loader::SourcePos> entries);

struct SweepRunOptions {
  unsigned jobs = 1;  // worker threads
  Shard shard;
  // The metrics the records keep (the point files keep every one).
  MetricFilter metrics;
  // Called once before any run, with the points of the shard found done.
  std::function<void(std::size_t already_done, std::size_t total)> on_start;
  // Called (serialised) each time a point's file is written, with the points
  // of the shard done so far (earlier runs included) and their number.
  Progress on_point;
  // Called (serialised) as the points done before are read back.
  Progress on_read;
};

struct SweepOutcome {
  std::size_t points = 0;        // of the shard
  std::size_t already_done = 0;  // found in DIR when it started
  std::size_t ran = 0;
  std::vector<std::string> unfinished;  // "point 3, variant x, replication 0": hit time_limit
  std::vector<PointRecord> records;     // every point of the shard, in order
};

// Runs the points of the shard that DIR does not hold yet, writing each
// point's file when its last run ends and keeping its record, and reads back
// the shard's points that DIR held already. A point's runs are taken by
// several workers at once when it has replications. A model bug
// (models::InvariantViolation) propagates.
SweepOutcome run_sweep(const PreparedSweep& sweep, const SweepState& state,
                       const SweepRunOptions& options);

// The records of every point of `dirs`' sweep. The manifests must agree and
// every point must be present (in several DIRs only if identical); otherwise
// SweepError listing what is wrong.
struct Merged {
  SweepDefinition definition;
  std::vector<PointRecord> records;
  std::vector<std::string> names;  // every metric of the runs, kept or not
};
Merged merge_sweeps(const std::vector<std::string>& dirs, const MetricFilter& metrics = {});

// "3, 5-9, 12": point indices for messages.
std::string index_ranges(const std::vector<std::size_t>& indices);

}  // namespace analysis
