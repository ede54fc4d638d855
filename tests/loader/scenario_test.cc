// Scenario files: what a valid file compiles to, and the message (with its
// file:line:column) for each kind of bad input. Also InputError's rendering
// and the did-you-mean matcher that every message uses.
#include "loader/scenario.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "loader/durations.h"
#include "loader/input_error.h"
#include "loader/scenario_program.h"
#include "loader/yaml_source.h"

namespace {

using models::OpKind;
using sim::Distribution;
using sim::kMicrosecond;
using sim::kMillisecond;
using sim::kSecond;

loader::Scenario load(const std::string& yaml, const loader::LoadOptions& options = {}) {
  return loader::load_scenario_text(yaml, "t.yaml", options);
}

// The rendered error of loading `yaml`, or "(no error)".
std::string error_of(const std::string& yaml) {
  try {
    load(yaml);
  } catch (const loader::InputError& e) {
    return e.what();
  }
  return "(no error)";
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

#define CHECK_ERROR(yaml, part)                \
  do {                                         \
    const std::string error_ = error_of(yaml); \
    INFO(error_);                              \
    CHECK(contains(error_, part));             \
  } while (0)

// A valid file with one thread running `run` (the operations' YAML, indented
// under `run:`); line 5 is the first operation.
std::string with_run(const std::string& run) {
  return "name: t\n"
         "threads:\n"
         "  - name: main\n"
         "    run:\n" +
         run;
}

// A scenario with a process pool `procs`, a thread pool `tp`, an interpreter
// pool `interp` and a resource `db`, and one thread running `run` (its
// operations' YAML, indented under `run:`); line 12 is the first operation.
std::string with_pools(const std::string& run) {
  return "name: t\n"
         "pools:\n"
         "  - {name: procs, kind: process}\n"
         "  - {name: tp, kind: thread}\n"
         "  - {name: interp, kind: interpreter}\n"
         "resources:\n"
         "  - {name: db, capacity: 2}\n"
         "threads:\n"
         "  - name: main\n"
         "    count: 2\n"
         "    run:\n" +
         run;
}

// What the loader itself compiles `run` to (the operations' YAML, indented
// under `run:`), before the model lowers pools and asyncio into its own
// operations (models::index_shared_objects): with with_pools()'s pools and
// resource.
models::Program compiled(const std::string& run) {
  static const std::vector<models::PoolConfig> pools = [] {
    std::vector<models::PoolConfig> v(3);
    v[0].name = "procs";
    v[0].kind = models::PoolKind::Process;
    v[1].name = "tp";
    v[1].kind = models::PoolKind::Thread;
    v[2].name = "interp";
    v[2].kind = models::PoolKind::Interpreter;
    return v;
  }();
  static const std::vector<models::ResourceConfig> resources = {{"db", 2}};
  const loader::YamlSource src("t.yaml", "run:\n" + run);
  const YAML::Node root = src.parse();
  loader::ProgramContext context;
  context.pools = &pools;
  context.resources = &resources;
  return loader::read_program(src, root["run"], "main", context);
}

// The first operation of `kind` in `p`, or null.
const models::Op* find_op(const models::Program& p, OpKind kind) {
  for (const auto& op : p)
    if (op.kind == kind) return &op;
  return nullptr;
}

// A copy: the scenario is often a temporary.
models::Program program_of(const loader::Scenario& s, std::size_t variant = 0, std::size_t group = 0) {
  return s.variants.at(variant).config.threads.at(group).program;
}

// The contract's example (scenario-format.md), verbatim apart from comments.
const char* const kContractExample = R"(name: c2-cpu-bound-threads
description: CPU-bound work split over threads is no faster than sequential.
claim: C2
seed: 1

machine:
  cores: 4
  context_switch: 2us
  wakeup_latency: 10us
  timeslice: 3ms

runtime:
  python: "3.12"
  switch_interval: 5ms

threads:
  - name: worker
    count: 4
    run:
      - cpu: 250ms

variants:
  sequential:
    threads:
      - name: main
        run:
          - repeat: 4
            run: [cpu: 250ms]
  threads: {}

expect:
  - threads.wall >= 0.98 * sequential.wall
  - threads.cores.busy_avg <= 1.1
)";

}  // namespace

TEST_SUITE("input_error") {
  TEST_CASE("renders file:line:col, the line and a caret") {
    loader::InputError e({"x.yaml", 12, 5}, "unknown key 'swich_interval'", "    swich_interval: 5ms");
    CHECK(std::string(e.what()) ==
          "x.yaml:12:5: error: unknown key 'swich_interval'\n"
          "      swich_interval: 5ms\n"
          "      ^");
    CHECK(e.message() == "unknown key 'swich_interval'");
    CHECK(e.pos().line == 12);
  }

  TEST_CASE("without a place, or without the line") {
    CHECK(std::string(loader::InputError({"", 0, 0}, "cannot read x").what()) ==
          "error: cannot read x");
    CHECK(std::string(loader::InputError({"f.yaml", 0, 0}, "empty").what()) == "f.yaml: error: empty");
    CHECK(std::string(loader::InputError({"f.yaml", 3, 1}, "bad").what()) == "f.yaml:3:1: error: bad");
  }

  TEST_CASE("the caret keeps tabs and counts a UTF-8 character once") {
    loader::InputError tab({"f", 1, 3}, "m", "\tab");
    CHECK(contains(tab.what(), "\n  \tab\n  \t ^"));
    loader::InputError micro({"f", 1, 5}, "m", "\xc2\xb5s x");  // "µs x": 'x' is byte 5
    CHECK(contains(micro.what(), "\n     ^"));               // 2 + 3 columns
  }

  TEST_CASE("closest_match: likely typos only, first candidate on ties") {
    const std::vector<std::string> runtime = {"python", "switch_interval", "check_interval",
                                              "eval_breaker_granularity", "wake"};
    CHECK(loader::closest_match("swich_interval", runtime) == "switch_interval");
    CHECK(loader::closest_match("swithc_interval", runtime) == "switch_interval");  // transposition
    CHECK(loader::closest_match("pyhton", runtime) == "python");
    CHECK(loader::closest_match("mean", {"min", "max", "abs"}) == "min");
    CHECK(loader::closest_match("CPU", {"cpu", "io"}) == "cpu");
    CHECK(loader::closest_match("colour", runtime).empty());
    CHECK(loader::closest_match("x", {"io", "cpu"}).empty());
    CHECK(loader::closest_match("ab", {}).empty());
  }
}

