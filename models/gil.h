// The "new GIL" of CPython 3.2 .. 3.14 (GIL builds), as in Python/ceval_gil.c
// (ceval_gil.h before 3.12): take_gil, drop_gil and the FORCE_SWITCHING
// handshake, with the same state variables. See shared/docs/gil-model.md §1.
//
// The GIL does not run threads; it decides who holds it and blocks or wakes
// OS threads through the Machine (a condvar wait is an OS block, a signal an
// OS wake-up). Everything that follows from holding it (running bytecode,
// honouring a drop request at a check point) is the Python-thread model's.
//
// gilsim's choices where CPython leaves the outcome to the OS (README, "Model
// choices"): each waiter has its own timer; a release wakes one waiter, FIFO
// by default or chosen by the seeded generator (`runtime.wake: random`); the
// woken waiter pays the machine's wake-up latency and needs a core, and takes
// the GIL only if it is still free when it runs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/config.h"
#include "models/gil_recorder.h"
#include "models/machine.h"
#include "sim/event_queue.h"
#include "sim/random.h"
#include "sim/stats.h"
#include "sim/trace.h"

namespace models {

class NewGil {
 public:
  NewGil(const RuntimeConfig& config, sim::EventQueue& events, Machine& machine, sim::Rng rng, int threads);

  bool locked() const { return locked_; }
  int holder() const { return holder_; }  // -1 when not locked
  bool drop_request() const { return drop_request_; }

  struct TakeResult {
    bool acquired;
    int drop_request_on;     // the holder this attempt asked to drop the GIL, or -1
    bool signalled_switch;   // acquired, and woke a forced dropper (a futex wake)
  };
  // take_gil() by a thread that is running on a core. If the GIL is locked,
  // the thread waits on the GIL's cond (it blocks, off its core) with a timer
  // of `switch_interval`; it is then woken by a release (signal) or by the
  // timer (kGilTimeout -> on_timeout) and calls take_gil() again when it runs.
  TakeResult take_gil(int tid);
  // kGilTimeout: the timed wait expired. Wakes the thread, which re-checks
  // the switch number when it runs (take_gil's loop).
  void on_timeout(int tid);
  // drop_gil() by the holder, forced (at a check point) or voluntary (around
  // a blocking call). Returns true if a drop request was pending, in which
  // case the thread now waits on switch_cond (blocked) until another thread
  // has taken the GIL (FORCE_SWITCHING), and must call take_gil() or go on
  // with its blocking call when it runs again.
  bool drop_gil(int tid);
  // A thread that ends while holding the GIL releases it (no handshake).
  void release_at_exit(int tid);
  bool waiting(int tid) const { return per_[tid].waiting || per_[tid].switch_wait; }

  // Statistics.
  std::uint64_t handoffs() const { return switch_number_; }  // switch_number: a *different* thread took it
  std::uint64_t drop_requests() const { return drop_requests_; }
  std::uint64_t forced_switches() const { return forced_switches_; }
  std::uint64_t timeouts() const { return timeouts_; }
  // Signalled waiters that found the GIL taken again when they ran.
  std::uint64_t futile_wakeups() const { return futile_wakeups_; }
  std::uint64_t acquisitions(int tid) const { return per_[tid].acquisitions; }
  double held_fraction(sim::Time end) const { return recorder_.held_fraction(end); }
  GilRecorder& recorder() { return recorder_; }
  void finish_trace(sim::Time end) { recorder_.finish(end, holder_); }

 private:
  struct PerThread {
    bool waiting = false;      // in cond_timedwait on the GIL's cond
    bool switch_wait = false;  // in cond_wait on switch_cond (FORCE_SWITCHING)
    bool returning = false;    // woken from the cond wait, not yet re-checked
    bool timed_out = false;
    std::uint64_t saved_switch_number = 0;
    sim::EventHandle timer;
    int prev = -1, next = -1;  // intrusive FIFO of cond waiters
    std::uint64_t acquisitions = 0;
  };

  bool acquire(int tid);  // true if it woke a switch_cond waiter
  void set_drop_request();
  void release(int tid);
  void push_waiter(int tid);
  void remove_waiter(int tid);
  int pick_waiter();

  RuntimeConfig config_;
  sim::Time interval_;
  sim::EventQueue& events_;
  Machine& machine_;
  sim::Rng rng_;
  std::vector<PerThread> per_;

  // The state of ceval_gil.c's struct _gil_runtime_state.
  bool locked_ = false;
  int holder_ = -1;
  int last_holder_ = -1;
  std::uint64_t switch_number_ = 0;
  bool drop_request_ = false;
  int waiters_head_ = -1, waiters_tail_ = -1, waiter_count_ = 0;
  std::vector<int> switch_waiters_;

  std::uint64_t drop_requests_ = 0, forced_switches_ = 0, timeouts_ = 0, futile_wakeups_ = 0;
  GilRecorder recorder_;
  int request_from_ = -1;  // who set the pending drop request (for the trace's arrow)
  sim::Time request_at_ = 0;
};

}  // namespace models
