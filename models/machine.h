// The machine: N cores and an OS scheduler that shares them out.
//
// It knows OS threads only by index and their scheduling state; what a thread
// does on a core is the Python-thread model's business. The machine answers
// "who runs where": it hands out idle cores, charges context switches and
// wake-up latency, ends time slices, keeps the statistics and the trace's
// core tracks. Which waiting thread a core takes, and when a woken thread
// preempts a running one, is the policy's (models/os_policy.h): by default a
// simplified CFS (models/cfs.h).
//
// Choices (documented in docs/model.md, "Model choices"): a thread that wants a core
// takes the lowest-numbered idle core its affinity allows; a woken thread
// chooses it when it is woken and claims it until it runs there. A thread woken
// onto an idle core runs after `wakeup_latency` (off the core: the core's exit
// from its idle state; `polled_wakeup_latency` if the core went idle less than
// `idle_poll` ago and still polls) and then `wakeup_cpu` (on the core: the
// kernel's switch to it and its system call's return); a core switching from
// one thread to another pays `context_switch`.
// Time slices are armed only while threads wait; the policy says when they
// end (CFS: the fixed `timeslice`; EEVDF: each scheduler tick, where it
// checks the thread's deadline and balances its queues) and whether the
// thread then gives its core up.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/config.h"
#include "models/os_policy.h"
#include "sim/event_queue.h"
#include "sim/random.h"
#include "sim/stats.h"
#include "sim/trace.h"

namespace models {

enum class OsState : std::uint8_t {
  Blocked,     // waiting for an event (I/O, timer, condvar); holds no core
  Waking,      // woken; pays wake-up latency before it can run
  Runnable,    // in the run queue, or on a core that is still switching to it
  Running,     // on a core
};

class Machine {
 public:
  // With the policy config.scheduler names (the default: the first of os_policies()).
  Machine(const MachineConfig& config, sim::EventQueue& events, int threads, sim::Rng rng);
  // With the policy `make` makes (os_policy_maker(name) finds one by name).
  Machine(const MachineConfig& config, sim::EventQueue& events, int threads, sim::Rng rng, OsPolicyMaker make);
  // The policy keeps a reference to the core table.
  Machine(const Machine&) = delete;
  Machine& operator=(const Machine&) = delete;

  // Restricts a thread to some cores (sched_setaffinity); before it starts.
  void set_affinity(int tid, const std::vector<int>& cores) {
    table_.set_affinity(tid, cores);
    places_woken_ = true;  // a thread kept off idle cores may have to wait (see places_woken_)
  }
  bool allowed(int tid, int core) const { return table_.allowed(tid, core); }

  OsState state(int tid) const { return threads_[tid].state; }
  int core_of(int tid) const { return threads_[tid].core; }

  // A new thread wants a core, at once (kWakeup at the current time).
  void start(int tid);
  // A blocked thread is woken (I/O done, condvar signalled, timer expired):
  // after wakeup_latency the kWakeup event calls on_wakeup(). It is listed
  // for drain_woken().
  void wake(int tid) {
    woken_.push_back(tid);
    wake_unlisted(tid);
  }
  // The same, not listed: for a caller whose caller books the thread itself
  // (a GIL timeout, ThreadControl::on_gil_timeout, where the woken thread is
  // the event's own: booked there, it costs no list and no second pass).
  void wake_unlisted(int tid);
  // The threads woken (wake()) since the last call, for the thread model to account
  // (a GIL release wakes a waiter that the releasing thread's code does not see).
  template <class F>
  void drain_woken(F&& f) {
    for (int tid : woken_) f(tid);
    woken_.clear();
  }
  // kWakeup: the thread wants a core. True if it got an idle core and runs
  // now: the caller continues it, then calls settle(). False if it waits in
  // the run queue. (Inline below for the most frequent case.)
  bool on_wakeup(int tid);
  // Once the code of the thread that on_wakeup() put on a core has run, in
  // the same event: books its arrival on the core, unless it left the core
  // again in that instant (see arriving_).
  void settle() {
    if (arriving_ >= 0) book_arrival();
  }
  // The thread, running, blocks (leaves its core). The core takes the next
  // runnable thread, if any. (Inline below for the most frequent case.)
  void block(int tid);
  // The thread ends: like block, but it never runs again.
  void exit(int tid) { block(tid); }
  // kDispatch: the core finished switching; returns the thread that runs now.
  int on_dispatch(int core);
  // kTimeslice: the thread to preempt on this core, or -1 if nobody waits.
  // The caller stops that thread's work, then calls preempt().
  int timeslice_victim(int core);
  void preempt(int core);

