// `gilsim fit` (app/fit_command.cc) on the fixtures in tests/fits/: the fits
// recover the coefficients the fixtures were made with, and each kind of bad
// input is exit code 2 with a message that says where.
#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "tests/app/cli_harness.h"

using namespace cli_harness;

namespace {

std::string fixture(const std::string& name) {
  return std::string(GILSIM_SOURCE_DIR) + "/tests/fits/" + name;
}

// The number after `"key": ` in the JSON object of `group` and `model`.
double json_value(const std::string& json, const std::string& group, const std::string& model,
                  const std::string& key) {
  std::string head = "{\"group\": \"" + group + "\"";
  for (std::size_t at = json.find(head); at != std::string::npos; at = json.find(head, at + 1)) {
    std::size_t end = json.find('}', at);
    std::string obj = json.substr(at, end - at);
    if (!contains(obj, "\"model\": \"" + model + "\"")) continue;
    std::size_t k = obj.find("\"" + key + "\": ");
    REQUIRE(k != std::string::npos);
    return std::stod(obj.substr(k + key.size() + 4));
  }
  FAIL("no fit for " << group << " " << model);
  return 0;
}

}  // namespace

TEST_CASE("fit: the fixture's coefficients come back, per variant, from wall times") {
  // tests/fits/threads.csv: 1/wall = USL(λ 0.8, σ 0.05, κ 0.002) for
  // free_threaded and Amdahl(λ 1, σ 0.98) for gil, times (1 ± 0.004) over two
  // replications, printed to 6 digits.
  TempDir dir;
  std::string json = dir.file("fits.json");
  auto o = gilsim({"fit", fixture("threads.csv"), "--x", "threads.0.count", "--time", "wall", "--json", json});
  CHECK(o.code == 0);
  CHECK(o.err == "");
  CHECK(contains(o.out, "free_threaded"));
  CHECK(contains(o.out, "amdahl"));
  std::string j = read(json);
  CHECK(j.rfind("{\"fits\": [", 0) == 0);
  CHECK(json_value(j, "free_threaded", "usl", "lambda") == doctest::Approx(0.8).epsilon(1e-4));
  CHECK(std::abs(json_value(j, "free_threaded", "usl", "sigma") - 0.05) < 1e-4);
  CHECK(std::abs(json_value(j, "free_threaded", "usl", "kappa") - 0.002) < 1e-5);
  CHECK(json_value(j, "free_threaded", "usl", "points") == 10);
  CHECK(json_value(j, "free_threaded", "usl", "peak_n") == doctest::Approx(std::sqrt(0.95 / 0.002)).epsilon(1e-3));
  CHECK(std::abs(json_value(j, "gil", "amdahl", "sigma") - 0.98) < 1e-4);
  CHECK(contains(j, "\"y_kind\": \"time\""));
  CHECK(contains(j, "\"x\": \"threads.0.count\", \"y\": \"wall\""));
  // Amdahl has no peak: JSON has no infinity, so null.
  CHECK(contains(j, "\"model\": \"amdahl\", \"lambda\": "));
  CHECK(contains(j, "\"peak_n\": null"));
}

TEST_CASE("fit: --by groups by another column, and --json - writes JSON to standard output") {
  auto o = gilsim({"fit", fixture("threads.csv"), "--x", "threads.0.count", "--time", "wall", "--by", "scenario",
                   "--json", "-"});
  CHECK(o.code == 0);
  CHECK(contains(o.out, "{\"group\": \"c2-sweep\""));
  CHECK_FALSE(contains(o.out, "\"group\": \"gil\""));
  CHECK(contains(o.err, "fits of wall"));  // the table goes to standard error
}

TEST_CASE("fit: throughput columns are fitted as they are") {
  auto o = gilsim({"fit", fixture("latency.csv"), "--x", "clients.0.rate", "--throughput", "requests.throughput",
                   "--json", "-"});
  CHECK(o.code == 0);
  // throughput = rate × (1 − 0.001 r): near-linear, so σ and κ near 0.
  CHECK(json_value(o.out, "threads", "usl", "sigma") < 0.01);
  CHECK(json_value(o.out, "threads", "usl", "lambda") == doctest::Approx(1).epsilon(0.01));
}

TEST_CASE("fit: a fit with R^2 < 0.5 is flagged by a warning and in the JSON; a good one is not") {
  TempDir dir;
  const std::string csv = dir.write("flat.csv",
                                    "variant,workers,wall\n"
                                    "a,1,0.100\na,2,0.083\na,3,0.111\na,4,0.091\na,5,0.100\na,6,0.083\n");
  auto o = gilsim({"fit", csv, "--x", "workers", "--time", "wall", "--json", dir.file("f.json")});
  CHECK(o.code == 0);
  CHECK(contains(o.err, "gilsim: warning: " + csv + ": variant 'a', amdahl: R^2 = "));
  CHECK(contains(o.err, "< 0.5: the model explains little of these points' variation"));
  const std::string j = read(dir.file("f.json"));
  CHECK(contains(j, "\"poor_fit\": true"));
  CHECK_FALSE(contains(j, "e-16"));

  auto good = gilsim({"fit", fixture("threads.csv"), "--x", "threads.0.count", "--time", "wall", "--json", "-"});
  CHECK(good.code == 0);
  CHECK_FALSE(contains(good.err, "warning"));
  CHECK(contains(good.out, "\"poor_fit\": false"));
  CHECK_FALSE(contains(good.out, "\"poor_fit\": true"));
}

