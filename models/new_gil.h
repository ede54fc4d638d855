// The "new GIL" of CPython 3.2 .. 3.14 (GIL builds), as in Python/ceval_gil.c
// (ceval_gil.h before 3.12): take_gil, drop_gil and the FORCE_SWITCHING
// handshake, with the same state variables.
//
// gilsim's choices where CPython leaves the outcome to the OS (docs/model.md, "Model
// choices"): each waiter has its own timer; a release wakes one waiter, FIFO
// by default or chosen by the seeded generator (`runtime.wake: random`); the
// woken waiter pays the machine's wake-up latency and needs a core, and takes
// the GIL only if it is still free when it runs.
//
// The class is here, not only behind GilProtocol, so that the thread model
// can call it directly (ThreadControl, PythonThread::new_gil): every GIL
// timeout and every retry of a GIL-bound workload calls on_timeout() or
// take(), which inline there instead of costing a virtual call each, and
// take()'s GilTake is then no object returned through memory
// (docs/speed.md, the speed6 branch). The rest of it is in models/new_gil.cc.
#pragma once

#include <algorithm>
#include <vector>

#include "models/events.h"
#include "models/gil_protocol.h"
#include "models/machine.h"
#include "models/simulation.h"

namespace models {

class NewGil final : public GilProtocol {
 public:
  explicit NewGil(const GilSetup& s)
      : GilProtocol(check_points(s), s.threads),
        // ceval_gil.c: "if (interval < 1) interval = 1" (microseconds).
        interval_(std::max<sim::Time>(s.runtime.switch_interval, sim::kMicrosecond)),
        timer_slack_(s.machine.timer_slack),
        timed_wait_cpu_(s.machine.timed_wait_cpu),
        timed_wait_return_cpu_(s.machine.timed_wait_return_cpu),
        cache_refill_(s.machine.cache_refill),
        wake_random_(s.runtime.wake_random),
        futex_wake_(s.machine.futex_wake),
        events_(s.events),
        os_(s.os),
        rng_(s.rng),
        per_(static_cast<std::size_t>(s.threads)) {
    switch_waiters_.reserve(static_cast<std::size_t>(s.threads));
  }

  // (Inline below, always: every retry calls it, and its GilTake then stays
  // out of memory.)
  [[gnu::always_inline]] GilTake take(int tid) override;
  bool drop(int tid) override { return drop_gil(tid); }
  // _Py_HandlePending / eval_frame_handle_pending: drop_gil(); take_gil().
  GilCheck at_check(int tid) override {
    return {drop_gil(tid) ? GilCheck::Kind::Waits : GilCheck::Kind::Continue, 0};
  }
  void on_timeout(int tid) override;  // (inline below: every timeout calls it)
  void exit(int tid) override {
    release(tid);
    drop_request_ = false;
  }

 private:
  static CheckPoints check_points(const GilSetup& s) {
    CheckPoints c;
    // CPU time between two eval-breaker check points in pure-Python code: a
    // loop reaches one every iteration (JUMP_BACKWARD, calls).
    c.spacing = std::max<sim::Time>(s.runtime.eval_breaker_granularity, 1);
    c.at_operation_end = true;
    // 3.10+ checks on back edges and calls only, not between the load and
    // the store of `x += 1`; up to 3.9 every DISPATCH() was one.
    c.between_increment_halves = s.minor <= 9;
    return c;
  }

  struct PerThread {
    bool waiting = false;      // in cond_timedwait on the GIL's cond
    bool returning = false;    // woken from the cond wait, not yet re-checked
    bool timed_out = false;
    bool arming = false;       // on its core, in the timed wait's C code (timed_wait_cpu)
    bool returned = false;     // the wait's C code after it ended is done (timed_wait_return_cpu)
    std::uint64_t saved_switch_number = 0;
    sim::EventHandle timer;
    int prev = -1, next = -1;  // intrusive FIFO of cond waiters
  };

  bool drop_gil(int tid);
  bool acquire(int tid);  // true if it woke a switch_cond waiter
  void release(int tid);
  void push_waiter(int tid);    // (inline below: every timed wait calls it)
  void remove_waiter(int tid);  // (inline below: every timeout calls it)
  int pick_waiter();

  sim::Time interval_, timer_slack_, timed_wait_cpu_, timed_wait_return_cpu_, cache_refill_;
  bool wake_random_;
  sim::Time futex_wake_;
  sim::EventQueue& events_;
  Machine& os_;
  sim::Rng rng_;
  std::vector<PerThread> per_;

  // The rest of ceval_gil.c's struct _gil_runtime_state (holder_ and
  // drop_request_ are the base's).
  bool locked_ = false;
  int last_holder_ = -1;
  int last_core_ = -1;  // where the GIL was last released: a taker elsewhere refills its caches
  std::uint64_t switch_number_ = 0;
  int waiters_head_ = -1, waiters_tail_ = -1, waiter_count_ = 0;
  std::vector<int> switch_waiters_;