  // Statistics.
  std::uint64_t context_switches() const { return context_switches_; }
  std::uint64_t wakeups() const { return wakeups_; }
  std::uint64_t preemptions() const { return preemptions_; }
  double busy_avg(sim::Time end) const { return busy_.mean(end); }
  std::int64_t busy_max() const { return busy_.max(); }
  int cores() const { return table_.cores(); }
  // Who is on which core, and the idle cores, as the policy sees them.
  const CoreTable& core_table() const { return table_; }

  // Tracing (optional): one track per core showing which thread runs.
  void set_trace(sim::TraceSink* trace, sim::TrackId first_core_track, sim::TrackId runnable_counter,
                 const std::vector<std::string>* thread_names);
  void finish_trace(sim::Time end);

 private:
  // What the policy does not see of a core.
  struct CoreBooks {
    int last_thread = -1;  // the thread that ran last (no switch cost to resume it)
    sim::EventHandle slice;
  };
  struct OsThread {
    OsState state = OsState::Blocked;
    int core = -1;
    bool slept = false;  // woken from a sleep (not started): pays wakeup_cpu on an idle core
    int claimed = -1;    // the idle core it is on its way to (CoreTable::claim), or -1
  };

  // block() for a thread that was booked on its core (or someone waits for it).
  [[gnu::noinline]] void block_staying(int tid);
  // on_wakeup() in every case but the inline one (below).
  [[gnu::noinline]] bool on_wakeup_other(int tid);
  // The thread runs on the idle core now. (Inline into on_wakeup, its one
  // caller: a wake-up onto an idle core makes no second call.)
  [[gnu::always_inline]] void assign(int core, int tid) {
    if (table_.thread_on(core) != -1) [[unlikely]] second_thread();
    CoreBooks& c = cores_[core];
    if (c.last_thread != tid) ++context_switches_;
    c.last_thread = tid;
    threads_[tid].state = OsState::Running;
    threads_[tid].core = core;
    count_runnable(-1);
    if (defers_arrivals_) {
      arriving_ = tid;
      return;
    }
    table_.occupy(core, tid, events_.now(), /*switching=*/false);
    busy_.add(events_.now(), +1);
  }
  [[noreturn, gnu::cold, gnu::noinline]] static void second_thread();
  // The core's side of assign(), deferred (arriving_).
  [[gnu::noinline]] void book_arrival();
  void check_settled() const;  // throws if an arrival is still pending
  // The core takes the next waiting thread, if any. Out of line: most
  // blocks leave nobody waiting, and then cost no call and no registers.
  [[gnu::noinline]] void run_next(int core);
  // The core starts switching to the thread; kDispatch after `cost`.
  void switch_to(int core, int tid, sim::Time cost);
  void arm_timeslices();
  // The thread on the core leaves it: its trace slice, its time slice
  // cancelled, then vacate().
  [[gnu::noinline]] void release(int core);
  void vacate(int core) {
    table_.vacate(core, events_.now());
    busy_.add(events_.now(), -1);
  }
  [[gnu::noinline]] void trace_core(int core);  // release()'s slice on the core's track
  void count_runnable(int delta) {
    runnable_ += delta;
    if (trace_) trace_runnable();
  }
  [[gnu::noinline]] void trace_runnable();  // out of line: an untraced run pays the test only

