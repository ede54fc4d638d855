// The command line, in-process: arguments, exit codes, what goes to which
// stream, and output files that appear whole or not at all.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "tests/app/cli_harness.h"

namespace fs = std::filesystem;
using namespace cli_harness;

namespace {

// Two variants of a tiny CPU-bound workload: runs in microseconds of real time.
const char* kTiny = R"(name: tiny
description: two threads against one
machine:
  cores: 2
threads:
  - name: worker
    count: 2
    run:
      - cpu: 1ms
variants:
  one:
    threads:
      - name: worker
        run:
          - cpu: 2ms
  two: {}
expect:
  - two.wall >= 0.9 * one.wall
figures:
  - label: speed-up
    expr: one.wall / two.wall
)";

}  // namespace

TEST_CASE("--version and --help") {
  auto v = gilsim({"--version"});
  CHECK(v.code == 0);
  CHECK(v.out == "gilsim " GILSIM_VERSION "\n");

  auto h = gilsim({"--help"});
  CHECK(h.code == 0);
  CHECK(contains(h.out, "gilsim run FILE..."));
  CHECK(contains(h.out, "out.threads.json"));
  CHECK(contains(h.out, "Exit codes"));
  CHECK(gilsim({"run", "--help"}).code == 0);
}

TEST_CASE("usage errors exit 2 with a hint") {
  auto o = gilsim({"run", "--sede", "3", "x.yaml"});
  CHECK(o.code == 2);
  CHECK(contains(o.err, "unknown option '--sede'"));
  CHECK(contains(o.err, "did you mean '--seed'?"));
  CHECK(contains(o.err, "gilsim run --help"));  // the command's own help

  auto c = gilsim({"rn", "x.yaml"});
  CHECK(c.code == 2);
  CHECK(contains(c.err, "unknown command 'rn'; did you mean 'run'?"));

  auto f = gilsim({"x.yaml"});
  CHECK(f.code == 2);
  CHECK(contains(f.err, "gilsim run x.yaml"));

  CHECK(gilsim({"run"}).code == 2);
  CHECK(gilsim({"check"}).code == 2);
  CHECK(gilsim({"claims", "x.yaml"}).code == 2);
  CHECK(gilsim({"claims", "--trace", "t.json"}).code == 2);
  CHECK(gilsim({"check", "x.yaml", "--json", "r.json"}).code == 2);
  CHECK(gilsim({"run", "x.yaml", "--seed"}).code == 2);
  CHECK(gilsim({"run", "x.yaml", "--json", "-", "--csv", "-"}).code == 2);
  CHECK(gilsim({"run", "x.yaml", "--json", ""}).code == 2);
  // Abbreviations are not guessed.
  CHECK(gilsim({"run", "x.yaml", "--se", "3"}).code == 2);
}

TEST_CASE("--seed must be a whole number") {
  for (const char* bad : {"abc", "-1", "1.5", "18446744073709551616", "=1"}) {
    CAPTURE(bad);
    auto o = gilsim({"run", "x.yaml", std::string("--seed=") + bad});
    CHECK(o.code == 2);
    CHECK(contains(o.err, "--seed"));
  }
}

TEST_CASE("a missing file is bad input and every missing file is named") {
  auto o = gilsim({"run", "/nonexistent/a.yaml", "/nonexistent/b.yaml"});
  CHECK(o.code == 2);
  CHECK(contains(o.err, "/nonexistent/a.yaml: no such file"));
  CHECK(contains(o.err, "/nonexistent/b.yaml: no such file"));
  TempDir dir;
  CHECK(gilsim({"check", dir.file("")}).code == 2);  // a directory
}

TEST_CASE("a scenario that does not load: exit 2 and no results file") {
  TempDir dir;
  std::string bad = dir.write("bad.yaml", "name: bad\nthreads:\n  - name: w\n    run:\n      - cpu: 5\n");
  std::string json = dir.file("out.json");
  auto o = gilsim({"run", bad, "--json", json, "--csv", dir.file("out.csv")});
  CHECK(o.code == 2);
  CHECK(contains(o.err, "bad.yaml:"));
  CHECK(dir.entries() == std::vector<std::string>{"bad.yaml"});  // no output, no temporaries
}

