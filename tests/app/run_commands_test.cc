// run --replications (the table, JSON and CSV of means and intervals) and
// --quiet for run, check, claims and sweep.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/app/cli_harness.h"

using namespace cli_harness;

namespace {

// Work drawn at random, so that the replications differ.
const char* kRandom = R"(name: random
threads:
  - name: main
    run:
      - cpu: {uniform: [1ms, 9ms]}
variants:
  one: {}
  two:
    threads:
      - name: main
        count: 2
        run:
          - cpu: {uniform: [1ms, 9ms]}
expect:
  - one.wall < two.wall
)";

}  // namespace

TEST_CASE("run --replications: JSON has the means, ci95 per metric and replications; CSV has three more columns") {
  TempDir dir;
  const std::string file = dir.write("r.yaml", kRandom);
  const auto o = gilsim({"run", file, "--replications", "5", "--json", dir.file("r.json"), "--csv", dir.file("r.csv")});
  CHECK(o.code == 0);
  const std::string json = read(dir.file("r.json"));
  CHECK(contains(json, "\"seed\": 1,\n  \"replications\": 5,\n  \"variants\""));
  CHECK(contains(json, "\"ci95\": {\n"));
  CHECK(contains(json, "\"wall\": ["));
  const std::string csv = read(dir.file("r.csv"));
  CHECK(csv.rfind("scenario,variant,seed,metric,value,replications,ci95_low,ci95_high\n", 0) == 0);
  CHECK(contains(csv, "\nrandom,one,1,wall,"));
  // The table: the intervals, and the setup line says what the numbers are.
  CHECK(contains(o.out, "5 replications (each variant's seed +0..+4): means"));
  CHECK(contains(o.out, "over 5 replications"));
  CHECK(contains(o.out, " +- "));
  // Times in milliseconds, as the other tables show them; counts without a unit.
  CHECK(contains(o.out, " ms  "));
  CHECK(contains(o.out, "ok one.wall < two.wall"));
  // Deterministic: the same command, the same bytes.
  CHECK(gilsim({"run", file, "--replications", "5", "--json", "-"}).out == json);
  // Without --replications: no interval anywhere.
  const auto single = gilsim({"run", file, "--json", "-"});
  CHECK_FALSE(contains(single.out, "ci95"));
  CHECK_FALSE(contains(single.out, "replications"));
}

TEST_CASE("run --replications: the interval is [low, high] around the mean in JSON and CSV alike") {
  TempDir dir;
  const std::string file = dir.write("r.yaml", kRandom);
  const auto o = gilsim({"run", file, "--variant", "one", "--replications", "3", "--csv", "-"});
  CHECK(o.code == 0);
  std::string row = o.out.substr(o.out.find("\nrandom,one,1,wall,") + 1);
  row = row.substr(0, row.find('\n'));
  std::vector<std::string> cells;
  for (std::size_t at = 0;;) {
    const auto comma = row.find(',', at);
    cells.push_back(row.substr(at, comma - at));
    if (comma == std::string::npos) break;
    at = comma + 1;
  }
  REQUIRE(cells.size() == 8);
  const double mean = std::stod(cells[4]), low = std::stod(cells[6]), high = std::stod(cells[7]);
  CHECK(cells[5] == "3");
  CHECK(low < mean);
  CHECK(mean < high);
  CHECK(mean - low == doctest::Approx(high - mean));
}

TEST_CASE("run --replications: usage errors") {
  TempDir dir;
  const std::string file = dir.write("r.yaml", kRandom);
  CHECK(contains(gilsim({"run", file, "--replications", "1"}).err, "run --replications wants 2 or more"));
  CHECK(contains(gilsim({"run", file, "--replications", "0"}).err, "--replications wants a whole number"));
  const auto traced = gilsim({"run", file, "--replications", "3", "--svg", dir.file("x.svg")});
  CHECK(traced.code == 2);
  CHECK(contains(traced.err, "--trace and --svg are of one run"));
  CHECK(contains(gilsim({"check", file, "--replications", "3"}).err, "--replications applies to 'run' and 'sweep'"));
  CHECK(dir.count() == 1);
}

TEST_CASE("--quiet: run, check and claims print no table; exit codes and files stay") {
  TempDir dir;
  const std::string file = dir.write("r.yaml", kRandom);
  const auto run = gilsim({"run", file, "--quiet", "--json", dir.file("r.json")});
  CHECK(run.code == 0);
  CHECK(run.out.empty());
  CHECK(run.err.empty());
  CHECK(contains(read(dir.file("r.json")), "\"scenario\": \"random\""));
  // Results to standard output stay there; only the table goes.
  const auto to_stdout = gilsim({"run", file, "--quiet", "--csv", "-"});
  CHECK(to_stdout.out.rfind("scenario,variant,seed,metric,value\n", 0) == 0);
  CHECK(to_stdout.err.empty());
  // A failed expectation is still exit 1.
  const std::string failing = dir.write("f.yaml", std::string(kRandom).replace(std::string(kRandom).find("one.wall <"), 10, "one.wall >"));
  const auto fails = gilsim({"run", failing, "--quiet"});
  CHECK(fails.code == 1);
  CHECK(fails.out.empty());
  const auto check = gilsim({"check", file, "--quiet"});
  CHECK(check.code == 0);
  CHECK(check.out.empty());
  // Bad input still says why, on standard error.
  const auto bad = gilsim({"check", dir.write("bad.yaml", "name: bad\nthreads: 3\n"), "--quiet"});
  CHECK(bad.code == 2);
  CHECK(contains(bad.err, "bad.yaml:2:"));
  const auto claims = gilsim({"claims", "--quiet"});
  CHECK(claims.code == 0);
  CHECK(claims.out.empty());
}

TEST_CASE("--quiet: sweep writes its results and prints neither summary nor table") {
  TempDir dir;
  const std::string file = std::string(GILSIM_SOURCE_DIR) + "/tests/sweeps/tiny.yaml";
  const std::string out = dir.file("out");
  const auto o = gilsim({"sweep", file, "--out", out, "--quiet", "--jobs", "1"});
  CHECK(o.code == 0);
  CHECK(o.out.empty());
  CHECK(o.err.empty());
  CHECK(contains(read(out + "/results.csv"), "scenario,variant,point,replication,seed"));
  const auto loud = gilsim({"sweep", file, "--out", out, "--jobs", "1"});
  CHECK(contains(loud.err, "resuming"));
}
