// The old GIL of CPython <= 3.1 (read in 2.7.8: Python/ceval.c, the ticker
// at the top of the eval loop; Python/thread_pthread.h, the lock as a POSIX
// semaphore on Linux).
//
// A plain binary lock (SemaphoreLock): no hand-off and no fairness. Every
// `check_interval` ticks the holder releases it (sem_post) and asks for it
// again at once (sem_wait). A waiter woken by the post needs a wake-up latency
// before it can retry, so the releaser nearly always wins, and the waiter goes
// back to sleep: a futile wake-up. That is Beazley's "GIL battle". A waiter
// wins only if it retries inside the releaser's short window between the post
// and the wait, or when the holder blocks.
#include <algorithm>

#include "models/gil_protocol.h"
#include "models/machine.h"
#include "models/semaphore_lock.h"

namespace models {

namespace {

class OldGil final : public GilProtocol {
 public:
  explicit OldGil(const GilSetup& s)
      : GilProtocol(check_points(s.runtime), s.threads),
        release_gap_(s.runtime.release_gap),
        futex_wake_(s.machine.futex_wake),
        futex_wake_nobody_(s.machine.futex_wake_nobody),
        cache_refill_(s.machine.cache_refill),
        events_(s.events),
        os_(s.os),
        lock_(s.os, s.threads) {}

  GilTake take(int tid) override {
    const std::uint64_t before = lock_.handoffs();
    if (!lock_.take(tid)) {
      sync_stats();
      recorder_.waiters(events_.now(), lock_.blocked_count());
      return {false, -1, 0};
    }
    holder_ = tid;
    ++acquisitions_[static_cast<std::size_t>(tid)];
    sync_stats();
    const bool handoff = lock_.handoffs() != before;
    recorder_.taken(events_.now(), tid, handoff);
    // A hand-off from another core: the taker's first bytecode misses in its caches.
    const bool moved = handoff && last_core_ != -1 && os_.core_of(tid) != last_core_;
    return {true, -1, moved ? cache_refill_ : 0};
  }
  // The post may wake a waiter; the system call's cost is not charged here,
  // since the thread blocks (or runs GIL-free C code) right after.
  bool drop(int tid) override {
    release(tid);
    return false;
  }
  // 2.7 ceval.c, every check_interval ticks: PyThread_release_lock (sem_post,
  // a futex wake if anyone waits) then PyThread_acquire_lock (sem_wait) after
  // a few instructions. A waiter that is awake and retries inside that window wins.
  GilCheck at_check(int tid) override {
    const SemaphoreLock::Post post = release(tid);
    const sim::Time syscall = post == SemaphoreLock::Post::WokeOne      ? futex_wake_
                              : post == SemaphoreLock::Post::WokeNobody ? futex_wake_nobody_
                                                                        : 0;
    return {GilCheck::Kind::Retakes, release_gap_ + syscall};
  }
  void exit(int tid) override { release(tid); }

 private:
  static CheckPoints check_points(const RuntimeConfig& r) {
    CheckPoints c;
    c.spacing = std::max<sim::Time>(r.check_interval * r.tick, 1);
    c.counts_increments = true;  // every opcode ticks
    c.every_check = true;
    return c;
  }

  SemaphoreLock::Post release(int tid) {
    recorder_.released(events_.now(), tid);
    last_core_ = os_.core_of(tid);
    const SemaphoreLock::Post post = lock_.release(tid);
    holder_ = -1;
    if (post == SemaphoreLock::Post::WokeOne) recorder_.waiters(events_.now(), lock_.blocked_count());
    return post;
  }
  void sync_stats() {
    stats_.handoffs = lock_.handoffs();
    stats_.futile_wakeups = lock_.futile_wakeups();
  }

  sim::Time release_gap_, futex_wake_, futex_wake_nobody_, cache_refill_;
  sim::EventQueue& events_;
  Machine& os_;
  int last_core_ = -1;  // where the lock was last released
  SemaphoreLock lock_;
};

std::unique_ptr<GilProtocol> make(const GilSetup& setup) { return std::make_unique<OldGil>(setup); }

}  // namespace

extern const GilProtocolType kOldGil;
const GilProtocolType kOldGil = {"old GIL", "Python/ceval.c's ticker releases and re-takes a semaphore lock (thread_pthread.h) every check interval", true, &make};

}  // namespace models