TEST_CASE("a results path in a missing directory: exit 2 before running") {
  TempDir dir;
  std::string tiny = dir.write("tiny.yaml", kTiny);
  auto o = gilsim({"run", tiny, "--json", dir.file("no/such/dir/out.json")});
  CHECK(o.code == 2);
  CHECK(contains(o.err, "cannot write"));
  CHECK(o.out.empty());
}

TEST_CASE("check: validates without running") {
  TempDir dir;
  std::string tiny = dir.write("tiny.yaml", kTiny);
  auto o = gilsim({"check", tiny});
  CHECK(o.code == 0);
  CHECK(contains(o.out, "ok"));
  CHECK(contains(o.out, "variants: one, two"));
}

TEST_CASE("check: a file with sweep axes has every point of its sweep validated") {
  TempDir dir;
  const std::string good = dir.write("good.yaml", std::string(kTiny) + "sweep:\n  axes:\n    seed: [1]\n");
  // `seed` cannot be swept: an error before any point loads.
  auto seed = gilsim({"check", good});
  CHECK(seed.code == 2);
  CHECK(contains(seed.err, "cannot be swept"));
  const std::string swept = dir.write(
      "swept.yaml", "name: s\nmachine: {cores: 2}\nthreads:\n  - {name: m, run: [cpu: 1ms]}\n"
                    "sweep:\n  axes:\n    machine.cores: 1..3\n    threads.0.count: [1, 2]\n");
  auto ok = gilsim({"check", swept});
  CHECK(ok.code == 0);
  CHECK(contains(ok.out, "; sweep: 6 points, each valid\n"));
  const std::string bad = dir.write(
      "bad.yaml", "name: s\nmachine: {cores: 2}\nthreads:\n  - {name: m, run: [cpu: 1ms]}\n"
                  "sweep:\n  axes:\n    machine.cores: [1, 2000]\n");
  auto b = gilsim({"check", bad, swept});
  CHECK(b.code == 2);
  CHECK(contains(b.err, "at point 1 of the sweep (machine.cores=2000)"));
  CHECK(contains(b.out, swept + ": ok"));  // the other file is still checked
  CHECK_FALSE(contains(b.out, bad + ": ok"));
}

TEST_CASE("--variant: an unknown name is exit 2 with did-you-mean") {
  TempDir dir;
  std::string tiny = dir.write("tiny.yaml", kTiny);
  auto o = gilsim({"run", tiny, "--variant", "tow"});
  CHECK(o.code == 2);
  CHECK(contains(o.err, "unknown variant 'tow'; did you mean 'two'?"));
  CHECK(gilsim({"check", tiny, "--variant", "tow"}).code == 2);
}

TEST_CASE("run: summary with figures and expectations and deterministic JSON results") {
  TempDir dir;
  std::string tiny = dir.write("tiny.yaml", kTiny);
  std::string a = dir.file("a.json"), b = dir.file("b.json");
  auto first = gilsim({"run", tiny, "--json", a});
  CHECK(first.code == 0);
  CHECK(contains(first.out, "scenario tiny - two threads against one"));
  CHECK(contains(first.out, "x1.00 (baseline)"));
  CHECK(contains(first.out, "speed-up = "));
  CHECK(contains(first.out, "ok two.wall >= 0.9 * one.wall"));
  auto second = gilsim({"run", tiny, "--json", b});
  CHECK(second.code == 0);
  std::string json = read(a);
  CHECK(json == read(b));
  CHECK(json.rfind("{\n  \"gilsim\": \"" GILSIM_VERSION "\",\n  \"scenario\": \"tiny\",", 0) == 0);
  CHECK(contains(json, "\"seed\": 1,"));
  CHECK(contains(json, "\"variants\": {\n    \"one\": {"));
  CHECK(contains(json, "\"gil.handoffs\": "));
  CHECK(contains(json, "\"threads.worker_1.cpu\": "));
  CHECK(contains(json, "{\"expr\": \"two.wall >= 0.9 * one.wall\", \"holds\": true, \"values\": {\"two.wall\": "));
  CHECK(contains(json, "\"figures\": [\n    {\"label\": \"speed-up\""));
  CHECK_FALSE(contains(json, "e+"));  // integers such as event counts without exponent
}

