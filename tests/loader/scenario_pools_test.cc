// Pools (process, thread, interpreter, celery) and resources.
#include "loader/scenario_pools.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/loader/load_helpers.h"

using namespace load_helpers;

TEST_SUITE("scenario_pools") {
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

  TEST_CASE("a resource needs a name, and a pool's kind is a word") {
    const std::string threads = "threads: [{name: m, run: [cpu: 1ms]}]\n";
    CHECK_ERROR("name: t\nresources: [{capacity: 2}]\n" + threads, "t.yaml:2:13: error: a resource needs a 'name'");
    CHECK_ERROR("name: t\npools: [{name: w, kind: [thread]}]\n" + threads,
                "t.yaml:2:25: error: expected text for kind of pool 'w', got a list");
  }
}
