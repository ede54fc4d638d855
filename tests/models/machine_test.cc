// The OS scheduler: cores, run queue, time slices, context switches.
#include "models/machine.h"

#include <doctest/doctest.h>

#include "models/simulation.h"
#include "tests/models/program_builder.h"

using namespace testing;
using models::simulate;

TEST_CASE("GIL-free work on more threads than cores is time-sliced") {
  auto c = config(2);
  add(c, "n", {native(30 * kMillisecond)}, 4);
  auto r = simulate(c);
  // 120 ms of work on 2 cores, plus context switches at every slice end.
  CHECK(r.metrics["wall"] >= 0.060);
  CHECK(r.metrics["wall"] <= 0.062);
  CHECK(r.metrics["cores.busy_avg"] == doctest::Approx(2.0).epsilon(0.02));
  // 3 ms slices: each thread is preempted several times.
  CHECK(r.metrics["os.preemptions"] >= 4 * (30 / 3 - 2));
  CHECK(r.metrics["threads.n.runnable"] == doctest::Approx(4 * 0.030).epsilon(0.05));
}

TEST_CASE("GIL-free work runs in parallel up to the core count") {
  auto c = config(4);
  add(c, "n", {native(100 * kMillisecond)}, 4);
  auto r = simulate(c);
  CHECK(r.metrics["wall"] == doctest::Approx(0.1).epsilon(0.001));
  CHECK(r.metrics["os.preemptions"] == 0);
}

TEST_CASE("one core: a CPU-bound GIL holder is preempted by the OS and keeps the GIL") {
  auto c = config(1);
  add(c, "py", {cpu(20 * kMillisecond)});
  add(c, "n", {native(20 * kMillisecond)});
  auto r = simulate(c);
  CHECK(r.metrics["wall"] >= 0.040);
  CHECK(r.metrics["os.preemptions"] >= 5);
  CHECK(r.metrics["threads.py.gil_wait"] == 0.0);  // nobody else wanted the GIL
}

TEST_CASE("a context switch costs the configured time") {
  auto a = config(1);
  add(a, "n", {native(30 * kMillisecond)}, 2);
  auto b = a;
  b.machine.context_switch = sim::Distribution::constant(100 * kMicrosecond);
  auto ra = simulate(a), rb = simulate(b);
  const double switches = rb.metrics["os.preemptions"];
  CHECK(switches > 5);
  CHECK(rb.metrics["wall"] - ra.metrics["wall"] == doctest::Approx(switches * 98e-6).epsilon(0.1));
}

TEST_CASE("threads pinned to one core share it; unpinned they spread") {
  auto c = config(4);
  add(c, "n", {native(10 * kMillisecond)}, 2);
  CHECK(simulate(c).metrics["wall"] == doctest::Approx(0.010).epsilon(0.001));
  c.threads[0].cores = {2};
  auto r = simulate(c);
  CHECK(r.metrics["wall"] >= 0.020);
  CHECK(r.metrics["cores.busy_max"] == 1);
}

TEST_CASE("CFS wake-up preemption: a thread waking from I/O preempts a CPU hog on a busy core") {
  auto c = config(1);
  add(c, "hog", {native(1 * kSecond)});
  add(c, "io", repeat(10, {io(1 * kMillisecond), native(10 * kMicrosecond)}));
  auto with = simulate(c);
  // A new thread does not preempt: `io` first waits for the hog's 3 ms slice.
  // After that, each wake-up switches the core at once (a context switch, 2 us).
  CHECK(with.metrics["threads.io.end"] <= 3e-3 + 10 * (1e-3 + 10e-6 + 10e-6));
  CHECK(with.metrics["threads.io.runnable"] <= 3e-3 + 10 * 5e-6);
  // Without it, the woken thread waits for the hog's time slice to end.
  c.machine.wakeup_preemption = false;
  auto without = simulate(c);
  CHECK(without.metrics["threads.io.runnable"] >= 3e-3 + 10 * 1e-3);
}
