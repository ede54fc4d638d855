// Threads and processes: counts, limits, core affinity, start methods.
#include "loader/scenario_threads.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/loader/load_helpers.h"

using namespace load_helpers;

TEST_SUITE("scenario_threads") {
  TEST_CASE("core affinity: cores must exist on the machine") {
    const std::string head = "name: t\nmachine: {cores: 2}\nthreads:\n  - name: main\n    cores: ";
    const std::string tail = "\n    run: [cpu: 1ms]\n";
    CHECK(load(head + "[1]" + tail).variants[0].config.threads[0].cores == std::vector<int>{1});
    CHECK_ERROR(head + "[2]" + tail, "t.yaml:5:13: error:");
    CHECK_ERROR(head + "[]" + tail, "is empty: a thread needs a core to run on");
    CHECK_ERROR(head + "[-1]" + tail, "t.yaml:5:13: error:");
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

  TEST_CASE("processes: each with its threads, a start method, names unique across processes") {
    const loader::Scenario s = load(
        "name: t\nprocesses:\n  - name: w\n    count: 2\n    start_method: spawn\n"
        "    threads: [{name: main, run: [cpu: 1ms]}]\n");
    const auto& c = s.variants[0].config;
    REQUIRE(c.processes.size() == 1);
    CHECK(c.processes[0].count == 2);
    CHECK(c.processes[0].start_method == models::StartMethod::Spawn);
    const auto& l = s.variants[0].plan->layout();
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

  TEST_CASE("processes: what a process needs, and its keys") {
    CHECK_ERROR("name: t\nprocesses:\n  - {name: p}\n",
                "t.yaml:3:5: error: process 'p' needs 'threads', the threads it runs");
    CHECK_ERROR("name: t\nprocesses:\n  - {threads: [{name: m, run: [cpu: 1ms]}]}\n",
                "t.yaml:3:5: error: a process needs a 'name'");
    CHECK_ERROR("name: t\nprocesses:\n  - {name: p, cuont: 2, threads: [{name: m, run: [cpu: 1ms]}]}\n",
                "t.yaml:3:15: error: unknown key 'cuont' in process 'p'; did you mean 'count'?");
    CHECK_ERROR("name: t\nprocesses:\n  - {name: p, count: 0, threads: [{name: m, run: [cpu: 1ms]}]}\n",
                "t.yaml:3:22: error: count of process 'p' must be between 1 and 10000, got 0");
    CHECK_ERROR("name: t\nprocesses:\n  - {name: p, startup: 5, threads: [{name: m, run: [cpu: 1ms]}]}\n",
                "t.yaml:3:24: error: missing unit in '5'");
    CHECK(load("name: t\nprocesses:\n  - {name: p, startup: 5ms, threads: [{name: m, run: [cpu: 1ms]}]}\n")
              .variants[0]
              .config.processes[0]
              .startup == 5 * kMillisecond);
  }
}