TEST_SUITE("scenario") {
  TEST_CASE("the contract's example loads") {
    const loader::Scenario s = load(kContractExample);
    CHECK(s.file == "t.yaml");
    CHECK(s.name == "c2-cpu-bound-threads");
    CHECK(s.claim == "C2");
    CHECK(s.seed == 1);
    CHECK(s.description == "CPU-bound work split over threads is no faster than sequential.");
    REQUIRE(s.variants.size() == 2);
    CHECK(s.variants[0].name == "sequential");
    CHECK(s.variants[1].name == "threads");

    const auto& threads = s.variants[1].config;
    CHECK(threads.machine.cores == 4);
    CHECK(threads.machine.context_switch.a == 2 * kMicrosecond);
    CHECK(threads.machine.wakeup_latency.a == 10 * kMicrosecond);
    CHECK(threads.machine.timeslice == 3 * kMillisecond);
    CHECK(threads.runtime.python == "3.12");
    CHECK(threads.runtime.minor == 12);
    CHECK(threads.runtime.gil == models::GilKind::NewGil);
    CHECK(threads.runtime.switch_interval == 5 * kMillisecond);
    REQUIRE(threads.threads.size() == 1);
    CHECK(threads.threads[0].name == "worker");
    CHECK(threads.threads[0].count == 4);
    REQUIRE(threads.threads[0].program.size() == 1);
    CHECK(threads.threads[0].program[0].kind == OpKind::Cpu);
    CHECK(threads.threads[0].program[0].duration.a == 250 * kMillisecond);

    // The variant's threads replace the top level's; its machine is the top's.
    const auto& sequential = s.variants[0].config;
    REQUIRE(sequential.threads.size() == 1);
    CHECK(sequential.threads[0].name == "main");
    CHECK(sequential.threads[0].count == 1);
    CHECK(sequential.machine.cores == 4);

    REQUIRE(s.expect.size() == 2);
    CHECK(s.expect[0].text == "threads.wall >= 0.98 * sequential.wall");
    CHECK(s.expect[0].pos.line == 32);
    CHECK(s.expect[0].pos.column == 5);
    CHECK(s.expect[0].expr.paths() == std::vector<std::string>{"threads.wall", "sequential.wall"});
    CHECK(s.expect[1].expr.paths() == std::vector<std::string>{"threads.cores.busy_avg"});
  }

  TEST_CASE("repeat compiles to RepeatBegin/RepeatEnd with jumps") {
    const loader::Scenario s =
        load(with_run("      - cpu: 1ms\n"
                      "      - repeat: 3\n"
                      "        run:\n"
                      "          - io: 2ms\n"
                      "          - repeat: 1e6\n"
                      "            run: [cpu: 10us, sleep: 1ms]\n"
                      "      - native: 5ms\n"));
    const auto& p = program_of(s);
    REQUIRE(p.size() == 9);
    CHECK(p[0].kind == OpKind::Cpu);
    CHECK(p[1].kind == OpKind::RepeatBegin);
    CHECK(p[1].count == 3);
    CHECK(p[1].jump == 7);
    CHECK(p[2].kind == OpKind::Io);
    CHECK(p[3].kind == OpKind::RepeatBegin);
    CHECK(p[3].count == 1'000'000);
    CHECK(p[3].jump == 6);
    CHECK(p[4].kind == OpKind::Cpu);
    CHECK(p[4].duration.a == 10 * kMicrosecond);
    CHECK(p[5].kind == OpKind::Sleep);
    CHECK(p[6].kind == OpKind::RepeatEnd);
    CHECK(p[6].jump == 3);
    CHECK(p[7].kind == OpKind::RepeatEnd);
    CHECK(p[7].jump == 1);
    CHECK(p[8].kind == OpKind::NativeReleased);
  }

  TEST_CASE("run may come before repeat") {
    const auto& p = program_of(load(with_run("      - run: [cpu: 1ms]\n        repeat: 2\n")));
    REQUIRE(p.size() == 3);
    CHECK(p[0].kind == OpKind::RepeatBegin);
    CHECK(p[0].count == 2);
  }

  TEST_CASE("native and io, short and long forms") {
    const auto& p =
        program_of(load(with_run("      - native: 1ms\n"
                                 "      - native: {time: 2ms, gil: held}\n"
                                 "      - native: {time: 3ms, gil: released}\n"
                                 "      - native: {time: {exp: 1ms}}\n"
                                 "      - io: 4ms\n"
                                 "      - io: {time: 5ms}\n"
                                 "      - io: {exp: 6ms}\n")));
    REQUIRE(p.size() == 7);
    CHECK(p[0].kind == OpKind::NativeReleased);
    CHECK(p[1].kind == OpKind::NativeHeld);
    CHECK(p[1].duration.a == 2 * kMillisecond);
    CHECK(p[2].kind == OpKind::NativeReleased);
    CHECK(p[3].duration.kind == Distribution::Kind::Exp);
    CHECK(p[4].kind == OpKind::Io);
    CHECK(p[5].duration.a == 5 * kMillisecond);
    CHECK(p[6].kind == OpKind::Io);
    CHECK(p[6].duration.kind == Distribution::Kind::Exp);
  }

  TEST_CASE("durations: units, spaces, rounding") {
    const auto& p =
        program_of(load(with_run("      - cpu: 1.5s\n"
                                 "      - cpu: 0.5 us\n"
                                 "      - cpu: 10\u00b5s\n"
                                 "      - cpu: 2.5ns\n"
                                 "      - cpu: \"250ms\"\n"
                                 "      - cpu: 1e-3s\n")));
    CHECK(p[0].duration.a == 1500 * kMillisecond);
    CHECK(p[1].duration.a == 500);
    CHECK(p[2].duration.a == 10 * kMicrosecond);
    CHECK(p[3].duration.a == 3);  // to the nearest nanosecond
    CHECK(p[4].duration.a == 250 * kMillisecond);
    CHECK(p[5].duration.a == kMillisecond);
  }

  TEST_CASE("distributions") {
    const auto& p =
        program_of(load(with_run("      - cpu: {exp: 1ms}\n"
                                 "      - cpu: {uniform: [1ms, 3ms]}\n"
                                 "      - cpu: {normal: {mean: 5ms, sd: 1ms}}\n"
                                 "      - cpu: {lognormal: {median: 2ms, sigma: 0.5}}\n"
                                 "      - cpu: {choice: [[0.9, 1ms], [0.1, 50ms]]}\n")));
    CHECK(p[0].duration.kind == Distribution::Kind::Exp);
    CHECK(p[0].duration.a == kMillisecond);
    CHECK(p[1].duration.kind == Distribution::Kind::Uniform);
    CHECK(p[1].duration.a == kMillisecond);
    CHECK(p[1].duration.b == 3 * kMillisecond);
    CHECK(p[2].duration.kind == Distribution::Kind::Normal);
    CHECK(p[2].duration.a == 5 * kMillisecond);
    CHECK(p[2].duration.b == kMillisecond);
    CHECK(p[3].duration.kind == Distribution::Kind::Lognormal);
    CHECK(p[3].duration.a == 2 * kMillisecond);
    CHECK(p[3].duration.sigma == 0.5);
    CHECK(p[4].duration.kind == Distribution::Kind::Choice);
    REQUIRE(p[4].duration.choices.size() == 2);
    CHECK(p[4].duration.choices[0].first == 0.9);
    CHECK(p[4].duration.choices[1].second == 50 * kMillisecond);
  }

  TEST_CASE("distribution errors") {
    CHECK_ERROR(with_run("      - cpu: {expo: 1ms}\n"),
                "t.yaml:5:15: error: unknown distribution 'expo'; did you mean 'exp'?");
    CHECK_ERROR(with_run("      - cpu: {exp: 1ms, uniform: [1ms, 2ms]}\n"),
                "t.yaml:5:14: error: a distribution has one key");
    CHECK_ERROR(with_run("      - cpu: {uniform: [1ms, 2ms, 3ms]}\n"),
                "t.yaml:5:24: error: uniform takes [LOW, HIGH], got 3 values");
    CHECK_ERROR(with_run("      - cpu: {uniform: [3ms, 1ms]}\n"),
                "t.yaml:5:25: error: uniform low 3ms is above high 1ms");
    CHECK_ERROR(with_run("      - cpu: {normal: {mean: 5ms}}\n"),
                "t.yaml:5:23: error: normal needs 'mean' and 'sd', missing 'sd'");
    CHECK_ERROR(with_run("      - cpu: {normal: {mean: 5ms, sdev: 1ms}}\n"),
                "unknown key 'sdev' in normal; did you mean 'sd'?");
    CHECK_ERROR(with_run("      - cpu: {lognormal: {median: 2ms, sigma: -1}}\n"),
                "t.yaml:5:47: error: the sigma of lognormal cannot be negative");
    CHECK_ERROR(with_run("      - cpu: {lognormal: {median: 2ms, sigma: 1ms}}\n"),
                "expected a number for the sigma of lognormal, got '1ms'");
    CHECK_ERROR(with_run("      - cpu: {choice: [[0, 1ms]]}\n"),
                "t.yaml:5:25: error: the weight of a choice must be above 0");
    CHECK_ERROR(with_run("      - cpu: {choice: []}\n"),
                "choice needs at least one [WEIGHT, DURATION] pair");
    CHECK_ERROR(with_run("      - cpu: {exp: 0ms}\n"), "the mean of exp must be above 0");
    CHECK_ERROR(with_run("      - cpu: {exp: {exp: 1ms}}\n"),
                "must be a fixed duration (like 2ms), not a distribution");
  }

  TEST_CASE("duration errors") {
    CHECK_ERROR(with_run("      - cpu: 250\n"),
                "t.yaml:5:14: error: missing unit in '250': write 250ms, 250us, 250s or 250ns");
    CHECK_ERROR(with_run("      - sleep: -5ms\n"),
                "t.yaml:5:16: error: a duration cannot be negative");
    CHECK_ERROR(with_run("      - cpu: 5sec\n"),
                "t.yaml:5:14: error: unknown unit 'sec' in '5sec'");
    CHECK_ERROR(with_run("      - cpu: 2000000s\n"), "is too long: at most 1000000s");
    CHECK_ERROR(with_run("      - cpu: fast\n"),
                "expected a duration like 250ms or 1.5s, got 'fast'");
    CHECK_ERROR(with_run("      - cpu: [1ms]\n"),
                "expected a duration (like 250ms) for 'cpu' in thread 'main', got a list");
    CHECK_ERROR(with_run("      - cpu:\n"), "got nothing");
  }

  TEST_CASE("machine and runtime") {
    const loader::Scenario s = load(
        "name: t\n"
        "seed: 42\n"
        "time_limit: 10s\n"
        "machine: {cores: 16, context_switch: 0ns, timeslice: 1ms}\n"
        "runtime:\n"
        "  python: 3.10\n"
        "  switch_interval: 0.5us\n"
        "  eval_breaker_granularity: 50ns\n"
        "  check_interval: 1000\n"
        "  wake: random\n"
        "threads: [{name: main, run: [cpu: 1ms]}]\n");
    const auto& c = s.variants.at(0).config;
    CHECK(s.variants[0].name == "main");
    CHECK(c.seed == 42);
    CHECK(c.time_limit == 10 * kSecond);
    CHECK(c.machine.cores == 16);
    CHECK(c.machine.context_switch.a == 0);
    CHECK(c.machine.wakeup_latency.a == 10 * kMicrosecond);  // the default
    CHECK(c.machine.timeslice == kMillisecond);
    CHECK(c.runtime.python == "3.10");  // read as text: not the float 3.1
    CHECK(c.runtime.minor == 10);
    CHECK(c.runtime.switch_interval == kMicrosecond);  // clamped, as CPython does
    CHECK(c.runtime.eval_breaker_granularity == 50);
    CHECK(c.runtime.check_interval == 1000);
    CHECK(c.runtime.wake_random);
  }

  TEST_CASE("defaults") {
    const loader::Scenario s = load(with_run("      - cpu: 1ms\n"));
    const auto& c = s.variants.at(0).config;
    CHECK(s.seed == 1);
    CHECK(c.seed == 1);
    CHECK(c.time_limit == 3600 * kSecond);
    CHECK(c.machine.cores == 4);
    CHECK(c.runtime.python == "3.12");
    CHECK_FALSE(c.runtime.wake_random);
    CHECK(s.expect.empty());
    CHECK(s.figures.empty());
  }

  TEST_CASE("--seed overrides the file's seed in every variant") {
    loader::LoadOptions options;
    options.override_seed = true;
    options.seed = 7;
    const loader::Scenario s = load(kContractExample, options);
    CHECK(s.seed == 7);
    for (const auto& v : s.variants) CHECK(v.config.seed == 7);
  }

  TEST_CASE("python versions") {
    auto with_python = [](const std::string& v) {
      return "name: t\nruntime:\n  python: " + v + "\nthreads: [{name: main, run: [cpu: 1ms]}]\n";
    };
    CHECK(load(with_python("3.2")).variants[0].config.runtime.minor == 2);
    CHECK(load(with_python("\"3.14\"")).variants[0].config.runtime.minor == 14);
    using models::GilKind;
    const auto runtime_of = [&](const std::string& v) { return load(with_python(v)).variants[0].config.runtime; };
    CHECK(runtime_of("2.7").gil == GilKind::OldGil);
    CHECK(runtime_of("3.1").gil == GilKind::OldGil);
    CHECK(runtime_of("3.12").gil == GilKind::NewGil);
    CHECK(runtime_of("3.13t").gil == GilKind::NoGil);
    CHECK(runtime_of("3.13t").cpu_overhead == doctest::Approx(1.40));
    CHECK(runtime_of("3.14t").cpu_overhead == doctest::Approx(1.08));
    CHECK(runtime_of("3.12").cpu_overhead == 1.0);
    CHECK_ERROR(with_python("3.15"),
                "t.yaml:3:11: error: unknown python version '3.15'; valid: \"2.7\" (old GIL)");
    CHECK_ERROR(with_python("pypy"), "unknown python version 'pypy'");
  }

  TEST_CASE("free-threaded builds: the GIL can be enabled again, and only there") {
    const auto with = [](const std::string& python, const std::string& gil) {
      return "name: t\nruntime:\n  python: \"" + python + "\"\n  gil: " + gil +
             "\nthreads: [{name: main, run: [cpu: 1ms]}]\n";
    };
    CHECK(load(with("3.13t", "enabled")).variants[0].config.runtime.gil == models::GilKind::NewGil);
    CHECK(load(with("3.13t", "enabled")).variants[0].config.runtime.cpu_overhead == doctest::Approx(1.40));
    CHECK(load(with("3.14t", "disabled")).variants[0].config.runtime.gil == models::GilKind::NoGil);
    CHECK_ERROR(with("3.12", "disabled"),
                "t.yaml:4:8: error: runtime.gil applies to free-threaded builds (python \"3.13t\", \"3.14t\"); "
                "python \"3.12\" always has a GIL");
    CHECK_ERROR(with("3.13t", "off"), "t.yaml:4:8: error: runtime.gil is 'enabled' or 'disabled', got 'off'");
  }

  TEST_CASE("machine costs per event may be distributions") {
    const loader::Scenario s = load(
        "name: t\nmachine: {wakeup_latency: {exp: 10us}, context_switch: {uniform: [1us, 3us]}}\n"
        "threads: [{name: main, run: [cpu: 1ms]}]\n");
    const auto& m = s.variants[0].config.machine;
    CHECK(m.wakeup_latency.kind == sim::Distribution::Kind::Exp);
    CHECK(m.wakeup_latency.a == 10 * kMicrosecond);
    CHECK(m.context_switch.kind == sim::Distribution::Kind::Uniform);
  }

  TEST_CASE("core affinity: cores must exist on the machine") {
    const std::string head = "name: t\nmachine: {cores: 2}\nthreads:\n  - name: main\n    cores: ";
    const std::string tail = "\n    run: [cpu: 1ms]\n";
    CHECK(load(head + "[1]" + tail).variants[0].config.threads[0].cores == std::vector<int>{1});
    CHECK_ERROR(head + "[2]" + tail, "t.yaml:5:13: error:");
    CHECK_ERROR(head + "[]" + tail, "is empty: a thread needs a core to run on");
    CHECK_ERROR(head + "[-1]" + tail, "t.yaml:5:13: error:");
  }

  TEST_CASE("variants: maps merge key by key, lists are replaced whole") {
    const loader::Scenario s = load(
        "name: t\n"
        "machine: {cores: 8, timeslice: 4ms}\n"
        "runtime: {python: \"3.11\", switch_interval: 5ms}\n"
        "threads:\n"
        "  - {name: a, run: [cpu: 1ms]}\n"
        "  - {name: b, run: [cpu: 1ms]}\n"
        "variants:\n"
        "  base: {}\n"
        "  small:\n"
        "    machine: {cores: 1}\n"
        "    runtime: {switch_interval: 1ms}\n"
        "    threads: [{name: c, count: 2, run: [io: 1ms]}]\n"
        "  nothing:\n"
        "  limited:\n"
        "    time_limit: 1s\n");
    REQUIRE(s.variants.size() == 4);
    const auto& base = s.variants[0].config;
    CHECK(base.machine.cores == 8);
    CHECK(base.threads.size() == 2);
    const auto& small = s.variants[1].config;
    CHECK(small.machine.cores == 1);
    CHECK(small.machine.timeslice == 4 * kMillisecond);  // kept from the top level
    CHECK(small.runtime.python == "3.11");
    CHECK(small.runtime.switch_interval == kMillisecond);
    REQUIRE(small.threads.size() == 1);  // replaced, not appended
    CHECK(small.threads[0].name == "c");
    CHECK(small.threads[0].count == 2);
    CHECK(s.variants[2].name == "nothing");
    CHECK(s.variants[2].config.machine.cores == 8);
    CHECK(s.variants[3].config.time_limit == kSecond);
    CHECK(s.variants[3].config.threads.size() == 2);
  }

  TEST_CASE("an error inside a variant points at the variant's line") {
    const std::string yaml =
        "name: t\n"
        "machine:\n"
        "  cores: 4\n"
        "threads: [{name: main, run: [cpu: 1ms]}]\n"
        "variants:\n"
        "  one:\n"
        "    machine:\n"
        "      corse: 1\n"
        "  two:\n"
        "    machine: {cores: zero}\n";
    CHECK_ERROR(yaml, "t.yaml:8:7: error: unknown key 'corse' in machine; did you mean 'cores'?");
    CHECK_ERROR(
        "name: t\nthreads: [{name: main, run: [cpu: 1ms]}]\nvariants:\n  two:\n"
        "    machine: {cores: zero}\n",
        "t.yaml:5:22: error: expected an integer for machine.cores, got 'zero'");
  }

  TEST_CASE("variant keys") {
    const std::string head = "name: t\nthreads: [{name: main, run: [cpu: 1ms]}]\nvariants:\n";
    CHECK_ERROR(head + "  v:\n    expect: []\n",
                "t.yaml:5:5: error: 'expect' cannot be set in a variant");
    CHECK_ERROR(head + "  v:\n    thread: []\n",
                "t.yaml:5:5: error: unknown key 'thread' in variant 'v'; did you mean 'threads'?");
    CHECK_ERROR(head + "  v:\n    pools: [{name: p, kind: celery}]\n",
                "t.yaml:5:13: error: celery pool 'p' needs 'broker'");
    CHECK_ERROR(head + "  2x: {}\n", "t.yaml:4:3: error: variant name '2x' is not a valid name");
    CHECK_ERROR(head + "  v: [1]\n",
                "t.yaml:4:6: error: expected a map for variant 'v', got a list");
    CHECK_ERROR(head + "  v: {}\n  v: {}\n", "t.yaml:5:3: error: duplicate key 'v' in variants");
    CHECK_ERROR(head, "t.yaml:3:1: error: variants is empty");
    CHECK_ERROR("name: t\nvariants:\n  a:\n    threads: [{name: m, run: [cpu: 1ms]}]\n  b: {}\n",
                "t.yaml:5:3: error: variant 'b' has no threads");
  }

  TEST_CASE("the top level's settings are checked even when every variant overrides them") {
    CHECK_ERROR(
        "name: t\nthreads: [{name: main, run: [cpu: 1x]}]\n"
        "variants:\n  v:\n    threads: [{name: m, run: [cpu: 1ms]}]\n",
        "t.yaml:2:35: error: unknown unit 'x'");
  }

  TEST_CASE("unknown keys get a hint or the list of keys") {
    CHECK_ERROR("name: t\nruntime:\n  python: \"3.12\"\n  swich_interval: 5ms\n",
                "t.yaml:4:3: error: unknown key 'swich_interval' in runtime; did you mean "
                "'switch_interval'?\n    swich_interval: 5ms\n    ^");
    CHECK_ERROR(
        "name: t\nthread: []\n",
        "t.yaml:2:1: error: unknown key 'thread' at the top level; did you mean 'threads'?");
    CHECK_ERROR("name: t\nmachine: {gpus: 1}\n",
                "unknown key 'gpus' in machine; the keys are: cores, context_switch,");
    CHECK_ERROR(with_run("      - cpu: 1ms\n  - name: b\n    runn: []\n"),
                "t.yaml:7:5: error: unknown key 'runn' in thread 'b'; did you mean 'run'?");
  }

  TEST_CASE("wrong types") {
    CHECK_ERROR("name: t\nmachine:\n  cores: four\n",
                "t.yaml:3:10: error: expected an integer for machine.cores, got 'four'");
    CHECK_ERROR("name: t\nmachine:\n  cores: 2.5\n",
                "expected an integer for machine.cores, got '2.5'");
    CHECK_ERROR("name: t\nmachine: [4]\n",
                "t.yaml:2:10: error: expected a map for machine, got a list");
    CHECK_ERROR("name: t\nthreads:\n  name: main\n",
                "t.yaml:3:3: error: expected a list for threads, got a map");
    CHECK_ERROR("name: t\nthreads: [{name: main, run: cpu}]\n",
                "expected a list for run of thread 'main', got 'cpu'");
    CHECK_ERROR(with_run("      - cpu\n"),
                "t.yaml:5:9: error: expected an operation like 'cpu: 10ms', got 'cpu'");
    CHECK_ERROR("name: [t]\n", "t.yaml:1:7: error: expected text for name, got a list");
    CHECK_ERROR("- a\n- b\n", "t.yaml:1:1: error: a scenario is a map of keys");
  }

  TEST_CASE("integers") {
    CHECK_ERROR("name: t\nmachine: {cores: 0}\n",
                "t.yaml:2:18: error: machine.cores must be between 1 and 1024, got 0");
    CHECK_ERROR("name: t\nmachine: {cores: 1025}\n", "must be between 1 and 1024, got 1025");
    CHECK_ERROR("name: t\nseed: -1\n", "seed must be at least 0, got -1");
    CHECK_ERROR("name: t\nseed: 99999999999999999999\n", "seed must be at least 0");
    CHECK_ERROR(with_run("      - repeat: 0\n        run: [cpu: 1ms]\n"),
                "t.yaml:5:17: error: repeat must be between 1 and 1000000000000, got 0");
    CHECK(program_of(load(with_run("      - repeat: 1_000_000\n        run: [cpu: 1ms]\n")))[0]
              .count == 1'000'000);
  }

  TEST_CASE("threads: counts and limits") {
    CHECK_ERROR("name: t\nthreads:\n  - name: w\n    count: 1000000\n    run: [cpu: 1ms]\n",
                "t.yaml:4:12: error: count 1000000 is too many threads: gilsim simulates at most "
                "10000 threads per variant");
    CHECK_ERROR(
        "name: t\nthreads:\n  - {name: a, count: 6000, run: [cpu: 1ms]}\n"
        "  - {name: b, count: 6000, run: [cpu: 1ms]}\n",
        "t.yaml:4:22: error: this makes 12000 threads: gilsim simulates at most 10000");
    CHECK_ERROR("name: t\nthreads:\n  - {name: a, count: 0, run: [cpu: 1ms]}\n",
                "count of thread 'a' must be at least 1, got 0");
    CHECK_ERROR("name: t\nthreads: []\n",
                "t.yaml:2:10: error: threads is empty: a scenario needs at least one thread");
    CHECK_ERROR("name: t\nthreads:\n  - run: [cpu: 1ms]\n",
                "t.yaml:3:5: error: a thread needs a 'name'");
    CHECK_ERROR("name: t\nthreads:\n  - name: a\n",
                "t.yaml:3:5: error: thread 'a' needs 'run', its list of operations");
    CHECK_ERROR("name: t\nthreads:\n  - {name: 1a, run: [cpu: 1ms]}\n",
                "t.yaml:3:12: error: thread name '1a' is not a valid name");
    CHECK_ERROR("name: t\nthreads:\n  - {name: a, run: []}\n",
                "t.yaml:3:20: error: run of thread 'a' is empty");
  }

  TEST_CASE("lock and increment compile to acquire/release and load/store on indexed objects") {
    const loader::Scenario s = load(
        "name: t\nthreads:\n  - name: a\n    run:\n      - lock: guard\n        run:\n"
        "          - increment: hits\n      - increment: misses\n");
    const auto& c = s.variants[0].config;
    CHECK(c.locks == std::vector<std::string>{"guard"});
    CHECK(c.counters == std::vector<std::string>{"hits", "misses"});
    const auto& p = c.threads[0].program;
    REQUIRE(p.size() == 6);
    CHECK(p[0].kind == models::OpKind::LockAcquire);
    CHECK(p[1].kind == models::OpKind::IncrementLoad);
    CHECK(p[2].kind == models::OpKind::IncrementStore);
    CHECK(p[3].kind == models::OpKind::LockRelease);
    CHECK(p[4].index == 1);
    CHECK(p[5].kind == models::OpKind::IncrementStore);
  }

  TEST_CASE("thread names are unique, generated names included") {
    CHECK_ERROR(
        "name: t\nthreads:\n  - {name: main, run: [cpu: 1ms]}\n  - {name: main, run: [io: 1ms]}\n",
        "t.yaml:4:12: error: duplicate thread name 'main' (first on line 3)");
    CHECK_ERROR(
        "name: t\nthreads:\n  - {name: w, count: 3, run: [cpu: 1ms]}\n"
        "  - {name: w_2, run: [io: 1ms]}\n",
        "t.yaml:4:12: error: thread name 'w_2' clashes with thread 'w' on line 3");
    CHECK_ERROR(
        "name: t\nthreads:\n  - {name: w_0, run: [io: 1ms]}\n"
        "  - {name: w, count: 2, run: [cpu: 1ms]}\n",
        "t.yaml:4:12: error: thread name 'w_0' clashes with thread 'w_0' on line 3");
    // Two groups with the same stem but no overlap are fine.
    CHECK(load("name: t\nthreads:\n  - {name: w, count: 2, run: [cpu: 1ms]}\n"
               "  - {name: w_1x, run: [io: 1ms]}\n")
              .variants[0]
              .config.threads.size() == 2);
  }

  TEST_CASE("operations: unknown, malformed") {
    CHECK_ERROR(with_run("      - cpuu: 1ms\n"),
                "t.yaml:5:9: error: unknown operation 'cpuu'; did you mean 'cpu'?");
    CHECK_ERROR(with_run("      - await_sleeep: 1ms\n"),
                "t.yaml:5:9: error: unknown operation 'await_sleeep'; did you mean 'await_sleep'?");
    CHECK_ERROR(with_run("      - compute: 1ms\n"),
                "unknown operation 'compute'; the operations are cpu, native, io, sleep, repeat, lock, "
                "increment, submit, map, wait, asyncio, await_io, await_sleep, to_thread");
    CHECK_ERROR(with_run("      - lock: l\n"), "t.yaml:5:9: error: 'lock' needs 'run' with the operations it protects");
    CHECK_ERROR(with_run("      - increment: 1x\n"), "t.yaml:5:20: error: counter name '1x' is not a valid name");
    CHECK_ERROR(with_run("      - increment: c\n        run: [cpu: 1ms]\n"),
                "t.yaml:6:9: error: 'run' does not go with 'increment'");
    CHECK_ERROR(with_run("      - cpu: 1ms\n        io: 2ms\n"),
                "t.yaml:6:9: error: one operation per list item: start 'io' on its own line");
    CHECK_ERROR(with_run("      - cpu: 1ms\n        run: [io: 2ms]\n"),
                "t.yaml:6:9: error: 'run' does not go with 'cpu'");
    CHECK_ERROR(with_run("      - run: [io: 2ms]\n"),
                "t.yaml:5:9: error: 'run' needs an operation beside it, such as 'repeat: N'");
    CHECK_ERROR(with_run("      - repeat: 2\n"),
                "t.yaml:5:9: error: 'repeat' needs 'run' with the operations to repeat");
    CHECK_ERROR(with_run("      - {}\n"), "t.yaml:5:9: error: an empty operation");
    CHECK_ERROR(with_run("      - native: {time: 1ms, gil: maybe}\n"),
                "t.yaml:5:34: error: gil of 'native' is 'held' or 'released', got 'maybe'");
    CHECK_ERROR(with_run("      - native: {gil: held}\n"),
                "t.yaml:5:17: error: 'native' needs 'time', e.g. {time: 5ms}");
    CHECK_ERROR(with_run("      - io: {time: 5ms, resource: db}\n"),
                "t.yaml:5:35: error: unknown resource 'db': define it under 'resources:'");
    CHECK_ERROR(with_run("      - io: {tim: 5ms}\n"),
                "unknown key 'tim' in 'io'; did you mean 'time'?");
  }

  TEST_CASE("processes: each with its threads, a start method, names unique across processes") {
    const loader::Scenario s = load(
        "name: t\nprocesses:\n  - name: w\n    count: 2\n    start_method: spawn\n"
        "    threads: [{name: main, run: [cpu: 1ms]}]\n");
    const auto& c = s.variants[0].config;
    REQUIRE(c.processes.size() == 1);
    CHECK(c.processes[0].count == 2);
    CHECK(c.processes[0].start_method == models::StartMethod::Spawn);
    const auto l = models::layout(c);
    REQUIRE(l.threads.size() == 2);
    CHECK(l.threads[0].name == "w_0_main");
    CHECK(l.threads[1].interpreter == 2);
    CHECK(l.threads[0].startup == models::default_startup(models::StartMethod::Spawn));
    CHECK_ERROR("name: t\nprocesses: []\n", "t.yaml:2:12: error: processes is empty");
    CHECK_ERROR("name: t\nprocesses:\n  - {name: p, start_method: clone, threads: [{name: m, run: [cpu: 1ms]}]}\n",
                "t.yaml:3:29: error: start_method is fork, forkserver or spawn, got 'clone'");
    CHECK_ERROR("name: t\nthreads: [{name: p_m, run: [cpu: 1ms]}]\n"
                "processes:\n  - {name: p, threads: [{name: m, run: [cpu: 1ms]}]}\n",
                "two threads are named 'p_m'");
    CHECK_ERROR("name: t\nprocesses:\n  - {name: p, threads: [{name: m, run: [increment: c]}]}\n",
                "'lock' and 'increment' are modelled in the main process's threads only");
  }

  TEST_CASE("pools and resources: every key and the defaults") {
    const loader::Scenario s = load(
        "name: t\n"
        "machine: {cores: 4}\n"
        "pools:\n"
        "  - name: procs\n"
        "    kind: process\n"
        "    workers: 8\n"
        "    start_method: spawn\n"
        "    startup: 50ms\n"
        "    cores: [2, 3]\n"
        "  - {name: tp, kind: thread}\n"
        "  - {name: interp, kind: interpreter, workers: 2}\n"
        "resources:\n"
        "  - {name: db, capacity: 10}\n"
        "  - {name: api}\n"
        "threads: [{name: main, run: [cpu: 1ms]}]\n");
    const auto& c = s.variants[0].config;
    REQUIRE(c.pools.size() == 3);
    CHECK(c.pools[0].name == "procs");
    CHECK(c.pools[0].kind == models::PoolKind::Process);
    CHECK(c.pools[0].workers == 8);
    CHECK(c.pools[0].start_method == models::StartMethod::Spawn);
    CHECK(c.pools[0].startup == 50 * kMillisecond);
    CHECK(c.pools[0].cores == std::vector<int>{2, 3});
    CHECK(c.pools[1].kind == models::PoolKind::Thread);
    CHECK(c.pools[1].workers == 4);
    CHECK(c.pools[1].startup == -1);
    CHECK(c.pools[1].cores.empty());
    CHECK(c.pools[2].kind == models::PoolKind::Interpreter);
    CHECK(c.pools[2].workers == 2);
    REQUIRE(c.resources.size() == 2);
    CHECK(c.resources[0].name == "db");
    CHECK(c.resources[0].capacity == 10);
    CHECK(c.resources[1].name == "api");
    CHECK(c.resources[1].capacity == 1);
    // An empty list is no pool at all.
    CHECK(load("name: t\npools: []\nresources: []\nthreads: [{name: m, run: [cpu: 1ms]}]\n")
              .variants[0]
              .config.pools.empty());
  }

  TEST_CASE("pool and resource errors") {
    const std::string threads = "threads: [{name: m, run: [cpu: 1ms]}]\n";
    CHECK_ERROR("name: t\npools: [{name: w, kind: gevent}]\n" + threads,
                "t.yaml:2:25: error: pool kind is process, thread, interpreter or celery, got 'gevent'");
    CHECK_ERROR("name: t\npools: [{name: w}]\n" + threads,
                "t.yaml:2:9: error: pool 'w' needs 'kind': process, thread, interpreter or celery");
    CHECK_ERROR("name: t\npools: [{kind: thread}]\n" + threads, "t.yaml:2:9: error: a pool needs a 'name'");
    CHECK_ERROR("name: t\npools: [{name: 2w, kind: thread}]\n" + threads,
                "t.yaml:2:16: error: pool name '2w' is not a valid name");
    CHECK_ERROR("name: t\npools: [{name: w, kind: thread, wokers: 2}]\n" + threads,
                "t.yaml:2:33: error: unknown key 'wokers' in pool 'w'; did you mean 'workers'?");
    CHECK_ERROR("name: t\npools: [{name: w, kind: thread, workers: 0}]\n" + threads,
                "t.yaml:2:42: error: workers of pool 'w' must be between 1 and 10000, got 0");
    CHECK_ERROR("name: t\npools: [{name: w, kind: interpreter, start_method: fork}]\n" + threads,
                "t.yaml:2:38: error: start_method applies to process pools; pool 'w' is an interpreter pool");
    CHECK_ERROR("name: t\npools: [{name: w, kind: process, start_method: clone}]\n" + threads,
                "t.yaml:2:48: error: start_method is fork, forkserver or spawn, got 'clone'");
    CHECK_ERROR("name: t\npools: [{name: w, kind: process, startup: -1ms}]\n" + threads,
                "t.yaml:2:43: error: a duration cannot be negative");
    CHECK_ERROR("name: t\nmachine: {cores: 2}\npools: [{name: w, kind: thread, cores: [0, 2]}]\n" + threads,
                "t.yaml:3:44: error: a core number must be between 0 and 1, got 2");
    CHECK_ERROR("name: t\npools: [{name: w, kind: thread, cores: []}]\n" + threads,
                "t.yaml:2:40: error: cores of pool 'w' is empty: a pool's worker needs a core to run on");
    CHECK_ERROR("name: t\npools: [{name: w, kind: thread}, {name: w, kind: process}]\n" + threads,
                "t.yaml:2:41: error: duplicate pool name 'w' (first on line 2)");
    CHECK_ERROR("name: t\npools: {name: w}\n" + threads, "t.yaml:2:8: error: expected a list for pools, got a map");
    CHECK_ERROR("name: t\nresources: [{name: db, capacity: 0}]\n" + threads,
                "t.yaml:2:34: error: capacity of resource 'db' must be between 1 and 1000000, got 0");
    CHECK_ERROR("name: t\nresources: [{name: db}, {name: db}]\n" + threads,
                "t.yaml:2:32: error: duplicate resource name 'db' (first on line 2)");
    CHECK_ERROR("name: t\nresources: [{name: db, size: 3}]\n" + threads,
                "t.yaml:2:24: error: unknown key 'size' in resource 'db'");
  }

  TEST_CASE("runtime: costs of pools and event loops, per byte in fractional nanoseconds") {
    const models::RuntimeConfig r = load("name: t\nruntime:\n  submit_cost: 5us\n  pickle_per_call: 2us\n"
                         "  pickle_per_byte: 0.25ns\n  ipc_per_call: 10us\n  ipc_per_byte: 2.5ns\n"
                         "  loop_step: 3us\nthreads: [{name: m, run: [cpu: 1ms]}]\n")
                        .variants[0]
                        .config.runtime;
    CHECK(r.submit_cost == 5 * kMicrosecond);
    CHECK(r.pickle_per_call == 2 * kMicrosecond);
    CHECK(r.pickle_per_byte == 0.25);
    CHECK(r.ipc_per_call == 10 * kMicrosecond);
    CHECK(r.ipc_per_byte == 2.5);
    CHECK(r.loop_step == 3 * kMicrosecond);
    // Unset: -1, the model's defaults.
    const models::RuntimeConfig d = load("name: t\nthreads: [{name: m, run: [cpu: 1ms]}]\n").variants[0].config.runtime;
    CHECK(d.submit_cost == -1);
    CHECK(d.pickle_per_byte == -1);
    CHECK(d.loop_step == -1);
    const auto per_byte = [](const std::string& v) {
      return load("name: t\nruntime: {ipc_per_byte: " + v + "}\nthreads: [{name: m, run: [cpu: 1ms]}]\n")
          .variants[0]
          .config.runtime.ipc_per_byte;
    };
    CHECK(per_byte("1ns") == 1.0);
    CHECK(per_byte("0ns") == 0.0);
    CHECK(per_byte("0.001us") == doctest::Approx(1.0));
    CHECK_ERROR("name: t\nruntime: {pickle_per_byte: -0.5ns}\n", "t.yaml:2:28: error: a duration cannot be negative");
    CHECK_ERROR("name: t\nruntime: {pickle_per_byte: 0.5}\n", "t.yaml:2:28: error: missing unit in '0.5'");
    CHECK_ERROR("name: t\nruntime: {pickle_per_byte: {exp: 1ns}}\n",
                "t.yaml:2:28: error: runtime.pickle_per_byte must be a fixed duration");
    CHECK_ERROR("name: t\nruntime: {loop_step: -3us}\n", "t.yaml:2:22: error: a duration cannot be negative");
  }

  TEST_CASE("submit, map and wait compile with their work, counts and sizes") {
    const auto p = compiled(std::string("      - submit: procs\n"
                                              "        args: 1KB\n"
                                              "        result: 4MiB\n"
                                              "        run:\n"
                                              "          - cpu: 10ms\n"
                                              "          - repeat: 3\n"
                                              "            run: [native: 1ms]\n"
                                              "      - map: tp\n"
                                              "        tasks: 100\n"
                                              "        run: [io: 2ms, increment: done]\n"
                                              "      - wait: all\n"));
    REQUIRE(p.size() == 3);
    CHECK(p[0].kind == OpKind::Submit);
    CHECK(p[0].object == "procs");
    CHECK(p[0].count == 1);
    CHECK_FALSE(p[0].map);
    CHECK(p[0].args_bytes == 1000);
    CHECK(p[0].result_bytes == 4 * 1024 * 1024);
    // The work is a program of its own: its repeat jumps count from its start.
    REQUIRE(p[0].body.size() == 4);
    CHECK(p[0].body[0].kind == OpKind::Cpu);
    CHECK(p[0].body[0].duration.a == 10 * kMillisecond);
    CHECK(p[0].body[1].kind == OpKind::RepeatBegin);
    CHECK(p[0].body[1].jump == 3);
    CHECK(p[0].body[2].kind == OpKind::NativeReleased);
    CHECK(p[0].body[3].jump == 1);
    CHECK(p[1].kind == OpKind::Submit);
    CHECK(p[1].map);
    CHECK(p[1].object == "tp");
    CHECK(p[1].count == 100);
    CHECK(p[1].args_bytes == 0);
    CHECK(p[1].result_bytes == 0);
    REQUIRE(p[1].body.size() == 3);
    CHECK(p[1].body[0].kind == OpKind::Io);
    CHECK(p[1].body[1].kind == OpKind::IncrementLoad);
    CHECK(p[1].body[1].object == "done");
    CHECK(p[2].kind == OpKind::WaitAll);
    // Companions may come first; `run` is required.
    const auto q = compiled("      - {run: [cpu: 1ms], tasks: 2, map: interp, args: 0B}\n");
    CHECK(q[0].map);
    CHECK(q[0].object == "interp");
    CHECK(q[0].count == 2);
    // A loaded scenario holds them lowered by the model: the work item keeps
    // the work and the sizes.
    const auto lowered = program_of(load(with_pools("      - {submit: procs, args: 1KB, result: 2MB, run: [cpu: 1ms]}\n")));
    const models::Op* item = find_op(lowered, OpKind::NewItem);
    REQUIRE(item != nullptr);
    CHECK(item->args_bytes == 1000);
    CHECK(item->result_bytes == 2'000'000);
    REQUIRE(item->body.size() == 1);
    CHECK(item->body[0].kind == OpKind::Cpu);
  }

  TEST_CASE("sizes: units, powers of 1000 and 1024, and errors") {
    const auto bytes = [](const std::string& size) {
      return compiled("      - {submit: tp, args: '" + size + "', run: [cpu: 1ms]}\n")[0].args_bytes;
    };
    CHECK(bytes("0B") == 0);
    CHECK(bytes("100B") == 100);
    CHECK(bytes("1KB") == 1000);
    CHECK(bytes("1.5KB") == 1500);
    CHECK(bytes("4 MB") == 4'000'000);
    CHECK(bytes("2GB") == 2'000'000'000);
    CHECK(bytes("1KiB") == 1024);
    CHECK(bytes("3MiB") == 3 * 1024 * 1024);
    CHECK(bytes("1GiB") == 1024 * 1024 * 1024);
    CHECK(bytes("1000GB") == 1'000'000'000'000);
    const auto error = [](const std::string& size) {
      return error_of(with_pools("      - {submit: tp, args: '" + size + "', run: [cpu: 1ms]}\n"));
    };
    CHECK(contains(error("100"), "t.yaml:12:28: error: missing unit in '100': write 100B, 100KB, 100MB or 100GB"));
    CHECK(contains(error("-1KB"), "a size cannot be negative: '-1KB'"));
    CHECK(contains(error("1001GB"), "size '1001GB' is too large: at most 1000GB (1 TB)"));
    CHECK(contains(error("1TB"), "unknown unit 'TB' in '1TB': the units are B, KB, MB, GB"));
    CHECK(contains(error("1kb"), "unknown unit 'kb' in '1kb'; did you mean 'KB'?"));
    CHECK(contains(error("1.5B"), "size '1.5B' is not a whole number of bytes"));
    CHECK(contains(error("big"), "expected a size like 100B, 1KB or 4MB, got 'big'"));
    CHECK_ERROR(with_pools("      - {submit: tp, result: [1KB], run: [cpu: 1ms]}\n"),
                "t.yaml:12:30: error: expected a size (like 1KB) for result of 'submit', got a list");
  }

  TEST_CASE("submit, map and wait errors") {
    CHECK_ERROR(with_pools("      - submit: tpp\n        run: [cpu: 1ms]\n"),
                "t.yaml:12:17: error: unknown pool 'tpp'; did you mean 'tp'?");
    CHECK_ERROR(with_pools("      - submit: workers\n        run: [cpu: 1ms]\n"),
                "t.yaml:12:17: error: unknown pool 'workers'; the pools are: procs, tp, interp");
    CHECK_ERROR(with_run("      - submit: workers\n        run: [cpu: 1ms]\n"),
                "t.yaml:5:17: error: unknown pool 'workers': define it under 'pools:', e.g. pools: "
                "[{name: workers, kind: thread}]");
    CHECK_ERROR(with_pools("      - submit: tp\n"),
                "t.yaml:12:9: error: 'submit' needs 'run' with the work a worker of the pool runs");
    CHECK_ERROR(with_pools("      - map: tp\n        run: [cpu: 1ms]\n"),
                "t.yaml:12:9: error: 'map' needs 'tasks', the number of items it maps over");
    CHECK_ERROR(with_pools("      - {map: tp, tasks: 0, run: [cpu: 1ms]}\n"),
                "t.yaml:12:26: error: tasks of 'map' must be between 1 and 10000000, got 0");
    CHECK_ERROR(with_pools("      - {submit: tp, tasks: 2, run: [cpu: 1ms]}\n"),
                "t.yaml:12:22: error: 'tasks' does not go with 'submit'");
    CHECK_ERROR(with_pools("      - {repeat: 2, args: 1KB, run: [cpu: 1ms]}\n"),
                "t.yaml:12:21: error: 'args' does not go with 'repeat'");
    CHECK_ERROR(with_pools("      - {submit: tp, run: []}\n"), "t.yaml:12:27: error: run of 'submit' is empty");
    CHECK_ERROR(with_pools("      - wait: some\n"), "t.yaml:12:15: error: wait takes 'all'");
    CHECK_ERROR(with_pools("      - wait: [all]\n"), "t.yaml:12:15: error: wait takes 'all'");
  }

  TEST_CASE("asyncio tasks: awaits, to_thread and blocking operations") {
    const auto p = compiled(std::string("      - cpu: 1ms\n"
                                              "      - asyncio:\n"
                                              "          tasks:\n"
                                              "            - name: fetch\n"
                                              "              count: 10\n"
                                              "              run:\n"
                                              "                - await_io: 50ms\n"
                                              "                - await_io: {time: {exp: 5ms}, resource: db}\n"
                                              "                - await_sleep: 1ms\n"
                                              "                - to_thread: procs\n"
                                              "                  args: 2KB\n"
                                              "                  result: 1MB\n"
                                              "                  run: [cpu: 20ms]\n"
                                              "                - cpu: 100us\n"
                                              "                - io: 1ms\n"
                                              "                - sleep: 1ms\n"
                                              "                - repeat: 2\n"
                                              "                  run: [native: 1ms]\n"
                                              "                - lock: l\n"
                                              "                  run: [increment: c]\n"
                                              "            - {name: tick, run: [await_sleep: {uniform: [1ms, 2ms]}]}\n"));
    REQUIRE(p.size() == 2);
    CHECK(p[0].kind == OpKind::Cpu);
    CHECK(p[1].kind == OpKind::Asyncio);
    REQUIRE(p[1].tasks.size() == 2);
    const auto& fetch = p[1].tasks[0];
    CHECK(fetch.name == "fetch");
    CHECK(fetch.count == 10);
    REQUIRE(fetch.program.size() == 14);
    CHECK(fetch.program[0].kind == OpKind::AwaitIo);
    CHECK(fetch.program[0].duration.a == 50 * kMillisecond);
    CHECK_FALSE(fetch.program[0].uses_resource);
    CHECK(fetch.program[1].kind == OpKind::AwaitIo);
    CHECK(fetch.program[1].uses_resource);
    CHECK(fetch.program[1].object == "db");
    CHECK(fetch.program[1].duration.kind == Distribution::Kind::Exp);
    CHECK(fetch.program[2].kind == OpKind::AwaitSleep);
    CHECK(fetch.program[2].duration.a == kMillisecond);
    CHECK(fetch.program[3].kind == OpKind::ToThread);
    CHECK(fetch.program[3].object == "procs");
    CHECK(fetch.program[3].args_bytes == 2000);
    CHECK(fetch.program[3].result_bytes == 1'000'000);
    REQUIRE(fetch.program[3].body.size() == 1);
    CHECK(fetch.program[3].body[0].kind == OpKind::Cpu);
    CHECK(fetch.program[3].body[0].duration.a == 20 * kMillisecond);
    CHECK(fetch.program[4].kind == OpKind::Cpu);
    CHECK(fetch.program[5].kind == OpKind::Io);
    CHECK(fetch.program[6].kind == OpKind::Sleep);
    CHECK(fetch.program[7].kind == OpKind::RepeatBegin);
    CHECK(fetch.program[7].jump == 9);
    CHECK(fetch.program[10].kind == OpKind::LockAcquire);
    CHECK(fetch.program[11].kind == OpKind::IncrementLoad);
    CHECK(fetch.program[13].kind == OpKind::LockRelease);
    const auto& tick = p[1].tasks[1];
    CHECK(tick.name == "tick");
    CHECK(tick.count == 1);
    REQUIRE(tick.program.size() == 1);
    CHECK(tick.program[0].kind == OpKind::AwaitSleep);
    CHECK(tick.program[0].duration.kind == Distribution::Kind::Uniform);
  }

  TEST_CASE("io on a resource") {
    const auto p = program_of(load(with_pools("      - io: {time: 5ms, resource: db}\n      - io: 1ms\n")));
    CHECK(p[0].index == 0);  // the model's index of the resource
    REQUIRE(p.size() == 2);
    CHECK(p[0].kind == OpKind::Io);
    CHECK(p[0].uses_resource);
    CHECK(p[0].object == "db");
    CHECK(p[0].duration.a == 5 * kMillisecond);
    CHECK_FALSE(p[1].uses_resource);
    CHECK(p[1].object.empty());
    CHECK_ERROR(with_pools("      - io: {time: 5ms, resource: dbb}\n"),
                "t.yaml:12:35: error: unknown resource 'dbb'; did you mean 'db'?");
    CHECK_ERROR(with_pools("      - io: {time: 5ms, resource: cache}\n"),
                "t.yaml:12:35: error: unknown resource 'cache'; the resources are: db");
    CHECK_ERROR(with_pools("      - io: {time: 5ms, resorce: db}\n"),
                "t.yaml:12:25: error: unknown key 'resorce' in 'io'; did you mean 'resource'?");
    CHECK_ERROR(with_pools("      - io: {resource: db}\n"), "t.yaml:12:13: error: 'io' needs 'time'");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [await_io: {time: 1ms, resource: x}]}]}\n"),
                "t.yaml:12:75: error: unknown resource 'x'; the resources are: db");
  }

  TEST_CASE("asyncio errors") {
    CHECK_ERROR(with_pools("      - asyncio:\n"), "t.yaml:12:9: error: 'asyncio' needs 'tasks'");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: []}\n"),
                "t.yaml:12:26: error: tasks of 'asyncio' is empty: give it at least one task");
    CHECK_ERROR(with_pools("      - asyncio: {task: []}\n"),
                "t.yaml:12:19: error: unknown key 'task' in 'asyncio'; did you mean 'tasks'?");
    CHECK_ERROR(with_pools("      - asyncio: [{name: a, run: [cpu: 1ms]}]\n"),
                "t.yaml:12:18: error: expected a map for asyncio, got a list");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{run: [cpu: 1ms]}]}\n"),
                "t.yaml:12:27: error: an asyncio task needs a 'name'");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a}]}\n"),
                "t.yaml:12:27: error: task 'a' needs 'run', its list of operations");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, count: 0, run: [cpu: 1ms]}]}\n"),
                "t.yaml:12:44: error: count of task 'a' must be between 1 and 100000, got 0");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a-b, run: [cpu: 1ms]}]}\n"),
                "t.yaml:12:34: error: task name 'a-b' is not a valid name");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, runs: [cpu: 1ms]}]}\n"),
                "t.yaml:12:37: error: unknown key 'runs' in task 'a'; did you mean 'run'?");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [{to_thread: tp}]}]}\n"),
                "t.yaml:12:43: error: 'to_thread' needs 'run' with the work a worker of the pool runs");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [{to_thread: tpp, run: [cpu: 1ms]}]}]}\n"),
                "t.yaml:12:55: error: unknown pool 'tpp'; did you mean 'tp'?");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [await_io: 1]}]}\n"),
                "t.yaml:12:53: error: missing unit in '1'");
  }

  TEST_CASE("task names are unique within a variant, generated names included") {
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [cpu: 1ms]}, {name: a, run: [cpu: 1ms]}]}\n"),
                "t.yaml:12:62: error: duplicate task name 'a' (first on line 12)");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, count: 2, run: [cpu: 1ms]}]}\n"
                           "      - asyncio: {tasks: [{name: a_1, run: [cpu: 1ms]}]}\n"),
                "t.yaml:13:34: error: task name 'a_1' clashes with task 'a' on line 12: a group with a count "
                "names its tasks NAME_0, NAME_1, ...");
    CHECK_ERROR("name: t\nthreads:\n  - {name: m, run: [asyncio: {tasks: [{name: a, run: [cpu: 1ms]}]}]}\n"
                "processes:\n  - {name: p, threads: [{name: m, run: [asyncio: {tasks: [{name: a, run: [cpu: 1ms]}]}]}]}\n",
                "t.yaml:5:66: error: duplicate task name 'a' (first on line 3)");
    // Each variant is a program of its own: the same name in two is fine.
    const loader::Scenario s = load(
        "name: t\nthreads: [{name: m, run: [asyncio: {tasks: [{name: a, run: [cpu: 1ms]}]}]}]\n"
        "variants:\n  one: {}\n  two: {runtime: {python: '3.13'}}\n");
    CHECK(s.variants.size() == 2);
    // A thread and a task may share a name: tasks.a and threads.a differ.
    CHECK(program_of(load("name: t\nthreads: [{name: a, run: [asyncio: {tasks: [{name: a, run: [cpu: 1ms]}]}]}]\n"))
              .size() == 1);
  }

  TEST_CASE("where operations may be: awaits in tasks, pools from the main process, no nesting") {
    CHECK_ERROR(with_pools("      - await_io: 1ms\n"),
                "t.yaml:12:9: error: 'await_io' works only inside an asyncio task (asyncio: {tasks: [...]}); "
                "in a thread use 'io'");
    CHECK_ERROR(with_pools("      - repeat: 2\n        run: [await_sleep: 1ms]\n"),
                "t.yaml:13:15: error: 'await_sleep' works only inside an asyncio task (asyncio: {tasks: [...]}); "
                "in a thread use 'sleep'");
    CHECK_ERROR(with_pools("      - to_thread: tp\n        run: [cpu: 1ms]\n"),
                "t.yaml:12:9: error: 'to_thread' works only inside an asyncio task (asyncio: {tasks: [...]}); "
                "in a thread use 'submit'");
    CHECK_ERROR(with_pools("      - {submit: tp, run: [await_io: 1ms]}\n"),
                "t.yaml:12:28: error: 'await_io' works only inside an asyncio task (asyncio: {tasks: [...]}); "
                "in the work of 'submit', which a pool's worker runs, use 'io'");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [{to_thread: tp, run: [await_sleep: 1ms]}]}]}\n"),
                "t.yaml:12:65: error: 'await_sleep' works only inside an asyncio task");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [{map: tp, tasks: 2, run: [cpu: 1ms]}]}]}\n"),
                "t.yaml:12:44: error: 'map' inside an asyncio task is not modelled: use 'to_thread'");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [wait: all]}]}\n"),
                "t.yaml:12:43: error: 'wait' inside an asyncio task is not modelled");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [asyncio: {tasks: [{name: b, run: [cpu: 1ms]}]}]}]}\n"),
                "t.yaml:12:43: error: 'asyncio' inside an asyncio task: asyncio.run() cannot be called from a "
                "running event loop");
    CHECK_ERROR(with_pools("      - {submit: tp, run: [{submit: tp, run: [cpu: 1ms]}]}\n"),
                "t.yaml:12:29: error: 'submit' inside the work of 'submit' (which a pool's worker runs) is not "
                "modelled");
    CHECK_ERROR(with_pools("      - {map: tp, tasks: 2, run: [wait: all]}\n"),
                "t.yaml:12:35: error: 'wait' inside the work of 'map' (which a pool's worker runs) is not modelled");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [{to_thread: tp, run: [{map: tp, tasks: 2, run: [cpu: 1ms]}]}]}]}\n"),
                "t.yaml:12:66: error: 'map' inside the work of 'to_thread' (which a pool's worker runs) is not "
                "modelled");
    CHECK_ERROR(with_pools("      - {submit: tp, run: [asyncio: {tasks: [{name: b, run: [cpu: 1ms]}]}]}\n"),
                "t.yaml:12:28: error: 'asyncio' inside the work of 'submit'");
    // Shared memory: a thread pool's workers share it, process and interpreter pools' do not.
    CHECK(compiled("      - {submit: tp, run: [{lock: l, run: [increment: c]}]}\n")[0].body.size() == 4);
    CHECK(load(with_pools("      - {submit: tp, run: [{lock: l, run: [increment: c]}]}\n"))
              .variants[0]
              .config.counters == std::vector<std::string>{"c"});
    CHECK_ERROR(with_pools("      - {submit: procs, run: [{lock: l, run: [cpu: 1ms]}]}\n"),
                "t.yaml:12:32: error: 'lock' in the work of 'submit' to process pool 'procs': a worker process "
                "shares no memory with the parent");
    CHECK_ERROR(with_pools("      - {map: procs, tasks: 2, run: [{repeat: 2, run: [increment: c]}]}\n"),
                "t.yaml:12:56: error: 'increment' in the work of 'map' to process pool 'procs'");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [{to_thread: interp, run: [increment: c]}]}]}\n"),
                "t.yaml:12:69: error: 'increment' in the work of 'to_thread' to interpreter pool 'interp': a "
                "worker interpreter shares no objects with the main one");
    // Child processes: no pools; locks and counters only in the main process, tasks included.
    const std::string child = "name: t\npools: [{name: tp, kind: thread}]\nprocesses:\n  - name: p\n    threads:\n"
                              "      - name: m\n        run:\n";
    CHECK_ERROR(child + "          - {submit: tp, run: [cpu: 1ms]}\n",
                "t.yaml:8:14: error: pools are used from the main process's threads: 'submit' in a thread of "
                "process 'p' is not modelled");
    CHECK_ERROR(child + "          - asyncio: {tasks: [{name: a, run: [{to_thread: tp, run: [cpu: 1ms]}]}]}\n",
                "t.yaml:8:48: error: pools are used from the main process's threads: 'to_thread'");
    CHECK_ERROR(child + "          - asyncio: {tasks: [{name: a, run: [increment: c]}]}\n",
                "t.yaml:8:47: error: 'lock' and 'increment' are modelled in the main process's threads only");
    // Asyncio in a child process's thread is fine.
    CHECK(load(child + "          - asyncio: {tasks: [{name: a, run: [await_io: 1ms]}]}\n")
              .variants[0]
              .config.processes[0]
              .threads[0]
              .program[0]
              .kind == OpKind::Asyncio);
  }

  TEST_CASE("pools' workers and tasks are named like threads: names stay unique") {
    CHECK_ERROR("name: t\npools: [{name: w, kind: thread, workers: 2}]\nthreads: [{name: w_1, run: [cpu: 1ms]}]\n",
                "t.yaml:2:8: error: two threads are named 'w_1' (a thread of a process is named PROCESS_THREAD, a "
                "pool's workers POOL_i, a process pool's helper threads POOL_feeder and POOL_results)");
    CHECK_ERROR("name: t\npools: [{name: w, kind: process}]\nthreads: [{name: w_feeder, run: [cpu: 1ms]}]\n",
                "t.yaml:2:8: error: two threads are named 'w_feeder'");
    CHECK_ERROR("name: t\npools: [{name: w, kind: thread, workers: 9999}]\nthreads: [{name: m, count: 5, run: [cpu: 1ms]}]\n",
                "t.yaml:2:8: error: this makes 10004 threads, pools' workers included");
    CHECK_ERROR("name: t\nthreads:\n"
                "  - {name: m, count: 2, run: [asyncio: {tasks: [{name: a, run: [cpu: 1ms]}]}]}\n"
                "  - {name: z, run: [asyncio: {tasks: [{name: m_0_a, run: [cpu: 1ms]}]}]}\n",
                "t.yaml:3:3: error: two asyncio tasks are named 'm_0_a' (a task of a replicated thread or of a "
                "process's thread is named THREAD_TASK)");
    CHECK_ERROR("name: t\nthreads:\n  - {name: m, count: 100, run: [asyncio: {tasks: [{name: a, count: 20000, "
                "run: [await_io: 1ms]}]}]}\n",
                "t.yaml:3:3: error: this makes 2000000 asyncio tasks (each thread of a group runs its own): gilsim "
                "simulates at most 1000000 tasks per variant");
  }

  TEST_CASE("pools and resources in variants: the top level may name what only its variants define") {
    const loader::Scenario s = load(
        "name: t\n"
        "threads:\n"
        "  - name: main\n"
        "    run:\n"
        "      - {map: w, tasks: 4, run: [cpu: 1ms]}\n"
        "      - io: {time: 1ms, resource: db}\n"
        "variants:\n"
        "  procs:\n"
        "    pools: [{name: w, kind: process}]\n"
        "    resources: [{name: db, capacity: 4}]\n"
        "  threads:\n"
        "    pools: [{name: w, kind: thread, workers: 2}]\n"
        "    resources: [{name: db}]\n");
    REQUIRE(s.variants.size() == 2);
    CHECK(s.variants[0].config.pools[0].kind == models::PoolKind::Process);
    CHECK(s.variants[0].config.resources[0].capacity == 4);
    CHECK(s.variants[1].config.pools[0].kind == models::PoolKind::Thread);
    CHECK(s.variants[1].config.pools[0].workers == 2);
    CHECK(s.variants[1].config.resources[0].capacity == 1);
    // ... but each variant must define them.
    CHECK_ERROR("name: t\nthreads: [{name: m, run: [{submit: w, run: [cpu: 1ms]}]}]\n"
                "variants:\n  a:\n    pools: [{name: w, kind: thread}]\n  b: {}\n",
                "t.yaml:2:36: error: unknown pool 'w': define it under 'pools:'");
    // What a pool's kind forbids is checked in each variant too.
    CHECK_ERROR("name: t\nthreads: [{name: m, run: [{submit: w, run: [increment: c]}]}]\n"
                "variants:\n  a:\n    pools: [{name: w, kind: thread}]\n  b:\n    pools: [{name: w, kind: process}]\n",
                "t.yaml:2:45: error: 'increment' in the work of 'submit' to process pool 'w'");
  }

  TEST_CASE("name, claim, missing threads") {
    CHECK_ERROR("threads: [{name: main, run: [cpu: 1ms]}]\n", "t.yaml:1:1: error: missing 'name'");
    CHECK_ERROR("name: Big_One\n", "t.yaml:1:7: error: scenario name 'Big_One' may use only");
    CHECK_ERROR("name: t\nclaim: c2\n", "t.yaml:2:8: error: claim 'c2' must be written like C2");
    CHECK_ERROR("name: t\nmachine: {cores: 2}\n",
                "t.yaml:1:1: error: missing 'threads': a scenario needs at least one thread");
  }

  TEST_CASE("malformed YAML, duplicate keys, empty files") {
    CHECK_ERROR("name: t\nthreads:\n  - name: main\n   run: []\n", "t.yaml:4:");
    CHECK_ERROR("name: t\nthreads:\n  - name: main\n   run: []\n", "error: malformed YAML: ");
    CHECK_ERROR("name: t\nmachine: {cores: 2\n", "error: malformed YAML: ");
    CHECK_ERROR("name: t\nmachine:\n  cores: 2\n  cores: 4\n",
                "t.yaml:4:3: error: duplicate key 'cores' in machine (first on line 3)");
    CHECK_ERROR("name: t\nname: u\n", "t.yaml:2:1: error: duplicate key 'name' in the scenario");
    CHECK_ERROR("", "t.yaml: error: the file is empty");
    CHECK_ERROR("# only a comment\n", "t.yaml: error: the file is empty");
    CHECK_ERROR(with_run("      - cpu: 1ms\n") + "---\nname: u\n",
                "t.yaml:7:1: error: one scenario per file");
    CHECK(load(with_run("      - cpu: 1ms\n") + "---\n").name == "t");
    // yaml-cpp 0.7 reads this as an empty document (and LoadAll never returns).
    CHECK_ERROR("# c\n  ,name: t\n", "t.yaml:2:3: error: expected a scenario here");
    CHECK_ERROR("~\n", "t.yaml:1:1: error: expected a scenario here");
  }

  TEST_CASE("expect: unknown variants and metrics point at the path") {
    const std::string base =
        "name: t\n"
        "threads:\n"
        "  - {name: worker, count: 2, run: [cpu: 1ms]}\n"
        "variants:\n"
        "  threads: {}\n"
        "  sequential: {machine: {cores: 1}}\n"
        "expect:\n";
    CHECK_ERROR(base + "  - thread.wall >= 0.98 * sequential.wall\n",
                "t.yaml:8:5: error: unknown variant 'thread' in expect; did you mean 'threads'?");
    CHECK_ERROR(base + "  - threads.wall > sequential.gil.handofs\n",
                "t.yaml:8:31: error: unknown metric 'gil.handofs' of variant 'sequential'; did you "
                "mean 'gil.handoffs'?");
    CHECK_ERROR(base + "  - main.wall > 1\n",
                "unknown variant 'main' in expect; the variants are: threads, sequential");
    CHECK_ERROR(base + "  - threads.threads.worker_2.cpu > 1\n",
                "unknown metric 'threads.worker_2.cpu' of variant 'threads'; did you mean "
                "'threads.worker_0.cpu'?");
    CHECK(load(base + "  - threads.threads.worker_1.gil_wait + threads.threads.worker.cpu > 0\n")
              .expect.size() == 1);
  }

  TEST_CASE("expect: syntax errors point at the column in the file") {
    const std::string base = with_run("      - cpu: 1ms\n") + "expect:\n";
    CHECK_ERROR(base + "  - main.wall * > 2\n",
                "t.yaml:7:17: error: expected an expression after '*', got '>'\n"
                "    - main.wall * > 2\n" +
                    std::string(2 + 16, ' ') + "^");
    // In a quoted scalar the text starts after the quote.
    CHECK_ERROR(base + "  - \"main.wall * > 2\"\n", "t.yaml:7:18: error: expected an expression");
    CHECK_ERROR(base + "  - 'main.wall * > 2'\n", "t.yaml:7:18: error: expected an expression");
    // In a block scalar it starts on the next line.
    CHECK_ERROR(base + "  - >\n      main.wall * > 2\n",
                "t.yaml:8:19: error: expected an expression");
    CHECK(load(base + "  - >\n      main.wall < 2\n").expect.at(0).text == "main.wall < 2");
    CHECK_ERROR(base + "  - main.wall: 1\n",
                "t.yaml:7:5: error: expected an expression in expect, got a map (quote an "
                "expression that contains ': ')");
    CHECK_ERROR(base + "  main.wall > 1\n", "t.yaml:7:3: error: expected a list for expect, got");
  }

  TEST_CASE("figures") {
    const std::string base = with_run("      - cpu: 1ms\n") + "figures:\n";
    const loader::Scenario s = load(base + "  - {label: \"wall (s)\", expr: main.wall * 2}\n");
    REQUIRE(s.figures.size() == 1);
    CHECK(s.figures[0].label == "wall (s)");
    CHECK(s.figures[0].text == "main.wall * 2");
    CHECK(s.figures[0].pos.line == 7);
    CHECK(s.figures[0].pos.column == 31);
    CHECK(s.figures[0].expr.paths() == std::vector<std::string>{"main.wall"});
    CHECK_ERROR(base + "  - {label: x}\n", "t.yaml:7:5: error: a figure needs 'expr', the expression it shows");
    CHECK_ERROR(base + "  - {expr: main.wall}\n", "t.yaml:7:5: error: a figure needs 'label', the text that names it");
    CHECK_ERROR(base + "  - {label: x, expr: main.wal}\n",
                "t.yaml:7:27: error: unknown metric 'wal' of variant 'main'; did you mean 'wall'?");
    CHECK_ERROR(base + "  - {label: x, expression: main.wall}\n",
                "unknown key 'expression' in a figure");
  }

  TEST_CASE("an unreadable file") {
    CHECK_THROWS_WITH_AS(loader::load_scenario_file("/nonexistent/x.yaml"),
                         "error: cannot read /nonexistent/x.yaml: No such file or directory",
                         loader::InputError);
    CHECK_THROWS_WITH_AS(loader::load_scenario_file("/"), "error: cannot read /: it is a directory",
                         loader::InputError);
  }

  TEST_CASE("request streams: the listen backlog and the clients' SYN retransmissions") {
    const loader::Scenario s = load(
        "name: t\n"
        "requests:\n"
        "  - {name: a, arrival: {poisson: 1/s}, backlog: 128, syn_retries: 2, syn_timeout: 3s, run: [cpu: 1ms]}\n"
        "  - {name: b, arrival: {poisson: 1/s}, run: [cpu: 1ms]}\n"
        "threads:\n"
        "  - {name: x, run: [serve: a]}\n"
        "  - {name: y, run: [serve: b]}\n");
    const auto& r = s.variants[0].config.requests;
    REQUIRE(r.size() == 2);
    CHECK(r[0].backlog == 128);
    CHECK(r[0].syn_retries == 2);
    CHECK(r[0].syn_timeout == 3 * kSecond);
    // Defaults: no limit; Linux's 6 retries from 1 s.
    CHECK(r[1].backlog == 0);
    CHECK(r[1].syn_retries == 6);
    CHECK(r[1].syn_timeout == kSecond);
    CHECK(r[1].timeout == 0);  // clients wait for ever
    CHECK(r[1].retries == 0);
  }

  TEST_CASE("asyncio servers: limit_concurrency, uvicorn's, with serve") {
    const loader::Scenario s = load(
        "name: t\n"
        "requests:\n"
        "  - {name: a, arrival: {poisson: 1/s}, run: [await_io: 1ms]}\n"
        "  - {name: b, arrival: {poisson: 1/s}, run: [await_io: 1ms]}\n"
        "threads:\n"
        "  - {name: x, run: [asyncio: {serve: a, limit_concurrency: 100}]}\n"
        "  - {name: y, run: [asyncio: {serve: b}]}\n");
    const models::Program x = program_of(s, 0, 0), y = program_of(s, 0, 1);
    REQUIRE(find_op(x, OpKind::Asyncio) != nullptr);
    CHECK(find_op(x, OpKind::Asyncio)->limit_concurrency == 100);
    CHECK(find_op(y, OpKind::Asyncio)->limit_concurrency == 0);  // no limit, uvicorn's default
  }

  TEST_CASE("request streams: the clients' timeout and retries") {
    const loader::Scenario s = load(
        "name: t\n"
        "requests:\n"
        "  - {name: a, arrival: {poisson: 1/s}, timeout: 2500ms, retries: 3, run: [cpu: 1ms]}\n"
        "threads:\n"
        "  - {name: x, run: [serve: a]}\n");
    const auto& r = s.variants[0].config.requests;
    REQUIRE(r.size() == 1);
    CHECK(r[0].timeout == 2500 * sim::kMillisecond);
    CHECK(r[0].retries == 3);
  }

  TEST_CASE("request streams: arrivals in requests per second, mixes with weights, defaults") {
    const loader::Scenario s = load(
        "name: t\n"
        "requests:\n"
        "  - name: api\n"
        "    arrival: {poisson: 200/s}\n"
        "    duration: 5s\n"
        "    warmup: 1s\n"
        "    mix:\n"
        "      - {name: search, weight: 9, run: [await_io: 5ms]}\n"
        "      - {name: report, run: [cpu: 2ms]}\n"
        "  - {name: steady, arrival: {constant: 3/ms}, run: [cpu: 1ms]}\n"
        "  - {name: slow, arrival: {constant: 120 / min}, run: [cpu: 1ms]}\n"
        "  - {name: bursts, arrival: {burst: {size: 50, every: 1s}}, run: [cpu: 1ms]}\n"
        "  - {name: users, arrival: {closed: {clients: 20, think: {exp: 50ms}}}, run: [io: 1ms]}\n"
        "  - {name: eager, arrival: {closed: {clients: 2}}, run: [io: 1ms]}\n"
        "threads:\n"
        "  - {name: loop, run: [asyncio: {serve: api}]}\n"
        "  - {name: web, count: 2, run: [cpu: 1ms, serve: steady]}\n"
        "  - {name: a, run: [serve: slow]}\n"
        "  - {name: b, run: [serve: bursts]}\n"
        "  - {name: c, run: [serve: users]}\n"
        "  - {name: d, run: [serve: eager]}\n");
    const auto& r = s.variants[0].config.requests;
    REQUIRE(r.size() == 6);
    CHECK(r[0].name == "api");
    CHECK(r[0].arrival.kind == models::Arrival::Kind::Poisson);
    CHECK(r[0].arrival.rate == doctest::Approx(200));
    CHECK(r[0].duration == 5 * kSecond);
    CHECK(r[0].warmup == 1 * kSecond);
    REQUIRE(r[0].mix.size() == 2);
    CHECK(r[0].mix[0].name == "search");
    CHECK(r[0].mix[0].weight == 9);
    CHECK(r[0].mix[1].name == "report");
    CHECK(r[0].mix[1].weight == 1);
    CHECK(r[0].async);
    CHECK(find_op(r[0].mix[0].program, OpKind::AwaitIo) != nullptr);
    CHECK(r[1].arrival.kind == models::Arrival::Kind::Constant);
    CHECK(r[1].arrival.rate == doctest::Approx(3000));
    CHECK(r[1].duration == 10 * kSecond);
    CHECK(r[1].warmup == 0);
    CHECK_FALSE(r[1].async);
    // `run:` is one request type named after its stream.
    REQUIRE(r[1].mix.size() == 1);
    CHECK(r[1].mix[0].name == "steady");
    CHECK(r[1].mix[0].weight == 1);
    CHECK(r[1].mix[0].program.at(0).kind == OpKind::Cpu);
    CHECK(r[2].arrival.rate == doctest::Approx(2));
    CHECK(r[3].arrival.kind == models::Arrival::Kind::Burst);
    CHECK(r[3].arrival.burst_size == 50);
    CHECK(r[3].arrival.every == 1 * kSecond);
    CHECK(r[4].arrival.kind == models::Arrival::Kind::Closed);
    CHECK(r[4].arrival.clients == 20);
    CHECK(r[4].arrival.think.kind == Distribution::Kind::Exp);
    CHECK(r[4].arrival.think.a == 50 * kMillisecond);
    CHECK(r[5].arrival.think.is_constant());
    CHECK(r[5].arrival.think.a == 0);
    // Requests are a setting: a variant replaces the list whole.
    const loader::Scenario v = load(
        "name: t\nrequests: [{name: api, arrival: {poisson: 10/s}, run: [cpu: 1ms]}]\n"
        "threads: [{name: web, run: [serve: api]}]\n"
        "variants:\n  base: {}\n  fast:\n    requests: [{name: api, arrival: {poisson: 1/ms}, run: [cpu: 1ms]}]\n");
    CHECK(v.variants[0].config.requests.at(0).arrival.rate == doctest::Approx(10));
    CHECK(v.variants[1].config.requests.at(0).arrival.rate == doctest::Approx(1000));
  }

  TEST_CASE("serve and asyncio serve name their stream by index") {
    const loader::Scenario s = load(
        "name: t\n"
        "threads:\n"
        "  - {name: web, run: [cpu: 1ms, serve: b]}\n"
        "  - {name: loop, run: [asyncio: {serve: a, tasks: [{name: tick, run: [await_sleep: 1ms]}]}]}\n"
        "requests:\n"
        "  - {name: a, arrival: {poisson: 1/s}, run: [await_sleep: 1ms]}\n"
        "  - {name: b, arrival: {poisson: 1/s}, run: [sleep: 1ms]}\n");
    // The model lowers `serve` into its own operations: its op is checked as
    // the loader compiles it, with the same streams.
    const std::vector<std::string> streams = {"a", "b"};
    std::vector<loader::StreamServer> servers;
    const loader::YamlSource src("t.yaml", "run: [cpu: 1ms, serve: b]\n");
    loader::ProgramContext context;
    context.streams = &streams;
    context.servers = &servers;
    const models::Program p = loader::read_program(src, src.parse()["run"], "web", context);
    REQUIRE(p.size() == 2);
    CHECK(p[1].kind == OpKind::Serve);
    CHECK(p[1].object == "b");
    CHECK(p[1].index == 1);
    REQUIRE(servers.size() == 1);
    CHECK(servers[0].stream == "b");
    CHECK_FALSE(servers[0].asyncio);
    const models::Program loop_program = program_of(s, 0, 1);  // a copy: find_op points into it
    const models::Op* loop = find_op(loop_program, OpKind::Asyncio);
    REQUIRE(loop != nullptr);
    CHECK(loop->object == "a");
    CHECK(loop->serve == 0);
    CHECK(loop->tasks.size() == 1);
    CHECK(s.variants[0].config.requests[0].async);
    CHECK_FALSE(s.variants[0].config.requests[1].async);
    // Serving only: no tasks.
    const loader::Scenario only = load("name: t\nthreads: [{name: loop, run: [asyncio: {serve: a}]}]\n"
                                    "requests: [{name: a, arrival: {poisson: 1/s}, run: [await_io: 1ms]}]\n");
    CHECK(find_op(program_of(only), OpKind::Asyncio)->tasks.empty());
    // Other asyncio operations serve nothing.
    CHECK(compiled("      - asyncio: {tasks: [{name: a, run: [await_io: 1ms]}]}\n")[0].serve == -1);
    // A process's thread may serve; the top level may serve what only the variants define.
    CHECK(load("name: t\nprocesses: [{name: p, count: 2, threads: [{name: w, run: [serve: a]}]}]\n"
               "requests: [{name: a, arrival: {poisson: 1/s}, run: [cpu: 1ms]}]\n")
              .variants[0].config.requests.size() == 1);
    CHECK(load("name: t\nthreads: [{name: web, run: [serve: a]}]\n"
               "variants:\n  v:\n    requests: [{name: a, arrival: {poisson: 1/s}, run: [cpu: 1ms]}]\n")
              .variants.size() == 1);
  }

  TEST_CASE("submit inside an asyncio task is fire-and-forget") {
    const models::Program p =
        compiled("      - {submit: tp, run: [cpu: 1ms]}\n"
                 "      - asyncio: {tasks: [{name: a, run: [{submit: procs, run: [cpu: 1ms]}, await_io: 1ms]}]}\n");
    CHECK_FALSE(p[0].detached);
    REQUIRE(p[1].tasks.size() == 1);
    CHECK(p[1].tasks[0].program[0].kind == OpKind::Submit);
    CHECK(p[1].tasks[0].program[0].detached);
    CHECK(p[1].tasks[0].program[0].object == "procs");
    // ... in an async stream's requests too, not in a thread-served one's.
    const loader::Scenario s = load(
        "name: t\npools: [{name: tp, kind: thread}]\n"
        "threads: [{name: loop, run: [asyncio: {serve: a}]}, {name: web, run: [serve: b]}]\n"
        "requests:\n"
        "  - {name: a, arrival: {poisson: 1/s}, run: [{submit: tp, run: [cpu: 1ms]}]}\n"
        "  - {name: b, arrival: {poisson: 1/s}, run: [{submit: tp, run: [cpu: 1ms]}, wait: all]}\n");
    const auto& r = s.variants[0].config.requests;
    const models::Op* in_task = find_op(r[0].mix[0].program, OpKind::Submit);
    const models::Op* in_thread = find_op(r[1].mix[0].program, OpKind::Submit);
    if (in_task) CHECK(in_task->detached);       // the model may have lowered it
    if (in_thread) CHECK_FALSE(in_thread->detached);
  }

  TEST_CASE("celery pools: a broker resource and its costs") {
    const loader::Scenario s = load(
        "name: t\n"
        "resources: [{name: db}, {name: redis, capacity: 100}]\n"
        "pools:\n"
        "  - {name: jobs, kind: celery, workers: 8, cores: [1], broker: redis, broker_latency: 500us,\n"
        "     poll_interval: 20ms, publish_cost: 0ms}\n"
        "  - {name: lazy, kind: celery, broker: redis, startup: 1s}\n"
        "threads: [{name: m, run: [{submit: jobs, run: [cpu: 1ms]}]}]\n");
    const auto& p = s.variants[0].config.pools;
    REQUIRE(p.size() == 2);
    CHECK(p[0].kind == models::PoolKind::Celery);
    CHECK(p[0].workers == 8);
    CHECK(p[0].cores == std::vector<int>{1});
    CHECK(p[0].broker == "redis");
    CHECK(p[0].broker_index == 1);
    CHECK(p[0].broker_latency == 500 * kMicrosecond);
    CHECK(p[0].poll_interval == 20 * kMillisecond);
    CHECK(p[0].publish_cost == 0);
    CHECK(p[0].startup == -1);  // the model's default: started before the run
    CHECK(p[1].broker_latency == -1);
    CHECK(p[1].poll_interval == -1);
    CHECK(p[1].publish_cost == -1);
    CHECK(p[1].startup == 1 * kSecond);
  }

  TEST_CASE("celery pool errors") {
    const std::string head = "name: t\nresources: [{name: redis}]\npools:\n";
    const std::string threads = "threads: [{name: m, run: [cpu: 1ms]}]\n";
    CHECK_ERROR(head + "  - {name: j, kind: celery, broker: redis, broker_latency: 0ms}\n" + threads,
                "t.yaml:4:60: error: broker_latency of pool 'j' must be above 0");
    CHECK_ERROR(head + "  - {name: j, kind: celery, broker: redis, poll_interval: {exp: 1ms}}\n" + threads,
                "t.yaml:4:59: error: poll_interval of pool 'j' must be a fixed duration");
    CHECK_ERROR(head + "  - {name: j, kind: celery, broker: redis, publish_cost: -1us}\n" + threads,
                "t.yaml:4:58: error: a duration cannot be negative");
    CHECK_ERROR(head + "  - {name: j, kind: process, broker: redis}\n" + threads,
                "t.yaml:4:30: error: broker applies to celery pools; pool 'j' is a process pool");
    CHECK_ERROR(head + "  - {name: j, kind: celery, broker: db}\n" + threads,
                "t.yaml:4:37: error: unknown resource 'db'; the resources are: redis");
    CHECK_ERROR("name: t\npools: [{name: j, kind: celery, broker: redis}]\n" + threads,
                "t.yaml:2:41: error: unknown resource 'redis': define it under 'resources:'");
    CHECK_ERROR(head + "  - {name: j, kind: celery, broker: redis}\n"
                       "threads: [{name: m, run: [{map: j, tasks: 2, run: [increment: c]}]}]\n",
                "t.yaml:5:52: error: 'increment' in the work of 'map' to celery pool 'j'");
  }

  TEST_CASE("rates") {
    CHECK(loader::parse_rate("200/s").value == doctest::Approx(200));
    CHECK(loader::parse_rate(" 1.5 / ms ").value == doctest::Approx(1500));
    CHECK(loader::parse_rate("6/min").value == doctest::Approx(0.1));
    CHECK(loader::parse_rate("1e3/s").value == doctest::Approx(1000));
    CHECK(contains(loader::parse_rate("200").problem, "missing unit in rate '200': write 200/s, 200/ms or 200/min"));
    CHECK(contains(loader::parse_rate("200/h").problem, "unknown unit '/h'"));
    CHECK(contains(loader::parse_rate("200 per s").problem, "unknown rate '200 per s'"));
    CHECK(contains(loader::parse_rate("fast").problem, "expected a rate like 200/s"));
    CHECK(contains(loader::parse_rate("0/s").problem, "a rate must be above 0"));
    CHECK(contains(loader::parse_rate("-1/s").problem, "a rate must be above 0"));
    CHECK(contains(loader::parse_rate("1e400/s").problem, "too large"));
  }

  TEST_CASE("request stream errors") {
    const std::string serve = "threads: [{name: web, run: [serve: api]}]\n";
    const auto stream = [&](const std::string& fields) {
      return "name: t\nrequests:\n  - {name: api, " + fields + "}\n" + serve;
    };
    CHECK_ERROR(stream("run: [cpu: 1ms]"), "t.yaml:3:5: error: request stream 'api' needs 'arrival'");
    CHECK_ERROR(stream("arrival: {poisson: 1/s, constant: 1/s}, run: [cpu: 1ms]"),
                "t.yaml:3:41: error: arrival of request stream 'api' has one kind: 'poisson' or 'constant', not both");
    CHECK_ERROR(stream("arrival: {}, run: [cpu: 1ms]"), "t.yaml:3:26: error: arrival of request stream 'api' is empty");
    CHECK_ERROR(stream("arrival: {poisson: [1/s]}, run: [cpu: 1ms]"),
                "t.yaml:3:36: error: expected a rate (NUMBER/s, NUMBER/ms or NUMBER/min (like 200/s)) for the rate");
    CHECK_ERROR(stream("arrival: {burst: {size: 5}}, run: [cpu: 1ms]"),
                "t.yaml:3:34: error: 'burst' needs 'every', the time between bursts");
    CHECK_ERROR(stream("arrival: {burst: {size: 0, every: 1s}}, run: [cpu: 1ms]"),
                "t.yaml:3:41: error: size of the bursts of request stream 'api' must be between 1 and 1000000, got 0");
    CHECK_ERROR(stream("arrival: {burst: {size: 5, every: 0s}}, run: [cpu: 1ms]"),
                "t.yaml:3:51: error: the time between bursts of request stream 'api' must be above 0");
    CHECK_ERROR(stream("arrival: {closed: {clients: 2, thinks: 1ms}}, run: [cpu: 1ms]"),
                "t.yaml:3:48: error: unknown key 'thinks' in 'closed' of request stream 'api'; did you mean 'think'?");
    CHECK_ERROR(stream("arrival: {poisson: 1/s}, duration: 0s, run: [cpu: 1ms]"),
                "t.yaml:3:52: error: duration of request stream 'api' must be above 0");
    CHECK_ERROR(stream("arrival: {poisson: 1/s}, warmup: 10s, run: [cpu: 1ms]"),
                "t.yaml:3:50: error: warmup of request stream 'api' must be shorter than its duration (10s)");
    CHECK_ERROR(stream("arrival: {poisson: 1/s}, mix: []"),
                "t.yaml:3:47: error: mix of request stream 'api' is empty");
    CHECK_ERROR(stream("arrival: {poisson: 1/s}, mix: [{run: [cpu: 1ms]}]"),
                "t.yaml:3:48: error: a request type in the mix of request stream 'api' needs a 'name'");
    CHECK_ERROR(stream("arrival: {poisson: 1/s}, mix: [{name: a}]"),
                "t.yaml:3:48: error: request type 'a' needs 'run'");
    CHECK_ERROR(stream("arrival: {poisson: 1/s}, mix: [{name: a, weight: -1, run: [cpu: 1ms]}]"),
                "t.yaml:3:66: error: weight of request type 'a' must be above 0");
    CHECK_ERROR(stream("arrival: {poisson: 1/s}, run: [cpu: 1ms], rate: 5/s"),
                "t.yaml:3:59: error: unknown key 'rate' in request stream 'api'");
    CHECK_ERROR(stream("arrival: {poisson: 1/s}, run: []"), "t.yaml:3:47: error: run of request 'api' of stream 'api' is empty");
    CHECK_ERROR("name: t\nthreads: [{name: web, run: [serve: api]}]\n",
                "t.yaml:2:36: error: unknown request stream 'api': define it under 'requests:'");
    CHECK_ERROR("name: t\nrequests: [{name: api-v1, arrival: {poisson: 1/s}, run: [cpu: 1ms]}]\n" + serve,
                "t.yaml:2:19: error: request stream name 'api-v1' is not a valid name");
  }

  TEST_CASE("where serve may be, and what a request may do") {
    const std::string api = "requests: [{name: api, arrival: {poisson: 1/s}, run: [cpu: 1ms]}]\n";
    CHECK_ERROR("name: t\n" + api + "threads: [{name: w, run: [{lock: l, run: [serve: api]}]}]\n",
                "t.yaml:3:43: error: serve must be the thread's last operation: it never returns, so it cannot be "
                "inside 'lock'");
    CHECK_ERROR("name: t\npools: [{name: tp, kind: thread}]\n" + api +
                    "threads: [{name: w, run: [{submit: tp, run: [serve: api]}]}]\n",
                "t.yaml:4:46: error: 'serve' inside the work of 'submit' (which a pool's worker runs) is not modelled");
    // A thread may serve several streams one after the other? No: serve never returns.
    CHECK_ERROR("name: t\n" + api + "threads: [{name: w, run: [serve: api, serve: api]}]\n",
                "t.yaml:3:27: error: serve must be the thread's last operation");
    const auto served_by = [](const std::string& server, const std::string& run) {
      return "name: t\npools: [{name: tp, kind: thread}]\nthreads: [{name: w, run: [" + server +
             "]}]\nrequests:\n  - name: api\n    arrival: {poisson: 1/s}\n    run: " + run + "\n";
    };
    CHECK_ERROR(served_by("serve: api", "[serve: api]"),
                "t.yaml:7:11: error: 'serve' inside a request of stream 'api' is not modelled");
    CHECK_ERROR(served_by("asyncio: {serve: api}", "[serve: api]"),
                "t.yaml:7:11: error: 'serve' inside a request of stream 'api' is not modelled");
    CHECK_ERROR(served_by("serve: api", "[asyncio: {tasks: [{name: a, run: [cpu: 1ms]}]}]"),
                "t.yaml:7:11: error: 'asyncio' inside a request of stream 'api', which threads serve");
    CHECK_ERROR(served_by("asyncio: {serve: api}", "[{map: tp, tasks: 2, run: [cpu: 1ms]}]"),
                "t.yaml:7:12: error: 'map' inside an asyncio task is not modelled");
    CHECK_ERROR(served_by("serve: api", "[{to_thread: tp, run: [cpu: 1ms]}]"),
                "t.yaml:7:12: error: 'to_thread' works only inside an asyncio task");
    CHECK_ERROR(served_by("serve: api", "[{submit: tp, run: [await_io: 1ms]}]"),
                "t.yaml:7:30: error: 'await_io' works only inside an asyncio task (asyncio: {tasks: [...]}); in the "
                "work of 'submit', which a pool's worker runs, use 'io'");
    CHECK_ERROR(served_by("serve: api", "[{submit: tpp, run: [cpu: 1ms]}]"),
                "t.yaml:7:20: error: unknown pool 'tpp'; did you mean 'tp'?");
    CHECK_ERROR(served_by("asyncio: {serve: api}", "[wait: all]"),
                "t.yaml:7:11: error: 'wait' inside an asyncio task is not modelled");
    CHECK(load(served_by("serve: api", "[{submit: tp, run: [cpu: 1ms]}, wait: all, io: 1ms]"))
              .variants[0].config.requests[0].mix[0].program.size() >= 3);
    CHECK(load(served_by("asyncio: {serve: api}", "[{to_thread: tp, run: [cpu: 1ms]}, await_sleep: 1ms, cpu: 1ms]"))
              .variants[0].config.requests[0].async);
    // A request served in a child process runs there: no pools, no shared counters.
    CHECK_ERROR("name: t\npools: [{name: tp, kind: thread}]\n"
                "processes: [{name: p, threads: [{name: w, run: [serve: api]}]}]\n"
                "requests: [{name: api, arrival: {poisson: 1/s}, run: [{submit: tp, run: [cpu: 1ms]}]}]\n",
                "t.yaml:4:56: error: pools are used from the main process's threads: 'submit' in a thread of process 'p'");
    CHECK_ERROR("name: t\nthreads: [{name: w, run: [serve: api]}, {name: v, run: [asyncio: {serve: api}]}]\n" +
                    api,
                "t.yaml:2:74: error: request stream 'api' is served by an asyncio loop here and by threads on line 2");
    CHECK_ERROR("name: t\nthreads: [{name: v, run: [asyncio: {serve: api}]}]\n"
                "processes: [{name: p, threads: [{name: w, run: [serve: api]}]}]\n" + api,
                "t.yaml:3:56: error: request stream 'api' is served by threads here and by an asyncio loop on line 2");
  }

  TEST_CASE("the bad-input files under tests/bad are each rejected") {
    // Their exact messages are checked by ctest through `gilsim check`; here,
    // that loading them throws at a place in the file.
    for (const char* name : {"unknown_key", "wrong_type", "missing_unit", "zero_cores"}) {
      const std::string path = std::string(GILSIM_SOURCE_DIR) + "/tests/bad/" + name + ".yaml";
      CHECK_THROWS_AS(loader::load_scenario_file(path), loader::InputError);
    }
  }
}
