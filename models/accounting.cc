#include "models/accounting.h"

#include "models/gil_protocol.h"
#include "models/simulation.h"
#include "models/trace_styles.h"

namespace models {

namespace {

const auto& kStyles = trace_styles::kThread;

}  // namespace

Accounting::Accounting(sim::EventQueue& events, const Machine& os, std::vector<PythonThread>& threads,
                       int interpreters, bool serialises)
    : events_(events),
      os_(os),
      threads_(threads),
      serialises_(serialises),
      with_gil_running_(static_cast<std::size_t>(interpreters)) {}

ThreadState Accounting::current_state(const PythonThread& t, int tid) const {
  if (t.phase == PythonThread::Phase::Done) return ThreadState::Done;
  switch (os_.state(tid)) {
    case OsState::Waking:
    case OsState::Runnable:
      return ThreadState::Runnable;
    case OsState::Running:
      // Between the old GIL's release and re-acquire, and in a system call,
      // the thread runs C code, not bytecode.
      return is_bytecode(t.kind_now()) && !t.retaking && !t.paying ? ThreadState::Python : ThreadState::Native;
    case OsState::Blocked:
      break;
  }
  return t.blocked_on;
}

void Accounting::account(int tid) {
  PythonThread& t = threads_[static_cast<std::size_t>(tid)];
  const ThreadState s = current_state(t, tid);
  // Checked even when the state stays the same: a GIL-holding C call
  // (pickling) followed by a GIL-releasing one (a pipe write) is Native
  // throughout, but only the first runs with the GIL.
  const bool runs_with_gil =
      serialises_ && (s == ThreadState::Python || (s == ThreadState::Native && t.kind_now() == OpKind::NativeHeld &&
                                                   !t.retaking && !t.paying));
  const bool flips = runs_with_gil != t.runs_with_gil;
  if (s == t.state && !flips) return;
  if (s != t.state) enter(t, tid, s, events_.now());
  if (runs_with_gil && t.gil->holder() != tid) [[unlikely]]
    broken("thread " + t.name + " runs bytecode without holding the GIL");
  if (flips) {
    t.runs_with_gil = runs_with_gil;
    int& running = with_gil_running_[static_cast<std::size_t>(t.interpreter)];
    running += runs_with_gil ? 1 : -1;
    if (running > 1) [[unlikely]] broken("two threads run bytecode at once in one interpreter");
  }
}

// The slice of the state the thread leaves now, on its trace track.
void Accounting::trace_state(const PythonThread& t, int tid, sim::Time now) {
  if (now > t.state_since && t.state != ThreadState::NotStarted)
    trace_->slice(tracks_->thread(tid), t.state_since, now, kStyles[static_cast<int>(t.state)]);
}

void Accounting::broken(const std::string& what) { throw InvariantViolation("C1 broken: " + what); }

void Accounting::mismatch(int tid) const {
  throw InvariantViolation("account_off_core booked thread " + threads_[static_cast<std::size_t>(tid)].name +
                           " in a state other than its own");
}

void Accounting::finish(sim::Time end) {
  for (std::size_t i = 0; i < threads_.size(); ++i) {
    PythonThread& t = threads_[i];
    t.time_in[static_cast<int>(t.state)] += end - t.state_since;
    if (trace_ && end > t.state_since && t.state != ThreadState::NotStarted && t.state != ThreadState::Done)
      trace_->slice(tracks_->thread(static_cast<int>(i)), t.state_since, end, kStyles[static_cast<int>(t.state)]);
    t.state_since = end;
    if (t.service) t.end = end;  // a pool's threads live until the run ends
  }
}

}  // namespace models