TEST_CASE("run: --seed is recorded and --json - writes JSON to stdout with the summary on stderr") {
  TempDir dir;
  std::string tiny = dir.write("tiny.yaml", kTiny);
  auto o = gilsim({"run", tiny, "--seed", "42", "--json", "-"});
  CHECK(o.code == 0);
  CHECK(o.out.rfind("{\n  \"gilsim\"", 0) == 0);
  CHECK(contains(o.out, "\"seed\": 42,"));
  CHECK(contains(o.err, "scenario tiny"));
}

TEST_CASE("run: CSV results and several files give a JSON array") {
  TempDir dir;
  std::string tiny = dir.write("tiny.yaml", kTiny);
  std::string other = dir.write("other.yaml", std::string(kTiny).replace(6, 4, "tin2"));
  auto o = gilsim({"run", tiny, other, "--csv", "-", "--json", dir.file("r.json")});
  CHECK(o.code == 0);
  CHECK(o.out.rfind("scenario,variant,seed,metric,value\ntiny,one,1,", 0) == 0);
  CHECK(contains(o.out, "\ntin2,two,1,wall,"));
  CHECK(read(dir.file("r.json")).rfind("[\n  {\n", 0) == 0);
}

TEST_CASE("run: a failed expectation exits 1 and prints the values it saw") {
  TempDir dir;
  std::string text = kTiny;
  text.replace(text.find("expect:\n"), 8, "expect:\n  - one.wall > 100\n");
  std::string f = dir.write("fails.yaml", text);
  std::string json = dir.file("r.json");
  auto o = gilsim({"run", f, "--json", json});
  CHECK(o.code == 1);
  CHECK(contains(o.out, "FAIL one.wall > 100  (one.wall = "));
  CHECK(contains(read(json), "\"holds\": false"));  // results are written for a failed check
}

TEST_CASE("run: --variant skips the expectations of variants not run") {
  TempDir dir;
  std::string tiny = dir.write("tiny.yaml", kTiny);
  auto o = gilsim({"run", tiny, "--variant", "two"});
  CHECK(o.code == 0);
  CHECK(contains(o.out, "skipped (variant one not run)"));
  CHECK_FALSE(contains(o.out, "x1.00 (baseline)"));  // a single variant has no speed-up column
}

TEST_CASE("run: --svg-window draws only that span, and is refused when malformed or without --svg") {
  TempDir dir;
  std::string tiny = dir.write("tiny.yaml", kTiny);
  auto o = gilsim({"run", tiny, "--variant", "one", "--svg", dir.file("w.svg"), "--svg-window", "0..1ms"});
  CHECK(o.code == 0);
  CHECK(contains(read(dir.file("w.svg")), ">0 to 1ms</text>"));
  auto reversed = gilsim({"run", tiny, "--svg", dir.file("r.svg"), "--svg-window", "2ms..1ms"});
  CHECK(reversed.code == 2);
  CHECK(contains(reversed.err, "--svg-window: the window '2ms..1ms' is empty"));
  auto no_unit = gilsim({"run", tiny, "--svg", dir.file("r.svg"), "--svg-window", "1..2ms"});
  CHECK(no_unit.code == 2);
  CHECK(contains(no_unit.err, "the window's start: missing unit in '1'"));
  auto alone = gilsim({"run", tiny, "--svg-window", "0..1ms"});
  CHECK(alone.code == 2);
  CHECK(contains(alone.err, "--svg-window applies to the picture of 'run --svg PATH'"));
  CHECK_FALSE(fs::exists(dir.file("r.svg")));
}

