// Typed values out of YAML nodes and the key checks: hints, types, integers.
#include "loader/yaml_values.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/loader/load_helpers.h"

using namespace load_helpers;

TEST_SUITE("yaml_values") {
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
}
