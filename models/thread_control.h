// The threads of a run and what every part of the thread model may do to
// one: take and drop its interpreter's GIL, run its on-core work in segments
// that stop at the GIL's check points, block it waiting and wake it, charge
// it C-code time, end it, and book its state (models/accounting.h).
//
// The operation interpreter (models/python_threads.h) decides *what* a thread
// does next; pools, asyncio loops and servers block and wake threads through
// here. CPython references: Py_BEGIN/END_ALLOW_THREADS around blocking calls
// (drop the GIL, take it back); the eval breaker honouring a drop request at
// the next check point (Python/ceval.c, Python/ceval_gil.c).
#pragma once

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/accounting.h"
#include "models/events.h"
#include "models/gil_protocol.h"
#include "models/machine.h"
#include "models/new_gil.h"
#include "models/python_thread.h"
#include "models/run_plan.h"
#include "sim/event_queue.h"
#include "sim/trace.h"

namespace models {

class ThreadControl {
  // (Defined first: the calls below deduce its type.)
  // Calls `f` with the thread's GIL: the new GIL as itself, a final class,
  // so that the call is direct and inlines (every timeout and every retry
  // of a GIL-bound workload makes one); any other protocol through
  // GilProtocol's virtual functions.
  template <class F>
  static decltype(auto) call_gil(PythonThread& t, F&& f) {
    if (t.new_gil) return f(*t.new_gil);
    return f(*t.gil);
  }

 public:
  ThreadControl(const RunPlan& plan, std::uint64_t seed, sim::EventQueue& events, Machine& os);

  PythonThread& operator[](int tid) { return threads_[static_cast<std::size_t>(tid)]; }
  const PythonThread& operator[](int tid) const { return threads_[static_cast<std::size_t>(tid)]; }
  int size() const { return static_cast<int>(threads_.size()); }
  const std::vector<PythonThread>& threads() const { return threads_; }
  // An interpreter's GIL: one per process and one per sub-interpreter of an
  // interpreter pool (PEP 684); a free-threaded build's serialises nothing.
  GilProtocol* gil(int interpreter) const { return gils_[static_cast<std::size_t>(interpreter)].get(); }
  int interpreters() const { return static_cast<int>(gils_.size()); }
  const CheckPoints& checks() const { return checks_; }
  bool holds_gil(int tid) const {
    const GilProtocol* g = (*this)[tid].gil;
    return g && g->holder() == tid;
  }
  // The operation needs the GIL and the thread does not hold it.
  bool lacks_gil(int tid, OpKind k) const { return checks_.serialises && needs_gil(k) && !holds_gil(tid); }
  sim::EventQueue& events() { return events_; }
  Machine& os() { return os_; }
  const Machine& os() const { return os_; }

  // --- the GIL
  // take_gil: true if acquired; otherwise the thread waits (blocked).
  bool take_gil(int tid);
  // Py_BEGIN_ALLOW_THREADS by a thread that may hold the GIL. True if it
  // now waits for a hand-off first (FORCE_SWITCHING) and comes back to the
  // same operation after it; false if it may go on (GIL released or not held).
  bool release_gil(int tid);
  // The holder is at a check point: true if it goes on with its program now.
  bool at_check_point(int tid);
  // The thread runs C code of the GIL's on its core for `length`, then calls
  // take() again (PythonThread::retaking): the old GIL's gap between the
  // check's sem_post and its sem_wait, the new GIL's timed wait before it
  // sleeps. `resumable`: a preemption inside it leaves the rest to run when
  // the thread is back on a core (retake_end; PythonThreads::on_preempted).
  void start_retake(PythonThread& t, int tid, sim::Time length, bool resumable) {
    t.retaking = true;
    t.segment_start = events_.now();
    t.retake_end = resumable ? events_.now() + length : 0;
    t.segment = events_.schedule(events_.now() + length, kSegmentEnd, static_cast<std::uint32_t>(tid));
  }
  // kGilTimeout: the waiter's timed wait expired and its GIL woke it
  // (GilProtocol::on_timeout, Machine::wake_unlisted); it is booked Runnable
  // here, where it is at hand, and not through the machine's list of woken
  // threads (account_woken): the list and its pass after the event cost 7 %
  // of the yardstick's time (docs/speed.md). Nothing else happens in this
  // event, so the booking (and a trace's slice) comes in the same order.
  void on_gil_timeout(int tid) {
    PythonThread& t = (*this)[tid];
    call_gil(t, [tid](auto& g) { g.on_timeout(tid); });
    // In its timed wait's C code (MachineConfig::timed_wait_cpu), on its core
    // or preempted in it: it has not slept, so nothing wakes it.
    if (t.retaking) return;
    accounting_.account_off_core(t, tid, ThreadState::Runnable);
  }

