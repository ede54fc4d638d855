// Pools (concurrent.futures): thread, process and interpreter pools, with
// submit/map/wait, the parent's feeder and result threads and pickling costs.
#include <doctest/doctest.h>

#include "models/simulation.h"
#include "tests/models/program_builder.h"

using namespace testing;
using models::PoolKind;

namespace {
models::RunResult run(models::SimulationConfig c) {
  return models::simulate(c);
}
// Costs that make the arithmetic of a test exact where it does not test them.
void free_handoffs(models::SimulationConfig& c) {
  c.runtime.submit_cost = 0;
  c.runtime.pickle_per_call = 0;
  c.runtime.pickle_per_byte = 0;
  c.runtime.ipc_per_call = 0;
  c.runtime.ipc_per_byte = 0;
}
}  // namespace

TEST_CASE("a thread pool with more tasks than workers runs them two at a time") {
  auto c = config(4);
  free_handoffs(c);
  add_pool(c, "pool", PoolKind::Thread, 2);
  add(c, "main", {submit("pool", {native(10 * kMillisecond)}, 6, true)});
  auto r = run(c);
  CHECK(r.metrics["pools.pool.tasks"] == 6);
  // Three rounds of two 10 ms GIL-free calls, plus wake-ups and hand-offs.
  CHECK(r.metrics["wall"] >= 0.030);
  CHECK(r.metrics["wall"] < 0.0305);
  CHECK(r.metrics["pools.pool.queue_max"] >= 3);  // 6 calls, 2 workers: some wait
  CHECK(r.metrics["threads.pool.native"] == doctest::Approx(0.060).epsilon(0.001));
  CHECK(r.metrics["threads.main.wait"] >= 0.029);  // map() waited, GIL released
}

TEST_CASE("CPU-bound work in a thread pool is serialised by the GIL, in a process pool it is not") {
  for (PoolKind kind : {PoolKind::Thread, PoolKind::Process, PoolKind::Interpreter}) {
    CAPTURE(static_cast<int>(kind));
    auto c = config(4);
    free_handoffs(c);
    auto& pool = add_pool(c, "pool", kind, 4);
    pool.startup = 0;
    pool.start_interval = 0;  // all up at 0: the parent's starts are tested below
    add(c, "main", {submit("pool", {cpu(100 * kMillisecond)}, 4, true)});
    auto r = run(c);
    CHECK(r.metrics["pools.pool.tasks"] == 4);
    if (kind == PoolKind::Thread) {
      CHECK(r.metrics["wall"] >= 0.400);  // one GIL: 4 x 100 ms one after another
      CHECK(r.metrics["cores.busy_avg"] <= 1.01);
    } else {
      CHECK(r.metrics["wall"] == doctest::Approx(0.100).epsilon(0.01));  // a GIL each
      CHECK(r.metrics["cores.busy_avg"] >= 3.9);
    }
  }
}

TEST_CASE("a process pool's workers start up first, by start method") {
  auto c = config(4);
  free_handoffs(c);
  auto& pool = add_pool(c, "pool", PoolKind::Process, 2);
  pool.start_method = models::StartMethod::Spawn;
  c.runtime.resource_tracker_start = 1 * kMillisecond;
  add(c, "main", {submit("pool", {cpu(10 * kMillisecond)}, 2, true)});
  auto r = run(c);
  // spawn's 144 ms start-up, then 10 ms of work each, for two workers. The
  // parent's main thread starts them one after another, each Process.start()
  // 10 ms of its CPU (spawn's start interval), the first 1 ms more (it starts
  // the resource tracker), at whose end the worker starts: the first at
  // 11 ms, ready at 155 ms, takes an item; the second, ready at 165 ms when
  // the first is done, takes the other.
  CHECK(r.metrics["wall"] >= 0.175);
  CHECK(r.metrics["wall"] < 0.176);
  CHECK(r.metrics["threads.main.cpu"] >= 0.021);
  CHECK(r.metrics["threads.pool_0.cpu"] == doctest::Approx(0.154).epsilon(0.001));
  CHECK(r.metrics["threads.pool_1.cpu"] == doctest::Approx(0.154).epsilon(0.001));
  CHECK(r.metrics["threads.pool_1.end"] >= 0.175);
  // Started together (no share, but the tracker's), both would be done at 155 ms.
  pool.start_interval = 0;
  auto together = run(c);
  CHECK(together.metrics["wall"] < 0.156);
}

