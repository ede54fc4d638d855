// --trace-window and the size of a trace before it is written.
#include <doctest/doctest.h>

#include <string>

#include "app/trace_size.h"
#include "tests/app/cli_harness.h"

using namespace cli_harness;

TEST_CASE("parse_trace_window: FROM..TO durations, FROM before TO") {
  auto w = app::parse_trace_window("2s..2.1s");
  REQUIRE(w.ok());
  CHECK(w.value.from == 2 * sim::kSecond);
  CHECK(w.value.to == 2100 * sim::kMillisecond);
  // The same syntax as --svg-window (loader::parse_time_window), named by the option.
  CHECK(contains(app::parse_trace_window("2s").problem, "--trace-window: expected a window FROM..TO"));
  CHECK(contains(app::parse_trace_window("2..3s").problem, "--trace-window: the window's start"));
  CHECK(contains(app::parse_trace_window("3s..2s").problem, "its end must come after its start"));
  CHECK(contains(app::parse_trace_window("1s..1s").problem, "its end must come after its start"));
}

TEST_CASE("the estimate: events times bytes per event, scaled by the window's share of the run") {
  CHECK(app::estimated_trace_bytes(1000, sim::kSecond, std::nullopt) == 350000);
  const report::TraceWindow tenth{sim::kSecond / 2, sim::kSecond / 2 + sim::kSecond / 10};
  CHECK(app::estimated_trace_bytes(1000, sim::kSecond, tenth) == 35000);
  const report::TraceWindow after{2 * sim::kSecond, 3 * sim::kSecond};
  CHECK(app::estimated_trace_bytes(1000, sim::kSecond, after) == 0);
  CHECK(app::trace_too_large(1000000000, 1, "x", false).empty());
  const std::string w = app::trace_too_large(7300000000, 1, "scenario s, variant v", false);
  CHECK(contains(w, "the trace of scenario s, variant v would be about 7.3 GB, above the limit of 1 GB"));
  CHECK(contains(w, "--trace-window FROM..TO"));
  CHECK(contains(w, "--trace-limit GB"));
  CHECK(app::trace_too_large(7300000000, 10, "x", false).empty());
}

TEST_CASE("parse_trace_limit: a positive number of GB") {
  CHECK(app::parse_trace_limit("5").value == 5);
  CHECK(app::parse_trace_limit("0.5").value == 0.5);
  CHECK_FALSE(app::parse_trace_limit("0").ok());
  CHECK_FALSE(app::parse_trace_limit("-1").ok());
  CHECK_FALSE(app::parse_trace_limit("5GB").ok());
  CHECK_FALSE(app::parse_trace_limit("nan").ok());
}

namespace {

// Two CPU-bound threads on two cores, handing the GIL over every `interval`.
std::string two_threads(const TempDir& dir, const std::string& name, const std::string& interval,
                        const std::string& cpu) {
  return dir.write(name + ".yaml", "name: " + name + "\nmachine: {cores: 2}\nruntime: {switch_interval: " +
                                       interval + "}\nthreads:\n  - {name: w, count: 2, run: [cpu: " + cpu + "]}\n");
}

}  // namespace

TEST_CASE("run --trace-window: the trace holds that part of the run only, and is far smaller") {
  TempDir dir;
  const std::string file = two_threads(dir, "short", "1ms", "50ms");
  REQUIRE(gilsim({"run", file, "--trace", dir.file("whole.json")}).code == 0);
  auto part = gilsim({"run", file, "--trace", dir.file("part.json"), "--trace-window", "20ms..30ms"});
  REQUIRE(part.code == 0);
  const std::string whole = read(dir.file("whole.json"));
  const std::string window = read(dir.file("part.json"));
  CHECK(window.size() * 4 < whole.size());
  // Slices before the window are gone: the first drop request's timestamps (in
  // us: the 1 ms interval and the 50 us timer slack) are not in it.
  CHECK(contains(whole, "\"ts\":1050,"));
  CHECK_FALSE(contains(window, "\"ts\":1050,"));
  CHECK(contains(window, "\"ts\":20000,"));  // counters start at their level at FROM
  // The SVG has its own window: --trace-window alone does not choose what it shows.
  auto svg = gilsim({"run", file, "--svg", dir.file("part.svg"), "--trace-window", "20ms..30ms"});
  CHECK(svg.code == 2);
  CHECK(contains(svg.err, "--svg-window"));
}

TEST_CASE("run --trace-window: bad windows and misplaced options are usage errors") {
  TempDir dir;
  const std::string file = two_threads(dir, "long", "50us", "5s");
  auto reversed = gilsim({"run", file, "--trace", dir.file("t.json"), "--trace-window", "2s..1s"});
  CHECK(reversed.code == 2);
  CHECK(contains(reversed.err, "its end must come after its start"));
  CHECK_FALSE(fs::exists(dir.file("t.json")));
  auto alone = gilsim({"run", file, "--trace-window", "1s..2s"});
  CHECK(alone.code == 2);
  CHECK(contains(alone.err, "chooses what --trace PATH shows"));
  auto sweep = gilsim({"sweep", file, "--trace-window", "1s..2s"});
  CHECK(sweep.code == 2);
  CHECK(contains(sweep.err, "--trace-window applies to 'run'"));
}

TEST_CASE("run --trace: a run whose first events already pass the limit is refused without finishing it") {
  TempDir dir;
  // 10^4 simulated seconds of hand-offs every 50 us: hours to simulate whole.
  const std::string file = two_threads(dir, "huge", "50us", "10000s");
  auto refused = gilsim({"run", file, "--trace", dir.file("t.json"), "--trace-limit", "0.001"});
  CHECK(refused.code == 2);
  CHECK(contains(refused.err, "of the run alone: the whole run would write more"));
  CHECK_FALSE(fs::exists(dir.file("t.json")));
}

TEST_CASE("run --trace: a trace estimated above the limit is refused before anything is written") {
  TempDir dir;
  const std::string file = two_threads(dir, "small", "50us", "20ms");
  // ~800 hand-offs, some hundred kilobytes: above a limit of 10 KB.
  auto refused = gilsim({"run", file, "--trace", dir.file("t.json"), "--json", dir.file("r.json"),
                         "--trace-limit", "0.00001"});
  CHECK(refused.code == 2);
  CHECK(contains(refused.err, "the trace of scenario small, variant main would be about"));
  CHECK(contains(refused.err, "above the limit of 1e-05 GB"));
  CHECK_FALSE(fs::exists(dir.file("t.json")));
  CHECK_FALSE(fs::exists(dir.file("r.json")));
  // A window small enough passes under the same limit; the default limit passes the whole.
  auto part = gilsim({"run", file, "--trace", dir.file("p.json"), "--trace-window", "10ms..10.1ms",
                      "--trace-limit", "0.00001"});
  CHECK(part.code == 0);
  CHECK(gilsim({"run", file, "--trace", dir.file("t.json")}).code == 0);
  const std::uintmax_t size = fs::file_size(dir.file("t.json"));
  CHECK(size > 10000);  // the limit refused a trace that is indeed larger
  auto misplaced = gilsim({"run", file, "--trace-limit", "5"});
  CHECK(misplaced.code == 2);
  CHECK(contains(misplaced.err, "--trace-limit GB applies to 'run --trace PATH'"));
}