TEST_CASE("run: traces one per variant or exactly PATH for one run") {
  TempDir dir;
  std::string tiny = dir.write("tiny.yaml", kTiny);
  auto all = gilsim({"run", tiny, "--trace", dir.file("t.json"), "--svg", dir.file("t.svg")});
  CHECK(all.code == 0);
  CHECK(dir.entries() ==
        std::vector<std::string>{"t.one.json", "t.one.svg", "t.two.json", "t.two.svg", "tiny.yaml"});
  CHECK(read(dir.file("t.one.json")).find("traceEvents") != std::string::npos);

  TempDir single;
  std::string tiny2 = single.write("tiny.yaml", kTiny);
  auto one = gilsim({"run", tiny2, "--variant", "two", "--trace", single.file("t.json")});
  CHECK(one.code == 0);
  CHECK(single.entries() == std::vector<std::string>{"t.json", "tiny.yaml"});

  // Standard output takes one run only.
  CHECK(gilsim({"run", tiny, "--trace", "-"}).code == 2);
}

TEST_CASE("run: a run stopped at its time limit exits 1 and says so") {
  TempDir dir;
  // 400000 x 10 ms = 4000 s of work, beyond the default time limit of 1 h.
  std::string f = dir.write("long.yaml",
                            "name: long\nthreads:\n  - name: main\n    run:\n"
                            "      - repeat: 400000\n        run:\n          - cpu: 10ms\n");
  auto o = gilsim({"run", f, "--json", dir.file("r.json")});
  CHECK(o.code == 1);
  CHECK(contains(o.out, "variant main did not finish within time_limit"));
  CHECK(contains(read(dir.file("r.json")), "\"finished\": false"));
}

TEST_CASE("no command is the claims table with every claim listed") {
  auto o = gilsim({});
  CHECK((o.code == 0 || o.code == 1));  // whether every claim holds is the model's business
  for (int i = 1; i <= 12; ++i) CHECK(contains(o.out, "\nC" + std::to_string(i) + " "));
  CHECK(contains(o.out, "claims modelled"));
  CHECK(gilsim({"claims"}).out == o.out);  // deterministic, and the same command
}

TEST_CASE("run: the same scenario and seed give byte-identical JSON, trace and SVG, another seed does not") {
  // Random durations and a random GIL wake policy: every random stream is used.
  const char* random_scenario = R"(name: random-mix
machine:
  cores: 2
runtime:
  switch_interval: 200us
  wake: random
threads:
  - name: worker
    count: 3
    run:
      - repeat: 20
        run:
          - cpu: {exp: 300us}
          - io: {lognormal: {median: 100us, sigma: 0.5}}
          - native: {uniform: [10us, 50us]}
          - sleep: {choice: [[0.9, 10us], [0.1, 1ms]]}
          - cpu: {normal: {mean: 50us, sd: 20us}}
)";
  TempDir dir;
  std::string file = dir.write("random.yaml", random_scenario);
  auto run = [&](const std::string& tag, const std::string& seed) {
    auto o = gilsim({"run", file, "--seed", seed, "--json", dir.file(tag + ".json"), "--trace",
                     dir.file(tag + ".trace.json"), "--svg", dir.file(tag + ".svg")});
    REQUIRE(o.code == 0);
  };
  run("a", "7");
  run("b", "7");
  run("c", "8");
  for (const char* ext : {".json", ".trace.json", ".svg"}) {
    const std::string a = read(dir.file(std::string("a") + ext));
    CHECK(a.size() > 100);
    CHECK(a == read(dir.file(std::string("b") + ext)));
  }
  CHECK(read(dir.file("a.trace.json")) != read(dir.file("c.trace.json")));
}

// --- sweep and merge -------------------------------------------------------

