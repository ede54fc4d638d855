#include "sim/svg_timeline.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "tests/support/svg_reader.h"
#include "tests/support/temp_dir.h"

namespace fs = std::filesystem;

using testing::kSvgPlotWidth;
using testing::read_text;
using testing::svg_legend;
using testing::svg_rows;
using testing::TempDir;
using testing::well_formed_xml;

namespace {

constexpr sim::SliceStyle kA{"running", "#4caf50"};
constexpr sim::SliceStyle kB{"waiting", "#f44336"};
constexpr sim::SliceStyle kBlank{"done", nullptr};

}  // namespace

TEST_CASE("SvgTimeline: a 10 % holder paints 10 % of its row, in every column, not every column whole") {
  TempDir dir;
  {
    sim::SvgTimeline svg(dir.file("t.svg"), "duty");
    svg.track(1, 1, "GIL", 0);
    // 1 ms every 10 ms for 10 s: each pixel column (10.1 ms) holds one or two.
    for (sim::Time t = 0; t < 10 * sim::kSecond; t += 10 * sim::kMillisecond)
      svg.slice(1, t, t + sim::kMillisecond, kA);
    svg.finish(10 * sim::kSecond);
  }
  const std::string text = read_text(dir.file("t.svg"));
  REQUIRE(well_formed_xml(text));
  const auto rows = svg_rows(text);
  const auto& gil = rows.at("GIL");
  CHECK(gil.share("#4caf50") == doctest::Approx(0.10).epsilon(0.02 / 0.10));
  CHECK(std::abs(gil.share("#4caf50") - 0.10) <= 0.02);
  for (int x = 0; x < kSvgPlotWidth; x += 10) {
    INFO("columns " << x << " to " << x + 10);
    CHECK(gil.share("#4caf50", x, x + 10) >= 0.05);
    CHECK(gil.share("#4caf50", x, x + 10) <= 0.15);
  }
}

TEST_CASE("SvgTimeline: halves of a run draw as halves after many doublings") {
  TempDir dir;
  {
    sim::SvgTimeline svg(dir.file("t.svg"), "halves");
    svg.track(1, 1, "T1", 0);
    // Many short slices, so the buckets double ~33 times while they arrive.
    for (sim::Time t = 0; t < 5 * sim::kSecond; t += sim::kMillisecond)
      svg.slice(1, t, t + sim::kMillisecond, kA);
    svg.slice(1, 5 * sim::kSecond, 10 * sim::kSecond, kB);
    svg.finish(10 * sim::kSecond);
  }
  const std::string text = read_text(dir.file("t.svg"));
  REQUIRE(well_formed_xml(text));
  const auto rows = svg_rows(text);
  const auto& row = rows.at("T1");
  CHECK(row.share("#4caf50") == doctest::Approx(0.5).epsilon(0.005));
  CHECK(row.share("#f44336") == doctest::Approx(0.5).epsilon(0.005));
  CHECK(row.share("#4caf50", 0, kSvgPlotWidth / 2 - 1) == doctest::Approx(1.0));
  CHECK(row.share("#f44336", kSvgPlotWidth / 2 + 1, kSvgPlotWidth) == doctest::Approx(1.0));
  // A steady state is one rectangle, not one per column.
  CHECK(row.boxes.at("#f44336").size() <= 3);  // a run, and the columns either side of 5 s
}

TEST_CASE("SvgTimeline: an idle tail, a blank state, and a run shorter than the plot") {
  TempDir dir;
  {
    sim::SvgTimeline svg(dir.file("tail.svg"), "tail");
    svg.track(1, 1, "T1", 0);
    svg.slice(1, 0, sim::kSecond, kA);
    svg.slice(1, sim::kSecond, 2 * sim::kSecond, kBlank);  // no colour: no activity, left blank
    svg.finish(4 * sim::kSecond);  // nothing happens after the first second
  }
  std::string text = read_text(dir.file("tail.svg"));
  CHECK(svg_rows(text).at("T1").share("#4caf50") == doctest::Approx(0.25).epsilon(0.01));
  CHECK(svg_rows(text).at("T1").painted() == doctest::Approx(0.25).epsilon(0.01));
  CHECK(text.find(">done</text>") == std::string::npos);

  {
    // 100 ns over 990 pixels: buckets (1 ns) are wider than pixels.
    sim::SvgTimeline svg(dir.file("short.svg"), "short");
    svg.track(1, 1, "T1", 0);
    svg.slice(1, 0, 50, kA);
    svg.slice(1, 50, 100, kB);
    svg.finish(100);
  }
  const auto rows = svg_rows(read_text(dir.file("short.svg")));
  const auto& row = rows.at("T1");
  CHECK(row.share("#4caf50") == doctest::Approx(0.5).epsilon(0.01));
  CHECK(row.share("#f44336") == doctest::Approx(0.5).epsilon(0.01));
  CHECK(row.share("#4caf50", 0, kSvgPlotWidth / 2 - 10) == doctest::Approx(1.0));
}

