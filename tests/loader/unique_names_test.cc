// Names of replicated groups (threads, tasks) stay unique, generated names
// included.
#include "loader/unique_names.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/loader/load_helpers.h"

using namespace load_helpers;

TEST_SUITE("unique_names") {
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
}
