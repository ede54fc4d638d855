// The table `gilsim sweep` prints: a row per point and variant.
#include <doctest/doctest.h>

#include <sstream>
#include <string>

#include "analysis/sweep_table.h"

using analysis::PointRecord;
using analysis::RunRecord;
using analysis::SweepDefinition;

namespace {

SweepDefinition definition(int replications) {
  SweepDefinition d;
  d.scenario = "sweep";
  loader::SweepAxis a;
  a.path = "threads.0.count";
  a.values = {{"1", false}, {"2", false}, {"4", false}};
  d.axes = {a};
  d.variants = {"threads", "processes"};
  d.unreached = {{"processes"}};  // a variant with threads of its own
  d.replications = replications;
  return d;
}

RunRecord run(const std::string& variant, int replication, double wall, double handoffs) {
  return RunRecord{variant, replication, 1, true, {{"wall", wall}, {"gil.handoffs", handoffs}, {"os.wakeups", 7}}};
}

std::vector<PointRecord> records(int replications) {
  std::vector<PointRecord> r;
  for (std::size_t p = 0; p < 3; ++p) {
    PointRecord point{p, {}};
    for (const char* v : {"threads", "processes"})
      for (int k = 0; k < replications; ++k)
        point.runs.push_back(run(v, k, 0.25 * static_cast<double>(p + 1) + 0.5 * k, 10.0 * (p + 1) + k));
    r.push_back(point);
  }
  return r;
}

std::string print(const SweepDefinition& d, const std::vector<PointRecord>& r, analysis::SweepTableOptions o) {
  std::ostringstream out;
  analysis::print_sweep_table(out, d, r, o, report::Style{false});
  return out.str();
}

}  // namespace

TEST_CASE("sweep table: a row per point and variant, the axis as written, durations for people") {
  const std::string t = print(definition(1), records(1), {});
  CHECK(t ==
        "  threads.0.count  variant      wall  gil.handoffs\n"
        "                1  threads    250 ms            10\n"
        "                -  processes  250 ms            10\n"
        "                2  threads    500 ms            20\n"
        "                -  processes  500 ms            20\n"
        "                4  threads    750 ms            30\n"
        "                -  processes  750 ms            30\n");
}

TEST_CASE("sweep table: the mean over replications, said in the header") {
  const std::string t = print(definition(2), records(2), {});
  // Point 0: walls 0.25 and 0.75, hand-offs 10 and 11.
  CHECK(t ==
        "  threads.0.count  variant    wall (mean)  gil.handoffs (mean)\n"
        "                1  threads         500 ms                 10.5\n"
        "                -  processes       500 ms                 10.5\n"
        "                2  threads         750 ms                 20.5\n"
        "                -  processes       750 ms                 20.5\n"
        "                4  threads         1.00 s                 30.5\n"
        "                -  processes       1.00 s                 30.5\n");
}

TEST_CASE("sweep table: the metrics asked for, those the runs report, in that order") {
  analysis::SweepTableOptions o;
  o.metrics = {"os.wakeups", "no.such.metric", "wall"};
  CHECK(analysis::sweep_table_columns(records(1), o.metrics) == std::vector<std::string>{"os.wakeups", "wall"});
  CHECK(print(definition(1), records(1), o).rfind("  threads.0.count  variant    os.wakeups    wall\n", 0) == 0);
}

TEST_CASE("sweep table: long sweeps show their first rows and say where the rest is") {
  analysis::SweepTableOptions o;
  o.max_rows = 4;
  o.rest_in = "sweep-x/results.csv";
  const std::string t = print(definition(1), records(1), o);
  CHECK(t.find("  ... and 2 more rows in sweep-x/results.csv\n") != std::string::npos);
  CHECK(t.find("750 ms") == std::string::npos);
}
