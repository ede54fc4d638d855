// The simplified CFS on its own: a core table filled by hand stands for the
// machine, and each answer is worked out from kernel/sched/fair.c's rules.
#include "models/cfs.h"

#include <doctest/doctest.h>

#include "tests/models/core_table_fill.h"

using models::Cfs;
using models::CoreTable;
using testing::after_running;
using models::MachineConfig;
using sim::kMillisecond;

namespace {

// Fixed CFS tunables, so that the answers do not depend on the core count.
MachineConfig tuned(int cores) {
  MachineConfig c;
  c.cores = cores;
  c.wakeup_granularity = 1 * kMillisecond;
  c.sched_latency = 6 * kMillisecond;  // sleeper credit 3 ms
  return c;
}

}  // namespace

TEST_CASE("CFS: a free core takes the lowest vruntime it may run, the first queued on a tie") {
  CoreTable t = after_running(2, {5, 2, 2, 1});
  t.set_affinity(3, {1});
  Cfs cfs(tuned(2), t);
  for (int tid : {0, 1, 2, 3}) cfs.enqueue(tid);
  CHECK(cfs.pick_next(0, 0) == 1);  // 3 is lower but may not run on core 0; 1 came before 2
  CHECK(cfs.pick_next(0, 0) == 2);
  CHECK(cfs.pick_next(1, 0) == 3);
  CHECK(cfs.pick_next(0, 0) == 0);
}

TEST_CASE("CFS: taking a thread from the middle of the queue keeps the others' order") {
  CoreTable t = after_running(1, {3, 1, 3});
  Cfs cfs(tuned(1), t);
  for (int tid : {0, 1, 2}) cfs.enqueue(tid);
  CHECK(cfs.pick_next(0, 0) == 1);
  CHECK(cfs.pick_next(0, 0) == 0);  // tied with 2, queued before it
  cfs.enqueue(1);
  cfs.enqueue(0);  // 2, 1, 0, around the end of the ring
  CHECK(cfs.pick_next(0, 0) == 1);
  CHECK(cfs.pick_next(0, 0) == 2);
  CHECK(cfs.pick_next(0, 0) == 0);
}

TEST_CASE("CFS: a time slice ends in a preemption only if a waiting thread may use that core") {
  CoreTable t(2, 2);
  t.set_affinity(1, {1});
  Cfs cfs(tuned(2), t);
  cfs.enqueue(1);
  CHECK_FALSE(cfs.waiting_for(0));
  CHECK(cfs.waiting_for(1));
  CHECK(cfs.pick_next(0, 0) == -1);
  CHECK(cfs.pick_next(1, 0) == 1);
  CHECK_FALSE(cfs.waiting_for(1));
}

TEST_CASE("CFS: a sleeper is placed half a latency below min_vruntime, which never goes back") {
  CoreTable t = after_running(1, {100, 0, 108, 0});
  Cfs cfs(tuned(1), t);
  // Thread 0 runs again from 100 ms: at 110 ms its vruntime is 110 ms.
  t.occupy(0, 0, 100 * kMillisecond, false);
  const sim::Time now = 110 * kMillisecond;

  // Not far behind the running thread: keeps its vruntime, min_vruntime untouched.
  cfs.place_woken(2, now);
  CHECK(cfs.vruntime(2) == 108 * kMillisecond);
  CHECK(cfs.min_vruntime() == 0);

  // Far behind: raised to min_vruntime (110 ms) - 3 ms.
  cfs.place_woken(1, now);
  CHECK(cfs.min_vruntime() == 110 * kMillisecond);
  CHECK(cfs.vruntime(1) == 107 * kMillisecond);
  CHECK(t.cpu_time(1) == 0);  // placement is the policy's, not CPU time

  // Thread 0 blocks and 1 waits at 107 ms: the least-served runnable thread
  // is below 110 ms, but min_vruntime stays, and so does the next placement.
  t.vacate(0, now);
  cfs.enqueue(1);
  cfs.place_woken(3, now);
  CHECK(cfs.min_vruntime() == 110 * kMillisecond);
  CHECK(cfs.vruntime(3) == 107 * kMillisecond);
}

TEST_CASE("CFS: a woken thread preempts the running thread most above it, by more than the granularity") {
  CoreTable t = after_running(3, {10, 12, 12, 9});
  const sim::Time now = 50 * kMillisecond;
  t.occupy(0, 0, now - 4 * kMillisecond, false);
  t.occupy(1, 1, now, false);
  t.occupy(2, 2, now, false);
  auto config = tuned(3);
  Cfs cfs(config, t);

  // What a thread has run since it was put on its core counts: core 0's is
  // at 14 ms, 5 ms above the woken thread; cores 1 and 2 are 3 ms above.
  CHECK(cfs.wakeup_preemption_target(3, now) == 0);
  t.set_affinity(3, {1, 2});
  CHECK(cfs.wakeup_preemption_target(3, now) == 1);  // a tie: the lower core
  t.occupy(1, 1, now, /*switching=*/true);           // it has just chosen: no target
  CHECK(cfs.wakeup_preemption_target(3, now) == 2);
  t.set_affinity(3, {0});
  CHECK(cfs.wakeup_preemption_target(3, now - 4 * kMillisecond) == -1);  // 1 ms above: not more
  CHECK(cfs.wakeup_preemption_target(3, now - 4 * kMillisecond + 1) == 0);

  config.wakeup_preemption = false;
  Cfs off(config, t);
  CHECK(off.wakeup_preemption_target(3, now) == -1);
}

TEST_CASE("CFS: the tunables scale with 1 + ilog2(min(cores, 8)) unless given") {
  struct Case {
    int cores;
    sim::Time granularity, credit;
  };
  for (const Case& c : {Case{1, 1, 3}, Case{2, 2, 6}, Case{3, 2, 6}, Case{4, 3, 9}, Case{8, 4, 12}, Case{64, 4, 12}}) {
    CAPTURE(c.cores);
    MachineConfig config;
    config.cores = c.cores;
    CoreTable t(c.cores, 1);
    Cfs cfs(config, t);
    CHECK(cfs.wakeup_granularity() == c.granularity * kMillisecond);
    CHECK(cfs.sleeper_credit() == c.credit * kMillisecond);
  }
  CoreTable t(8, 1);
  Cfs given(tuned(8), t);
  CHECK(given.wakeup_granularity() == 1 * kMillisecond);
  CHECK(given.sleeper_credit() == 3 * kMillisecond);
}