TEST_CASE("fit: bad input is exit code 2 with a message that says where") {
  TempDir dir;
  const std::string header = "scenario,variant,point,replication,seed,threads.0.count,wall\n";
  auto fit = [](const std::string& csv, std::vector<std::string> extra = {}) {
    std::vector<std::string> args = {"fit", csv, "--x", "threads.0.count", "--time", "wall"};
    args.insert(args.end(), extra.begin(), extra.end());
    return gilsim(args);
  };
  SUBCASE("a missing file") {
    auto o = fit(dir.file("nope.csv"));
    CHECK(o.code == 2);
    CHECK(contains(o.err, "nope.csv: error: cannot read the file"));
  }
  SUBCASE("an unknown column, with did-you-mean among the header's columns") {
    auto o = gilsim({"fit", fixture("threads.csv"), "--x", "threads.0.cont", "--time", "wall"});
    CHECK(o.code == 2);
    CHECK(contains(o.err, "threads.csv:1: error: --x: no column 'threads.0.cont' in the header; did you mean "
                          "'threads.0.count'?"));
    auto t = gilsim({"fit", fixture("threads.csv"), "--x", "threads.0.count", "--time", "wal"});
    CHECK(contains(t.err, "--time: no column 'wal' in the header; did you mean 'wall'?"));
    auto b = fit(fixture("threads.csv"), {"--by", "varaint"});
    CHECK(contains(b.err, "--by: no column 'varaint' in the header; did you mean 'variant'?"));
  }
  SUBCASE("a non-numeric cell, with file and line") {
    auto o = fit(dir.write("bad.csv", header + "s,v,0,0,1,1,1\ns,v,1,0,1,two,0.5\n"));
    CHECK(o.code == 2);
    CHECK(contains(o.err, "bad.csv:3: error: column 'threads.0.count': expected a number, found 'two'"));
    CHECK(contains(o.err, "s,v,1,0,1,two,0.5"));
  }
  SUBCASE("a non-positive or non-finite value, with file and line") {
    auto o = fit(dir.write("bad.csv", header + "s,v,0,0,1,1,nan\n"));
    CHECK(o.code == 2);
    CHECK(contains(o.err, "bad.csv:2: error: column 'wall': a fit needs a positive finite number, found nan"));
    auto z = fit(dir.write("zero.csv", header + "s,v,0,0,1,0,1\n"));
    CHECK(contains(z.err, "zero.csv:2: error: column 'threads.0.count': a fit needs a positive"));
  }
  SUBCASE("a malformed CSV line") {
    auto o = fit(dir.write("bad.csv", header + "s,v,0,0,1,1,1\ns,v,1,0,1,2\n"));
    CHECK(o.code == 2);
    CHECK(contains(o.err, "bad.csv:3: error: expected 7 fields as in the header, found 6"));
  }
  SUBCASE("too few distinct N in a group: the others are printed, no JSON is written") {
    std::string rows = "s,a,0,0,1,1,1\ns,a,1,0,1,2,0.5\ns,a,2,0,1,4,0.25\ns,b,0,0,1,1,1\ns,b,1,0,1,2,0.6\n";
    auto o = fit(dir.write("few.csv", header + rows), {"--json", dir.file("out.json")});
    CHECK(o.code == 2);
    CHECK(contains(o.err, "few.csv: variant 'b', usl: a fit needs at least 3 distinct N, got 2"));
    CHECK(contains(o.out, "\na "));
    CHECK_FALSE(fs::exists(dir.file("out.json")));
  }
  SUBCASE("no row has the metric") {
    auto o = fit(dir.write("empty.csv", header + "s,v,0,0,1,1,\n"));
    CHECK(o.code == 2);
    CHECK(contains(o.err, "no row has a value in column 'wall'"));
  }
  SUBCASE("usage") {
    CHECK(contains(gilsim({"fit"}).err, "'fit' takes exactly one CSV file"));
    CHECK(contains(gilsim({"fit", "a.csv"}).err, "'fit' needs --x COL"));
    CHECK(contains(gilsim({"fit", "a.csv", "--x", "n"}).err, "exactly one of --throughput COL and --time COL"));
    auto both = gilsim({"fit", "a.csv", "--x", "n", "--time", "t", "--throughput", "x"});
    CHECK(both.code == 2);
    CHECK(contains(both.err, "exactly one of --throughput COL and --time COL"));
    auto unknown = gilsim({"fit", "a.csv", "--x", "n", "--time", "t", "--trace", "x"});
    CHECK(unknown.code == 2);
    CHECK(contains(unknown.err, "unknown option"));
  }
  SUBCASE("an output path in a missing directory") {
    auto o = fit(fixture("threads.csv"), {"--json", dir.file("no/such/dir/fits.json")});
    CHECK(o.code == 2);
    CHECK(contains(o.err, "cannot write the fits"));
  }
}

TEST_CASE("fit: --help, and the main help lists the command") {
  auto h = gilsim({"fit", "--help"});
  CHECK(h.code == 0);
  CHECK(contains(h.out, "--throughput COL"));
  CHECK(contains(gilsim({"--help"}).out, "gilsim fit CSV --x COL"));
  CHECK(contains(gilsim({"fti"}).err, "did you mean 'fit'?"));
}
