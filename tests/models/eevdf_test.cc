// The simplified EEVDF on its own: a core table filled by hand stands for the
// machine, and each answer is worked out from kernel/sched/fair.c's rules
// (place_entity(), vruntime_eligible(), pick_eevdf(), update_deadline(),
// check_preempt_wakeup_fair()).
#include "models/eevdf.h"

#include <doctest/doctest.h>

#include <initializer_list>

#include "models/cfs.h"
#include "tests/models/core_table_fill.h"

using models::CoreTable;
using testing::after_running;
using models::Eevdf;
using models::MachineConfig;
using sim::kMicrosecond;
using sim::kMillisecond;

namespace {

// Fixed tunables: a 1 ms slice, a 4 ms tick (lag clamped at 4 ms).
MachineConfig tuned(int cores) {
  MachineConfig c;
  c.cores = cores;
  c.scheduler = "eevdf";
  c.base_slice = 1 * kMillisecond;
  c.scheduler_tick = 4 * kMillisecond;
  c.wakeup_granularity = 0;
  return c;
}

// Two cores: threads 0 and 1 run on cores 0 and 1 from 0; 2 and 3 wait on
// core 0's queue (never placed: their vruntimes are their CPU times, their
// deadlines 0, 2's before 3's in the queue). 2 may run only on core 0; 3 too
// if `pinned`.
struct TwoWaiting {
  CoreTable t;
  Eevdf e;
  TwoWaiting(std::initializer_list<int> cpu_ms, bool pinned) : t(after_running(2, cpu_ms)), e(tuned(2), t) {
    t.set_affinity(2, {0});
    if (pinned) t.set_affinity(3, {0});
    t.occupy(0, 0, 0, false);
    t.occupy(1, 1, 0, false);
    e.enqueue(2);
    e.enqueue(3);
  }
};

}  // namespace

TEST_CASE("EEVDF: the base slice scales with the cores as Linux 6.15+ scales it; the tick is 4 ms") {
  CoreTable t(1, 1);
  MachineConfig c;
  for (auto [cores, slice] : {std::pair{1, 700}, {2, 1400}, {4, 2100}, {8, 2800}, {64, 2800}}) {
    c.cores = cores;
    CHECK(Eevdf(c, t).slice() == slice * kMicrosecond);
  }
  CHECK(Eevdf(c, t).tick() == 4 * kMillisecond);
}

