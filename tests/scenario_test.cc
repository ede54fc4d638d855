// Scenario files: what a valid file compiles to, and the message (with its
// file:line:column) for each kind of bad input. Also InputError's rendering
// and the did-you-mean matcher that every message uses.
#include "app/scenario.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "app/input_error.h"

namespace {

using models::OpKind;
using sim::Distribution;
using sim::kMicrosecond;
using sim::kMillisecond;
using sim::kSecond;

app::Scenario load(const std::string& yaml, const app::LoadOptions& options = {}) {
  return app::load_scenario_text(yaml, "t.yaml", options);
}

// The rendered error of loading `yaml`, or "(no error)".
std::string error_of(const std::string& yaml) {
  try {
    load(yaml);
  } catch (const app::InputError& e) {
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

// A copy: the scenario is often a temporary.
models::Program program_of(const app::Scenario& s, std::size_t variant = 0, std::size_t group = 0) {
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
    app::InputError e({"x.yaml", 12, 5}, "unknown key 'swich_interval'", "    swich_interval: 5ms");
    CHECK(std::string(e.what()) ==
          "x.yaml:12:5: error: unknown key 'swich_interval'\n"
          "      swich_interval: 5ms\n"
          "      ^");
    CHECK(e.message() == "unknown key 'swich_interval'");
    CHECK(e.pos().line == 12);
  }

  TEST_CASE("without a place, or without the line") {
    CHECK(std::string(app::InputError({"", 0, 0}, "cannot read x").what()) ==
          "error: cannot read x");
    CHECK(std::string(app::InputError({"f.yaml", 0, 0}, "empty").what()) == "f.yaml: error: empty");
    CHECK(std::string(app::InputError({"f.yaml", 3, 1}, "bad").what()) == "f.yaml:3:1: error: bad");
  }

  TEST_CASE("the caret keeps tabs and counts a UTF-8 character once") {
    app::InputError tab({"f", 1, 3}, "m", "\tab");
    CHECK(contains(tab.what(), "\n  \tab\n  \t ^"));
    app::InputError micro({"f", 1, 5}, "m", "\xc2\xb5s x");  // "µs x": 'x' is byte 5
    CHECK(contains(micro.what(), "\n     ^"));               // 2 + 3 columns
  }

  TEST_CASE("closest_match: likely typos only, first candidate on ties") {
    const std::vector<std::string> runtime = {"python", "switch_interval", "check_interval",
                                              "eval_breaker_granularity", "wake"};
    CHECK(app::closest_match("swich_interval", runtime) == "switch_interval");
    CHECK(app::closest_match("swithc_interval", runtime) == "switch_interval");  // transposition
    CHECK(app::closest_match("pyhton", runtime) == "python");
    CHECK(app::closest_match("mean", {"min", "max", "abs"}) == "min");
    CHECK(app::closest_match("CPU", {"cpu", "io"}) == "cpu");
    CHECK(app::closest_match("colour", runtime).empty());
    CHECK(app::closest_match("x", {"io", "cpu"}).empty());
    CHECK(app::closest_match("ab", {}).empty());
  }
}

TEST_SUITE("scenario") {
  TEST_CASE("the contract's example loads") {
    const app::Scenario s = load(kContractExample);
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
    const app::Scenario s =
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
    const app::Scenario s = load(
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
    const app::Scenario s = load(with_run("      - cpu: 1ms\n"));
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
    app::LoadOptions options;
    options.override_seed = true;
    options.seed = 7;
    const app::Scenario s = load(kContractExample, options);
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
    const app::Scenario s = load(
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
    const app::Scenario s = load(
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
    CHECK_ERROR(head + "  v:\n    pools: []\n", "t.yaml:5:5: error: 'pools' is not modelled yet");
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
    const app::Scenario s = load(
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

  TEST_CASE("operations: unknown, not modelled yet, malformed") {
    CHECK_ERROR(with_run("      - cpuu: 1ms\n"),
                "t.yaml:5:9: error: unknown operation 'cpuu'; did you mean 'cpu'?");
    CHECK_ERROR(
        with_run("      - compute: 1ms\n"),
        "unknown operation 'compute'; the operations are cpu, native, io, sleep, repeat, lock and increment");
    for (const char* op : {"submit", "map", "wait", "asyncio", "await_io", "await_sleep", "to_thread"}) {
      CHECK_ERROR(with_run(std::string("      - ") + op + ": x\n"),
                  std::string("t.yaml:5:9: error: operation '") + op + "' is not modelled yet");
    }
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
                "t.yaml:5:25: error: resources are not modelled yet");
    CHECK_ERROR(with_run("      - io: {tim: 5ms}\n"),
                "unknown key 'tim' in 'io'; did you mean 'time'?");
  }

  TEST_CASE("processes: each with its threads, a start method, names unique across processes") {
    const app::Scenario s = load(
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

  TEST_CASE("pools and resources are not modelled yet") {
    CHECK_ERROR("name: t\npools: []\n", "t.yaml:2:1: error: 'pools' is not modelled yet");
    CHECK_ERROR("name: t\nresources: []\n", "t.yaml:2:1: error: 'resources' is not modelled yet");
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
    const app::Scenario s = load(base + "  - {label: \"wall (s)\", expr: main.wall * 2}\n");
    REQUIRE(s.figures.size() == 1);
    CHECK(s.figures[0].label == "wall (s)");
    CHECK(s.figures[0].text == "main.wall * 2");
    CHECK(s.figures[0].pos.line == 7);
    CHECK(s.figures[0].pos.column == 31);
    CHECK(s.figures[0].expr.paths() == std::vector<std::string>{"main.wall"});
    CHECK_ERROR(base + "  - {label: x}\n", "t.yaml:7:5: error: a figure needs 'label' and 'expr'");
    CHECK_ERROR(base + "  - {label: x, expr: main.wal}\n",
                "t.yaml:7:27: error: unknown metric 'wal' of variant 'main'; did you mean 'wall'?");
    CHECK_ERROR(base + "  - {label: x, expression: main.wall}\n",
                "unknown key 'expression' in a figure");
  }

  TEST_CASE("an unreadable file") {
    CHECK_THROWS_WITH_AS(app::load_scenario_file("/nonexistent/x.yaml"),
                         "error: cannot read /nonexistent/x.yaml: No such file or directory",
                         app::InputError);
    CHECK_THROWS_WITH_AS(app::load_scenario_file("/"), "error: cannot read /: it is a directory",
                         app::InputError);
  }

  TEST_CASE("the bad-input files under tests/bad are each rejected") {
    // Their exact messages are checked by ctest through `gilsim check`; here,
    // that loading them throws at a place in the file.
    for (const char* name : {"unknown_key", "wrong_type", "missing_unit", "zero_cores"}) {
      const std::string path = std::string(GILSIM_SOURCE_DIR) + "/tests/bad/" + name + ".yaml";
      CHECK_THROWS_AS(app::load_scenario_file(path), app::InputError);
    }
  }
}
