// `gilsim saturation` (app/saturation_command.cc) on tests/fits/saturation.csv,
// whose servers have known capacities, and the `sweep.saturation` key on a
// simulated server of known capacity; each kind of bad input is exit code 2
// with a message that says where.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>

#include "tests/app/cli_harness.h"

using namespace cli_harness;
namespace fs = std::filesystem;

namespace {

std::string fixture() { return std::string(GILSIM_SOURCE_DIR) + "/tests/fits/saturation.csv"; }

// The object of `group` in the JSON's groups, as text.
std::string group_json(const std::string& json, const std::string& group) {
  const std::size_t at = json.find("{\"group\": \"" + group + "\"");
  REQUIRE(at != std::string::npos);
  return json.substr(at, json.find('\n', at) - at);
}

// The number after `"key": ` in `text`, from `from` on.
double value(const std::string& text, const std::string& key, std::size_t from = 0) {
  const std::size_t k = text.find("\"" + key + "\": ", from);
  REQUIRE(k != std::string::npos);
  return std::stod(text.substr(k + key.size() + 4));
}

// A server thread doing 10 ms of CPU per request: capacity 100/s. One load
// below it, one near it, two above.
const char* kServerSweep = R"(name: server-sweep
machine:
  cores: 2
requests:
  - name: api
    arrival: {poisson: 10/s}
    duration: 6s
    warmup: 1s
    run:
      - cpu: 10ms
threads:
  - name: web
    run: [serve: api]
sweep:
  axes:
    requests.0.arrival.poisson: [30/s, 90/s, 150/s, 300/s]
)";

}  // namespace

TEST_CASE("saturation: the fixture's capacities and where each server stops keeping up") {
  // tests/fits/saturation.csv: capacity 50/s (inline) and 250/s (hybrid);
  // offered = load x (1 + 0.01 r) for replication r, throughput = min(offered,
  // capacity); p99 = 20 ms / (1 - load/capacity) x (1 + 0.02 r) below it.
  TempDir dir;
  const std::string json = dir.file("saturation.json");
  auto o = gilsim({"saturation", fixture(), "--load", "requests.0.arrival.poisson", "--slo", "p99=200ms", "--json",
                   json});
  CHECK(o.code == 0);
  CHECK(o.err == "");
  CHECK(contains(o.out, "saturation of requests against requests.0.arrival.poisson, " + fixture() + "\n"));
  CHECK(contains(o.out, "variant  capacity  at load  at the highest      saturates at  p99 <= 200ms up to  loads  runs\n"));
  CHECK(contains(o.out, "inline         50       60              50    49.39 (45..60)       44.9 (40..45)      8    16\n"));
  const std::string j = read(json);
  CHECK(j.rfind("{\"saturation\": {\"load\": \"requests.0.arrival.poisson\", \"metrics\": \"requests\", "
                "\"served\": \"throughput\", \"tolerance\": 0.05, \"groups\": [",
                0) == 0);
  const std::string inline_server = group_json(j, "inline");
  CHECK(value(inline_server, "capacity") == 50);
  CHECK(value(inline_server, "capacity_load") == 60);
  CHECK(value(inline_server, "at_highest_load") == 50);
  CHECK(contains(inline_server, "\"saturates\": {\"where\": \"between\""));
  // The mean ratio throughput/offered is 1 at 45 and 50/60.3 at 60; 0.95 in between.
  const double ratio60 = 50 / 60.3;
  CHECK(value(inline_server, "at") == doctest::Approx(45 + 15 * 0.05 / (1 - ratio60)));
  CHECK(value(inline_server, "lo") == 45);
  CHECK(value(inline_server, "hi") == 60);
  // p99 at 40: 0.1 s x 1.01 (mean of the replications); at 45: 0.2 x 1.01.
  const std::size_t objective = inline_server.find("\"metric\": \"p99\"");
  REQUIRE(objective != std::string::npos);
  CHECK(value(inline_server, "limit", objective) == 0.2);
  CHECK(value(inline_server, "at", objective) == doctest::Approx(40 + 5 * (0.2 - 0.101) / (0.202 - 0.101)));
  const std::string hybrid = group_json(j, "hybrid");
  CHECK(value(hybrid, "capacity") == 250);
  CHECK(value(hybrid, "lo") == 200);
  CHECK(value(hybrid, "hi") == 300);
}

TEST_CASE("saturation: --json - to standard output, --by, --tolerance, and a range that never saturates") {
  auto o = gilsim({"saturation", fixture(), "--load", "requests.0.arrival.poisson", "--by", "scenario",
                   "--tolerance", "0.5", "--json", "-"});
  CHECK(o.code == 0);
  CHECK(contains(o.err, "saturation of requests"));  // the table goes to standard error
  CHECK(contains(o.out, "\"tolerance\": 0.5"));
  CHECK(contains(o.out, "{\"group\": \"server\""));
  CHECK_FALSE(contains(o.out, "\"group\": \"inline\""));
  // All the runs as one group: at 300/s the mean ratio is (50 + 250)/(2 x 301.5), just under 0.5.
  CHECK(contains(o.out, "\"lo\": 200, \"hi\": 300"));
  CHECK(contains(o.out, "\"objectives\": []"));

  // With a tolerance of 0.9 nobody falls below 10 % of the load: beyond the range.
  auto never = gilsim({"saturation", fixture(), "--load", "requests.0.arrival.poisson", "--tolerance", "0.9"});
  CHECK(never.code == 0);
  CHECK(contains(never.out, "inline         50       60              50         > 300"));
}