TEST_CASE("SvgTimeline: a million slices do not grow the buckets") {
  TempDir dir;
  sim::SvgTimeline svg(dir.file("t.svg"), "many");
  svg.track(1, 1, "T1", 0);
  svg.track(2, 1, "T2", 1);
  CHECK(svg.bucket_count() == 0);  // rows pay for the styles they show, when shown
  svg.slice(1, 0, 500, kA);
  svg.slice(1, 500, 1000, kB);
  svg.slice(2, 0, 1000, kA);
  const std::size_t held = svg.bucket_count();
  CHECK(held == 3 * 2 * kSvgPlotWidth);
  for (sim::Time i = 1; i <= 1000000; ++i)
    svg.slice(1 + static_cast<sim::TrackId>(i % 2), i * 1000, i * 1000 + 1000, i % 3 ? kA : kB);
  CHECK(svg.bucket_count() == held + 2 * kSvgPlotWidth);  // T2 met its second style, nothing more
  CHECK(svg.bucket_width() >= (1000001000 + 2 * kSvgPlotWidth - 1) / (2 * kSvgPlotWidth));
  svg.finish(1000001000);
  CHECK(fs::file_size(dir.file("t.svg")) < 400000);
}

TEST_CASE("SvgTimeline: a window shows its span of the run, on the run's clock") {
  TempDir dir;
  sim::SvgOptions window;
  window.from = 2 * sim::kSecond;
  window.to = 3 * sim::kSecond;
  {
    sim::SvgTimeline svg(dir.file("w.svg"), "window", window);
    svg.track(1, 1, "T1", 0);
    svg.track(2, 1, "early", 1);
    svg.slice(2, 0, sim::kSecond, kA);  // before the window: its row is left out
    svg.slice(1, 0, 2500 * sim::kMillisecond, kA);
    svg.slice(1, 2500 * sim::kMillisecond, 10 * sim::kSecond, kB);
    svg.finish(10 * sim::kSecond);
  }
  const std::string text = read_text(dir.file("w.svg"));
  REQUIRE(well_formed_xml(text));
  const auto rows = svg_rows(text);
  CHECK(rows.count("early") == 0);
  CHECK(rows.at("T1").share("#4caf50") == doctest::Approx(0.5).epsilon(0.005));
  CHECK(rows.at("T1").share("#f44336") == doctest::Approx(0.5).epsilon(0.005));
  CHECK(rows.at("T1").share("#4caf50", 0, kSvgPlotWidth / 2 - 1) == doctest::Approx(1.0));
  for (const std::string label : {">2s to 3s<", ">2s<", ">2.2s<", ">2.4s<", ">3s<"}) {
    INFO(label);
    CHECK(text.find(label) != std::string::npos);
  }
  CHECK(text.find(">0<") == std::string::npos);
  CHECK(text.find(">3.2s<") == std::string::npos);

  // A window past the run's end is an empty picture, not a failure.
  {
    sim::SvgTimeline svg(dir.file("late.svg"), "late", window);
    svg.track(1, 1, "T1", 0);
    svg.slice(1, 0, sim::kSecond, kA);
    svg.finish(sim::kSecond);
  }
  CHECK(well_formed_xml(read_text(dir.file("late.svg"))));
  CHECK(svg_rows(read_text(dir.file("late.svg"))).empty());
  window.to = window.from;
  CHECK_THROWS_AS(sim::SvgTimeline(dir.file("x.svg"), "x", window), std::invalid_argument);
}

