// Python threads running their programs: the operation interpreter. This is
// where a thread's life is decided, one event at a time: what it does when
// it gets a core (advance: the next operation), when its CPU work reaches
// the end or a check point (on_segment_end), when its I/O completes
// (on_block_end), when it is woken for the GIL (on_gil_timeout). Each
// operation family has its owner: CPU work, I/O and locks are here with the
// GIL glue of models/thread_control.h; pools in models/pools.h; asyncio in
// models/asyncio_loops.h; servers and their clients in models/servers.h.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/asyncio_loops.h"
#include "models/machine.h"
#include "models/pools.h"
#include "models/resource.h"
#include "models/run_plan.h"
#include "models/semaphore_lock.h"
#include "models/servers.h"
#include "models/thread_control.h"
#include "models/work_queue.h"
#include "sim/event_queue.h"
#include "sim/trace.h"

namespace models {

class PythonThreads {
 public:
  PythonThreads(const RunPlan& plan, std::uint64_t seed, sim::EventQueue& events, Machine& os);

  // Every thread of the main process, and the main thread of every child
  // process, starts at time 0; a child's other threads start when its
  // start-up is done. Request streams schedule their first arrivals.
  void start_all();

  // Event handlers (the simulation's dispatch switch calls these).
  // Got a core (kWakeup with an idle core, kDispatch). The machine then books
  // its arrival on the core unless it left the core at once (Machine::settle).
  // A thread that must take the GIL before it goes on (a GIL waiter, woken
  // by its timeout or by a release, as most of a GIL-bound workload's
  // wake-ups are) tries here first, and calls advance() only if it got the
  // GIL: a failed retry, which mostly finds the GIL still held and waits
  // again, makes no call of advance (docs/speed.md, the speed6 branch).
  void on_running(int tid) {
    PythonThread& t = threads_[tid];
    if (t.retaking || !must_take_gil(t, tid) || threads_.take_gil(tid)) advance(tid);
    os_.settle();
  }
  void on_segment_end(int tid);      // kSegmentEnd
  void on_block_end(int tid);        // kBlockEnd: I/O or sleep done
  void on_preempted(int tid);        // before the machine takes its core at a slice end
  // kGilTimeout: the GIL's business (ThreadControl::on_gil_timeout), inline.
  void on_gil_timeout(int tid) { threads_.on_gil_timeout(tid); }
  void on_task_resume(int task);     // kTaskResume: an asyncio task's await is over
  void on_arrival(int stream) { servers_.on_arrival(stream); }
  void on_syn_retry(int item) { servers_.on_syn_retry(item); }
  void on_client_timeout(int item) { servers_.on_client_timeout(item); }
  void on_runnable(int tid) { threads_.account(tid); }  // kWakeup but no idle core
  void account_woken() { threads_.account_woken(); }

  // A shared variable that threads do `+= 1` on.
  struct Counter {
    std::int64_t value = 0;       // what the stores left
    std::int64_t increments = 0;  // stores made: each meant one more
  };

  const ThreadControl& threads() const { return threads_; }
  const std::vector<Counter>& counters() const { return counters_; }
  const std::vector<SemaphoreLock>& locks() const { return locks_; }
  const std::vector<Resource>& resources() const { return resources_; }
  const AsyncioLoops& asyncio() const { return asyncio_; }
  const Pools& pools() const { return pools_; }
  const Servers& servers() const { return servers_; }
  // Every thread that is not a pool's or a server's has ended, and every
  // request has arrived and been answered.
  bool all_done() const { return threads_.user_threads_done() == user_threads_ && servers_.requests().drained(); }
  // Nothing is left to do: every pool's thread waits for work that will
  // not come. Throws InvariantViolation otherwise (a lost wake-up).
  void check_quiescent() const;
  // The end of the run: the last thread's, or the last work item a pool
  // finished (or request a server answered), or the last start-up of a
  // pool's worker process, after that.
  sim::Time end_of_work() const;
  void finish(sim::Time end);  // closes the accounting (and trace) at the end of the run

  void set_trace(sim::TraceSink* trace, const TraceTracks& tracks);

 private:
  void advance(int tid);
  // Whether the thread, given a core, must take the GIL before it goes on:
  // back from a blocking call (Py_END_ALLOW_THREADS; it may hold the GIL
  // already, taken when its timed wait's C code ended), or resumed in work
  // that needs it (after a preemption or a forced switch).
  bool must_take_gil(const PythonThread& t, int tid) const {
    switch (t.phase) {
      case PythonThread::Phase::Returning:
        return threads_.checks().serialises && !threads_.holds_gil(tid);
      case PythonThread::Phase::Executing:
        return threads_.lacks_gil(tid, t.kind_now());
      default:
        return false;
    }
  }
  // The operations of each family; false if the thread now waits or its
  // work is under way (advance returns).
  // (run_compute inlines into advance, its one caller: the most frequent
  // operations pay no second call.)
  [[gnu::always_inline]] bool run_compute(int tid, const Op& o);  // cpu, native, io, sleep, `x += 1`
  bool run_lock(int tid, const Op& o);     // threading.Lock
  bool run_asyncio(int tid, const Op& o);  // the loop's turn, and a task's awaits
  // The end of the program under way: a task's coroutine, a work item's
  // function or the thread itself returns. False if the thread ended.
  bool program_returned(int tid);
  // The operation's work is done: the load or store of an increment happens
  // now, at the end of its opcodes.
  void finish_operation(int tid);
  // A child process's interpreter is up: its other threads start (group
  // -1); or the parent's share of Process.start() is done: the processes of
  // its start group begin their start-up. Out of line, so that
  // finish_operation, run at the end of every operation, stays a leaf that
  // inlines.
  [[gnu::noinline]] void start_children(int tid, std::int32_t group);
  // A pickling or pipe operation's cost per byte of the work item in hand.
  sim::Time sized_extra(const PythonThread& t, const Op& o);
  // A queued request got its resource's slot: its time starts now.
  void grant(std::uint32_t resource, const Resource::Request& r);

  const RunPlan& plan_;
  sim::EventQueue& events_;
  Machine& os_;
  ThreadControl threads_;
  WorkQueues work_;
  std::vector<Resource> resources_;
  AsyncioLoops asyncio_;
  Pools pools_;
  Servers servers_;
  std::vector<SemaphoreLock> locks_;
  std::vector<Counter> counters_;
  sim::Time futex_wake_, futex_wake_nobody_;
  double cpu_overhead_;
  sim::Time increment_half_;
  int user_threads_ = 0;
  sim::Time last_startup_ = 0;  // when the last child process finished starting up
};

}  // namespace models
