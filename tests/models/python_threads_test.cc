// The operation interpreter (models/python_threads.h) through small runs
// built without YAML: loops, blocking calls and what each state is booked
// as, and child processes (their own interpreter and GIL, a start-up before
// their threads).
#include "models/python_threads.h"

#include <doctest/doctest.h>

#include "models/simulation.h"
#include "tests/models/program_builder.h"

using namespace testing;
using models::simulate;

namespace {
Program then(Program a, const Program& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}
// What a thread that started at 0 was doing, summed: its whole life.
double booked(models::Metrics& m, const std::string& t) {
  double sum = 0;
  for (const char* s : {"cpu", "gil_wait", "lock_wait", "wait", "runnable", "io", "sleep"})
    sum += m["threads." + t + "." + s];
  return sum;
}
}  // namespace

TEST_CASE("nested loops run their bodies count times; I/O returns through a wake-up and the GIL") {
  auto c = config(4);
  add(c, "main", models::repeat_block(3, then(repeat(2, {cpu(1 * kMillisecond)}), {io(1 * kMillisecond)})));
  auto r = simulate(c);
  // Each outer iteration: 2 ms of bytecode, 1 ms of I/O, a 10 us wake-up.
  CHECK(r.metrics["threads.main.python"] == doctest::Approx(0.006));
  CHECK(r.metrics["threads.main.io"] == doctest::Approx(0.003));
  CHECK(r.metrics["threads.main.runnable"] == doctest::Approx(3 * 10e-6));
  CHECK(r.metrics["threads.main.io_ops"] == 3);
  CHECK(r.metrics["wall"] == doctest::Approx(3 * 3.01e-3));
}

TEST_CASE("each way of waiting is booked as its own state, and a thread's states add up to its life") {
  auto c = config(4);
  add(c, "holder", {lock_acquire("L"), cpu(10 * kMillisecond), lock_release("L"), sleep(5 * kMillisecond)});
  add(c, "waiter", {native(1 * kMillisecond), lock_acquire("L"), lock_release("L")});
  add(c, "cruncher", {cpu(20 * kMillisecond)});
  auto r = simulate(c);
  CHECK(r.metrics["threads.holder.sleep"] == doctest::Approx(0.005));
  // The waiter asks for the lock 1 ms in (first waiting for the GIL that
  // lock.acquire() needs) and gets it after the holder's 10 ms of bytecode.
  CHECK(r.metrics["threads.waiter.lock_wait"] > 0.001);
  CHECK(r.metrics["threads.waiter.lock_wait"] + r.metrics["threads.waiter.gil_wait"] >= 0.009);
  CHECK(r.metrics["locks.L.contended"] == 1);
  CHECK(r.metrics["threads.cruncher.gil_wait"] > 0);
  for (const char* t : {"holder", "waiter", "cruncher"})
    CHECK(booked(r.metrics, t) == doctest::Approx(r.metrics[std::string("threads.") + t + ".end"]));
}


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