  int request_from_ = -1;  // who set the pending drop request (for the trace's arrow)
  sim::Time request_at_ = 0;
};

// take_gil(), ceval_gil.c. The `while (locked)` loop is spread over calls:
// each call is one pass, made when the thread runs on a core.
inline GilTake NewGil::take(int tid) {
  PerThread& me = per_[tid];
  if (me.arming) {
    // The timed wait's C code is done. If nothing ended the wait meanwhile,
    // the thread sleeps now; a wait signalled or due by now returns without
    // sleeping (futex_wait finds the futex word changed, or the hrtimer
    // fired before schedule()), and the thread re-checks on its core.
    me.arming = false;
    if (!me.returning) {
      os_.block(tid);
      return {false, -1, 0};
    }
  }
  int asked = -1;
  if (me.returning) {
    // The wait has ended (signalled, timed out, or due before the thread
    // could sleep): the futex call's return and the mutex's re-lock run on
    // the core first (MachineConfig::timed_wait_return_cpu). The thread is no
    // cond waiter meanwhile, so a release signals another.
    if (timed_wait_return_cpu_ > 0 && !me.returned) {
      me.returned = true;
      return {false, -1, 0, timed_wait_return_cpu_};
    }
    me.returned = false;
    me.returning = false;
    // "if (timed_out && locked && switch_number == saved_switchnum)
    //      SET_GIL_DROP_REQUEST(interp);"
    // Only a full interval with no switch at all asks the holder to drop.
    if (me.timed_out && locked_ && switch_number_ == me.saved_switch_number) {
      drop_request_ = true;
      ++stats_.drop_requests;
      request_from_ = tid;
      request_at_ = events_.now();
      asked = holder_;
    }
    if (!me.timed_out && locked_) ++stats_.futile_wakeups;
  }
  if (!locked_) {
    // COND_SIGNAL(switch_cond) of a forced dropper is a futex wake the taker pays.
    const bool moved = last_holder_ != tid && last_core_ != -1 && os_.core_of(tid) != last_core_;
    const bool signalled = acquire(tid);
    return {true, -1, (signalled ? futex_wake_ : 0) + (moved ? cache_refill_ : 0)};
  }
  // COND_TIMED_WAIT(gil->cond, gil->mutex, interval, timed_out): a new full
  // interval starts on every pass, also after a signal that lost the race.
  // The futex wait's hrtimer fires at the end of its slack range (MachineConfig::timer_slack).
  // Every timed wait lasts as long: the timers come due in the order they
  // are set (EventQueue::schedule_fifo).
  me.saved_switch_number = switch_number_;
  me.timed_out = false;
  push_waiter(tid);
  me.timer = events_.schedule_fifo(events_.now() + interval_ + timer_slack_, kGilTimeout,
                                   static_cast<std::uint32_t>(tid));
  // The waiter's own C code, on its core, before it can sleep: the call's
  // unlock, the futex system call and the hrtimer's arming
  // (MachineConfig::timed_wait_cpu). The deadline runs from before the call
  // (_PyThread_cond_after, then pthread_cond_timedwait), so a wait due by the
  // time that is done returns without sleeping: the waiter spins.
  if (timed_wait_cpu_ > 0) {
    me.arming = true;
    return {false, asked, 0, timed_wait_cpu_};
  }
  os_.block(tid);
  return {false, asked, 0};
}

inline void NewGil::on_timeout(int tid) {
  PerThread& me = per_[tid];
  me.timer = sim::EventHandle{};
  remove_waiter(tid);
  me.timed_out = true;
  me.returning = true;
  ++stats_.timeouts;
  if (!me.arming) os_.wake_unlisted(tid);  // booked Runnable by the caller; an arming thread has not slept
}

inline void NewGil::push_waiter(int tid) {
  PerThread& p = per_[tid];
  p.waiting = true;
  p.prev = waiters_tail_;
  p.next = -1;
  if (waiters_tail_ >= 0) per_[waiters_tail_].next = tid;
  else waiters_head_ = tid;
  waiters_tail_ = tid;
  ++waiter_count_;
  recorder_.waiters(events_.now(), waiter_count_);
}

inline void NewGil::remove_waiter(int tid) {
  PerThread& p = per_[tid];
  if (!p.waiting) throw InvariantViolation("removed a thread that was not waiting for the GIL");
  if (p.prev >= 0) per_[p.prev].next = p.next;
  else waiters_head_ = p.next;
  if (p.next >= 0) per_[p.next].prev = p.prev;
  else waiters_tail_ = p.prev;
  p.prev = p.next = -1;
  p.waiting = false;
  --waiter_count_;
  recorder_.waiters(events_.now(), waiter_count_);
}

}  // namespace models
