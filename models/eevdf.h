// A simplified EEVDF, the Earliest Eligible Virtual Deadline First policy of
// Linux 6.6 to 6.18 (kernel/sched/fair.c), with a run queue per core.
// `machine: {scheduler: eevdf}` chooses it.
//
// Kept:
// - one run queue per core (Linux: one cfs_rq per CPU), each with its own V,
//   min_vruntime and delayed threads. A thread's queue is the core it runs
//   on, or the one it was placed on or moved to; a thread counts in its
//   queue's V only;
// - every thread has a vruntime (its CPU time and the switches to it, which
//   Linux charges to it from set_next_entity() on, plus what placement moved
//   it by; all threads weigh the same: nice 0) and a virtual deadline, its
//   vruntime when it was last placed or its deadline last renewed plus the
//   slice (`base_slice`, sysctl_sched_base_slice: 0.70 ms x (1 + ilog2(min(
//   cores, 8))));
// - V, the average vruntime of a queue's runnable threads (its core's
//   current one and the waiting ones: avg_vruntime()); a thread is eligible
//   when its vruntime is not past its queue's V (vruntime_eligible(), in
//   integers: sum(v_j - v0) >= n (v - v0));
// - a free core takes the eligible waiting thread of its queue with the
//   earliest deadline (pick_eevdf()), the one that waited longest on a tie.
//   With its own V there always is one (the least vruntime is never past
//   the average);
// - where a thread goes (select_task_rq_fair()): woken with an idle core it
//   may use, to the lowest-numbered one (the machine's choice, a simplified
//   select_idle_sibling()); otherwise to the queue of the core it last ran
//   on (wake_affine() may choose the waker's CPU instead; gilsim's policy is
//   not told the waker); a new thread with no idle core to the allowed core
//   with the fewest runnable threads (sched_balance_find_dst_cpu(), the
//   idlest CPU);
// - a thread that blocks keeps its lag, V - vruntime, clamped to
//   max(2 slices, a tick) either way (update_entity_lag()); woken, it is
//   placed on its new queue at V - lag x (n + 1) / n among n runnable
//   threads, its deadline a slice later (place_entity() with PLACE_LAG); a
//   new thread is placed at V with half a slice (PLACE_DEADLINE_INITIAL);
//   with nobody runnable on the queue, at V with no lag;
// - a thread that blocks while not eligible (negative lag) stays "delayed"
//   (DELAY_DEQUEUE, 6.12+) on its queue: it still counts in that V (so that
//   its leaving does not move V back) until V reaches its vruntime, when it
//   leaves with lag 0 (DELAY_ZERO); woken before, onto the same queue, it
//   keeps its vruntime and deadline (requeue_delayed_entity()); woken onto
//   another core's, it leaves with its lag and is placed there;
// - load balancing: a core that falls free with its queue empty pulls a
//   waiting thread it may run from the queue with the most waiting threads
//   (sched_balance_newidle() -> sched_balance_rq(): find_busiest_queue(),
//   detach_tasks(); can_migrate_task() keeps affinity and leaves a running
//   thread alone); at each scheduler tick, a core whose queue has 2 or more
//   fewer waiting threads than the longest pulls one likewise (the periodic
//   sched_balance_rq() that sched_tick() triggers), and the thread it pulled
//   preempts where it is the pick (attach_task() -> wakeup_preempt()). A
//   moved thread keeps its lag (dequeue_entity() -> update_entity_lag()) and
//   its deadline relative to its vruntime (rel_deadline, 6.12+), and is
//   placed on its new queue (place_entity());
// - slices end at the scheduler tick: a running thread's slice is checked
//   every `scheduler_tick` (sched_tick() -> entity_tick() -> update_curr());
//   at the first tick at which its vruntime has reached its deadline, the
//   deadline moves a slice past its vruntime (update_deadline()) and the core
//   takes the pick among it and its queue's waiting threads, which may be
//   the same thread;
// - RUN_TO_PARITY: a thread picked by a core keeps it until its deadline
//   (protect_slice()) as long as it stays eligible; a renewed deadline ends
//   the protection until the thread is picked again;
// - wake-up preemption (check_preempt_wakeup_fair(), wakeup_preempt_fair()):
//   a woken thread with no idle core preempts the thread on the core whose
//   queue it joins if that queue's pick, among the current thread (if
//   protected: that thread at once), the waiting threads and the woken one,
//   is the woken one; on the way, a running thread past its deadline gets a
//   new one (update_curr()), and its core reschedules if the pick is then
//   another waiting thread.
//
// Simplified (docs/model.md, "Model choices"):
// - load balancing moves one thread at a time, by count of waiting threads
//   (Linux weighs load and utilisation, and balances at intervals that grow
//   with the domain and with a busy CPU, not at every tick); the thread
//   moved is the one with the best claim on its queue (eligible, earliest
//   deadline) among those the pulling core may run, where detach_tasks()
//   takes the least recently run and skips cache-hot ones (task_hot());
//   newidle balancing has no cost and no avg_idle cut-off; an idle core
//   pulls only as it falls idle (no nohz idle balancing: with no affinity a
//   thread never waits while a core it may use idles);
// - a thread the machine puts on an idle core other than the one its
//   wake-up chose (one fell idle during its wake-up latency; or a new thread
//   whose idle core another took first) is placed again on that core's
//   queue, with the same lag, the first time the policy looks at the core;
// - no weights (nice 0), no custom slices (sched_attr.sched_runtime), so no
//   PREEMPT_SHORT; no buddies (NEXT_BUDDY is off by default); no lazy
//   preemption (a preemption the policy decides happens at once);
// - V counts the threads that wait, run or are delayed; a waking thread
//   counts from when it waits or runs (Linux enqueues it at the wake-up); a
//   delayed thread leaves when, at one of the policy's calls, V has reached
//   its vruntime (Linux: when a core picks it, which it can only once it is
//   eligible);
// - with nobody runnable on a queue, its V is the largest "least vruntime of
//   its runnable threads" seen so far (6.6-6.18's min_vruntime, which never
//   goes back);
// - ticks fall at multiples of `scheduler_tick` on every core (Linux aligns
//   them: sched_skew_tick is 0 by default);
// - `timeslice`, `wakeup_granularity` and `sched_latency` are CFS's, unused.
//   `wakeup_preemption: false` turns wake-up preemption off here too.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "models/os_policy.h"
#include "models/wait_queue.h"

