// A whole scenario file: its own keys, variants, expectations and figures, and
// what a file that cannot be read or is not a scenario gives.
#include "loader/scenario.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "models/setting_values.h"
#include "tests/loader/load_helpers.h"

using namespace load_helpers;

namespace {

// The example of the scenario format gilsim started from, verbatim apart from comments.
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
    CHECK(models::resolve_runtime(threads.runtime).gil->name == std::string("new GIL"));
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

  TEST_CASE("--seed overrides the file's seed in every variant") {
    loader::LoadOptions options;
    options.override_seed = true;
    options.seed = 7;
    const loader::Scenario s = load(kContractExample, options);
    CHECK(s.seed == 7);
    for (const auto& v : s.variants) CHECK(v.config.seed == 7);
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

  TEST_CASE("expect: a variant's settings by their names in the format, with the values it runs with") {
    // Every readable setting written out in the scenario with a value unlike
    // its default, so that a name that no longer matches its YAML key, or a
    // value read from the wrong field, fails here.
    const std::string yaml =
        "name: t\n"
        "machine: {cores: 3, context_switch: 3us, wakeup_latency: {uniform: [10us, 30us]}, idle_poll: 7us,\n"
        "          polled_wakeup_latency: 2us, timeslice: 4ms, futex_wake: 3us, futex_wake_nobody: 300ns,\n"
        "          wakeup_cpu: 6us, timer_slack: 11us, timed_wait_cpu: 9us, timed_wait_return_cpu: 13us,\n"
        "          cache_refill: 4us,\n"
        "          wakeup_preemption: false, scheduler_tick: 8ms}\n"
        "runtime: {switch_interval: 2ms, eval_breaker_granularity: 200ns, pickle_per_call: 5us,\n"
        "          pickle_per_byte: 0.5ns, ipc_per_call: 6us, ipc_per_byte: 0.25ns, loop_step: 3us,\n"
        "          process_startup: {fork: 2ms, forkserver: 30ms, spawn: 90ms},\n"
        "          process_start_interval: {fork: 500us, forkserver: 600us, spawn: 700us},\n"
        "          resource_tracker_start: 800us, increment_time: 70ns}\n"
        "threads:\n"
        "  - {name: worker, run: [cpu: 1ms]}\n"
        "variants:\n"
        "  new_gil: {}\n"
        "  old_gil: {runtime: {python: \"2.7\", check_interval: 50, tick: 30ns, release_gap: 80ns}}\n"
        "expect:\n"
        "  - new_gil.machine.timer_slack == 11us\n"
        "  - old_gil.runtime.process_startup.spawn > 0\n";
    const loader::Scenario s = load(yaml);
    REQUIRE(s.variants.size() == 2);
    const auto& c = s.variants[0].config;
    const auto value = [](const models::SimulationConfig& config, const char* name) {
      const auto v = models::setting_value(config, name);
      REQUIRE_MESSAGE(v.has_value(), name);
      return *v;
    };
    const std::vector<std::pair<const char*, double>> expected = {
        {"machine.cores", 3},
        {"machine.context_switch", 3e-6},
        {"machine.wakeup_latency", 20e-6},  // a distribution: its mean
        {"machine.idle_poll", 7e-6},
        {"machine.polled_wakeup_latency", 2e-6},
        {"machine.timeslice", 4e-3},
        {"machine.futex_wake", 3e-6},
        {"machine.futex_wake_nobody", 300e-9},
        {"machine.wakeup_cpu", 6e-6},
        {"machine.timer_slack", 11e-6},
        {"machine.timed_wait_cpu", 9e-6},
        {"machine.timed_wait_return_cpu", 13e-6},
        {"machine.cache_refill", 4e-6},
        {"machine.wakeup_preemption", 0},
        {"machine.scheduler_tick", 8e-3},
        {"runtime.switch_interval", 2e-3},
        {"runtime.eval_breaker_granularity", 200e-9},
        {"runtime.pickle_per_call", 5e-6},
        {"runtime.pickle_per_byte", 0.5e-9},
        {"runtime.ipc_per_call", 6e-6},
        {"runtime.ipc_per_byte", 0.25e-9},
        {"runtime.loop_step", 3e-6},
        {"runtime.process_startup.fork", 2e-3},
        {"runtime.process_startup.forkserver", 30e-3},
        {"runtime.process_startup.spawn", 90e-3},
        {"runtime.process_start_interval.fork", 500e-6},
        {"runtime.process_start_interval.forkserver", 600e-6},
        {"runtime.process_start_interval.spawn", 700e-6},
        {"runtime.resource_tracker_start", 800e-6},
        {"runtime.increment_time", 70e-9},
    };
    for (const auto& [name, v] : expected) CHECK_MESSAGE(value(c, name) == doctest::Approx(v).epsilon(1e-12), name);
    // The variant's own settings over the top level's.
    const auto& old = s.variants[1].config;
    CHECK(value(old, "runtime.check_interval") == 50);
    CHECK(value(old, "runtime.tick") == doctest::Approx(30e-9));
    CHECK(value(old, "runtime.release_gap") == doctest::Approx(80e-9));
    CHECK(value(old, "machine.timer_slack") == doctest::Approx(11e-6));
    // Every readable setting is one of these: a new one needs its line here.
    CHECK(models::setting_names().size() == expected.size() + 3);

    const std::string base =
        "name: t\n"
        "threads:\n"
        "  - {name: worker, run: [cpu: 1ms]}\n"
        "expect:\n";
    CHECK_ERROR(base + "  - main.machine.timer_slak > 0\n",
                "t.yaml:5:10: error: unknown setting 'machine.timer_slak' of variant 'main'; did you "
                "mean 'machine.timer_slack'?");
    // Text settings and the scheduler's derived defaults are not numbers to read.
    CHECK_ERROR(base + "  - main.runtime.python > 3\n", "unknown setting 'runtime.python' of variant 'main'");
    CHECK_ERROR(base + "  - main.machine.wakeup_granularity > 0\n",
                "unknown setting 'machine.wakeup_granularity' of variant 'main'");
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

  TEST_CASE("the bad-input files under tests/bad are each rejected") {
    // Their exact messages are checked by ctest through `gilsim check`; here,
    // that loading them throws at a place in the file.
    for (const char* name : {"unknown_key", "wrong_type", "missing_unit", "zero_cores"}) {
      const std::string path = std::string(GILSIM_SOURCE_DIR) + "/tests/bad/" + name + ".yaml";
      CHECK_THROWS_AS(loader::load_scenario_file(path), loader::InputError);
    }
  }
}
