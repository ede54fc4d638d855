#include "models/cfs.h"

#include <algorithm>
#include <cstdint>

namespace models {

Cfs::Cfs(const MachineConfig& config, const CoreTable& cores)
    : cores_(cores),
      wakeup_preemption_(config.wakeup_preemption),
      timeslice_(config.timeslice),
      wakeup_granularity_(config.wakeup_granularity >= 0 ? config.wakeup_granularity
                                                         : sysctl_factor(config.cores) * sim::kMillisecond),
      // GENTLE_FAIR_SLEEPERS: half of sched_latency.
      sleeper_credit_((config.sched_latency >= 0 ? config.sched_latency
                                                 : 6 * sysctl_factor(config.cores) * sim::kMillisecond) /
                      2),
      placed_(static_cast<std::size_t>(cores.threads())),
      queue_(cores.threads()) {}

sim::Time Cfs::current_vruntime(int core, sim::Time now) const {
  const sim::Time vr = vruntime(cores_.thread_on(core));
  return cores_.switching(core) ? vr : vr + (now - cores_.since(core));
}

// update_min_vruntime(): never goes back; follows the least-served runnable thread.
sim::Time Cfs::update_min_vruntime(sim::Time now) {
  sim::Time m = INT64_MAX;
  for (int core = 0; core < cores_.cores(); ++core)
    if (cores_.thread_on(core) != -1) m = std::min(m, current_vruntime(core, now));
  for (std::size_t i = 0; i < queue_.size(); ++i) m = std::min(m, vruntime(queue_.at(i)));
  if (m != INT64_MAX) min_vruntime_ = std::max(min_vruntime_, m);
  return min_vruntime_;
}

// place_entity(): a thread that slept keeps its vruntime, but not less than
// half a latency period below the others, so it runs soon without starving them.
void Cfs::place_woken(int tid, sim::Time now) {
  const sim::Time vr = vruntime(tid);
  // Cheap test first: any running thread's vruntime bounds min_vruntime from
  // above, so a thread not far behind it needs no placement (the common case).
  // min_vruntime is brought up to date only past that test (it scans every
  // core and the queue); as it never goes back, when it is updated is part
  // of the model.
  for (int core = 0; core < cores_.cores(); ++core) {
    if (cores_.thread_on(core) == -1 || cores_.switching(core)) continue;
    if (vr >= current_vruntime(core, now) - sleeper_credit_) return;
    break;
  }
  const sim::Time floor = update_min_vruntime(now) - sleeper_credit_;
  if (floor > vr) placed_[static_cast<std::size_t>(tid)] += floor - vr;
}

// check_preempt_wakeup() and wakeup_preempt_entity(): the running thread, on
// a core the woken thread may use, whose vruntime is the most above the woken
// one's, by more than wakeup_granularity; the lowest-numbered core on a tie.
int Cfs::wakeup_preemption_target(int tid, sim::Time now) {
  if (!wakeup_preemption_) return -1;
  const sim::Time vr = vruntime(tid);
  int best = -1;
  sim::Time best_gap = wakeup_granularity_;
  for (int core = 0; core < cores_.cores(); ++core) {
    // A switching core has just chosen; an idle one is no target (the machine
    // asks only when none the thread may use is idle).
    if (!cores_.allowed(tid, core) || cores_.thread_on(core) == -1 || cores_.switching(core)) continue;
    const sim::Time gap = current_vruntime(core, now) - vr;
    if (gap > best_gap) {
      best_gap = gap;
      best = core;
    }
  }
  return best;
}

void Cfs::enqueue(int tid) { queue_.push(tid); }

// pick_next_entity(): the lowest vruntime among the waiting threads allowed
// on `core`; the one that waited longest on a tie.
int Cfs::pick_next(int core, sim::Time) {
  const std::size_t n = queue_.size();
  std::size_t best = n;
  for (std::size_t i = 0; i < n; ++i) {
    const int tid = queue_.at(i);
    if (!cores_.allowed(tid, core)) continue;
    if (best == n || vruntime(tid) < vruntime(queue_.at(best))) best = i;
  }
  return best == n ? -1 : queue_.take(best);
}

bool Cfs::waiting_for(int core) const {
  return queue_.any([&](int tid) { return cores_.allowed(tid, core); });
}

}  // namespace models