TEST_CASE("SvgTimeline: rows grouped by process in sort order, empty rows left out, title, axis") {
  TempDir dir;
  constexpr sim::SliceStyle kA2{"running", "#4caf50"};  // same style, another object
  {
    sim::SvgTimeline svg(dir.file("t.svg"), "GIL <demo> & co");
    svg.process(2, "Machine", 1);
    svg.process(1, "Interpreter", 0);
    svg.process(3, "clients", 2);
    svg.track(20, 2, "core 0", 0);
    svg.track(11, 1, "T2", 1);
    svg.track(10, 1, "T1", 0);
    svg.track(30, 9, "stray", 0);  // its process was never declared
    svg.track(12, 1, "a thread with a very long name indeed", 2);
    svg.track(40, 3, "requests", 0);  // never sliced (instants only)
    svg.slice(10, 0, sim::kMillisecond, kA);
    svg.slice(11, 0, sim::kMillisecond, kB);
    svg.slice(12, 0, sim::kMillisecond, kBlank);  // blank all along: left out
    svg.labelled_slice(20, 0, sim::kMillisecond, kA2, "T1");
    svg.slice(30, 0, sim::kMillisecond / 2, kB);
    svg.finish(1500 * sim::kMicrosecond);
  }
  const std::string text = read_text(dir.file("t.svg"));
  REQUIRE(well_formed_xml(text));
  CHECK(text.find(">GIL &lt;demo&gt; &amp; co</text>") != std::string::npos);
  const auto pos = [&](const std::string& s) {
    const auto p = text.find(">" + s + "</text>");
    INFO(s);
    CHECK(p != std::string::npos);
    return p;
  };
  CHECK(pos("Interpreter") < pos("T1"));
  CHECK(pos("T1") < pos("T2"));
  CHECK(pos("T2") < pos("Machine"));
  CHECK(pos("Machine") < pos("core 0"));
  CHECK(pos("core 0") < pos("process 9"));
  CHECK(pos("process 9") < pos("stray"));
  for (const char* gone : {"clients", "requests", "a thread with a very lon\xE2\x80\xA6"})
    CHECK(text.find(std::string(">") + gone + "</text>") == std::string::npos);
  // Axis in the run's unit: 1.5 ms in steps of 0.2 ms.
  for (const char* tick : {"0", "0.2ms", "0.4ms", "1.4ms", "0 to 1.5ms"}) pos(tick);
  CHECK(text.find(">1.6ms</text>") == std::string::npos);

  const auto rows = svg_rows(text);
  CHECK(rows.at("core 0").share("#4caf50") == doctest::Approx(2.0 / 3).epsilon(0.01));
  CHECK(rows.at("stray").share("#f44336") == doctest::Approx(1.0 / 3).epsilon(0.01));
}

TEST_CASE("SvgTimeline: the legend lists the styles drawn, in the given order, whatever came first") {
  TempDir dir;
  constexpr sim::SliceStyle kC{"context switch", "#000000"};
  sim::SvgOptions options;
  options.legend_order = {&kC, &kB, &kA};
  const auto draw = [&](const std::string& name, bool a_first) {
    sim::SvgTimeline svg(dir.file(name), "legend", options);
    svg.track(1, 1, "T1", 0);
    svg.track(2, 1, "T2", 1);
    if (a_first) svg.slice(1, 0, 10, kA);
    svg.slice(2, 0, 10, kB);
    if (!a_first) svg.slice(1, 0, 10, kA);
    svg.slice(2, 10, 20, kBlank);
    svg.finish(20);
  };
  draw("ab.svg", true);
  draw("ba.svg", false);
  const std::vector<std::pair<std::string, std::string>> expected = {{"waiting", "#f44336"}, {"running", "#4caf50"}};
  CHECK(svg_legend(read_text(dir.file("ab.svg"))) == expected);
  CHECK(svg_legend(read_text(dir.file("ba.svg"))) == expected);
}

