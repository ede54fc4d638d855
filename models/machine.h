// The machine: N cores and an OS scheduler (round robin with a time slice).
//
// It knows OS threads only by index and their scheduling state; what a thread
// does on a core is the Python-thread model's business. The machine answers
// "who runs where": it hands out idle cores, queues runnable threads, charges
// context switches and wake-up latency, and preempts at the end of a slice.
//
// Choices (documented in README "Model choices"): a simplified CFS. Each
// thread has a vruntime (CPU time received); a core takes the queued thread
// with the lowest vruntime that may run on it; a woken thread gets the
// sleeper credit (vruntime >= min_vruntime - sched_latency / 2) and, with no
// idle core, preempts a running thread whose vruntime is more than
// wakeup_granularity above its own. A thread woken onto an idle core runs
// after `wakeup_latency`, which includes that core's switch; a core
// switching from one thread to another pays `context_switch`. Time slices
// are fixed (`timeslice`).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/config.h"
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
  Machine(const MachineConfig& config, sim::EventQueue& events, int threads, sim::Rng rng);

  // Restricts a thread to some cores (sched_setaffinity); before it starts.
  void set_affinity(int tid, const std::vector<int>& cores);
  bool allowed(int tid, int core) const {
    const auto& m = threads_[tid].affinity;
    return m.empty() || (m[static_cast<std::size_t>(core) / 64] >> (core % 64) & 1);
  }

  OsState state(int tid) const { return threads_[tid].state; }
  int core_of(int tid) const { return threads_[tid].core; }

  // A new thread wants a core, at once (kWakeup at the current time).
  void start(int tid);
  // A blocked thread is woken (I/O done, condvar signalled, timer expired):
  // after wakeup_latency the kWakeup event calls on_wakeup().
  void wake(int tid);
  // The threads woken since the last call, for the thread model to account
  // (a GIL release wakes a waiter that the releasing thread's code does not see).
  template <class F>
  void drain_woken(F&& f) {
    for (int tid : woken_) f(tid);
    woken_.clear();
  }
  // kWakeup: the thread wants a core. True if it got an idle core and runs
  // now (the caller continues it); false if it waits in the run queue.
  bool on_wakeup(int tid);
  // The thread, running, blocks (leaves its core). The core takes the next
  // runnable thread, if any.
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
  int cores() const { return static_cast<int>(cores_.size()); }

  // Tracing (optional): one track per core showing which thread runs.
  void set_trace(sim::TraceSink* trace, sim::TrackId first_core_track, sim::TrackId runnable_counter,
                 const std::vector<std::string>* thread_names);
  void finish_trace(sim::Time end);

 private:
  struct Core {
    int thread = -1;       // running or being switched to; -1 when idle
    int last_thread = -1;  // the thread that ran last (no switch cost to resume it)
    bool switching = false;
    sim::Time since = 0;   // when `thread` started running (for the slice and trace)
    sim::EventHandle slice;
  };
  struct OsThread {
    OsState state = OsState::Blocked;
    int core = -1;
    sim::Time vruntime = 0;  // CFS: CPU time received (all threads weigh the same)
    std::vector<std::uint64_t> affinity;  // a bit per core; empty = every core
  };

  void assign(int core, int tid);
  void run_next(int core);
  void arm_timeslices();
  void release(int core);
  void count_runnable(int delta);
  void enqueue(int tid);
  sim::Time current_vruntime(const Core& c) const;
  sim::Time min_vruntime();
  void place_woken(int tid);
  int preemption_target(int tid);
  // The first queued thread allowed on `core`, removed from the queue; -1 if none.
  int dequeue_for(int core);
  bool queued_for(int core) const;

  MachineConfig config_;
  sim::EventQueue& events_;
  sim::Rng rng_;  // wake-up latencies and switch costs, when they are distributions
  std::vector<Core> cores_;
  std::vector<OsThread> threads_;
  // FIFO run queue as a ring buffer sized for every thread: never reallocates.
  std::vector<int> queue_;
  std::vector<int> woken_;  // reserved for every thread: never reallocates
  std::size_t queue_head_ = 0, queue_size_ = 0;

  sim::Time wakeup_granularity_, sched_latency_;
  sim::Time min_vruntime_ = 0;
  std::uint64_t context_switches_ = 0, wakeups_ = 0, preemptions_ = 0;
  sim::TimeWeighted busy_;
  std::int64_t runnable_ = 0;  // waking + queued

  sim::TraceSink* trace_ = nullptr;
  sim::TrackId first_core_track_ = 0, runnable_counter_ = 0;
  const std::vector<std::string>* names_ = nullptr;
};

}  // namespace models