TEST_CASE("a process pool's arguments are pickled by the parent's feeder thread with the parent's GIL") {
  auto c = config(4);
  free_handoffs(c);
  c.runtime.pickle_per_byte = 1.0;  // 1 ns a byte: 50 MB take 50 ms each way
  auto& pool = add_pool(c, "pool", PoolKind::Process, 1);
  pool.startup = 0;
  add(c, "main", {submit("pool", {native(1 * kMillisecond)}, 1, false, 50'000'000, 0), wait_all()});
  add(c, "spinner", {cpu(200 * kMillisecond)});
  auto r = run(c);
  // Pickling on the feeder (parent) and unpickling in the worker (child).
  CHECK(r.metrics["threads.pool_feeder.native"] == doctest::Approx(0.050).epsilon(0.001));
  CHECK(r.metrics["threads.pool.native"] == doctest::Approx(0.051).epsilon(0.001));
  // The pickling keeps the parent's GIL: the spinner waits that long for it
  // at least (blocked, or woken and waiting for a core).
  CHECK(r.metrics["threads.spinner.gil_wait"] + r.metrics["threads.spinner.runnable"] >= 0.050);
  CHECK(r.metrics["pools.pool.latency_max"] >= 0.101);
}

TEST_CASE("a trivial call's round trip through a process pool: four thread hops and their costs") {
  auto c = config(2);  // default costs, fork
  auto& pool = add_pool(c, "pool", PoolKind::Process, 2);
  pool.startup = 0;
  pool.start_interval = 0;  // no share of the parent's before its first sleep
  Program p = {sleep(1 * kMillisecond)};  // the workers are up by then
  for (const auto& o : repeat(10, {submit("pool", {cpu(1 * kMicrosecond)}), wait_all()})) p.push_back(o);
  add(c, "main", p);
  auto r = run(c);
  CHECK(r.metrics["pools.pool.tasks"] == 10);
  const double round_trip = (r.metrics["wall"] - 0.001) / 10;
  // At least: submit() 15 us, four wake-ups of 10 us (feeder, worker, result
  // thread, submitter), two pickles and two unpickles of 1 us, four pipe
  // calls of 2 us: 67 us. At most what CPython 3.12 takes here (190-230 us,
  // analysis/calibration/RESULTS.md), which also has the executor's manager
  // thread as one more hop (see docs/model.md, "Model choices").
  CHECK(round_trip >= 67e-6);
  CHECK(round_trip < 230e-6);
}

TEST_CASE("work submitted without waiting still finishes, and the run waits for it") {
  auto c = config(2);
  free_handoffs(c);
  add_pool(c, "pool", PoolKind::Thread, 1);
  add(c, "main", {submit("pool", {sleep(50 * kMillisecond)})});
  auto r = run(c);
  CHECK(r.metrics["threads.main.end"] < 0.001);
  CHECK(r.metrics["pools.pool.tasks"] == 1);
  CHECK(r.metrics["wall"] >= 0.050);
}

TEST_CASE("wait with nothing submitted returns at once; a second wait waits only for new work") {
  auto c = config(2);
  free_handoffs(c);
  add_pool(c, "pool", PoolKind::Thread, 1);
  add(c, "main", {wait_all(), submit("pool", {sleep(10 * kMillisecond)}), wait_all(), wait_all(),
                  submit("pool", {sleep(10 * kMillisecond)}), wait_all()});
  auto r = run(c);
  CHECK(r.metrics["pools.pool.tasks"] == 2);
  CHECK(r.metrics["threads.main.end"] >= 0.020);
  CHECK(r.metrics["threads.main.end"] < 0.0205);
}

TEST_CASE("pool runs are deterministic") {
  auto c = config(2);
  c.machine.wakeup_latency = sim::Distribution{sim::Distribution::Kind::Exp, 10 * kMicrosecond, 0, 0, {}};
  add_pool(c, "pool", PoolKind::Process, 3);
  add(c, "main", {submit("pool", {cpu(5 * kMillisecond)}, 20, true, 1000, 1000)});
  auto a = run(c), b = run(c);
  CHECK(a.metrics == b.metrics);
  CHECK(a.metrics["pools.pool.tasks"] == 20);
}

TEST_CASE("a GIL-holding C call followed by a GIL-releasing one gives the GIL up in between") {
  // Pickling (GIL held) then a pipe write (GIL released) is Native all
  // along; the C1 check must still see the GIL go. Many tiny calls through a
  // process pool make the feeder do it back to back.
  auto c = config(4);
  add_pool(c, "pool", PoolKind::Process, 4);
  add(c, "main", {submit("pool", {cpu(5 * kMicrosecond)}, 1000, true, 50, 50)});
  auto r = run(c);
  CHECK(r.metrics["pools.pool.tasks"] == 1000);
  auto d = config(2);
  add(d, "a", {native_held(1 * kMillisecond), native(1 * kMillisecond), cpu(1 * kMillisecond)});
  add(d, "b", {native_held(1 * kMillisecond), native(1 * kMillisecond), cpu(1 * kMillisecond)});
  auto rd = run(d);
  CHECK(rd.metrics["wall"] >= 0.004);
}