  // --- on-core work: CPU time of the current operation, in segments
  // (inline: one start and one stop per event where threads run short
  // operations back to back, as claim C10's increments do)
  // Runs the current operation's work until it ends or, for bytecode, until
  // the next check point that matters: every check for the old GIL, and for
  // the new GIL only while a drop request is pending. System-call time owed
  // is paid first.
  void start_segment(int tid) {
    PythonThread& t = (*this)[tid];
    t.segment_start = events_.now();
    if (t.overhead > 0) {
      t.paying = true;
      t.segment = events_.schedule(events_.now() + t.overhead, kSegmentEnd, static_cast<std::uint32_t>(tid));
      return;
    }
    sim::Time run = t.remaining;
    if (ticks(t.kind_now()) && checks_.serialises && t.gil->must_stop(tid))
      run = std::min(run, checks_.spacing - t.since_check);
    t.segment = events_.schedule(events_.now() + run, kSegmentEnd, static_cast<std::uint32_t>(tid));
  }
  // Stops the work running now and books the CPU time it got. True if the
  // bytecode work reached a check point.
  bool stop_segment(int tid) {
    PythonThread& t = (*this)[tid];
    const sim::Time ran = events_.now() - t.segment_start;
    events_.cancel(t.segment);
    if (t.paying) {
      t.paying = false;
      t.overhead -= ran;  // what is left is still owed if it was interrupted
      return false;
    }
    t.remaining -= ran;
    bool at_check = false;
    if (ticks(t.kind_now())) {
      t.since_check += ran;
      at_check = ran > 0 && t.since_check >= checks_.spacing;
      // The division (tens of cycles) only when the clock reached a check
      // point: most segments end before (x % spacing is x below spacing).
      if (t.since_check >= checks_.spacing) t.since_check %= checks_.spacing;
    }
    return at_check;
  }
  // Whether CPU time of this operation advances the check-point clock.
  bool ticks(OpKind k) const { return k == OpKind::Cpu || (checks_.counts_increments && is_bytecode(k)); }
  // C code the thread runs before its work goes on (a futex wake it made).
  void charge(int tid, sim::Time cost) { (*this)[tid].overhead += cost; }

  // --- blocking and waking
  // Py_BEGIN_ALLOW_THREADS around a blocking wait (a queue's get, a
  // condition's wait, select()): the thread releases the GIL and blocks.
  // False if it must first wait for the GIL hand-off; it comes back to the
  // same operation afterwards.
  bool block_waiting(int tid);
  // A waiting thread's waker: the condition's notify (or the pipe's write)
  // is a futex wake paid by `waker` (-1: the kernel, for a network packet);
  // the waiter then takes the GIL back (Phase::Returning).
  void wake_waiting(int tid, int waker);
  // The thread's program is over: it leaves its core for good.
  void exit_thread(int tid);
  int user_threads_done() const { return done_; }

  // --- accounting
  void account(int tid) { accounting_.account(tid); }
  // Books the state change of every thread the machine woke during an event
  // (a GIL release wakes a waiter that the releasing thread's code does not see).
  // (Machine::wake leaves them Waking: Runnable, off their cores.)
  void account_woken() {
    os_.drain_woken([this](int tid) { accounting_.account_off_core(tid, ThreadState::Runnable); });
  }
  Accounting& accounting() { return accounting_; }
  const Accounting& accounting() const { return accounting_; }

 private:
  // A waiter's timeout set a drop request on `holder`: if it is running
  // bytecode, its work now stops at the next check point instead of at the end.
  void on_drop_request(int holder);

  sim::EventQueue& events_;
  Machine& os_;
  std::vector<PythonThread> threads_;
  std::vector<std::unique_ptr<GilProtocol>> gils_;
  CheckPoints checks_;
  sim::Time futex_wake_;
  Accounting accounting_;
  int done_ = 0;
};

}  // namespace models