TEST_CASE("SvgTimeline: a large group of rows is one summary row of shares") {
  TempDir dir;
  constexpr int kTasks = 200;
  {
    sim::SvgTimeline svg(dir.file("t.svg"), "tasks");
    svg.process(1, "python", 0);
    svg.track(1, 1, "loop", 0);
    for (int i = 0; i < kTasks; ++i) svg.track(100 + i, 1, "task t" + std::to_string(i), 1 + i);
    // Exactly as many worker threads as a group may have unsummarised.
    for (int i = 0; i < 12; ++i) svg.track(1000 + i, 1, "worker-" + std::to_string(i), 1000 + i);
    // One more than that: a summary row named by the group, without its separator.
    for (int i = 0; i < 13; ++i) svg.track(2000 + i, 1, "pool_" + std::to_string(i), 2000 + i);
    svg.slice(1, 0, sim::kSecond, kA);
    // A quarter of the tasks run all along, the rest wait half the time.
    for (int i = 0; i < kTasks; ++i) {
      if (i % 4 == 0) {
        svg.slice(100 + i, 0, sim::kSecond, kA);
      } else {
        svg.slice(100 + i, 0, sim::kSecond / 2, kB);
      }
    }
    for (int i = 0; i < 12; ++i) svg.slice(1000 + i, 0, sim::kSecond, kB);
    for (int i = 0; i < 13; ++i) svg.slice(2000 + i, 0, sim::kSecond, kA);
    CHECK(svg.bucket_count() == (1 + 2 + 12 + 1) * 2 * static_cast<std::size_t>(kSvgPlotWidth));
    svg.finish(sim::kSecond);
  }
  const std::string text = read_text(dir.file("t.svg"));
  REQUIRE(well_formed_xml(text));
  const auto rows = svg_rows(text);
  CHECK(rows.size() == 1 + 1 + 12 + 1);
  CHECK(rows.at("pool \xC3\x97" "13").share("#4caf50") == doctest::Approx(1.0));
  const auto& tasks = rows.at("task \xC3\x97" "200");
  CHECK(tasks.share("#4caf50") == doctest::Approx(0.25).epsilon(0.01));
  CHECK(tasks.share("#f44336") == doctest::Approx(0.75 / 2).epsilon(0.01));
  CHECK(rows.at("worker-11").share("#f44336") == doctest::Approx(1.0));
  CHECK(rows.at("loop").y < tasks.y);
  CHECK(tasks.y < rows.at("worker-0").y);
  CHECK(testing::svg_height(text) < 500);  // 15 rows; the 213 tracks as rows would be ~4,300 px
}

TEST_CASE("SvgTimeline: styles beyond the limit are drawn as other") {
  TempDir dir;
  static std::vector<std::string> names;
  static std::vector<sim::SliceStyle> styles;
  names.clear();
  for (int i = 0; i < sim::SvgTimeline::kMaxStyles + 2; ++i) names.push_back(std::to_string(i).insert(0, 1, 's'));
  styles.clear();
  for (const std::string& n : names) styles.push_back(sim::SliceStyle{n.c_str(), "#123456"});
  {
    sim::SvgTimeline svg(dir.file("t.svg"), "styles");
    svg.track(1, 1, "T1", 0);
    for (std::size_t i = 0; i < styles.size(); ++i)
      svg.slice(1, static_cast<sim::Time>(i) * 1000, static_cast<sim::Time>(i + 1) * 1000, styles[i]);
    svg.track(2, 1, "T2", 1);
    svg.slice(2, 0, 1000, styles.back());
    svg.finish(static_cast<sim::Time>(styles.size()) * 1000);
  }
  const std::string text = read_text(dir.file("t.svg"));
  CHECK(well_formed_xml(text));
  CHECK(text.find(">s15</text>") != std::string::npos);
  CHECK(text.find(">s16</text>") == std::string::npos);
  CHECK(text.find(">other</text>") != std::string::npos);
  const auto rows = svg_rows(text);
  CHECK(rows.at("T2").share("#9e9e9e") == doctest::Approx(1.0 / styles.size()).epsilon(0.01));
  CHECK(rows.at("T1").share("#9e9e9e") == doctest::Approx(2.0 / styles.size()).epsilon(0.01));
  CHECK(rows.at("T1").painted() == doctest::Approx(1.0));
}

TEST_CASE("SvgTimeline: deterministic, atomic, and strict about undeclared tracks") {
  TempDir dir;
  const auto draw = [](sim::SvgTimeline& svg) {
    svg.process(1, "P", 0);
    svg.track(1, 1, "T1", 0);
    for (sim::Time t = 0; t < 1000000; t += 700) svg.slice(1, t, t + 300, t % 1400 ? kA : kB);
    svg.finish(1000000);
  };
  {
    sim::SvgTimeline a(dir.file("a.svg"), "x");
    draw(a);
    sim::SvgTimeline b(dir.file("b.svg"), "x");
    draw(b);
  }
  CHECK(read_text(dir.file("a.svg")) == read_text(dir.file("b.svg")));

  {
    sim::SvgTimeline svg(dir.file("c.svg"), "x");
    svg.track(1, 1, "T1", 0);
    CHECK_THROWS_AS(svg.slice(2, 0, 1, kA), std::logic_error);
    svg.slice(1, 0, 10, kA);
  }  // never finished
  CHECK_FALSE(fs::exists(dir.file("c.svg")));
  CHECK(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()) == 2);
  sim::SvgOptions narrow;
  narrow.width = 100;
  CHECK_THROWS_AS(sim::SvgTimeline(dir.file("t.svg"), "x", narrow), std::invalid_argument);
  CHECK_THROWS_AS(sim::SvgTimeline((dir.path() / "missing" / "t.svg").string(), "x"), std::runtime_error);
}
