// Where each thread's wall time goes: the thread model reports every change
// (account(tid) after it blocks, is woken, gets or leaves a core, or switches
// between bytecode and C code), and this books the time since the last one
// to the state the thread was in, draws it on the thread's trace track, and
// checks claim C1 on the way: in one interpreter with a GIL, at most one
// thread runs bytecode (or a C call that keeps the GIL), and it holds the GIL.
//
// The state is explicit where the thread model knows it when it blocks (what
// it blocked on: PythonThread::blocked_on) and read off the machine
// otherwise (waking or queued: Runnable; on a core: bytecode or C code by the
// operation it runs).
#pragma once

#include <string>
#include <vector>

#include "models/ids.h"
#include "models/machine.h"
#include "models/python_thread.h"
#include "sim/event_queue.h"
#include "sim/trace.h"

namespace models {

class Accounting {
 public:
  // `serialises`: the interpreters have a GIL (C1 is checked).
  Accounting(sim::EventQueue& events, const Machine& os, std::vector<PythonThread>& threads, int interpreters,
             bool serialises);

  void account(int tid);
  // The same for a thread the caller knows to be off its core in state `s`:
  // woken (Runnable) or blocked (what it blocked on). Such a thread runs
  // nothing with the GIL, so what account() would work out (the operation,
  // the machine's view, C1) is known. Inline: a GIL-bound workload's most
  // frequent changes are these two, a waiter woken by its timeout and its
  // failed retry blocking it again.
  void account_off_core(int tid, ThreadState s) { account_off_core(threads_[static_cast<std::size_t>(tid)], tid, s); }
  // The same with the thread at hand (`t` is thread `tid`): the caller's
  // reference, not a second look-up through this class's own.
  void account_off_core(PythonThread& t, int tid, ThreadState s) {
#ifndef NDEBUG
    // Debug builds (the sanitizer build CI runs) check the caller's word
    // against the state worked out as account() does.
    if (s != current_state(t, tid)) [[unlikely]]
      mismatch(tid);
#endif
    if (s != t.state) enter(t, tid, s, events_.now());
    if (t.runs_with_gil) [[unlikely]] {
      t.runs_with_gil = false;
      --with_gil_running_[static_cast<std::size_t>(t.interpreter)];
    }
  }
  // Closes the books (and the trace's slices) at the end of the run.
  void finish(sim::Time end);
  void set_trace(sim::TraceSink* trace, const TraceTracks& tracks) {
    trace_ = trace;
    tracks_ = &tracks;
  }

 private:
  ThreadState current_state(const PythonThread& t, int tid) const;
  // Books the time since the last change to the state left, and enters `s`.
  void enter(PythonThread& t, int tid, ThreadState s, sim::Time now) {
    if (trace_) [[unlikely]] trace_state(t, tid, now);
    t.time_in[static_cast<int>(t.state)] += now - t.state_since;
    t.state = s;
    t.state_since = now;
  }
  // Out of line: an untraced run pays one test of trace_ per change.
  [[gnu::noinline]] void trace_state(const PythonThread& t, int tid, sim::Time now);
  [[noreturn, gnu::cold, gnu::noinline]] static void broken(const std::string& what);
  [[noreturn, gnu::cold, gnu::noinline]] void mismatch(int tid) const;

  sim::EventQueue& events_;
  const Machine& os_;
  std::vector<PythonThread>& threads_;
  bool serialises_;
  std::vector<int> with_gil_running_;  // per interpreter: threads in Python or a GIL-holding C call
  sim::TraceSink* trace_ = nullptr;
  const TraceTracks* tracks_ = nullptr;
};

}  // namespace models
