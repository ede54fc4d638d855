// threading.Lock (a SemaphoreLock) and `counter += 1`, through whole runs.
#include "models/semaphore_lock.h"

#include <doctest/doctest.h>

#include "models/simulation.h"
#include "tests/models/program_builder.h"

using namespace testing;
using models::simulate;

namespace {
Program locked(const char* name, std::initializer_list<Op> body) {
  Program p{lock_acquire(name)};
  for (const Op& o : body) p.push_back(o);
  p.push_back(lock_release(name));
  return p;
}
Program increments(std::int64_t n, const char* counter, sim::Time between, const char* lock = nullptr) {
  Program body;
  if (lock) body.push_back(lock_acquire(lock));
  body.push_back(increment_load(counter));
  body.push_back(increment_store(counter));
  if (lock) body.push_back(lock_release(lock));
  body.push_back(cpu(between));
  return models::repeat_block(n, std::move(body));
}
}  // namespace

TEST_CASE("a contended lock: the waiter blocks without the GIL and wins after the last release") {
  auto c = config(4);
  add(c, "a", locked("L", {io(1 * kMillisecond)}));
  add(c, "b", locked("L", {io(1 * kMillisecond)}));
  auto r = simulate(c);
  CHECK(r.metrics["locks.L.acquisitions"] == 2);
  CHECK(r.metrics["locks.L.contended"] == 1);
  // b waits for a's whole critical section, with the GIL released.
  CHECK(r.metrics["threads.b.lock_wait"] >= 1e-3);
  CHECK(r.metrics["threads.b.gil_wait"] < 1e-4);
  CHECK(r.metrics["wall"] == doctest::Approx(2e-3).epsilon(0.05));
}

TEST_CASE("one thread never loses an update") {
  auto c = config(4);
  add(c, "w", increments(1000, "n", 1 * kMicrosecond));
  auto r = simulate(c);
  CHECK(r.metrics["counters.n.value"] == 1000);
  CHECK(r.metrics["counters.n.lost"] == 0);
}

TEST_CASE("lost updates depend on where the version's check points are") {
  auto c = config(4);
  // 2 x 200000 x 260 ns = 104 ms: about 20 forced switches at a 5 ms interval,
  // each at a random point of the loop body: the wake-up latencies vary, so the
  // drop requests land at varying phases of the loop.
  c.machine.wakeup_latency = sim::Distribution{sim::Distribution::Kind::Exp, 10 * kMicrosecond, 0, 0, {}};
  add(c, "w", increments(200000, "n", 200), 2);
  c.runtime.python = "3.9";   // a check point after the load
  auto r39 = simulate(c);
  c.runtime.python = "3.12";  // none inside `x += 1`
  auto r312 = simulate(c);
  CHECK(r39.metrics["counters.n.increments"] == 400000);
  CHECK(r39.metrics["counters.n.lost"] > 0);
  CHECK(r312.metrics["counters.n.lost"] == 0);
  CHECK(r39.metrics["counters.n.value"] + r39.metrics["counters.n.lost"] == 400000);
}

TEST_CASE("without a GIL, overlapping increments race; a lock stops it") {
  auto c = config(4);
  c.runtime.python = "3.14t";  // free-threaded: no GIL
  c.runtime.cpu_overhead = 1.0;
  add(c, "w", increments(20000, "n", 200), 2);
  CHECK(simulate(c).metrics["counters.n.lost"] > 0);
  auto l = config(4);
  l.runtime.python = "3.14t";
  l.runtime.cpu_overhead = 1.0;
  add(l, "w", increments(20000, "n", 200, "L"), 2);
  auto r = simulate(l);
  CHECK(r.metrics["counters.n.lost"] == 0);
  CHECK(r.metrics["locks.L.acquisitions"] == 40000);
}
