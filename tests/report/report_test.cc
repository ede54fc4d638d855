// The report: number formatting, JSON and CSV results, the terminal summary.
// Built on hand-made results, so these tests need no model run.
#include <doctest/doctest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <sstream>

#include "report/report.h"

namespace {

report::VariantRun make_run(const std::string& name, double wall) {
  report::VariantRun run;
  run.name = name;
  run.seed = 7;
  run.cores = 4;
  run.python = "3.12";
  run.time_limit = 3600 * sim::kSecond;
  run.result.metrics = {{"wall", wall}, {"gil.handoffs", 200}, {"cores.busy_avg", 1.0}};
  return run;
}

report::ScenarioResult make_result() {
  report::ScenarioResult r;
  r.file = "x.yaml";
  r.name = "tiny";
  r.description = "a \"quoted\" word";
  r.claim = "C2";
  r.seed = 7;
  r.runs.push_back(make_run("sequential", 1.0));
  r.runs.push_back(make_run("threads", 0.5));
  report::ExpectationResult holds;
  holds.text = "threads.wall < sequential.wall";
  holds.verdict = report::Verdict::Holds;
  holds.values = {{"threads.wall", 0.5}, {"sequential.wall", 1.0}};
  report::ExpectationResult skipped;
  skipped.text = "other.wall > 0";
  skipped.verdict = report::Verdict::Skipped;
  skipped.skipped_variant = "other";
  r.expectations = {holds, skipped};
  r.figures = {{"speed-up", "sequential.wall / threads.wall", 2.0}};
  return r;
}

}  // namespace

TEST_CASE("json_number: integers without decimals and the shortest round-trip otherwise") {
  CHECK(sim::json_number(0.0) == "0");
  CHECK(sim::json_number(-0.0) == "0");
  CHECK(sim::json_number(1600000.0) == "1600000");
  CHECK(sim::json_number(-42.0) == "-42");
  CHECK(sim::json_number(1e20) == "100000000000000000000");
  // Either side of the integer path's bound (9.2e18, below 2^63).
  CHECK(sim::json_number(9.1e18) == "9100000000000000000");
  CHECK(sim::json_number(-9.1e18) == "-9100000000000000000");
  CHECK(sim::json_number(9.3e18) == "9300000000000000000");
  CHECK(sim::json_number(0.1) == "0.1");
  CHECK(sim::json_number(1.5) == "1.5");
  CHECK(sim::json_number(std::numeric_limits<double>::quiet_NaN()) == "null");
  CHECK(sim::json_number(std::numeric_limits<double>::infinity()) == "null");
  CHECK(sim::json_number(-std::numeric_limits<double>::infinity()) == "null");
  for (double v : {1.0 / 3, 2.0 / 3, 1e-7, 1.2345678901234567e-300, 1.7976931348623157e308,
                   0.30000000000000004, 123456.789, 4.9e-324}) {
    std::string text = sim::json_number(v);
    CAPTURE(text);
    CHECK(std::strtod(text.c_str(), nullptr) == v);
    CHECK(text.find("inf") == std::string::npos);
  }
}

TEST_CASE("json_string: plain text copied whole, quotes, backslashes and control characters escaped") {
  CHECK(sim::json_string("threads.worker-1.cpu") == "\"threads.worker-1.cpu\"");
  CHECK(sim::json_string("") == "\"\"");
  CHECK(sim::json_string("a\"b\\c\n\t\x01") == "\"a\\\"b\\\\c\\n\\t\\u0001\"");
}

TEST_CASE("format_duration: three significant digits in an adaptive unit") {
  CHECK(report::format_duration(0) == "0 s");
  CHECK(report::format_duration(1.0) == "1.00 s");
  CHECK(report::format_duration(1.02) == "1.02 s");
  CHECK(report::format_duration(12.345) == "12.3 s");
  CHECK(report::format_duration(0.25) == "250 ms");
  CHECK(report::format_duration(0.0123) == "12.3 ms");
  CHECK(report::format_duration(12.3e-6) == "12.3 us");
  CHECK(report::format_duration(5e-9) == "5.00 ns");
  CHECK(report::format_duration(0.9997) == "1.00 s");      // not "1000 ms"
  CHECK(report::format_duration(999.7e-6) == "1.00 ms");   // not "1000 us"
  CHECK(report::format_duration(3600) == "3600 s");
}

TEST_CASE("format_value: integers plainly and other numbers with 4 significant digits") {
  CHECK(report::format_value(200) == "200");
  CHECK(report::format_value(1.02345) == "1.023");
  CHECK(report::format_value(0.0005) == "0.0005");
  CHECK(report::format_value(std::numeric_limits<double>::quiet_NaN()) == "nan");
}