TEST_CASE("saturation: bad arguments and bad CSVs are exit code 2 and say what is wrong") {
  const std::string load = "requests.0.arrival.poisson";
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const Case cases[] = {
      {{"saturation", fixture()}, "'saturation' needs --load COL"},
      {{"saturation", "--load", load}, "takes exactly one CSV file"},
      {{"saturation", fixture(), fixture(), "--load", load}, "got 2"},
      {{"saturation", fixture(), "--load", "requests.0.arrival.poison"},
       ":1: error: --load: no column 'requests.0.arrival.poison' in the header; did you mean "
       "'requests.0.arrival.poisson'?"},
      {{"saturation", fixture(), "--load", load, "--metrics", "requests.api"},
       "--metrics: no column 'requests.api.offered'"},
      {{"saturation", fixture(), "--load", load, "--slo", "p90=1s"}, "--slo.p90: no column 'requests.p90'"},
      {{"saturation", fixture(), "--load", load, "--slo", "p99"}, "--slo p99: expected METRIC=DURATION"},
      {{"saturation", fixture(), "--load", load, "--slo", "p999=1s"}, "unknown latency metric 'p999'"},
      {{"saturation", fixture(), "--load", load, "--slo", "p99=200"}, "--slo p99=200: the limit: missing unit"},
      {{"saturation", fixture(), "--load", load, "--tolerance", "1"}, "--tolerance wants a fraction"},
      {{"saturation", fixture(), "--load", load, "--tolerance", "5%"}, "not '5%'"},
      {{"saturation", fixture(), "--load", load, "--by", "varient"}, "did you mean 'variant'?"},
      {{"saturation", "/nonexistent/x.csv", "--load", load}, "/nonexistent/x.csv"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.message);
    auto o = gilsim(c.args);
    CHECK(o.code == 2);
    CHECK(contains(o.err, c.message));
    CHECK(o.out == "");
  }
}

TEST_CASE("saturation: --goodput compares the responses to waiting clients with the offered load") {
  // A server that stays busy answering (throughput = offered) while, from
  // 40/s on, its clients have left (goodput 5/s).
  TempDir dir;
  const std::string csv = dir.write(
      "g.csv",
      "scenario,variant,point,replication,seed,rate,requests.offered,requests.throughput,requests.goodput\n"
      "s,a,0,0,1,20,20,20,20\ns,a,1,0,1,30,30,30,30\ns,a,2,0,1,40,40,40,5\ns,a,3,0,1,50,50,50,5\n");
  auto t = gilsim({"saturation", csv, "--load", "rate", "--json", "-"});
  CHECK(t.code == 0);
  CHECK(contains(t.out, "\"served\": \"throughput\""));
  CHECK(contains(t.out, "\"saturates\": {\"where\": \"beyond\""));
  auto g = gilsim({"saturation", csv, "--load", "rate", "--goodput", "--json", "-"});
  CHECK(g.code == 0);
  CHECK(contains(g.out, "\"served\": \"goodput\""));
  CHECK(contains(g.out, "\"capacity\": 30, \"capacity_load\": 30, \"at_highest_load\": 5,"));
  CHECK(contains(g.out, "\"lo\": 30, \"hi\": 40"));
  CHECK(contains(g.err, "saturation of requests (goodput) against rate"));
  // Without the column: did you mean.
  const std::string old = dir.write("old.csv", "scenario,variant,rate,requests.offered,requests.throughput\ns,a,1,1,1\n");
  auto m = gilsim({"saturation", old, "--load", "rate", "--goodput"});
  CHECK(m.code == 2);
  CHECK(contains(m.err, "--metrics: no column 'requests.goodput'"));
}

TEST_CASE("saturation: a group with one load, or a bad cell, is exit 2 and writes no JSON") {
  TempDir dir;
  const std::string head = "scenario,variant,point,replication,seed,rate,requests.offered,requests.throughput\n";
  const std::string one = dir.write("one.csv", head + "s,a,0,0,1,10,10,10\ns,b,0,0,1,10,10,10\ns,b,1,0,1,20,20,20\n");
  const std::string json = dir.file("out.json");
  auto o = gilsim({"saturation", one, "--load", "rate", "--json", json});
  CHECK(o.code == 2);
  CHECK(contains(o.err, "gilsim: " + one + ": variant 'a': needs at least 2 different loads, got 1\n"));
  CHECK(contains(o.out, "\nb  "));  // the groups that could be analysed are still shown
  CHECK_FALSE(fs::exists(json));

  const std::string bad = dir.write("bad.csv", head + "s,a,0,0,1,10,ten,10\n");
  auto b = gilsim({"saturation", bad, "--load", "rate"});
  CHECK(b.code == 2);
  CHECK(contains(b.err, bad + ":2: error: column 'requests.offered': expected a number, found 'ten'"));

  const std::string negative = dir.write("negative.csv", head + "s,a,0,0,1,-10,10,10\n");
  CHECK(contains(gilsim({"saturation", negative, "--load", "rate"}).err,
                 "column 'rate': the saturation analysis needs a finite number at least 0, found -10"));

  // A variant without requests (its offered cell is empty) is left out.
  const std::string none = dir.write("none.csv", head + "s,a,0,0,1,10,,\n");
  auto n = gilsim({"saturation", none, "--load", "rate"});
  CHECK(n.code == 2);
  CHECK(contains(n.err, "no row has a value in column 'requests.offered'"));
}

