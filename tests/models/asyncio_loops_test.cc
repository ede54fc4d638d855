// asyncio: tasks on one thread's event loop, awaits that overlap, blocking
// steps that stall the loop, to_thread, and the loop idle in select().
#include <doctest/doctest.h>

#include "models/simulation.h"
#include "tests/models/program_builder.h"

using namespace testing;

namespace {
models::RunResult run(models::SimulationConfig c) {
  return models::simulate(c);
}
}  // namespace

TEST_CASE("gathered awaits overlap; the same awaits in one task add up") {
  auto gathered = config(2);
  add(gathered, "main", {asyncio({task("request", {await_io(1 * kSecond)}, 4)})});
  auto g = run(gathered);
  auto sequential = config(2);
  add(sequential, "main",
      {asyncio({task("request", {await_io(1 * kSecond), await_io(1 * kSecond), await_io(1 * kSecond),
                                 await_io(1 * kSecond)})})});
  auto s = run(sequential);
  CHECK(g.metrics["wall"] >= 1.0);
  CHECK(g.metrics["wall"] < 1.001);
  CHECK(s.metrics["wall"] >= 4.0);
  CHECK(s.metrics["wall"] < 4.001);
  CHECK(g.metrics["tasks.request.latency"] == doctest::Approx(g.metrics["wall"]).epsilon(0.001));
  CHECK(g.metrics["tasks.request.steps"] == 8);  // each task: its start and its resumption
  // With no task ready the loop sleeps in select(), GIL released, no core.
  CHECK(g.metrics["threads.main.wait"] >= 0.99);
  CHECK(g.metrics["threads.main.cpu"] < 0.001);
}

TEST_CASE("a CPU-bound step inside a task blocks every other task of the loop") {
  auto c = config(4);
  add(c, "main", {asyncio({task("slow", {await_io(100 * kMillisecond), cpu(500 * kMillisecond)}),
                           task("fast", {await_io(200 * kMillisecond)}, 3)})});
  auto r = run(c);
  // fast's I/O is done at 200 ms, but the loop is in slow's 500 ms of CPU
  // from 100 ms to 600 ms: every fast task ends after it.
  CHECK(r.metrics["tasks.fast_0.latency"] >= 0.600);
  CHECK(r.metrics["tasks.fast_2.latency"] >= 0.600);
  CHECK(r.metrics["tasks.fast.latency"] < 0.601);
  CHECK(r.metrics["tasks.slow.end"] >= 0.600);
}

TEST_CASE("a blocking io inside a task stalls the loop; await_io does not") {
  for (bool blocking : {true, false}) {
    CAPTURE(blocking);
    auto c = config(2);
    models::Op wait = blocking ? io(300 * kMillisecond) : await_io(300 * kMillisecond);
    add(c, "main", {asyncio({task("a", {wait}), task("b", {await_sleep(100 * kMillisecond)})})});
    auto r = run(c);
    if (blocking) CHECK(r.metrics["tasks.b.end"] >= 0.400);  // starts after a's 300 ms io
    else CHECK(r.metrics["tasks.b.end"] < 0.101);
  }
}

TEST_CASE("to_thread runs a GIL-releasing call on a pool while the loop serves other tasks") {
  auto c = config(4);
  add_pool(c, "pool", models::PoolKind::Thread, 2);
  add(c, "main", {asyncio({task("offload", {to_thread("pool", {native(200 * kMillisecond)})}, 2),
                           task("ticker", {await_sleep(10 * kMillisecond)}, 5)})});
  auto r = run(c);
  CHECK(r.metrics["pools.pool.tasks"] == 2);
  CHECK(r.metrics["tasks.offload.end"] >= 0.200);
  CHECK(r.metrics["tasks.offload.end"] < 0.201);   // both calls in parallel
  CHECK(r.metrics["tasks.ticker.end"] < 0.011);     // not held up by the offloaded work
}

TEST_CASE("a loop that is run twice runs its tasks again") {
  auto c = config(2);
  Program p;
  for (const auto& o : repeat(3, {asyncio({task("t", {await_sleep(10 * kMillisecond)}, 2)})})) p.push_back(o);
  add(c, "main", p);
  auto r = run(c);
  CHECK(r.metrics["wall"] >= 0.030);
  CHECK(r.metrics["tasks.t.steps"] == 12);  // 3 runs x 2 tasks x 2 steps
}

TEST_CASE("the loop's step costs CPU time with the GIL") {
  auto c = config(2);
  c.runtime.loop_step = 50 * kMicrosecond;
  add(c, "main", {asyncio({task("t", {await_sleep(1 * kMillisecond)}, 10)})});
  auto r = run(c);
  // 10 tasks x 2 steps x 50 us of bytecode.
  CHECK(r.metrics["threads.main.python"] == doctest::Approx(0.001).epsilon(0.001));
}

TEST_CASE("await_io on a resource queues for its capacity; so does a thread's io") {
  auto c = config(2);
  add_resource(c, "db", 3);
  add(c, "main", {asyncio({task("q", {await_io(10 * kMillisecond, "db")}, 10)})});
  auto r = run(c);
  // 10 queries, 3 connections: 4 rounds of 10 ms.
  CHECK(r.metrics["wall"] >= 0.040);
  CHECK(r.metrics["wall"] < 0.0405);
  CHECK(r.metrics["resources.db.requests"] == 10);
  CHECK(r.metrics["resources.db.queued"] == 7);
  CHECK(r.metrics["resources.db.queue_max"] == 7);
  // In the queue: 3 for 10 ms, 3 for 20 ms, 1 for 30 ms.
  CHECK(r.metrics["resources.db.wait"] == doctest::Approx(0.120).epsilon(0.01));

  auto t = config(4);
  add_resource(t, "db", 2);
  add(t, "worker", {io_on(10 * kMillisecond, "db")}, 4);
  auto rt = run(t);
  CHECK(rt.metrics["wall"] >= 0.020);
  CHECK(rt.metrics["wall"] < 0.0205);
  CHECK(rt.metrics["resources.db.queued"] == 2);
  CHECK(rt.metrics["resources.db.busy_avg"] == doctest::Approx(2.0).epsilon(0.02));
  CHECK(rt.metrics["threads.worker.io"] == doctest::Approx(0.060).epsilon(0.01));  // queued time is io too
}
