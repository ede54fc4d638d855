#include "models/semaphore_lock.h"

#include "models/simulation.h"

namespace models {

SemaphoreLock::SemaphoreLock(Machine& machine, int threads)
    : machine_(machine), per_(static_cast<std::size_t>(threads)), blocked_(static_cast<std::size_t>(threads)) {}

void SemaphoreLock::acquire(int tid) {
  holder_ = tid;
  ++per_[tid].acquisitions;
  ++acquisitions_;
  if (last_holder_ != tid) {
    ++handoffs_;
    last_holder_ = tid;
  }
}

bool SemaphoreLock::try_take(int tid) {
  if (locked()) return false;
  acquire(tid);
  return true;
}

bool SemaphoreLock::take(int tid) {
  PerThread& me = per_[tid];
  if (me.woken) {  // back from futex wait: it retries the decrement
    me.woken = false;
    --woken_count_;
    if (locked()) ++futile_wakeups_;
  }
  if (try_take(tid)) return true;
  me.blocked = true;
  ++blocking_waits_;
  blocked_[(blocked_head_ + blocked_count_++) % blocked_.size()] = tid;
  machine_.block(tid);
  return false;
}

SemaphoreLock::Post SemaphoreLock::release(int tid) {
  if (holder_ != tid) throw InvariantViolation("a lock released by a thread that does not hold it");
  holder_ = -1;
  if (blocked_count_ == 0) return woken_count_ > 0 ? Post::WokeNobody : Post::NoSyscall;
  const int w = blocked_[blocked_head_];
  blocked_head_ = (blocked_head_ + 1) % blocked_.size();
  --blocked_count_;
  per_[w].blocked = false;
  per_[w].woken = true;
  ++woken_count_;
  machine_.wake(w);
  return Post::WokeOne;
}

}  // namespace models
