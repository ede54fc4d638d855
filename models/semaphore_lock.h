// A binary lock with POSIX-semaphore semantics, as CPython builds its locks
// on Linux (Python/thread_pthread.h, USE_SEMAPHORES: sem_wait / sem_post):
// the old GIL of 2.x and threading.Lock. No hand-off and no fairness: a
// release wakes one sleeper, which must still win the lock when it runs; a
// thread that is already running can take it first.
#pragma once

#include <cstdint>
#include <vector>

#include "models/machine.h"

namespace models {

class SemaphoreLock {
 public:
  SemaphoreLock(Machine& machine, int threads);

  int holder() const { return holder_; }
  bool locked() const { return holder_ != -1; }
  bool waiting(int tid) const { return per_[tid].blocked; }

  // sem_trywait: takes the lock if it is free. Never blocks.
  bool try_take(int tid);
  // sem_wait by a running thread: true if it got the lock; otherwise the
  // thread blocks (futex wait) until a release wakes it, and calls take()
  // again when it runs.
  bool take(int tid);
  // sem_post by the holder. glibc's sem_post makes a FUTEX_WAKE system call
  // whenever the semaphore counts waiters, also those already woken that have
  // not retried yet; the releaser pays for it.
  enum class Post { NoSyscall, WokeNobody, WokeOne };
  Post release(int tid);

  std::uint64_t handoffs() const { return handoffs_; }  // taken by another thread than the last
  std::uint64_t futile_wakeups() const { return futile_wakeups_; }
  std::uint64_t blocking_waits() const { return blocking_waits_; }
  std::uint64_t acquisitions() const { return acquisitions_; }
  std::uint64_t acquisitions(int tid) const { return per_[tid].acquisitions; }
  int blocked_count() const { return static_cast<int>(blocked_count_); }

 private:
  struct PerThread {
    bool blocked = false;  // in futex wait on the semaphore
    bool woken = false;    // woken by a post, not yet retried
    std::uint64_t acquisitions = 0;
  };
  void acquire(int tid);

  Machine& machine_;
  std::vector<PerThread> per_;
  // FIFO of sleepers (head = next woken), a ring sized for every thread.
  std::vector<int> blocked_;
  std::size_t blocked_head_ = 0, blocked_count_ = 0;
  int woken_count_ = 0;  // woken but not yet retried: still counted as waiters
  int holder_ = -1, last_holder_ = -1;
  std::uint64_t handoffs_ = 0, futile_wakeups_ = 0, blocking_waits_ = 0, acquisitions_ = 0;
};

}  // namespace models
