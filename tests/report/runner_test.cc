// The runner: the SVG timeline of whole runs (report::make_trace_sink), whose
// rows are painted as the run's own figures say; replications (seeds, means,
// intervals, expectations on the means).
#include "report/runner.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "loader/scenario.h"
#include "models/trace_styles.h"
#include "report/confidence.h"
#include "tests/support/svg_reader.h"
#include "tests/support/temp_dir.h"

using testing::svg_rows;
using testing::TempDir;

namespace {

namespace styles = models::trace_styles;

struct Drawn {
  std::string svg;
  models::Metrics metrics;
};

Drawn draw(const std::string& scenario, sim::Time from = 0, sim::Time to = std::numeric_limits<sim::Time>::max()) {
  TempDir dir;
  const loader::Scenario s =
      loader::load_scenario_file(std::string(GILSIM_SOURCE_DIR) + "/tests/scenarios/" + scenario);
  report::RunOptions options;
  options.trace = [&](const loader::Scenario&, const loader::Variant&) {
    return report::make_trace_sink("", dir.file("t.svg"), "t", from, to);
  };
  const report::ScenarioResult r = report::run_scenario(s, options);
  REQUIRE(r.runs.size() == 1);
  return {testing::read_text(dir.file("t.svg")), r.runs[0].result.metrics};
}

}  // namespace

TEST_CASE("SVG of a run: a thread holding the GIL 10 % of 10 s gets a GIL row painted 10 %") {
  const Drawn d = draw("gil_duty_10.yaml");
  REQUIRE(testing::well_formed_xml(d.svg));
  const auto rows = svg_rows(d.svg);
  const double held = d.metrics.at("gil.held");
  CHECK(held == doctest::Approx(0.10).epsilon(0.02));
  const double gil_row = rows.at("GIL").share(styles::kGilHeld.colour);
  CHECK(std::abs(gil_row - 0.10) <= 0.02);
  CHECK(std::abs(gil_row - held) <= 0.005);
  CHECK(rows.at("GIL").painted() == doctest::Approx(gil_row));  // nothing else on it
  // The threads' rows agree with their time in each state.
  const double wall = d.metrics.at("wall");
  const auto& ticker = rows.at("ticker");
  CHECK(std::abs(ticker.share(styles::kThread[1].colour) - d.metrics.at("threads.ticker.python") / wall) <= 0.005);
  CHECK(std::abs(ticker.share(styles::kThread[8].colour) - d.metrics.at("threads.ticker.sleep") / wall) <= 0.005);
  CHECK(std::abs(rows.at("reader").share(styles::kThread[7].colour) - d.metrics.at("threads.reader.io") / wall) <=
        0.005);
  // The cores' rows together: the average number of busy cores.
  double on_core = 0;
  for (const auto& [name, row] : rows)
    if (name.rfind("core ", 0) == 0) on_core += row.share(styles::kCoreRunning.colour);
  CHECK(std::abs(on_core - d.metrics.at("cores.busy_avg")) <= 0.005);
}

TEST_CASE("SVG of a run: a window of it (--svg-window) shows that window's shares") {
  const Drawn d = draw("gil_duty_10.yaml", 2 * sim::kSecond, 2100 * sim::kMillisecond);
  REQUIRE(testing::well_formed_xml(d.svg));
  const auto rows = svg_rows(d.svg);
  CHECK(std::abs(rows.at("GIL").share(styles::kGilHeld.colour) - 0.10) <= 0.02);
  // At 0.1 ms a pixel, each 1 ms hold is a bar of its own: ten of them,
  // each of a few rectangles side by side (its edges cover part of a column).
  auto boxes = rows.at("GIL").boxes.at(styles::kGilHeld.colour);
  std::sort(boxes.begin(), boxes.end(), [](const auto& a, const auto& b) { return a.x < b.x; });
  int bars = 0;
  double reach = -1;
  for (const auto& b : boxes) {
    if (b.x > reach) ++bars;
    reach = std::max(reach, b.x + b.width);
  }
  CHECK(bars >= 10);
  CHECK(bars <= 11);
  for (const char* label : {">2s to 2.1s<", ">2s<", ">2.02s<", ">2.1s<"}) {
    INFO(label);
    CHECK(d.svg.find(label) != std::string::npos);
  }
}

TEST_CASE("SVG of a run: 200 asyncio tasks are one summary row, and the picture stays short") {
  const Drawn d = draw("asyncio_200_tasks.yaml");
  REQUIRE(testing::well_formed_xml(d.svg));
  const auto rows = svg_rows(d.svg);
  REQUIRE(rows.count("task \xC3\x97" "200") == 1);
  for (const auto& [name, row] : rows) CHECK(name.rfind("task fetch", 0) != 0);
  CHECK(testing::svg_height(d.svg) < 400);
  // The tasks run, one at a time, exactly when their loop runs Python for
  // them: the summary's Running share is the loop's Python over 200 tasks.
  const double wall = d.metrics.at("wall");
  const double running = rows.at("task \xC3\x97" "200").share(styles::kTask[2].colour);
  CHECK(running == doctest::Approx(d.metrics.at("threads.loop.python") / wall / 200).epsilon(0.1));
  // Every task is in some state from its start to its end.
  CHECK(rows.at("task \xC3\x97" "200").painted() > 0.5);
  CHECK(std::abs(rows.at("GIL").share(styles::kGilHeld.colour) - d.metrics.at("gil.held")) <= 0.005);
  // Ready (a task waiting for its loop) and Runnable (a thread waiting for a
  // core) are told apart.
  CHECK(std::string(styles::kTask[1].colour) != styles::kThread[3].colour);
}

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
