// The results of a sweep: one record per point (its runs' metrics), the point
// files that hold them, and the tidy CSV and JSON assembled from them.
//
// CSV (a contract: plotting and fitting scripts read it):
//   scenario,variant,point,replication,seed,AXIS_1,...,AXIS_k,METRIC_1,...,METRIC_m
// one row per point x variant x replication, ordered by point, then variant
// (file order), then replication. An axis cell is a number in base units when
// the value is a duration (seconds), a rate (per second) or a number,
// otherwise the text. Metric
// columns are the union of the rows' metric names in byte order; a row without
// a metric has an empty cell.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
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

struct RunRecord {
  std::string variant;
  int replication = 0;
  std::uint64_t seed = 1;
  bool finished = true;  // false: stopped at the scenario's time_limit
  std::map<std::string, double> metrics;
};

struct PointRecord {
  std::size_t point = 0;
  std::vector<RunRecord> runs;  // by variant (file order), then replication
};

// A point file: the point, its parameters (for people and other tools; the
// results take them from the manifest), and its runs.
std::string point_json(const SweepDefinition& definition, const PointRecord& record);
// Reads a point file; throws std::runtime_error saying what is wrong.
PointRecord read_point_json(const std::string& text);

// `records` in point order.
std::string sweep_csv(const SweepDefinition& definition, const std::vector<PointRecord>& records);
std::string sweep_json(const SweepDefinition& definition, const std::vector<PointRecord>& records);

}  // namespace analysis