namespace {

// Two points of a tiny scenario; its expectation fails, which a sweep ignores.
const char* kSweepTiny = R"(name: sweep-tiny
machine:
  cores: 2
runtime:
  switch_interval: 5ms
threads:
  - name: w
    count: 2
    run: [cpu: 1ms]
expect:
  - main.wall < 0
sweep:
  axes:
    runtime.switch_interval: [1ms, 5ms]
)";

}  // namespace

TEST_CASE("sweep: writes the state directory and the results, and resumes") {
  TempDir dir;
  const std::string file = dir.write("s.yaml", kSweepTiny);
  const std::string out = dir.file("out");
  auto o = gilsim({"sweep", file, "--out", out, "--csv", dir.file("copy.csv"), "--jobs", "2"});
  CHECK(o.code == 0);  // the failing expectation is not evaluated
  CHECK(contains(o.err, "sweep: 2 points x 1 replication x 1 variant, 2 run now"));
  CHECK(fs::exists(out + "/manifest.json"));
  CHECK(fs::exists(out + "/points/000001.json"));
  CHECK(fs::exists(out + "/results.json"));
  CHECK(read(out + "/results.csv") == read(dir.file("copy.csv")));
  CHECK(read(out + "/results.csv").rfind("scenario,variant,point,replication,seed,runtime.switch_interval,", 0) == 0);

  auto again = gilsim({"sweep", file, "--out", out, "--json", "-"});
  CHECK(again.code == 0);
  CHECK(contains(again.err, "resuming: 2 of 2 points already done"));
  CHECK(again.out == read(out + "/results.json"));

  auto other = gilsim({"sweep", file, "--out", out, "--replications", "2"});
  CHECK(other.code == 2);
  CHECK(contains(other.err, "holds another sweep (replications: 1 there, 2 here); pick another --out DIR"));
}

TEST_CASE("sweep: usage errors exit 2") {
  TempDir dir;
  const std::string file = dir.write("s.yaml", kSweepTiny);
  struct Case {
    std::vector<std::string> args;
    const char* message;
  };
  for (const Case& c : {
           Case{{"sweep"}, "'sweep' needs at least one scenario FILE"},
           Case{{"sweep", "machine.cores=2", file}, "needs the scenario FILE first"},
           Case{{"sweep", file, "cores"}, "'cores' is not an axis: write PATH=VALUES"},
           Case{{"sweep", file, "machine.cores=3..1"}, "the range '3..1' is empty"},
           Case{{"sweep", file, "--shard", "0/3"}, "K must be from 1 to N"},
           Case{{"sweep", file, "--shard", "two"}, "--shard wants K/N"},
           Case{{"sweep", file, "--jobs", "0"}, "--jobs wants a whole number from 1"},
           Case{{"sweep", file, "--replications", "x"}, "--replications wants a whole number"},
           Case{{"sweep", file, "--trace", "t.json"}, "--trace and --svg apply to 'run'"},
           Case{{"run", file, "--jobs", "2"}, "apply to 'sweep'"},
           Case{{"sweep", file, "--variant", "mian"}, "unknown variant 'mian'; did you mean 'main'?"},
           Case{{"sweep", dir.file("none.yaml")}, "none.yaml: no such file"},
           Case{{"merge", dir.file("d")}, "'merge' writes the results to --csv PATH and/or --json PATH"},
           Case{{"merge", dir.file("d"), "--csv", "-", "--seed", "2"}, "--seed and --variant apply to 'sweep'"},
           Case{{"merge", "--csv", "-"}, "'merge' needs the DIRs of a sweep's shards"},
           Case{{"merge", dir.file("d"), "--csv", "-"}, "no such sweep directory"},
       }) {
    CAPTURE(c.args[0]);
    CAPTURE(c.message);
    auto o = gilsim(c.args);
    CHECK(o.code == 2);
    CHECK(contains(o.err, c.message));
  }
  CHECK(dir.entries() == std::vector<std::string>{"s.yaml"});  // nothing written
}

