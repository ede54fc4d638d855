#include "models/python_thread.h"

#include <algorithm>

#include "models/events.h"
#include "models/simulation.h"

namespace models {

namespace {

using Phase = PythonThreads::Thread::Phase;

// The trace's thread states; the same words as the README and the summary.
const sim::SliceStyle kStyles[] = {
    {"not started", "#ffffff"},   {"Running", "#2e7d32"},  {"Native", "#66bb6a"},
    {"Runnable", "#fdd835"},      {"Waiting for GIL", "#e53935"}, {"I/O", "#1e88e5"},
    {"Sleeping", "#90caf9"},      {"done", "#ffffff"},
};

bool needs_gil(OpKind k) { return k == OpKind::Cpu || k == OpKind::NativeHeld; }

}  // namespace

PythonThreads::PythonThreads(const SimulationConfig& config, sim::EventQueue& events, Machine& machine,
                             NewGil& gil)
    : events_(events),
      machine_(machine),
      gil_(gil),
      check_every_(std::max<sim::Time>(config.runtime.eval_breaker_granularity, 1)) {
  std::uint64_t stream = 1;  // stream 0 is the GIL's
  for (std::size_t g = 0; g < config.threads.size(); ++g) {
    const ThreadGroup& group = config.threads[g];
    for (int i = 0; i < group.count; ++i) {
      Thread t;
      t.name = group.count == 1 ? group.name : group.name + "_" + std::to_string(i);
      t.group = static_cast<int>(g);
      t.program = &group.program;
      t.rng = sim::Rng(config.seed, stream++);
      int depth = 0, max_depth = 0;
      for (const Op& o : group.program) {
        if (o.kind == OpKind::RepeatBegin) max_depth = std::max(max_depth, ++depth);
        if (o.kind == OpKind::RepeatEnd) --depth;
      }
      t.loops.reserve(static_cast<std::size_t>(max_depth));
      names_.push_back(t.name);
      threads_.push_back(std::move(t));
    }
  }
}

void PythonThreads::set_trace(sim::TraceSink* trace, sim::TrackId first_thread_track) {
  trace_ = trace;
  first_track_ = first_thread_track;
}

void PythonThreads::start_all() {
  for (std::size_t i = 0; i < threads_.size(); ++i) machine_.start(static_cast<int>(i));
}

// The thread runs on a core: carry on with its program until it must wait
// for something (the GIL, I/O, its CPU work to take time) or it ends.
void PythonThreads::advance(int tid) {
  Thread& t = threads_[tid];
  for (;;) {
    switch (t.phase) {
      case Phase::Done:
      case Phase::Blocked:
        throw InvariantViolation("a finished or blocked thread was given a core");

      case Phase::Returning:  // Py_END_ALLOW_THREADS after a blocking call
        if (!take(tid)) return;
        if (op(t).kind == OpKind::Io) ++t.io_ops;
        ++t.pc;
        t.phase = Phase::Idle;
        continue;

      case Phase::Executing:  // resumed after a preemption or a forced switch
        if (needs_gil(op(t).kind) && gil_.holder() != tid && !take(tid)) return;
        start_segment(tid);
        account(tid);
        return;

      case Phase::Idle:
        break;
    }

    if (t.pc == t.program->size()) {
      exit_thread(tid);
      return;
    }
    const Op& o = op(t);
    switch (o.kind) {
      case OpKind::RepeatBegin:
        t.loops.push_back(o.count);
        ++t.pc;
        continue;
      case OpKind::RepeatEnd:
        if (--t.loops.back() > 0) {
          t.pc = o.jump + 1;
        } else {
          t.loops.pop_back();
          ++t.pc;
        }
        continue;
      case OpKind::Cpu:
      case OpKind::NativeHeld:
        if (gil_.holder() != tid && !take(tid)) return;
        t.remaining = o.duration.sample(t.rng);
        t.phase = Phase::Executing;
        start_segment(tid);
        account(tid);
        return;
      case OpKind::NativeReleased:
      case OpKind::Io:
      case OpKind::Sleep:
        // Py_BEGIN_ALLOW_THREADS. With a drop request pending, drop_gil waits
        // for the hand-off first (FORCE_SWITCHING), and the call starts after.
        if (gil_.holder() == tid && gil_.drop_gil(tid)) {
          account(tid);
          return;
        }
        t.remaining = o.duration.sample(t.rng);
        if (o.kind == OpKind::NativeReleased) {
          t.phase = Phase::Executing;
          start_segment(tid);
        } else {
          t.phase = Phase::Blocked;
          events_.schedule(events_.now() + t.remaining, kBlockEnd, static_cast<std::uint32_t>(tid));
          machine_.block(tid);
        }
        account(tid);
        return;
    }
  }
}

bool PythonThreads::take(int tid) {
  const NewGil::TakeResult r = gil_.take_gil(tid);
  if (r.drop_request_on >= 0) on_drop_request(r.drop_request_on);
  if (!r.acquired) account(tid);
  return r.acquired;
}

// Runs the current operation's CPU work until it ends or, if a drop request
// is pending and the work is bytecode, until the next eval-breaker check.
void PythonThreads::start_segment(int tid) {
  Thread& t = threads_[tid];
  sim::Time run = t.remaining;
  if (op(t).kind == OpKind::Cpu && gil_.drop_request() && gil_.holder() == tid)
    run = std::min(run, check_every_ - t.since_check);
  t.segment_start = events_.now();
  t.segment = events_.schedule(events_.now() + run, kSegmentEnd, static_cast<std::uint32_t>(tid));
}

// Stops the work running now and books the CPU time it got.
void PythonThreads::stop_segment(int tid) {
  Thread& t = threads_[tid];
  const sim::Time ran = events_.now() - t.segment_start;
  t.remaining -= ran;
  if (op(t).kind == OpKind::Cpu) t.since_check = (t.since_check + ran) % check_every_;
  events_.cancel(t.segment);
}

void PythonThreads::on_segment_end(int tid) {
  Thread& t = threads_[tid];
  t.segment = sim::EventHandle{};
  stop_segment(tid);
  const OpKind kind = op(t).kind;
  if (t.remaining == 0) {
    if (kind == OpKind::NativeReleased) {
      t.phase = Phase::Returning;  // the C call returns: take the GIL back
      advance(tid);
      return;
    }
    // The end of a Python-level operation is a call or a loop edge: a check point.
    ++t.pc;
    t.phase = Phase::Idle;
    t.since_check = 0;
    if (gil_.drop_request() && gil_.holder() == tid) {
      forced_drop(tid);
      return;
    }
    advance(tid);
    return;
  }
  // A check point inside bytecode work: the eval breaker sees the request.
  t.since_check = 0;
  forced_drop(tid);
}

// _Py_HandlePending / eval_frame_handle_pending: drop_gil(); take_gil().
void PythonThreads::forced_drop(int tid) {
  if (gil_.drop_gil(tid)) {
    account(tid);
    return;
  }
  advance(tid);  // unreachable in practice: the request is pending here
}

// A waiter's timeout set a drop request on `holder`. If it is running
// bytecode, its work now stops at the next check point instead of at the end.
void PythonThreads::on_drop_request(int holder) {
  Thread& h = threads_[holder];
  if (h.phase != Phase::Executing || op(h).kind != OpKind::Cpu) return;
  if (!events_.pending(h.segment)) return;  // not on a core: it checks when it runs again
  stop_segment(holder);
  start_segment(holder);
}

void PythonThreads::on_running(int tid) { advance(tid); }

// What happens when a thread's I/O (or sleep) completes: the syscall returns,
// the kernel wakes the thread (wake-up latency, then a core), and
// Py_END_ALLOW_THREADS takes the GIL back (advance(), Phase::Returning). If a
// CPU-bound thread holds the GIL, that is a full switch interval away: the
// convoy effect (gil-model.md §1.7).
void PythonThreads::on_block_end(int tid) {
  threads_[tid].phase = Phase::Returning;
  machine_.wake(tid);
  account(tid);
}

void PythonThreads::on_preempted(int tid) {
  Thread& t = threads_[tid];
  if (t.phase == Phase::Executing && events_.pending(t.segment)) stop_segment(tid);
}

void PythonThreads::on_gil_timeout(int tid) {
  gil_.on_timeout(tid);
  account(tid);
}

void PythonThreads::exit_thread(int tid) {
  Thread& t = threads_[tid];
  if (gil_.holder() == tid) gil_.release_at_exit(tid);
  t.phase = Phase::Done;
  t.end = events_.now();
  ++done_;
  machine_.exit(tid);
  account(tid);
}

ThreadState PythonThreads::current_state(int tid) const {
  const Thread& t = threads_[tid];
  if (t.phase == Phase::Done) return ThreadState::Done;
  switch (machine_.state(tid)) {
    case OsState::Waking:
    case OsState::Runnable:
      return ThreadState::Runnable;
    case OsState::Running:
      return op(t).kind == OpKind::Cpu ? ThreadState::Python : ThreadState::Native;
    case OsState::Blocked:
      break;
  }
  if (gil_.waiting(tid)) return ThreadState::GilWait;
  if (t.phase == Phase::Blocked) return op(t).kind == OpKind::Sleep ? ThreadState::Sleeping : ThreadState::Io;
  return ThreadState::NotStarted;
}

// Books the time since the last change to the state the thread was in, and
// checks claim C1's invariant on every change: in one interpreter, at most one
// thread runs bytecode (or a C call that keeps the GIL), and it holds the GIL.
void PythonThreads::account(int tid) {
  Thread& t = threads_[tid];
  const ThreadState s = current_state(tid);
  if (s == t.state) return;
  const sim::Time now = events_.now();
  t.time_in[static_cast<int>(t.state)] += now - t.state_since;
  if (trace_ && now > t.state_since && t.state != ThreadState::NotStarted)
    trace_->slice(first_track_ + static_cast<sim::TrackId>(tid), t.state_since, now,
                  kStyles[static_cast<int>(t.state)]);

  t.state = s;
  t.state_since = now;

  const bool runs_with_gil =
      s == ThreadState::Python || (s == ThreadState::Native && op(t).kind == OpKind::NativeHeld);
  if (runs_with_gil && gil_.holder() != tid)
    throw InvariantViolation("C1 broken: thread " + t.name + " runs bytecode without holding the GIL");
  if (runs_with_gil != t.runs_with_gil) {
    t.runs_with_gil = runs_with_gil;
    with_gil_running_ += runs_with_gil ? 1 : -1;
    if (with_gil_running_ > 1)
      throw InvariantViolation("C1 broken: two threads run bytecode at once in one interpreter");
  }
}

void PythonThreads::finish(sim::Time end) {
  for (std::size_t i = 0; i < threads_.size(); ++i) {
    Thread& t = threads_[i];
    t.time_in[static_cast<int>(t.state)] += end - t.state_since;
    if (trace_ && end > t.state_since && t.state != ThreadState::NotStarted && t.state != ThreadState::Done)
      trace_->slice(first_track_ + static_cast<sim::TrackId>(i), t.state_since, end,
                    kStyles[static_cast<int>(t.state)]);
    t.state_since = end;
  }
}

}  // namespace models
