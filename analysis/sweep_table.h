// The terminal table a sweep prints when it is done: a row per point and
// variant, the axes' values as written and a few metrics (the mean over the
// replications), so that the shape of the results is seen without opening
// the CSV. Long sweeps show their first rows and say where the rest is.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "analysis/sweep_definition.h"
#include "analysis/sweep_records.h"
#include "report/report.h"

namespace analysis {

struct SweepTableOptions {
  // The metric columns: with none, wall, cores.busy_avg, gil.handoffs and,
  // for servers, requests.throughput and requests.p99 (those the runs have).
  std::vector<std::string> metrics;
  std::size_t max_rows = 40;   // more points x variants than this: the first ones
  std::string rest_in;         // where the rows left out are ("DIR/results.csv")
};

// The metric columns the table shows: `wanted` (those the runs report, in
// that order, at most 6), or the defaults above.
std::vector<std::string> sweep_table_columns(const std::vector<PointRecord>& records,
                                             const std::vector<std::string>& wanted);

void print_sweep_table(std::ostream& out, const SweepDefinition& definition,
                       const std::vector<PointRecord>& records, const SweepTableOptions& options,
                       const report::Style& style);

}  // namespace analysis