TEST_CASE("sweep: a scenario without axes, and axes that miss, are bad input with places") {
  TempDir dir;
  const std::string plain = dir.write("plain.yaml", "name: plain\nthreads: [{name: w, run: [cpu: 1ms]}]\n");
  auto none = gilsim({"sweep", plain});
  CHECK(none.code == 2);
  CHECK(contains(none.err, "nothing to sweep: " + plain + " has no sweep.axes"));

  const std::string typo = dir.write("typo.yaml", std::string(kSweepTiny) + "    runtim.wake: [fifo]\n");
  auto t = gilsim({"sweep", typo});
  CHECK(t.code == 2);
  CHECK(contains(t.err, typo + ":15:5: error: in the axis 'runtim.wake': there is no key 'runtim' at the "
                        "top level; did you mean 'runtime'?"));

  // A section of settings the file leaves out is made, its defaults kept...
  auto cli = gilsim({"sweep", plain, "runtime.switch_interval=[1ms]", "--out", dir.file("made")});
  CHECK(cli.code == 0);
  CHECK(contains(read(dir.file("made/results.csv")), ",runtime.switch_interval,"));
  // ...any other missing key is an error.
  auto miss = gilsim({"sweep", plain, "threads.0.limits.x=[1]", "--out", dir.file("never")});
  CHECK(miss.code == 2);
  CHECK(contains(miss.err, "in the command-line axis 'threads.0.limits.x': there is no key 'limits' "
                           "in 'threads.0' (write it in the file, e.g. 'limits: {}'"));

  // A value the loader rejects: the point and its values, at the value's place.
  const std::string bad = dir.write("bad.yaml", std::string(kSweepTiny) + "    machine.cores: [2, 0]\n");
  auto b = gilsim({"sweep", bad, "--out", dir.file("never")});
  CHECK(b.code == 2);
  CHECK(contains(b.err, bad + ":15:24: error: at point 1 of the sweep (runtime.switch_interval=1ms, "
                        "machine.cores=0): "));
  CHECK_FALSE(fs::exists(dir.file("never")));  // validated before anything is written
}

TEST_CASE("sweep and merge: directories that cannot be used") {
  TempDir dir;
  const std::string file = dir.write("s.yaml", kSweepTiny);
  dir.write("a-file", "x");
  auto o = gilsim({"sweep", file, "--out", dir.file("a-file/out")});
  CHECK(o.code == 2);
  CHECK(contains(o.err, "cannot create the sweep directory"));
  fs::create_directories(dir.file("empty"));
  auto m = gilsim({"merge", dir.file("empty"), "--csv", "-"});
  CHECK(m.code == 2);
  CHECK(contains(m.err, "is not a sweep directory: it has no manifest.json"));
  auto c = gilsim({"sweep", file, "--out", dir.file("out"), "--csv", dir.file("no/dir/r.csv")});
  CHECK(c.code == 2);
  CHECK(contains(c.err, "cannot write results"));
  CHECK_FALSE(fs::exists(dir.file("out")));
}

TEST_CASE("merge: joins shards into the unsharded results, and lists missing points") {
  TempDir dir;
  const std::string file = dir.write("s.yaml", kSweepTiny);
  CHECK(gilsim({"sweep", file, "--out", dir.file("whole")}).code == 0);
  CHECK(gilsim({"sweep", file, "--out", dir.file("one"), "--shard", "1/2"}).code == 0);
  CHECK(fs::exists(dir.file("one/results-shard-1-of-2.csv")));
  auto missing = gilsim({"merge", dir.file("one"), "--csv", "-"});
  CHECK(missing.code == 2);
  CHECK(contains(missing.err, "1 of 2 points are missing: 1"));

  CHECK(gilsim({"sweep", file, "--out", dir.file("two"), "--shard", "2/2"}).code == 0);
  auto merged = gilsim({"merge", dir.file("one"), dir.file("two"), "--csv", "-"});
  CHECK(merged.code == 0);
  CHECK(merged.out == read(dir.file("whole/results.csv")));
}

