// The runner's replications: seeds, means, intervals, and expectations on the means.
#include "report/runner.h"

#include <doctest/doctest.h>

#include <cmath>
#include <stdexcept>

#include "report/confidence.h"

namespace {

// A thread whose work is drawn at random: its wall time depends on the seed.
const char* kRandom = R"(name: random
seed: 11
threads:
  - name: main
    run:
      - cpu: {uniform: [1ms, 9ms]}
variants:
  a: {}
  b:
    machine: {cores: 2}
expect:
  - a.wall > 4ms
  - a.wall < 6ms
figures:
  - {label: w, expr: a.wall}
)";

}  // namespace

TEST_CASE("replications: replication r runs with the variant's seed + r; metrics are the means") {
  const loader::Scenario s = loader::load_scenario_text(kRandom, "r.yaml");
  report::RunOptions options;
  options.replications = 6;
  const report::ScenarioResult r = report::run_scenario(s, options);
  CHECK(r.replications == 6);
  REQUIRE(r.runs.size() == 2);
  // The same means from single runs with the seeds seed, seed + 1, ...
  for (std::size_t v = 0; v < 2; ++v) {
    const auto& run = r.runs[v];
    std::vector<double> walls;
    for (int k = 0; k < 6; ++k)
      walls.push_back(models::simulate(*s.variants[v].plan, s.variants[v].config.seed + k).metrics.at("wall"));
    const report::MeanInterval expected = report::mean_ci95(walls);
    CAPTURE(run.name);
    CHECK(run.seed == s.variants[v].config.seed);
    CHECK(run.result.metrics.at("wall") == expected.mean);
    CHECK(run.intervals.at("wall").half_width == expected.half_width);
    CHECK(expected.half_width > 0);  // the seeds differ, so do the walls
    CHECK(run.intervals.size() == run.result.metrics.size());
  }
  CHECK(r.runs[1].seed == 11);  // the scenario's seed is every variant's base
  // The figure and the expectations read the means.
  REQUIRE(r.figures.size() == 1);
  CHECK(*r.figures[0].value == r.runs[0].result.metrics.at("wall"));
  REQUIRE(r.expectations.size() == 2);
  CHECK(r.expectations[0].values.at(0).second == r.runs[0].result.metrics.at("wall"));
}

TEST_CASE("replications: replication 0 is the run without replications, and a run is deterministic") {
  const loader::Scenario s = loader::load_scenario_text(kRandom, "r.yaml");
  report::RunOptions two;
  two.replications = 2;
  const auto once = report::run_scenario(s);
  const auto twice = report::run_scenario(s, two);
  const double first = once.runs[0].result.metrics.at("wall");
  const double second = models::simulate(*s.variants[0].plan, s.variants[0].config.seed + 1).metrics.at("wall");
  CHECK(twice.runs[0].result.metrics.at("wall") == (first + second) / 2);
  CHECK(once.runs[0].intervals.empty());
  CHECK(once.replications == 1);
  CHECK(report::run_scenario(s, two).runs[0].intervals.at("wall").half_width ==
        twice.runs[0].intervals.at("wall").half_width);
}

TEST_CASE("replications: refused below 1 and with a trace") {
  const loader::Scenario s = loader::load_scenario_text(kRandom, "r.yaml");
  report::RunOptions zero;
  zero.replications = 0;
  CHECK_THROWS_AS(report::run_scenario(s, zero), std::invalid_argument);
  report::RunOptions traced;
  traced.replications = 3;
  traced.trace = [](const loader::Scenario&, const loader::Variant&) { return std::unique_ptr<sim::TraceSink>(); };
  CHECK_THROWS_AS(report::run_scenario(s, traced), std::invalid_argument);
}