  MachineConfig config_;
  sim::EventQueue& events_;
  sim::Rng rng_;  // wake-up latencies and switch costs, when they are distributions
  CoreTable table_;
  std::vector<CoreBooks> cores_;
  std::vector<OsThread> threads_;
  std::unique_ptr<OsPolicy> policy_;  // reads table_
  const bool hears_blocks_;           // policy_->hears_blocks(): a block costs CFS no call
  int waiting_ = 0;  // enqueued with the policy and not yet picked
  // Whether a woken thread is placed (OsPolicy::place_woken). A placement is
  // read only when some thread waits for a core (pick_next) or a woken one
  // finds none idle (wakeup_preemption_target). With at least as many cores
  // as threads and no affinity, neither can happen: the cores taken or
  // claimed are at most the other threads', so a thread that wants one
  // always finds one idle. The policy is then never asked anything, and its
  // placements, 3 % of the yardstick's time (8 threads on 8 cores), are
  // skipped (docs/speed.md, the speed4 branch). Not for a policy that hears
  // blocks (EEVDF): its average vruntime counts every runnable thread, so it
  // must see each wake-up as it sees each block.
  bool places_woken_;
  // A woken thread pays no wakeup_cpu (the constant 0, the default): it
  // runs on its claimed core as soon as it arrives (on_wakeup()).
  const bool no_wakeup_cpu_;
  // The thread that on_wakeup() put on an idle core in this event, until it
  // blocks or settle() is called (its core: threads_[arriving_].core; it
  // arrived now), or -1. Most such threads, on a GIL-bound workload, are
  // timed-out waiters that find the GIL still taken and block again at
  // once (NewGil::take): for them the core table's occupy() and vacate()
  // and the busy cores' two changes all fall in one nanosecond and leave
  // nothing but the core's idle time, which is all that block() then books.
  // So assign() books the thread's state, the context switch and the
  // runnable count at once, and the core's occupancy only when the thread
  // stays: in settle(), or first thing in any other machine call made
  // meanwhile (a wake-up the thread makes, a block of another thread), so
  // that the policy and the table never see the difference. Not in a
  // traced run (the core's slice) nor for a policy that hears blocks.
  // The yardstick: 2-6 % less time depending on the code's layout
  // (docs/speed.md, the speed5 branch).
  int arriving_ = -1;
  bool defers_arrivals_;  // (not traced, no policy that hears blocks)
  std::vector<int> woken_;  // reserved for every thread: never reallocates

  std::uint64_t context_switches_ = 0, wakeups_ = 0, preemptions_ = 0;
  sim::TimeWeighted busy_;
  std::int64_t runnable_ = 0;  // waking + queued

  sim::TraceSink* trace_ = nullptr;
  sim::TrackId first_core_track_ = 0, runnable_counter_ = 0;
  const std::vector<std::string>* names_ = nullptr;
};

// Inline for a thread that arrives on the idle core it claimed when it was
// woken (or started), with no kernel work to do there first: every wake-up
// of a GIL-bound workload with a core for every thread (the yardstick: 9 of
// its 18 events per hand-off), which then makes no call here
// (docs/speed.md, the speed6 branch).
inline bool Machine::on_wakeup(int tid) {
  OsThread& t = threads_[tid];
  if (t.claimed == -1 || (t.slept && !no_wakeup_cpu_)) return on_wakeup_other(tid);
#ifndef NDEBUG
  check_settled();  // (a test per wake-up: in debug builds only)
#endif
  const int core = t.claimed;
  t.claimed = -1;
  assign(core, tid);
  return true;
}

// Inline for a thread that leaves the core it arrived on in this instant,
// with nobody waiting for the core (arriving_): 7 of the 8 blocks of a
// GIL-bound workload, each a timed-out waiter that finds the GIL still held
// (docs/speed.md, the speed6 branch). The core was never booked as taken:
// it is idle again from now, as occupy() and vacate() would leave it (the
// thread's CPU time grows by 0); the busy cores' level never changed (a
// level held for no time is no maximum, and adds nothing to the average).
inline void Machine::block(int tid) {
  if (arriving_ == tid && waiting_ == 0) {
    arriving_ = -1;
    OsThread& t = threads_[tid];
    table_.left_at_once(t.core, events_.now());
    t.state = OsState::Blocked;
    t.core = -1;
    return;
  }
  block_staying(tid);
}

}  // namespace models
