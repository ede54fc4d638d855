// A simplified EEVDF, the Earliest Eligible Virtual Deadline First policy of
// Linux 6.6 to 6.18 (kernel/sched/fair.c), as one global run queue over all
// cores. `machine: {scheduler: eevdf}` chooses it.
//
// Kept:
// - every thread has a vruntime (its CPU time and the switches to it, which
//   Linux charges to it from set_next_entity() on, plus what placement moved
//   it by; all threads weigh the same: nice 0) and a virtual deadline, its
//   vruntime when it was last placed or its deadline last renewed plus the
//   slice (`base_slice`, sysctl_sched_base_slice: 0.70 ms x (1 + ilog2(min(
//   cores, 8))));
// - V, the average vruntime of the runnable threads (running or waiting:
//   avg_vruntime()); a thread is eligible when its vruntime is not past V
//   (vruntime_eligible(), in integers: sum(v_j - v0) >= n (v - v0));
// - a free core takes the eligible waiting thread with the earliest deadline
//   (pick_eevdf()), the one that waited longest on a tie;
// - a thread that blocks keeps its lag, V - vruntime, clamped to
//   max(2 slices, a tick) either way (update_entity_lag()); woken, it is
//   placed at V - lag x (n + 1) / n among n runnable threads, its deadline a
//   slice later (place_entity() with PLACE_LAG); a new thread is placed at V
//   with half a slice (PLACE_DEADLINE_INITIAL);
// - a thread that blocks while not eligible (negative lag) stays "delayed"
//   (DELAY_DEQUEUE, 6.12+): it still counts in V (so that its leaving does
//   not move V back) until V reaches its vruntime, when it leaves with lag
//   0 (DELAY_ZERO); woken before, it keeps its vruntime and deadline
//   (requeue_delayed_entity());
// - slices end at the scheduler tick: a running thread's slice is checked
//   every `scheduler_tick` (entity_tick() -> update_curr()); at the first
//   tick at which its vruntime has reached its deadline, the deadline moves
//   a slice past its vruntime (update_deadline()) and the core takes the pick
//   among it and the waiting threads, which may be the same thread;
// - RUN_TO_PARITY: a thread picked by a core keeps it until its deadline
//   (protect_slice()) as long as it stays eligible; a renewed deadline ends
//   the protection until the thread is picked again;
// - wake-up preemption (check_preempt_wakeup_fair(), wakeup_preempt_fair()):
//   a woken thread with no idle core takes the lowest-numbered core whose
//   pick, among its thread (if protected: that thread at once), the waiting
//   threads and the woken one, is the woken one; on the way, a running
//   thread past its deadline gets a new one (update_curr()), and its core
//   reschedules if the pick is then another waiting thread.
//
// Simplified (docs/model.md, "Model choices"):
// - one run queue and one V for every core (Linux has one per CPU, and load
//   balancing); affinity filters the candidates. So a waiting thread can be
//   ineligible on every core at once (V is pulled down by the threads on
//   other cores): a free core then takes the waiting thread with the
//   earliest deadline (as 6.6's pick_eevdf() fell back to the leftmost), a
//   tick keeps its thread, and a woken thread preempts nobody;
// - no weights (nice 0), no custom slices (sched_attr.sched_runtime), so no
//   PREEMPT_SHORT; no buddies (NEXT_BUDDY is off by default); no lazy
//   preemption (a preemption the policy decides happens at once);
// - V counts the threads that wait, run or are delayed; a waking thread
//   counts from when it waits or runs (Linux enqueues it at the wake-up); a
//   delayed thread leaves when, at one of the policy's calls, V has reached
//   its vruntime (Linux: when a core picks it, which it can only once it is
//   eligible);
// - with nobody runnable, V is the largest "least vruntime of the runnable
//   threads" seen so far (6.6-6.18's min_vruntime, which never goes back);
// - ticks fall at multiples of `scheduler_tick` on every core (Linux aligns
//   them: sched_skew_tick is 0 by default);
// - a wake-up looks at every core it may use, in order (Linux: at the one
//   select_task_rq_fair() chose), and renews the deadline of every running
//   thread past it it looks at;
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
  // As the thread last blocked (V - vruntime, clamped).
  sim::Time lag(int tid) const { return lag_[static_cast<std::size_t>(tid)]; }
  sim::Time slice() const { return slice_; }
  sim::Time tick() const { return tick_; }
  // V at `now`, over the threads that run or wait.
  sim::Time average_vruntime(sim::Time now) const;
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
  Average average(sim::Time now) const;
  // average(), after the delayed threads that V has reached have left it
  // (with lag 0: DELAY_ZERO).
  Average settle(sim::Time now);
  // avg_vruntime(): the floor of the average; min_vruntime_ if nobody runs or waits.
  sim::Time mean(const Average& a) const;
  // The vruntime of the thread on `core`, counting the time it has run (or
  // the core has switched to it) so far.
  sim::Time current_vruntime(int core, sim::Time now) const;
  // place_entity(): the thread at V - lag (scaled), its deadline `vslice` later.
  void place(int tid, const Average& a, sim::Time lag, sim::Time vslice);
  // pick_eevdf() for `core`: among its thread `curr` (vruntime `vc`; -1 if
  // none), the waiting threads that may run there and `woken` (-1 if none),
  // over the runnable threads `a`. -1 when none is eligible and there is no
  // current thread (the caller falls back).
  int pick(int core, const Average& a, int curr, sim::Time vc, int woken) const;
  // The waiting thread allowed on `core` with the earliest deadline, among
  // the eligible ones (or all, with a null `a`): its place in the queue, or
  // the queue's size if there is none.
  std::size_t earliest(int core, const Average* a) const;
  bool renew_deadline(int tid, sim::Time v);
  // update_min_vruntime(): never goes back.
  void note(const Average& a) {
    if (a.n > 0) min_vruntime_ = std::max(min_vruntime_, a.least);
  }

  const CoreTable& cores_;
  const bool wakeup_preemption_;
  const sim::Time slice_, tick_, lag_limit_;
  sim::Time min_vruntime_ = 0;
  // Per thread: vruntime less CPU time (the machine counts that, so a thread
  // leaving its core needs no call), deadline, lag as it blocked.
  std::vector<sim::Time> offset_, deadline_, lag_;
  // Per thread: blocked while ineligible (DELAY_DEQUEUE); its deadline was
  // renewed since a core last picked it (no RUN_TO_PARITY protection).
  std::vector<std::uint8_t> delayed_, unprotected_;
  // Per core: a wake-up preemption chose it (its kTimeslice is that one).
  std::vector<std::uint8_t> forced_;
  // The delayed threads (delayed_), which still count in V: reserved for
  // every thread, so it never reallocates.
  std::vector<int> delayed_threads_;
  WaitQueue queue_;
};

}  // namespace models