TEST_CASE("sweep.saturation: a server of capacity 100/s saturates near 100/s; saturation.json as the command's") {
  TempDir dir;
  const std::string file =
      dir.write("s.yaml", std::string(kServerSweep) + "  saturation: {load: requests.0.arrival.poisson, "
                                                      "slo: {p99: 100ms}}\n");
  const std::string out = dir.file("out");
  auto o = gilsim({"sweep", file, "--out", out});
  CHECK(o.code == 0);
  CHECK(contains(o.out, "saturation of requests against requests.0.arrival.poisson, " + out + "/results.csv\n"));
  const std::string j = read(out + "/saturation.json");
  const std::string web = group_json(j, "main");  // the one variant of a file without variants
  // 10 ms per request, nothing else on the thread: it keeps up at 90/s, and
  // at 150/s answers ~100/s: 0.95 is crossed just above 100.
  CHECK(value(web, "capacity") == doctest::Approx(100).epsilon(0.02));
  CHECK(value(web, "lo") == 90);
  CHECK(value(web, "hi") == 150);
  CHECK(value(web, "at") > 95);
  CHECK(value(web, "at") < 110);
  // M/D/1: at 30/s (utilisation 0.3) the mean wait is 2 ms and the p99 tens
  // of ms; at 90/s the mean wait is 45 ms and the p99 several times that.
  const std::size_t objective = web.find("\"metric\": \"p99\"");
  REQUIRE(objective != std::string::npos);
  CHECK(value(web, "lo", objective) == 30);
  CHECK(value(web, "hi", objective) == 90);

  auto direct = gilsim({"saturation", out + "/results.csv", "--load", "requests.0.arrival.poisson", "--slo",
                        "p99=100ms", "--json", "-"});
  CHECK(direct.code == 0);
  CHECK(direct.out == j);

  // Removing the analysis resumes the same sweep (whose results the
  // saturation.json it left still describes), and a shard says what to run.
  const std::string results = read(out + "/results.csv");
  dir.write("s.yaml", kServerSweep);
  auto again = gilsim({"sweep", file, "--out", out});
  CHECK(contains(again.err, "resuming: 4 of 4 points already done"));
  CHECK_FALSE(contains(again.out, "saturation of"));
  CHECK(read(out + "/results.csv") == results);
  dir.write("s.yaml", std::string(kServerSweep) + "  saturation:\n    load: requests.0.arrival.poisson\n"
                                                  "    slo: {p99: 100ms, p50: 20ms}\n    tolerance: 0.1\n"
                                                  "    goodput: true\n");
  auto shard = gilsim({"sweep", file, "--out", dir.file("shard"), "--shard", "2/2"});
  CHECK(shard.code == 0);
  CHECK(contains(shard.err, "gilsim: saturation not analysed (a shard holds part of the points): analyse the "
                            "merged CSV with gilsim saturation merged.csv --load requests.0.arrival.poisson "
                            "--slo p99=100ms --slo p50=20ms --goodput --tolerance 0.1\n"));
  CHECK_FALSE(fs::exists(dir.file("shard/saturation.json")));
}

TEST_CASE("sweep.saturation: the load must be an axis") {
  TempDir dir;
  const std::string file = dir.write(
      "s.yaml", std::string(kServerSweep) + "  saturation: {load: requests.0.arrival.poison}\n");
  auto o = gilsim({"sweep", file, "--out", dir.file("out")});
  CHECK(o.code == 2);
  CHECK(contains(o.err, file + ":17:22: error: sweep.saturation.load: 'requests.0.arrival.poison' is not an axis "
                               "of the sweep; did you mean 'requests.0.arrival.poisson'?"));
  CHECK_FALSE(fs::exists(dir.file("out")));
}

TEST_CASE("saturation: --help, and gilsim --help lists the command") {
  auto h = gilsim({"saturation", "--help"});
  CHECK(h.code == 0);
  CHECK(contains(h.out, "gilsim saturation CSV --load COL [--slo METRIC=DURATION]..."));
  CHECK(contains(h.out, "--tolerance F"));
  auto g = gilsim({"--help"});
  CHECK(g.code == 0);
  CHECK(contains(g.out, "  saturation\n           where each server of a load sweep's CSV saturates"));
}