TEST_CASE("results_json: the contract's object with keys in a stable order") {
  const char* expected = R"({
  "gilsim": ")" GILSIM_VERSION R"(",
  "scenario": "tiny",
  "file": "x.yaml",
  "description": "a \"quoted\" word",
  "claim": "C2",
  "seed": 7,
  "variants": {
    "sequential": {
      "seed": 7,
      "finished": true,
      "metrics": {
        "cores.busy_avg": 1,
        "gil.handoffs": 200,
        "wall": 1
      }
    },
    "threads": {
      "seed": 7,
      "finished": true,
      "metrics": {
        "cores.busy_avg": 1,
        "gil.handoffs": 200,
        "wall": 0.5
      }
    }
  },
  "expectations": [
    {"expr": "threads.wall < sequential.wall", "holds": true, "values": {"threads.wall": 0.5, "sequential.wall": 1}},
    {"expr": "other.wall > 0", "holds": null, "skipped": "variant other not run", "values": {}}
  ],
  "figures": [
    {"label": "speed-up", "expr": "sequential.wall / threads.wall", "value": 2}
  ]
}
)";
  CHECK(report::results_json(make_result()) == expected);
}

TEST_CASE("results_json: one scenario gives an object and several an array") {
  auto r = make_result();
  CHECK(report::results_json(std::vector<report::ScenarioResult>{r}).front() == '{');
  std::string two = report::results_json(std::vector<report::ScenarioResult>{r, r});
  CHECK(two.front() == '[');
  CHECK(two.find("\n  {\n    \"gilsim\"") != std::string::npos);
  CHECK(report::results_json_array({r}).front() == '[');
}

TEST_CASE("results_json: a run stopped at its time limit is not finished") {
  auto r = make_result();
  r.runs[1].result.hit_time_limit = true;
  CHECK(report::results_json(r).find("\"finished\": false") != std::string::npos);
  CHECK_FALSE(r.all_hold());
  CHECK(r.unfinished_variants() == std::vector<std::string>{"threads"});
}

TEST_CASE("results_csv: tidy rows") {
  auto r = make_result();
  r.runs.pop_back();
  r.runs[0].result.metrics["odd"] = std::numeric_limits<double>::quiet_NaN();
  CHECK(report::results_csv({r}) ==
        "scenario,variant,seed,metric,value\n"
        "tiny,sequential,7,cores.busy_avg,1\n"
        "tiny,sequential,7,gil.handoffs,200\n"
        "tiny,sequential,7,odd,nan\n"
        "tiny,sequential,7,wall,1\n");
}

TEST_CASE("expectation_line: a failed expectation shows the values it saw") {
  report::ExpectationResult e;
  e.text = "threads.wall >= 0.98 * sequential.wall";
  e.verdict = report::Verdict::Fails;
  e.values = {{"threads.wall", 0.5}, {"sequential.wall", 1.0}};
  report::Style plain;
  CHECK(report::expectation_line(e, plain) ==
        "FAIL threads.wall >= 0.98 * sequential.wall  (threads.wall = 0.5, sequential.wall = 1)");
  report::Style tty{true};
  CHECK(report::expectation_line(e, tty).find("\u2717") != std::string::npos);
  e.verdict = report::Verdict::Holds;
  CHECK(report::expectation_line(e, plain) == "ok threads.wall >= 0.98 * sequential.wall");
}

TEST_CASE("TextTable: columns align by code points and ignore colour escapes") {
  CHECK(report::display_width("\u2713 ok") == 4);
  CHECK(report::display_width("\033[32mok\033[0m") == 2);
  report::TextTable t({"name", "n"}, {report::TextTable::Align::Left, report::TextTable::Align::Right});
  t.add_row({"\u2713", "10"});
  t.add_row({"long name", "2\n3"});
  std::ostringstream out;
  t.print(out, report::Style{}, "  ");
  CHECK(out.str() ==
        "  name        n\n"
        "  \u2713          10\n"
        "  long name   2\n"
        "              3\n");
}

TEST_CASE("print_summary: variants and speed-up against the first and groups and figures and expectations") {
  auto r = make_result();
  for (auto& run : r.runs) {
    run.groups = {{"main", 1}, {"worker", 8}, {"pair", 2}};
    for (const char* owner : {"main", "worker", "pair_0", "pair_1"})
      run.result.metrics[std::string("threads.") + owner + ".cpu"] = 0.25;
  }
  std::ostringstream out;
  report::print_summary(out, r, report::Style{});
  std::string s = out.str();
  CAPTURE(s);
  CHECK(s.rfind("scenario tiny - a \"quoted\" word\n", 0) == 0);
  CHECK(s.find("x1.00 (baseline)") != std::string::npos);
  CHECK(s.find("x2.00") != std::string::npos);
  CHECK(s.find("worker (x8)") != std::string::npos);
  CHECK(s.find("worker_0") == std::string::npos);
  CHECK(s.find("pair_1") != std::string::npos);
  CHECK(s.find("speed-up = 2") != std::string::npos);
  CHECK(s.find("ok threads.wall < sequential.wall") != std::string::npos);
  CHECK(s.find("skipped (variant other not run)") != std::string::npos);
  CHECK(s.find("\033[") == std::string::npos);  // no colours off a terminal
}

