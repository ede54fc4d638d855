// The old GIL of CPython <= 3.1 (read in 2.7.8: Python/ceval.c, the ticker
// at the top of the eval loop; Python/thread_pthread.h, the lock as a POSIX
// semaphore on Linux). gil-model.md §2.
//
// A plain binary lock with no hand-off and no fairness. Every
// `check_interval` ticks the holder releases it (sem_post) and asks for it
// again at once (sem_wait). A waiter woken by the post needs a wake-up latency
// before it can retry, so the releaser nearly always wins, and the waiter goes
// back to sleep: a futile wake-up. That is Beazley's "GIL battle". A waiter
// wins only if it retries inside the releaser's short window between the post
// and the wait, or when the holder blocks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/machine.h"
#include "sim/event_queue.h"
#include "sim/stats.h"
#include "sim/trace.h"

namespace models {

class OldGil {
 public:
  OldGil(sim::EventQueue& events, Machine& machine, int threads);

  int holder() const { return holder_; }
  bool waiting(int tid) const { return per_[tid].blocked; }

  // sem_wait by a running thread: true if it got the lock. Otherwise the
  // thread blocks (futex wait) until a release wakes it.
  bool take(int tid);
  // sem_post by the holder. glibc's sem_post makes a FUTEX_WAKE system call
  // whenever the semaphore counts waiters, also those already woken that have
  // not retried yet; the releaser pays for it.
  enum class Post { NoSyscall, WokeNobody, WokeOne };
  Post release(int tid);

  std::uint64_t handoffs() const { return handoffs_; }
  std::uint64_t futile_wakeups() const { return futile_wakeups_; }
  std::uint64_t acquisitions(int tid) const { return per_[tid].acquisitions; }
  double held_fraction(sim::Time end) const { return held_.mean(end); }

  void set_trace(sim::TraceSink* trace, sim::TrackId gil_track, sim::TrackId waiters_counter,
                 sim::TrackId first_thread_track, const std::vector<std::string>* thread_names);
  void finish_trace(sim::Time end);

 private:
  struct PerThread {
    bool blocked = false;  // in futex wait on the semaphore
    bool woken = false;    // woken by a post, not yet retried
    std::uint64_t acquisitions = 0;
  };

  sim::EventQueue& events_;
  Machine& machine_;
  std::vector<PerThread> per_;
  // FIFO of futex waiters (head = next woken), a ring sized for every thread.
  std::vector<int> blocked_;
  std::size_t blocked_head_ = 0, blocked_count_ = 0;
  int woken_count_ = 0;       // waiters woken but not yet retried: still sem waiters
  bool locked_ = false;
  int holder_ = -1, last_holder_ = -1;
  std::uint64_t handoffs_ = 0, futile_wakeups_ = 0;
  sim::TimeWeighted held_;
  sim::Time held_since_ = 0;

  sim::TraceSink* trace_ = nullptr;
  sim::TrackId gil_track_ = 0, waiters_counter_ = 0, first_thread_track_ = 0;
  const std::vector<std::string>* names_ = nullptr;
  int released_by_ = -1;
  sim::Time released_at_ = 0;
};

}  // namespace models
