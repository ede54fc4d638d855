// The settings of a variant: machine, runtime (python and gil included), time
// limits, and the checks made once every thread is read.
#include "loader/scenario_config.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/loader/load_helpers.h"

using namespace load_helpers;

TEST_SUITE("scenario_config") {
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
    CHECK(models::resolve_runtime(c.runtime).version->minor == 10);
    CHECK(c.runtime.switch_interval == 500);  // as written: the new GIL makes it 1 us, as CPython does
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

  TEST_CASE("python versions") {
    auto with_python = [](const std::string& v) {
      return "name: t\nruntime:\n  python: " + v + "\nthreads: [{name: main, run: [cpu: 1ms]}]\n";
    };
    const auto runtime_of = [&](const std::string& v) {
      return models::resolve_runtime(load(with_python(v)).variants[0].config.runtime);
    };
    CHECK(runtime_of("3.2").version->minor == 2);
    CHECK(runtime_of("\"3.14\"").version->minor == 14);
    CHECK(runtime_of("2.7").gil->name == std::string("old GIL"));
    CHECK(runtime_of("3.1").gil->name == std::string("old GIL"));
    CHECK(runtime_of("3.12").gil->name == std::string("new GIL"));
    CHECK(runtime_of("3.13t").gil->name == std::string("no GIL"));
    CHECK(runtime_of("3.13t").cpu_overhead == doctest::Approx(1.40));
    CHECK(runtime_of("3.14t").cpu_overhead == doctest::Approx(1.08));
    CHECK(runtime_of("3.12").cpu_overhead == 1.0);
    CHECK_ERROR(with_python("3.15"),
                "t.yaml:3:11: error: unknown python version '3.15'; valid: \"2.0\" .. \"2.7\", \"2.x\", \"3.0\", "
                "\"3.1\" (old GIL), \"3.2\" .. \"3.14\" (new GIL), \"3.13t\", \"3.14t\" (free-threaded)");
    CHECK_ERROR(with_python("pypy"), "unknown python version 'pypy'");
  }

  TEST_CASE("free-threaded builds: the GIL can be enabled again, and only there") {
    const auto with = [](const std::string& python, const std::string& gil) {
      return "name: t\nruntime:\n  python: \"" + python + "\"\n  gil: " + gil +
             "\nthreads: [{name: main, run: [cpu: 1ms]}]\n";
    };
    const auto resolved = [](const loader::Scenario& s) { return models::resolve_runtime(s.variants[0].config.runtime); };
    CHECK(resolved(load(with("3.13t", "enabled"))).gil->name == std::string("new GIL"));
    CHECK(resolved(load(with("3.13t", "enabled"))).cpu_overhead == doctest::Approx(1.40));
    CHECK(resolved(load(with("3.14t", "disabled"))).gil->name == std::string("no GIL"));
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

  TEST_CASE("machine and runtime: each key's limits") {
    CHECK_ERROR("name: t\nmachine: {timeslice: 0ms}\n", "t.yaml:2:22: error: machine.timeslice must be above 0");
    CHECK_ERROR("name: t\nmachine: {wakeup_preemption: yes}\n",
                "t.yaml:2:30: error: machine.wakeup_preemption is true or false, got 'yes'");
    CHECK_ERROR("name: t\nruntime: {tick: 0ns}\n", "t.yaml:2:17: error: runtime.tick must be above 0");
    CHECK_ERROR("name: t\nruntime: {eval_breaker_granularity: 0ns}\n",
                "t.yaml:2:37: error: runtime.eval_breaker_granularity must be above 0");
    CHECK_ERROR("name: t\nruntime: {increment_time: 1ns}\n",
                "t.yaml:2:27: error: runtime.increment_time must be at least 2ns");
    CHECK_ERROR("name: t\nruntime: {check_interval: 0}\n",
                "t.yaml:2:27: error: runtime.check_interval must be between 1 and 1000000000, got 0");
    CHECK_ERROR("name: t\nruntime: {cpu_overhead: 20}\n",
                "t.yaml:2:25: error: runtime.cpu_overhead is a factor on bytecode CPU time, from 0.1 to 10");
    CHECK_ERROR("name: t\nruntime: {wake: lifo}\n", "t.yaml:2:17: error: runtime.wake is 'fifo' or 'random', got 'lifo'");
    CHECK_ERROR("name: t\ntime_limit: 0s\n", "t.yaml:2:13: error: time_limit must be above 0");
    // python is read first, whatever the order: it sets cpu_overhead's default.
    const auto r = load("name: t\nruntime: {cpu_overhead: 2, python: \"3.13t\"}\nthreads: [{name: m, run: [cpu: 1ms]}]\n")
                       .variants[0]
                       .config.runtime;
    CHECK(models::resolve_runtime(r).cpu_overhead == 2);
    CHECK(models::resolve_runtime(r).version->free_threaded);
  }

  TEST_CASE("threads: [] is a main process that only starts its processes") {
    const loader::Scenario s =
        load("name: t\nthreads: []\nprocesses: [{name: p, threads: [{name: m, run: [cpu: 1ms]}]}]\n");
    CHECK(s.variants[0].config.threads.empty());
    CHECK(s.variants[0].config.processes.size() == 1);
  }
}
