// A variant's settings written over the top level's.
#include "loader/scenario_merge.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/loader/load_helpers.h"

using namespace load_helpers;

TEST_SUITE("scenario_merge") {
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
}
