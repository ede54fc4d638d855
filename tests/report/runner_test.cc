// The SVG timeline of whole runs (report::make_trace_sink): what each row is
// painted agrees with the run's own figures.
#include "report/runner.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <string>

#include "loader/scenario.h"
#include "models/trace_styles.h"
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
