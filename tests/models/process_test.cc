// Child processes: their own interpreter and GIL, a start-up before their threads.
#include <doctest/doctest.h>

#include "models/simulation.h"
#include "tests/models/program_builder.h"

using namespace testing;
using models::simulate;

namespace {
models::ProcessGroup process(const char* name, int count, models::Time startup,
                             std::vector<models::ThreadGroup> threads) {
  models::ProcessGroup p;
  p.name = name;
  p.count = count;
  p.startup = startup;
  p.threads = std::move(threads);
  return p;
}
models::ThreadGroup group(const char* name, Program program, int count = 1) {
  models::ThreadGroup g;
  g.name = name;
  g.count = count;
  g.program = std::move(program);
  return g;
}
}  // namespace

TEST_CASE("a child's threads start after its start-up and share the child's GIL") {
  auto c = config(4);
  c.processes.push_back(process("p", 1, 5 * kMillisecond,
                                {group("main", {cpu(10 * kMillisecond)}), group("helper", {cpu(10 * kMillisecond)})}));
  auto r = simulate(c);
  // 5 ms start-up, then 20 ms of bytecode under one GIL.
  CHECK(r.metrics["wall"] >= 0.025);
  CHECK(r.metrics["threads.p_helper.python"] == doctest::Approx(0.010));
  CHECK(r.metrics["threads.p_main.python"] == doctest::Approx(0.015));  // its start-up is bytecode too
  CHECK(r.metrics["threads.p_helper.gil_wait"] + r.metrics["threads.p_helper.runnable"] >= 0.005);
}

TEST_CASE("processes run bytecode in parallel, each serialised by its own GIL") {
  auto c = config(4);
  c.processes.push_back(process("p", 2, 0, {group("w", {cpu(100 * kMillisecond)}, 2)}));
  auto r = simulate(c);
  // Two processes x two threads x 100 ms: 200 ms per process, in parallel.
  CHECK(r.metrics["wall"] == doctest::Approx(0.2).epsilon(0.01));
  CHECK(r.metrics["gil.held"] == doctest::Approx(2.0).epsilon(0.01));
  CHECK(r.metrics["cores.busy_avg"] == doctest::Approx(2.0).epsilon(0.01));
  CHECK(r.metrics["processes.p.end"] == r.metrics["wall"]);
}

TEST_CASE("a process that ends while others run frees its core") {
  auto c = config(1);
  add(c, "main", {cpu(50 * kMillisecond)});
  c.processes.push_back(process("short", 1, 1 * kMillisecond, {group("t", {cpu(5 * kMillisecond)})}));
  auto r = simulate(c);
  CHECK(r.metrics["processes.short.end"] < r.metrics["threads.main.end"]);
  // One core: the work adds up (no GIL between processes, only the core).
  CHECK(r.metrics["wall"] >= 0.056);
  CHECK(r.metrics["cores.busy_avg"] <= 1.0);
}
