// The results of a sweep: one record per point (its runs' metrics), the point
// files that hold them, and the tidy CSV and JSON assembled from them.
//
// CSV (a contract: plotting and fitting scripts read it):
//   scenario,variant,point,replication,seed,AXIS_1,...,AXIS_k,METRIC_1,...,METRIC_m
// one row per point x variant x replication, ordered by point, then variant
// (file order), then replication. An axis cell is a number in base units when
// the value is a duration (seconds), a rate (per second) or a number,
// otherwise the text; it is empty on the rows of a variant the axis does not
// reach (SweepDefinition::reaches). Metric columns are the union of the rows'
// metric names in byte order (those --metrics keeps); a row without a metric
// has an empty cell.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "analysis/sweep_definition.h"
#include "loader/sweep_spec.h"

namespace analysis {

// An axis value as the results show it.
struct ParamValue {
  bool is_number = false;
  double number = 0;  // seconds for a duration, per second for a rate
  std::string text;   // when not a number
};
ParamValue param_value(const loader::AxisValue& value);

// A run's metrics, flat: its names in byte order (shared by every run that
// reports the same names, see MetricNameSets) and one value per name. A
// 10,000-point sweep holds millions of them: a std::map per run took ~100
// bytes per metric, this takes 8.
class MetricSet {
 public:
  using Names = std::vector<std::string>;  // in byte order, each once

  MetricSet() : names_(std::make_shared<const Names>()) {}
  MetricSet(const std::map<std::string, double>& metrics);  // NOLINT: a map is a set of metrics
  MetricSet(std::initializer_list<std::pair<const std::string, double>> metrics)
      : MetricSet(std::map<std::string, double>(metrics)) {}
  MetricSet(std::shared_ptr<const Names> names, std::vector<double> values)
      : names_(std::move(names)), values_(std::move(values)) {}

  std::size_t size() const { return values_.size(); }
  const std::string& name(std::size_t i) const { return (*names_)[i]; }
  double value(std::size_t i) const { return values_[i]; }
  const std::vector<double>& values() const { return values_; }
  const std::shared_ptr<const Names>& names() const { return names_; }
  // The value of `name`, or null.
  const double* find(const std::string& name) const;
  // The value of `name`; throws std::out_of_range without it.
  double at(const std::string& name) const;

 private:
  std::shared_ptr<const Names> names_;
  std::vector<double> values_;
};

// Which metrics a sweep's results keep: `--metrics PATTERN,...`, glob
// patterns (fnmatch: `*`, `?`, `[...]`) over metric names; none: every one.
class MetricFilter {
 public:
  MetricFilter() = default;
  explicit MetricFilter(std::vector<std::string> patterns) : patterns_(std::move(patterns)) {}
  bool keeps(const std::string& name) const;
  const std::vector<std::string>& patterns() const { return patterns_; }
  // The patterns that match none of `names`, each with its did-you-mean
  // ("'wal' (did you mean 'wall'?)"); empty when every one matches.
  std::vector<std::string> unmatched(const std::vector<std::string>& names) const;

 private:
  std::vector<std::string> patterns_;
};

// "wall,gil.*": the patterns of --metrics; empty parts are an error (a
// trailing comma is a typo). Throws std::invalid_argument saying why.
std::vector<std::string> parse_metric_patterns(std::string_view text);

// Shares the name lists of runs that report the same metrics (all the runs
// of a sweep with as many threads), and applies the filter once per list.
// Thread-safe.
class MetricNameSets {
 public:
  explicit MetricNameSets(MetricFilter filter = {}) : filter_(std::move(filter)) {}
  // Every metric, the names shared (and known to keep() by their address).
  MetricSet share(const std::map<std::string, double>& metrics);
  // The metrics the filter keeps, their names shared.
  MetricSet keep(const std::map<std::string, double>& metrics);
  MetricSet keep(const MetricSet& metrics);
  // Every name of every list seen, kept or not, in byte order (to judge
  // --metrics patterns against).
  std::vector<std::string> all_names();

 private:
  struct Kept {
    std::shared_ptr<const MetricSet::Names> all;   // the run's names
    std::shared_ptr<const MetricSet::Names> kept;  // those the filter keeps
    std::vector<std::size_t> index;                // of each kept name in `all`
  };
  // The entry for these names (built on first sight).
  template <typename NameAt>
  const Kept& entry(std::size_t count, NameAt name_at);

  MetricFilter filter_;
  std::mutex mutex_;
  std::unordered_multimap<std::uint64_t, Kept> sets_;  // by a hash of the names (nodes: stable addresses)
  std::unordered_map<const MetricSet::Names*, const Kept*> by_address_;  // of its `all` and `kept`
};

struct RunRecord {
  std::string variant;
  int replication = 0;
  std::uint64_t seed = 1;
  bool finished = true;  // false: stopped at the scenario's time_limit
  MetricSet metrics;
};

struct PointRecord {
  std::size_t point = 0;
  std::vector<RunRecord> runs;  // by variant (file order), then replication
};

// A point file: the point, its parameters (for people and other tools; the
// results take them from the manifest), and its runs.
std::string point_json(const SweepDefinition& definition, const PointRecord& record);
// Reads a point file; throws std::runtime_error saying what is wrong. With
// `sets`, its runs' metrics are those `sets` keeps, their names shared.
PointRecord read_point_json(const std::string& text, MetricNameSets* sets = nullptr);

// The results, written piece by piece to `out` (a 10,000-point sweep's CSV
// is tens of megabytes: it is never held whole). `records` in point order.
using TextSink = std::function<void(std::string_view)>;
void write_sweep_csv(const SweepDefinition& definition, const std::vector<PointRecord>& records,
                     const TextSink& out);
void write_sweep_json(const SweepDefinition& definition, const std::vector<PointRecord>& records,
                      const TextSink& out);
// With replications, the mean and 95 % confidence interval of every metric of
// every point and variant, as `gilsim run --replications` gives them
// (report/confidence.h): one row per point, variant and metric, in point
// order, then variant (file order), then metric (byte order).
void write_sweep_summary_csv(const SweepDefinition& definition, const std::vector<PointRecord>& records,
                             const TextSink& out);
// The same as one string.
std::string sweep_csv(const SweepDefinition& definition, const std::vector<PointRecord>& records);
std::string sweep_json(const SweepDefinition& definition, const std::vector<PointRecord>& records);

}  // namespace analysis