namespace models {

class Eevdf final : public OsPolicy {
 public:
  Eevdf(const MachineConfig& config, const CoreTable& cores);

  void place_woken(int tid, sim::Time now) override;
  int wakeup_preemption_target(int tid, sim::Time now) override;
  void enqueue(int tid) override;
  int pick_next(int core, sim::Time now) override;
  bool waiting_for(int core) const override;
  sim::Time slice_end(int core, sim::Time now) const override;
  bool slice_expired(int core, sim::Time now) override;
  void place_started(int tid, sim::Time now) override;
  bool hears_blocks() const override { return true; }
  void blocked(int tid, int core, sim::Time now) override;

  // Up to the thread's last leaving a core.
  sim::Time vruntime(int tid) const {
    return cores_.cpu_time(tid) + cores_.switch_time(tid) + offset_[static_cast<std::size_t>(tid)];
  }
  sim::Time deadline(int tid) const { return deadline_[static_cast<std::size_t>(tid)]; }
  // As the thread last blocked (V - vruntime, clamped), or as it was last
  // placed with.
  sim::Time lag(int tid) const { return lag_[static_cast<std::size_t>(tid)]; }
  // The core whose run queue holds the thread (it runs there, or was placed
  // or moved there); -1 before it is placed.
  int queue_of(int tid) const { return rq_[static_cast<std::size_t>(tid)]; }
  // Threads waiting in the core's queue.
  int waiting_on(int core) const { return queued_[static_cast<std::size_t>(core)]; }
  sim::Time slice() const { return slice_; }
  sim::Time tick() const { return tick_; }
  // The core's V at `now`, over its queue's threads that run or wait.
  sim::Time average_vruntime(int core, sim::Time now) const;
  // Under the V of the queue it is on (its core's, if it runs).
  bool eligible(int tid, sim::Time now) const;