TEST_CASE("print_summary: a server's variants get a requests table and no speed-up") {
  report::ScenarioResult r = make_result();
  r.runs[1].result.metrics.insert({{"requests.arrived", 1200},
                                   {"requests.p50", 0.0418},
                                   {"requests.p90", 0.0518},
                                   {"requests.p99", 0.0522},
                                   {"requests.max", 0.0621},
                                   {"requests.throughput", 38.7},
                                   {"requests.queue_max", 2}});
  std::ostringstream out;
  report::print_summary(out, r, report::Style{false});
  const std::string text = out.str();
  CHECK(text.find("requests  arrived      p50      p90      p99      max  throughput  queue (max)") !=
        std::string::npos);
  CHECK(text.find("threads      1200  41.8 ms  51.8 ms  52.2 ms  62.1 ms      38.7/s            2") !=
        std::string::npos);
  // Only the variant that served requests has a row; the wall time of a
  // server is the load's length, so no speed-up column.
  CHECK(text.find("sequential      ") == std::string::npos);
  CHECK(text.find("x1.00 (baseline)") == std::string::npos);

  CHECK(text.find("  variant       wall  busy cores  GIL hand-offs") != std::string::npos);
}

TEST_CASE("print_summary: a backlog that overflowed adds the dropped SYNs and the requests that failed") {
  report::ScenarioResult r = make_result();
  r.runs[1].result.metrics.insert({{"requests.arrived", 1200},
                                   {"requests.p50", 0.0418},
                                   {"requests.p90", 1.0518},
                                   {"requests.p99", 3.0522},
                                   {"requests.max", 7.0621},
                                   {"requests.throughput", 38.7},
                                   {"requests.queue_max", 128},
                                   {"requests.listen_overflows", 310},
                                   {"requests.connect_timeouts", 4},
                                   {"requests.failed", 4}});
  std::ostringstream out;
  report::print_summary(out, r, report::Style{false});
  const std::string text = out.str();
  CHECK(text.find("queue (max)  SYNs dropped  failed") != std::string::npos);
  CHECK(text.find("38.7/s          128           310       4") != std::string::npos);
  CHECK(text.find("goodput") == std::string::npos);  // no client timed out
  // None dropped: no such columns.
  r.runs[1].result.metrics["requests.listen_overflows"] = 0;
  std::ostringstream none;
  report::print_summary(none, r, report::Style{false});
  CHECK(none.str().find("SYNs dropped") == std::string::npos);
}

TEST_CASE("print_summary: clients that timed out add the goodput, the timeouts and the late responses") {
  report::ScenarioResult r = make_result();
  r.runs[1].result.metrics.insert({{"requests.arrived", 200},
                                   {"requests.p50", 0.2},
                                   {"requests.p90", 0.4},
                                   {"requests.p99", 0.49},
                                   {"requests.max", 0.5},
                                   {"requests.throughput", 16.6},
                                   {"requests.queue_max", 70},
                                   {"requests.goodput", 4.4},
                                   {"requests.timeouts", 468},
                                   {"requests.late_responses", 468},
                                   {"requests.failed", 156}});
  std::ostringstream out;
  report::print_summary(out, r, report::Style{false});
  const std::string text = out.str();
  CHECK(text.find("queue (max)  goodput  timeouts  late  failed") != std::string::npos);
  CHECK(text.find("16.6/s           70    4.4/s       468   468     156") != std::string::npos);
  CHECK(text.find("SYNs dropped") == std::string::npos);
}

TEST_CASE("print_summary: a loop's limit_concurrency reached adds the 503s") {
  report::ScenarioResult r = make_result();
  r.runs[1].result.metrics.insert({{"requests.arrived", 30},
                                   {"requests.p50", 0.1},
                                   {"requests.p90", 0.1},
                                   {"requests.p99", 0.1},
                                   {"requests.max", 0.1},
                                   {"requests.throughput", 10},
                                   {"requests.queue_max", 30},
                                   {"requests.rejected", 20},
                                   {"requests.failed", 20}});
  std::ostringstream out;
  report::print_summary(out, r, report::Style{false});
  const std::string text = out.str();
  CHECK(text.find("queue (max)  503s  failed") != std::string::npos);
  CHECK(text.find("10.0/s           30    20      20") != std::string::npos);
}
