// A simplified CFS, the Completely Fair Scheduler of Linux before 6.6
// (kernel/sched/fair.c), as one global run queue over all cores.
//
// Kept: every thread has a vruntime, the CPU time it has received (all
// threads weigh the same: nice 0) plus what placement added; a free core
// takes the waiting thread with the lowest vruntime that may run on it
// (pick_next_entity()); a woken thread gets the sleeper credit, vruntime >=
// min_vruntime - sched_latency/2 (place_entity() with GENTLE_FAIR_SLEEPERS);
// with no idle core it may use, it preempts the running thread whose
// vruntime is most above its own, by more than wakeup_granularity
// (check_preempt_wakeup(), wakeup_preempt_entity()); min_vruntime never goes
// back (update_min_vruntime()).
//
// Left out: per-core run queues and load balancing (one queue serves every
// core, with affinity), weights, the red-black tree (the queue is a ring
// scanned in order: gilsim's queues hold a few threads, and the scan's order
// is the tie-break), and slices that shrink with the number of runnable
// threads (the time slice is the machine's fixed `timeslice`). docs/model.md, "Model choices".
#pragma once

#include <vector>

#include "models/os_policy.h"
#include "models/wait_queue.h"

namespace models {

class Cfs final : public OsPolicy {
 public:
  Cfs(const MachineConfig& config, const CoreTable& cores);

  void place_woken(int tid, sim::Time now) override;
  int wakeup_preemption_target(int tid, sim::Time now) override;
  void enqueue(int tid) override;
  int pick_next(int core, sim::Time now) override;
  bool waiting_for(int core) const override;
  // The machine's fixed `timeslice` after the thread got its core.
  sim::Time slice_end(int core, sim::Time now) const override {
    return std::max(now, cores_.since(core) + timeslice_);
  }

  // Up to the thread's last leaving a core.
  sim::Time vruntime(int tid) const { return cores_.cpu_time(tid) + placed_[static_cast<std::size_t>(tid)]; }
  // As last brought up to date: it moves only when a woken thread is placed.
  sim::Time min_vruntime() const { return min_vruntime_; }
  sim::Time wakeup_granularity() const { return wakeup_granularity_; }
  // Half of sched_latency: how far below min_vruntime a woken thread may stay.
  sim::Time sleeper_credit() const { return sleeper_credit_; }

 private:
  // The vruntime of the thread on `core`, counting the time it has run so far.
  sim::Time current_vruntime(int core, sim::Time now) const;
  sim::Time update_min_vruntime(sim::Time now);

  const CoreTable& cores_;
  const bool wakeup_preemption_;
  const sim::Time timeslice_, wakeup_granularity_, sleeper_credit_;
  sim::Time min_vruntime_ = 0;
  // How far place_woken has moved each thread's vruntime past its CPU time
  // (the machine counts that, so a thread leaving its core needs no call).
  std::vector<sim::Time> placed_;
  WaitQueue queue_;
};

}  // namespace models