 private:
  // The runnable threads' vruntimes as avg_vruntime() keeps them: their sum
  // relative to `base`, and their count.
  struct Average {
    sim::Time base = 0, least = 0;
    std::int64_t sum = 0;
    std::int64_t n = 0;
    void add(sim::Time v) {
      if (n == 0) base = least = v;
      sum += v - base;
      least = std::min(least, v);
      ++n;
    }
    // vruntime_eligible(): v is not past the average.
    bool admits(sim::Time v) const { return n == 0 || sum >= (v - base) * n; }
  };
  // Over the queue of `core`: its current thread (unless `with_current` is
  // false), its waiting and its delayed threads.
  Average average(int core, sim::Time now, bool with_current = true) const;
  // average(), after the thread on `core` is counted on its queue (adopt())
  // and the delayed threads that V has reached have left it (with lag 0:
  // DELAY_ZERO).
  Average settle(int core, sim::Time now);
  // The thread on `core`, if the machine gave it that core without the
  // policy's choosing it (see the header), is placed on the core's queue.
  void adopt(int core, sim::Time now);
  // avg_vruntime(): the floor of the average; the queue's min_vruntime if
  // nobody runs or waits there.
  sim::Time mean(int core, const Average& a) const;
  // The vruntime of the thread on `core`, counting the time it has run (or
  // the core has switched to it) so far.
  sim::Time current_vruntime(int core, sim::Time now) const;
  // place_entity() on the queue of `core`: the thread at V - lag (scaled),
  // its deadline `vslice` later. (A thread on a core is placed as of when it
  // took the core: current_vruntime() adds what it has run there since.)
  void place(int tid, int core, const Average& a, sim::Time lag, sim::Time vslice);
  // pick_eevdf() for `core`: among its thread `curr` (vruntime `vc`; -1 if
  // none), its queue's waiting threads and `woken` (-1 if none), over the
  // queue's runnable threads `a`. -1 when none is eligible and there is no
  // current thread.
  int pick(int core, const Average& a, int curr, sim::Time vc, int woken) const;
  // The waiting thread of the queue of `rq` that may run on `core` with the
  // earliest deadline, among the eligible ones (or all, with a null `a`):
  // its place in the wait list, or the list's size if there is none.
  std::size_t earliest(int rq, int core, const Average* a) const;
  // find_busiest_queue() for `core`: the other queue with the most waiting
  // threads, at least `least`, one of which may run on `core` (the
  // lowest-numbered on a tie); -1 if none.
  int busiest(int core, int least) const;
  // detach_task() + attach_task(): the waiting thread with the best claim
  // on the queue of `from` that may run on `core` moves to `core`'s queue
  // (it exists: busiest() said so). Returns it.
  int pull(int from, int core, sim::Time now);
  // Where a thread that wants a core and has no idle one goes first: the
  // allowed core with the fewest runnable threads.
  int idlest(int tid) const;
  bool renew_deadline(int tid, sim::Time v);
  // update_min_vruntime(): never goes back.
  void note(int core, const Average& a) {
    sim::Time& m = min_vruntime_[static_cast<std::size_t>(core)];
    if (a.n > 0) m = std::max(m, a.least);
  }

  const CoreTable& cores_;
  const bool wakeup_preemption_;
  const sim::Time slice_, tick_, lag_limit_;
  // Per thread: vruntime less CPU time (the machine counts that, so a thread
  // leaving its core needs no call), deadline, lag as it blocked or was
  // placed with, the slice it was placed with, its queue (queue_of()).
  std::vector<sim::Time> offset_, deadline_, lag_, placed_slice_;
  std::vector<int> rq_;
  // Per thread: blocked while ineligible (DELAY_DEQUEUE); its deadline was
  // renewed since a core last picked it (no RUN_TO_PARITY protection).
  std::vector<std::uint8_t> delayed_, unprotected_;
  // Per core: a wake-up preemption or a pulled thread chose it (its
  // kTimeslice is that one); its queue's min_vruntime; its waiting threads.
  std::vector<std::uint8_t> forced_;
  std::vector<sim::Time> min_vruntime_;
  std::vector<int> queued_;
  // The delayed threads (delayed_), which still count in their queue's V:
  // reserved for every thread, so it never reallocates.
  std::vector<int> delayed_threads_;
  // Every waiting thread, in the order they came (the tie-break), each in
  // the queue of rq_: one list for all queues, so that it is sized once for
  // every thread, not once per core.
  WaitQueue queue_;
};

}  // namespace models