namespace {

// A fixed amount of pure-Python work, 12 calls of 10 ms, mapped over a pool
// of 1..4 threads on 4 cores. Under the GIL one thread runs at a time: the
// wall time stays ~120 ms for any N, so throughput 1/wall is flat and
// Amdahl's sigma is 1. Free-threaded (3.14t) the calls run in parallel:
// wall ~ 120 ms x the build's overhead / N (12 divides evenly by 1..4), so
// throughput grows linearly and sigma is 0.
const char* kFitSweep = R"(name: fit-sweep
machine:
  cores: 4
runtime:
  python: "3.12"
pools:
  - {name: workers, kind: thread, workers: 1}
threads:
  - name: main
    run:
      - map: workers
        tasks: 12
        run:
          - cpu: 10ms
variants:
  gil: {}
  free_threaded:
    runtime: {python: "3.14t"}
sweep:
  axes:
    pools.0.workers: 1..4
)";

// The number after "NAME": in the fits.json line of `group` and `model`.
double fit_value(const std::string& json, const std::string& group, const std::string& model,
                 const std::string& name) {
  std::size_t at = json.find("{\"group\": \"" + group + "\", ");
  while (at != std::string::npos) {
    const std::string line = json.substr(at, json.find('\n', at) - at);
    if (contains(line, "\"model\": \"" + model + "\"")) {
      const std::size_t v = line.find("\"" + name + "\": ");
      REQUIRE(v != std::string::npos);
      return std::stod(line.substr(v + name.size() + 4));
    }
    at = json.find("{\"group\": \"" + group + "\", ", at + 1);
  }
  FAIL("no fit of " << group << ", " << model);
  return 0;
}

}  // namespace

TEST_CASE("sweep: a fit prints the table after the summary and writes DIR/fits.json, as gilsim fit does") {
  TempDir dir;
  const std::string file = dir.write("fit.yaml", std::string(kFitSweep) + "  fit: {x: pools.0.workers, time: wall}\n");
  const std::string out = dir.file("out");
  auto o = gilsim({"sweep", file, "--out", out, "--jobs", "2"});
  CHECK(o.code == 0);
  CHECK(contains(o.err, "sweep: 4 points x 1 replication x 2 variants, 4 run now"));
  CHECK(contains(o.out, "fits of wall (as throughput 1/wall) against pools.0.workers, " + out + "/results.csv\n"));
  CHECK(contains(o.out, "free_threaded  amdahl"));
  const std::string fits = read(out + "/fits.json");
  CHECK(fit_value(fits, "gil", "amdahl", "sigma") > 0.95);
  CHECK(fit_value(fits, "free_threaded", "amdahl", "sigma") < 0.05);
  // lambda: one worker's throughput, ~1/120 ms (x 1/1.05..1.1 for 3.14t).
  CHECK(fit_value(fits, "gil", "amdahl", "lambda") == doctest::Approx(1 / 0.12).epsilon(0.05));
  CHECK(fit_value(fits, "free_threaded", "amdahl", "lambda") < fit_value(fits, "gil", "amdahl", "lambda"));

  // Exactly what gilsim fit writes for the same CSV and columns.
  auto f = gilsim({"fit", out + "/results.csv", "--x", "pools.0.workers", "--time", "wall", "--json", "-"});
  CHECK(f.code == 0);
  CHECK(f.out == fits);

  // Results to standard output: the table goes to standard error, and the
  // results are unchanged by the fit.
  auto j = gilsim({"sweep", file, "--out", out, "--csv", "-"});
  CHECK(j.code == 0);
  CHECK(j.out == read(out + "/results.csv"));
  CHECK(contains(j.err, "fits of wall"));
}

