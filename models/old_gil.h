// The old GIL of CPython <= 3.1 (read in 2.7.8: Python/ceval.c, the ticker
// at the top of the eval loop; Python/thread_pthread.h, the lock as a POSIX
// semaphore on Linux). gil-model.md §2.
//
// A plain binary lock (SemaphoreLock): no hand-off and no fairness. Every
// `check_interval` ticks the holder releases it (sem_post) and asks for it
// again at once (sem_wait). A waiter woken by the post needs a wake-up latency
// before it can retry, so the releaser nearly always wins, and the waiter goes
// back to sleep: a futile wake-up. That is Beazley's "GIL battle". A waiter
// wins only if it retries inside the releaser's short window between the post
// and the wait, or when the holder blocks. This class adds the GIL's
// statistics and trace to the lock.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/gil_recorder.h"
#include "models/machine.h"
#include "models/semaphore_lock.h"
#include "sim/event_queue.h"
#include "sim/stats.h"
#include "sim/trace.h"

namespace models {

class OldGil {
 public:
  using Post = SemaphoreLock::Post;
  OldGil(sim::EventQueue& events, Machine& machine, int threads);

  int holder() const { return lock_.holder(); }
  bool waiting(int tid) const { return lock_.waiting(tid); }
  bool take(int tid);
  Post release(int tid);

  std::uint64_t handoffs() const { return lock_.handoffs(); }
  std::uint64_t futile_wakeups() const { return lock_.futile_wakeups(); }
  std::uint64_t acquisitions(int tid) const { return lock_.acquisitions(tid); }
  double held_fraction(sim::Time end) const { return recorder_.held_fraction(end); }
  GilRecorder& recorder() { return recorder_; }
  void finish_trace(sim::Time end) { recorder_.finish(end, lock_.holder()); }

 private:
  sim::EventQueue& events_;
  SemaphoreLock lock_;
  GilRecorder recorder_;
};

}  // namespace models