TEST_CASE("EEVDF: a thread that blocks keeps its lag, and is placed so that it still has it") {
  // Threads 0 and 1 wait with 4 ms and 2 ms; 2 runs on the core from 10 ms.
  CoreTable t = after_running(1, {4, 2, 0});
  Eevdf e(tuned(1), t);
  e.enqueue(0);
  e.enqueue(1);
  t.occupy(0, 2, 10 * kMillisecond, false);
  // At 12 ms: vruntimes 4, 2, 2 ms; V = 8/3 ms (rounded down); 2 is owed 2/3 ms.
  const sim::Time now = 12 * kMillisecond;
  CHECK(e.average_vruntime(0, now) == 2'666'666);
  e.blocked(2, 0, now);
  t.vacate(0, now);
  CHECK(e.lag(2) == 666'666);
  // Woken at 20 ms among 0 and 1 (V = 3 ms): placed at V - lag x 3/2, a slice before its deadline.
  e.place_woken(2, 20 * kMillisecond);
  CHECK(e.vruntime(2) == 3 * kMillisecond - 999'999);
  CHECK(e.deadline(2) == e.vruntime(2) + 1 * kMillisecond);
  // Counted in V (on the core), it is again 2/3 ms behind it (to the
  // rounding): the scaling kept the lag.
  t.occupy(0, 2, 20 * kMillisecond, false);
  CHECK(e.average_vruntime(0, 20 * kMillisecond) - e.vruntime(2) == 666'666);
  // Lag is clamped at max(2 slices, a tick): at 60 ms it is 26 ms ahead.
  e.blocked(2, 0, 60 * kMillisecond);
  CHECK(e.lag(2) == -4 * kMillisecond);
}

TEST_CASE("EEVDF: a thread that blocks ineligible stays delayed: back soon, it keeps its vruntime; later, lag 0") {
  CoreTable t = after_running(1, {2, 2, 0});
  Eevdf e(tuned(1), t);
  e.enqueue(0);
  e.enqueue(1);
  t.occupy(0, 2, 0, false);
  // At 5 ms thread 2 has 5 ms against 2 and 2: V = 3 ms, it is 2 ms ahead.
  e.blocked(2, 0, 5 * kMillisecond);
  t.vacate(0, 5 * kMillisecond);
  CHECK(e.lag(2) == -2 * kMillisecond);
  CHECK_FALSE(e.eligible(2, 5 * kMillisecond));
  // Delayed, it still counts in V: its leaving did not pull V down to 2 ms.
  CHECK(e.average_vruntime(0, 5 * kMillisecond) == 3 * kMillisecond);
  const sim::Time deadline = e.deadline(2);
  e.place_woken(2, 6 * kMillisecond);  // nobody ran meanwhile: still ineligible
  CHECK(e.vruntime(2) == 5 * kMillisecond);
  CHECK(e.deadline(2) == deadline);

  // Again, but thread 0 runs 13 ms on the core while 2 sleeps: V passes 6
  // ms, and 2 comes back at V with lag 0 (DELAY_ZERO), not 2.7 ms behind it.
  t.occupy(0, 2, 6 * kMillisecond, false);
  e.blocked(2, 0, 7 * kMillisecond);  // 6 ms against 2 and 2
  t.vacate(0, 7 * kMillisecond);
  CHECK(e.lag(2) < 0);
  CHECK(e.pick_next(0, 7 * kMillisecond) == 0);
  t.occupy(0, 0, 7 * kMillisecond, false);
  const sim::Time later = 20 * kMillisecond;  // 0 has 15 ms: V = (15 + 2 + 6) / 3 > 6 ms
  e.place_woken(2, later);
  CHECK(e.vruntime(2) == e.average_vruntime(0, later) + 0);
  CHECK(e.vruntime(2) == (15 + 2) * kMillisecond / 2);
}

TEST_CASE("EEVDF: a free core takes the eligible thread with the earliest deadline, not the lowest vruntime") {
  // 0 ran 2.5 ms on the core while 1 waited with 3 ms: 0 blocks owed 0.25 ms.
  CoreTable t = after_running(1, {0, 3, 0});
  Eevdf e(tuned(1), t);
  e.enqueue(1);
  t.occupy(0, 0, 0, false);
  const sim::Time now = 2'500 * kMicrosecond;
  e.blocked(0, 0, now);
  t.vacate(0, now);
  CHECK(e.lag(0) == 250 * kMicrosecond);
  e.place_woken(0, 5 * kMillisecond);  // 3 - 0.25 x 2 = 2.5 ms, deadline 3.5 ms
  e.enqueue(0);
  e.place_started(2, 5 * kMillisecond);  // at V = 2.75 ms, half a slice: deadline 3.25 ms
  e.enqueue(2);
  CHECK(e.vruntime(0) == 2'500 * kMicrosecond);
  CHECK(e.deadline(0) == 3'500 * kMicrosecond);
  CHECK(e.vruntime(2) == 2'750 * kMicrosecond);
  CHECK(e.deadline(2) == 3'250 * kMicrosecond);
  CHECK(e.eligible(0, 5 * kMillisecond));
  CHECK(e.eligible(2, 5 * kMillisecond));        // 2.75 ms: not past V = 2.75 ms
  CHECK_FALSE(e.eligible(1, 5 * kMillisecond));  // 3 ms, past V
  // 2 has the earliest deadline, though 0 has the lowest vruntime; 1 is never a candidate while ineligible.
  CHECK(e.pick_next(0, 5 * kMillisecond) == 2);
  CHECK(e.pick_next(0, 5 * kMillisecond) == 0);
  CHECK(e.pick_next(0, 5 * kMillisecond) == 1);  // alone: eligible
}

TEST_CASE("EEVDF: a thread eligible on its own core's queue keeps the core against a woken thread, whatever runs elsewhere") {
  // Thread 0 runs on core 0 from 0 ms of vruntime; 1, 2 and 3 may run only on
  // core 1, where 3 (6 ms) ran and blocked: core 1's min_vruntime is 6 ms.
  CoreTable t = after_running(2, {0, 0, 0, 6});
  for (int tid : {1, 2, 3}) t.set_affinity(tid, {1});
  Eevdf e(tuned(2), t);
  t.occupy(0, 0, 0, false);
  t.occupy(1, 3, 0, false);
  e.blocked(3, 1, 0);
  t.vacate(1, 0);
  e.place_woken(1, 0);  // core 1 is idle: at its V, 6 ms, deadline 7 ms
  CHECK(e.queue_of(1) == 1);
  CHECK(e.vruntime(1) == 6 * kMillisecond);
  t.occupy(1, 1, 0, false);
  const sim::Time now = 500 * kMicrosecond;
  // Core 1's V counts 1 only: 1 is eligible. One V over both cores, (0.5 +
  // 6.5) / 2 = 3.5 ms, would not have it, and would place a woken thread
  // with no lag at 3.5 ms, eligible, to take core 1 at once.
  CHECK(e.eligible(1, now));
  CHECK(e.average_vruntime(1, now) == 6'500 * kMicrosecond);
  CHECK(e.average_vruntime(0, now) == 500 * kMicrosecond);
  // 2 wakes (no idle core it may use: core 1's queue), placed at core 1's V:
  // 6.5 ms, deadline 7.5 ms. 1 is eligible and within its slice: it stays.
  e.place_woken(2, now);
  CHECK(e.queue_of(2) == 1);
  CHECK(e.vruntime(2) == 6'500 * kMicrosecond);
  CHECK(e.wakeup_preemption_target(2, now) == -1);
  e.enqueue(2);
  CHECK(e.waiting_on(1) == 1);
  CHECK(e.waiting_on(0) == 0);
  CHECK_FALSE(e.waiting_for(0));  // 2 may not run there
}

TEST_CASE("EEVDF: a woken thread preempts only on the core whose queue it joins (its previous one)") {
  CoreTable t(2, 3);
  Eevdf e(tuned(2), t);
  e.place_started(0, 0);  // core 0 idle: its queue; at 0, deadline 0.5 ms
  CHECK(e.queue_of(0) == 0);
  t.occupy(0, 0, 0, false);
  e.place_started(2, 0);  // core 1
  CHECK(e.queue_of(2) == 1);
  t.occupy(1, 2, 0, false);
  e.blocked(2, 1, 300 * kMicrosecond);  // alone on core 1: lag 0, not delayed
  t.vacate(1, 300 * kMicrosecond);
  CHECK(e.lag(2) == 0);
  e.place_started(1, 300 * kMicrosecond);  // core 1 idle: at its V (0.3 ms), deadline 0.8 ms
  CHECK(e.queue_of(1) == 1);
  CHECK(e.deadline(1) == 800 * kMicrosecond);
  t.occupy(1, 1, 300 * kMicrosecond, false);
  // At 0.5 ms, 0 has reached its deadline on core 0 (a wake-up there would
  // reschedule it); 1 is within its protected slice on core 1. 2 wakes: no
  // idle core, so its previous core's queue, 1, and only core 1 is asked.
  const sim::Time now = 500 * kMicrosecond;
  e.place_woken(2, now);
  CHECK(e.queue_of(2) == 1);
  CHECK(e.vruntime(2) == now);
  CHECK(e.wakeup_preemption_target(2, now) == -1);
  CHECK(e.deadline(0) == 500 * kMicrosecond);  // core 0 untouched: no update_curr() there
}

TEST_CASE("EEVDF: a core that falls free with an empty queue pulls the best waiting thread it may run; the thread keeps its lag") {
  // 0 runs on core 0 (5 ms); 1 on core 1; 2 (3 ms, only core 0) and 3 (2 ms)
  // wait on core 0's queue, both eligible (V = 10/3 ms), deadlines equal (0):
  // 2 has the better claim (it came first), but may not run on core 1.
  TwoWaiting w({5, 0, 3, 2}, /*pinned=*/false);
  CoreTable& t = w.t;
  Eevdf& e = w.e;
  CHECK(e.waiting_on(0) == 2);
  CHECK(e.waiting_for(0));
  CHECK(e.waiting_for(1));  // 2 more wait on core 0, one of which may move: core 1's tick would pull it
  // 1 blocks at 1 ms (alone on core 1: lag 0, core 1's min_vruntime 1 ms).
  const sim::Time now = 1 * kMillisecond;
  e.blocked(1, 1, now);
  t.vacate(1, now);
  CHECK(e.pick_next(1, now) == 3);
  CHECK(e.queue_of(3) == 1);
  CHECK(e.waiting_on(0) == 1);
  CHECK(e.waiting_on(1) == 0);
  // On core 0, V was (6 + 3 + 2) / 3 ms: 3 had 1.67 ms of lag; core 1's queue
  // is empty, so it is placed at its V, core 1's min_vruntime (place_entity()
  // applies lag only with others queued), its deadline 2 ms before as before.
  CHECK(e.lag(3) == 1'666'666);
  CHECK(e.vruntime(3) == 1 * kMillisecond);
  CHECK(e.deadline(3) == -1 * kMillisecond);
  // Core 1 falls free again: 2 may not run there, so it idles.
  t.occupy(1, 3, now, false);
  e.blocked(3, 1, 2 * kMillisecond);
  t.vacate(1, 2 * kMillisecond);
  CHECK(e.pick_next(1, 2 * kMillisecond) == -1);
}

TEST_CASE("EEVDF: at a tick a core 2 waiting threads short of the busiest pulls one it may run, with its lag; it preempts if it is the pick") {
  // 0 and 1 run on cores 0 and 1 (5 ms each); 2 (3 ms) and 3 (2 ms) wait on
  // core 0's queue. 2 may run only on core 0.
  for (const bool pinned : {false, true}) {
    CAPTURE(pinned);
    TwoWaiting w({5, 5, 3, 2}, pinned);
    Eevdf& e = w.e;
    if (pinned) {
      // Neither may move: core 1 waits for nobody, so its tick preempts nothing.
      CHECK_FALSE(e.waiting_for(1));
      continue;
    }
    CHECK(e.waiting_for(1));
    CHECK(e.slice_end(1, 1 * kMillisecond) == 4 * kMillisecond);
    const sim::Time tick = 4 * kMillisecond;
    // At the tick: on core 0, V = (9 + 3 + 2) / 3 ms, 3 has 2.67 ms of lag.
    // Core 1 pulls it: at V - lag x 2 beside 1 (9 ms), so that V - its
    // vruntime is its lag again. 1, past its deadline, gets a new one, and
    // is no longer eligible: 3 is the pick.
    CHECK(e.slice_expired(1, tick));
    CHECK(e.queue_of(3) == 1);
    CHECK(e.waiting_on(0) == 1);
    CHECK(e.waiting_on(1) == 1);
    CHECK(e.lag(3) == 2'666'666);
    CHECK(e.vruntime(3) == 9 * kMillisecond - 2 * 2'666'666);
    CHECK(e.average_vruntime(1, tick) - e.vruntime(3) == 2'666'666);
    CHECK(e.deadline(3) == e.vruntime(3) - 2 * kMillisecond);  // relative deadline kept (was 0 at 2 ms)
    // One waiting on each: balanced. Core 0's tick pulls nothing; 0, past
    // its deadline, gives way to 2.
    CHECK(e.slice_expired(0, tick));
    CHECK(e.queue_of(2) == 0);
    CHECK(e.waiting_on(1) == 1);
  }
}

TEST_CASE("EEVDF: a woken thread preempts only a thread past its protected slice (RUN_TO_PARITY); CFS does at once") {
  // One core. Thread 0 starts (vruntime 0, deadline half a slice: 0.5 ms)
  // and runs; thread 1, which never ran, wakes at 0.2 ms and again at 0.7 ms.
  for (const sim::Time wake : {200 * kMicrosecond, 700 * kMicrosecond}) {
    CAPTURE(wake);
    CoreTable t(1, 2);
    Eevdf e(tuned(1), t);
    e.place_started(0, 0);
    CHECK(e.deadline(0) == 500 * kMicrosecond);
    t.occupy(0, 0, 0, false);
    e.place_woken(1, wake);  // at V: thread 0's vruntime
    CHECK(e.vruntime(1) == wake);
    const int target = e.wakeup_preemption_target(1, wake);
    if (wake < 500 * kMicrosecond) {
      CHECK(target == -1);  // 0 is eligible and within its slice
    } else {
      // Past its deadline, 0 got a new one (0.7 + 1 ms), as late as 1's: the
      // tie goes to the woken thread (entity_before() is strict).
      CHECK(e.deadline(0) == wake + 1 * kMillisecond);
      CHECK(target == 0);
      e.enqueue(1);
      CHECK(e.slice_expired(0, wake));  // the machine's slice end at once: 0 gives way
    }
    // CFS (wake-up granularity 0): 1's vruntime 0 is below 0's, so it preempts either way.
    CoreTable ct(1, 2);
    models::Cfs cfs(tuned(1), ct);
    ct.occupy(0, 0, 0, false);
    cfs.place_woken(1, wake);
    CHECK(cfs.wakeup_preemption_target(1, wake) == 0);
  }
}

TEST_CASE("EEVDF: a wake-up reschedules a thread past its deadline; the core takes the pick, which may not be the woken thread") {
  // Thread 1 (2 ms) waits; 0 (2 ms, never placed: deadline 0) is picked and
  // runs from 2 ms: at 3 ms it is past its deadline, and past V = 2.5 ms.
  CoreTable t = after_running(1, {2, 2, 0});
  Eevdf e(tuned(1), t);
  e.enqueue(0);
  CHECK(e.pick_next(0, 2 * kMillisecond) == 0);
  t.occupy(0, 0, 2 * kMillisecond, false);
  e.enqueue(1);
  e.place_woken(2, 3 * kMillisecond);  // lag 0: at V = 2.5 ms, deadline 3.5 ms
  CHECK(e.vruntime(2) == 2'500 * kMicrosecond);
  // update_curr(): 0 gets a new deadline; the pick is 1 (eligible, deadline 0), not the woken 2.
  CHECK(e.wakeup_preemption_target(2, 3 * kMillisecond) == 0);
  CHECK(e.deadline(0) == 4 * kMillisecond);
  e.enqueue(2);
  CHECK(e.slice_expired(0, 3 * kMillisecond));
  t.vacate(0, 3 * kMillisecond);
  e.enqueue(0);
  CHECK(e.pick_next(0, 3 * kMillisecond) == 1);
}

TEST_CASE("EEVDF: a slice ends at the first tick after the deadline; a thread still the pick runs on") {
  CoreTable t(1, 2);
  Eevdf e(tuned(1), t);
  e.place_started(0, 0);  // deadline 0.5 ms
  t.occupy(0, 0, 0, false);
  CHECK(e.slice_end(0, 100 * kMicrosecond) == 4 * kMillisecond);
  e.place_woken(1, 100 * kMicrosecond);  // vruntime 0.1 ms, deadline 1.1 ms
  CHECK(e.wakeup_preemption_target(1, 100 * kMicrosecond) == -1);
  e.enqueue(1);
  // At the tick 0 has 4 ms, way past V: it gives way to 1.
  CHECK(e.slice_expired(0, 4 * kMillisecond));
  CHECK(e.deadline(0) == 5 * kMillisecond);
  t.vacate(0, 4 * kMillisecond);
  e.enqueue(0);
  CHECK(e.pick_next(0, 4 * kMillisecond) == 1);
  t.occupy(0, 1, 4 * kMillisecond, false);
  // 1 runs from 0.1 ms of vruntime to its deadline 1.1 ms: 1 ms, by 5 ms; the tick after is 8 ms.
  CHECK(e.slice_end(0, 4 * kMillisecond) == 8 * kMillisecond);
  // No deadline reached, no reschedule (a tick that comes early changes nothing).
  CHECK_FALSE(e.slice_expired(0, 4'500 * kMicrosecond));
  // At 8 ms: 1 has 4.1 ms against 0's 4 ms, V = 4.05: 1 is ineligible, 0 takes the core.
  CHECK(e.slice_expired(0, 8 * kMillisecond));
}

TEST_CASE("EEVDF: a thread past its deadline but still the only eligible one keeps its core at the tick") {
  CoreTable t = after_running(1, {0, 9});
  Eevdf e(tuned(1), t);
  e.enqueue(1);  // 9 ms: not eligible while 0 runs below it
  t.occupy(0, 0, 0, false);
  CHECK_FALSE(e.slice_expired(0, 4 * kMillisecond));  // 4 ms < V = 6.5 ms: 0 is the pick
  CHECK(e.deadline(0) == 5 * kMillisecond);           // with a new deadline
  CHECK(e.slice_end(0, 4 * kMillisecond) == 8 * kMillisecond);
}

TEST_CASE("EEVDF: a thread the machine puts on another idle core than its wake-up chose is placed on that core's queue") {
  CoreTable t(2, 3);
  Eevdf e(tuned(2), t);
  e.place_started(0, 0);
  t.occupy(0, 0, 0, false);
  e.place_started(1, 0);
  t.occupy(1, 1, 0, false);
  // 2 starts with no idle core: core 0's queue (the idlest, lowest-numbered),
  // at its V with half a slice.
  e.place_started(2, 0);
  CHECK(e.queue_of(2) == 0);
  CHECK(e.deadline(2) == 500 * kMicrosecond);
  // Before it is queued, 1 blocks at 1 ms (alone on core 1: core 1's V is 1
  // ms) and the machine gives 2 the idle core 1.
  e.blocked(1, 1, 1 * kMillisecond);
  t.vacate(1, 1 * kMillisecond);
  t.occupy(1, 2, 1 * kMillisecond, false);
  // The policy's next look at core 1 places 2 there as of 1 ms: at core 1's
  // V with half a slice; it has run 0.5 ms since.
  e.blocked(2, 1, 1'500 * kMicrosecond);
  t.vacate(1, 1'500 * kMicrosecond);
  CHECK(e.queue_of(2) == 1);
  CHECK(e.deadline(2) == 1'500 * kMicrosecond);
  CHECK(e.vruntime(2) == 1'500 * kMicrosecond);
  CHECK(e.lag(2) == 0);
}

TEST_CASE("EEVDF: a delayed thread woken onto another core's idle queue leaves its old queue's V") {
  // As in the delayed test: 0 and 1 (2 ms, only core 0) wait on core 0's
  // queue; 2 runs there and blocks at 5 ms, 2 ms ahead of V (3 ms): delayed.
  // 3 runs on core 1.
  CoreTable t = after_running(2, {2, 2, 0, 0});
  for (int tid : {0, 1}) t.set_affinity(tid, {0});
  Eevdf e(tuned(2), t);
  e.enqueue(0);
  e.enqueue(1);
  t.occupy(0, 2, 0, false);
  t.occupy(1, 3, 0, false);
  const sim::Time at = 5 * kMillisecond;
  e.blocked(2, 0, at);
  t.vacate(0, at);
  CHECK(e.average_vruntime(0, at) == 3 * kMillisecond);
  CHECK(e.pick_next(0, at) == 0);
  t.occupy(0, 0, at, false);
  // 3 blocks: core 1 is idle when 2 is woken at 6 ms, so 2 goes there.
  e.blocked(3, 1, at);
  t.vacate(1, at);
  const sim::Time now = 6 * kMillisecond;
  e.place_woken(2, now);
  CHECK(e.queue_of(2) == 1);
  // Core 0's V no longer counts it: 0 (3 ms, running) and 1 (2 ms); with it, (3 + 2 + 5) / 3 ms.
  CHECK(e.average_vruntime(0, now) == 2'500 * kMicrosecond);
  // Alone on core 1's queue, it is placed at that V, 3's vruntime as it blocked (5 ms).
  CHECK(e.vruntime(2) == 5 * kMillisecond);
  CHECK(e.lag(2) == -2'500 * kMicrosecond);
}