TEST_CASE("sweep: adding a fit resumes the sweep; a shard does not fit and says how to") {
  TempDir dir;
  const std::string file = dir.write("fit.yaml", kFitSweep);
  const std::string out = dir.file("out");
  REQUIRE(gilsim({"sweep", file, "--out", out}).code == 0);
  const std::string results = read(out + "/results.csv");
  CHECK_FALSE(fs::exists(out + "/fits.json"));
  dir.write("fit.yaml", std::string(kFitSweep) + "  fit:\n    x: pools.0.workers\n    time: wall\n");
  auto again = gilsim({"sweep", file, "--out", out});
  CHECK(again.code == 0);
  CHECK(contains(again.err, "resuming: 4 of 4 points already done"));
  CHECK(fs::exists(out + "/fits.json"));
  CHECK(read(out + "/results.csv") == results);

  auto shard = gilsim({"sweep", file, "--out", dir.file("shard"), "--shard", "1/2"});
  CHECK(shard.code == 0);
  CHECK(contains(shard.err, "(shard 1/2), 2 run now"));
  CHECK(contains(shard.err, "gilsim: not fitted (a shard holds part of the points): fit the merged CSV with "
                            "gilsim fit merged.csv --x pools.0.workers --time wall\n"));
  CHECK_FALSE(contains(shard.out, "fits of"));
  CHECK_FALSE(fs::exists(dir.file("shard/fits.json")));
}

TEST_CASE("sweep: a fit's column that is not in the results is exit 2 after the sweep, with did-you-mean") {
  TempDir dir;
  const std::string file = dir.write("fit.yaml", std::string(kFitSweep) + "  fit: {x: pools.0.workers, time: wal}\n");
  const std::string out = dir.file("out");
  auto o = gilsim({"sweep", file, "--out", out});
  CHECK(o.code == 2);
  CHECK(contains(o.err, out + "/results.csv:1: error: sweep.fit.time: no column 'wal' in the header; did you mean "
                              "'wall'?"));
  CHECK(fs::exists(out + "/results.csv"));  // the sweep's results are kept
  CHECK_FALSE(fs::exists(out + "/fits.json"));

  // Too few values of x to fit: every group's error, exit 2, no fits.json.
  const std::string few = dir.write("few.yaml", std::string(kFitSweep) + "  fit: {x: pools.0.workers, time: wall}\n");
  auto f = gilsim({"sweep", few, "pools.0.workers=1..2", "--out", dir.file("few")});
  CHECK(f.code == 2);
  CHECK(contains(f.err, "variant 'gil', amdahl: "));
  CHECK_FALSE(fs::exists(dir.file("few/fits.json")));

  // An x that is not an axis: before anything runs, at its place.
  const std::string x = dir.write("x.yaml", std::string(kFitSweep) + "  fit: {x: pools.0.worker, time: wall}\n");
  auto e = gilsim({"sweep", x, "--out", dir.file("never")});
  CHECK(e.code == 2);
  CHECK(contains(e.err, x + ":22:12: error: sweep.fit.x: 'pools.0.worker' is not an axis of the sweep; did you "
                        "mean 'pools.0.workers'?"));
  CHECK_FALSE(fs::exists(dir.file("never")));
}

TEST_CASE("sweep: a request-rate axis lands in the CSV as requests per second") {
  TempDir dir;
  const std::string file = dir.write("rate.yaml", R"(name: rate-sweep
machine:
  cores: 2
requests:
  - name: api
    arrival: {poisson: 10/s}
    duration: 1s
    run:
      - io: 5ms
      - cpu: 5ms
threads:
  - name: web
    count: 2
    run: [serve: api]
sweep:
  axes:
    requests.0.arrival.poisson: [10/s, 600/min, 2/ms]
)");
  auto o = gilsim({"sweep", file, "--out", dir.file("out"), "--csv", "-"});
  CHECK(o.code == 0);
  CHECK(contains(o.out, "scenario,variant,point,replication,seed,requests.0.arrival.poisson,"));
  CHECK(contains(o.out, "\nrate-sweep,main,0,0,1,10,"));
  CHECK(contains(o.out, "\nrate-sweep,main,1,0,1,10,"));
  CHECK(contains(o.out, "\nrate-sweep,main,2,0,1,2000,"));
}
