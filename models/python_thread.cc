#include "models/python_thread.h"

#include <algorithm>
#include <cmath>

#include "models/events.h"
#include "models/simulation.h"

namespace models {

namespace {

using Phase = PythonThreads::Thread::Phase;

// The trace's thread states; the same words as the README and the summary.
const sim::SliceStyle kStyles[] = {
    {"not started", "#ffffff"},      {"Running", "#2e7d32"},          {"Native", "#66bb6a"},
    {"Runnable", "#fdd835"},         {"Waiting for GIL", "#e53935"},  {"Waiting for lock", "#8e24aa"},
    {"I/O", "#1e88e5"},              {"Sleeping", "#90caf9"},         {"done", "#ffffff"},
};
static_assert(sizeof(kStyles) / sizeof(kStyles[0]) == static_cast<int>(ThreadState::kCount));

sim::Time check_spacing(const RuntimeConfig& r) {
  if (r.gil == GilKind::OldGil) return std::max<sim::Time>(r.check_interval * r.tick, 1);
  return std::max<sim::Time>(r.eval_breaker_granularity, 1);
}

}  // namespace

PythonThreads::PythonThreads(const SimulationConfig& config, sim::EventQueue& events, Machine& machine)
    : events_(events),
      machine_(machine),
      gil_kind_(config.runtime.gil),
      layout_(models::layout(config)),
      check_every_(check_spacing(config.runtime)),
      futex_wake_(config.machine.futex_wake),
      futex_wake_nobody_(config.machine.futex_wake_nobody),
      release_gap_(config.runtime.release_gap),
      cpu_overhead_(config.runtime.cpu_overhead),
      increment_half_(config.runtime.increment_time / 2),
      minor_(config.runtime.minor),
      counters_(config.counters.size()) {
  const int n = static_cast<int>(layout_.threads.size());
  interps_.resize(layout_.processes.size() + 1);
  for (std::size_t i = 0; i < interps_.size(); ++i) {
    // Random streams: 0 the main GIL, 1..n the threads, 2^33 + i the others.
    const std::uint64_t stream = i == 0 ? 0 : (std::uint64_t{1} << 33) + i;
    if (gil_kind_ == GilKind::NewGil)
      interps_[i].new_gil = std::make_unique<NewGil>(config.runtime, events, machine, sim::Rng(config.seed, stream), n);
    else if (gil_kind_ == GilKind::OldGil)
      interps_[i].old_gil = std::make_unique<OldGil>(events, machine, n);
  }
  locks_.reserve(config.locks.size());
  for (std::size_t i = 0; i < config.locks.size(); ++i) locks_.emplace_back(machine, n);

  startup_programs_.reserve(layout_.threads.size());
  std::uint64_t stream = 1;  // stream 0 is the main GIL's
  for (const ThreadSpec& spec : layout_.threads) {
    Thread t;
    t.name = spec.name;
    t.interpreter = spec.interpreter;
    t.new_gil = interps_[static_cast<std::size_t>(spec.interpreter)].new_gil.get();
    t.old_gil = interps_[static_cast<std::size_t>(spec.interpreter)].old_gil.get();
    t.program = &spec.spec->program;
    if (spec.startup > 0) {  // a child's main thread: its process's start-up first
      Op startup;
      startup.kind = OpKind::Cpu;
      startup.duration = sim::Distribution::constant(spec.startup);
      startup.process_startup = true;
      startup_programs_.push_back(Program{startup});
      Program& p = startup_programs_.back();
      p.insert(p.end(), spec.spec->program.begin(), spec.spec->program.end());
      // The loop jumps of the copied program move by the one operation in front.
      for (std::size_t k = 1; k < p.size(); ++k)
        if (p[k].kind == OpKind::RepeatBegin || p[k].kind == OpKind::RepeatEnd) ++p[k].jump;
      t.program = &p;
    }
    t.rng = sim::Rng(config.seed, stream++);
    int depth = 0, max_depth = 0;
    for (const Op& o : *t.program) {
      if (o.kind == OpKind::RepeatBegin) max_depth = std::max(max_depth, ++depth);
      if (o.kind == OpKind::RepeatEnd) --depth;
    }
    t.loops.reserve(static_cast<std::size_t>(max_depth));
    if (!spec.spec->cores.empty()) machine_.set_affinity(static_cast<int>(threads_.size()), spec.spec->cores);
    names_.push_back(t.name);
    threads_.push_back(std::move(t));
  }
}

void PythonThreads::set_trace(sim::TraceSink* trace, sim::TrackId first_thread_track) {
  trace_ = trace;
  first_track_ = first_thread_track;
}

void PythonThreads::start_all() {
  for (std::size_t i = 0; i < threads_.size(); ++i)
    if (layout_.threads[i].started_by == -1) machine_.start(static_cast<int>(i));
}

int PythonThreads::holder(int tid) const {
  switch (gil_kind_) {
    case GilKind::NewGil:
      return new_gil(tid)->holder();
    case GilKind::OldGil:
      return old_gil(tid)->holder();
    case GilKind::NoGil:
      break;
  }
  return -1;
}

// The thread runs on a core: carry on with its program until it must wait
// for something (the GIL, I/O, its CPU work to take time) or it ends.
void PythonThreads::advance(int tid) {
  Thread& t = threads_[tid];
  if (t.reacquiring) {  // old GIL: the sem_wait right after the check's sem_post
    t.reacquiring = false;
    if (!take(tid)) return;
  }
  for (;;) {
    switch (t.phase) {
      case Phase::Done:
      case Phase::Blocked:
        throw InvariantViolation("a finished or blocked thread was given a core");

      case Phase::Returning:  // Py_END_ALLOW_THREADS after a blocking call
        if (gil_kind_ != GilKind::NoGil && !take(tid)) return;
        if (op(t).kind == OpKind::Io) ++t.io_ops;
        ++t.pc;
        t.phase = Phase::Idle;
        continue;

      case Phase::LockWait:  // woken by a release: it must still win the lock
        if (!locks_[op(t).index].take(tid)) {
          account(tid);
          return;
        }
        t.phase = Phase::Returning;  // then Py_END_ALLOW_THREADS
        continue;

      case Phase::Executing:  // resumed after a preemption or a forced switch
        if (needs_gil(op(t).kind) && holder(tid) != tid && !take(tid)) return;
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
      case OpKind::LockAcquire: {
        // Modules/_threadmodule.c acquire_timed(): a non-blocking try with
        // the GIL held, then a blocking wait with the GIL released.
        if (needs_gil(o.kind) && holder(tid) != tid && !take(tid)) return;
        SemaphoreLock& lock = locks_[o.index];
        if (lock.try_take(tid)) {
          ++t.pc;
          continue;
        }
        t.phase = Phase::LockWait;
        if (holder(tid) == tid && release_voluntarily(tid)) {
          account(tid);
          return;
        }
        if (!lock.take(tid)) {
          account(tid);
          return;
        }
        t.phase = Phase::Returning;
        continue;
      }
      case OpKind::LockRelease: {
        if (needs_gil(o.kind) && holder(tid) != tid && !take(tid)) return;
        const auto post = locks_[o.index].release(tid);
        if (post == SemaphoreLock::Post::WokeOne) t.overhead += futex_wake_;
        if (post == SemaphoreLock::Post::WokeNobody) t.overhead += futex_wake_nobody_;
        ++t.pc;
        continue;
      }
      case OpKind::IncrementLoad:
      case OpKind::IncrementStore:
      case OpKind::Cpu:
      case OpKind::NativeHeld:
        if (needs_gil(o.kind) && holder(tid) != tid && !take(tid)) return;
        t.remaining = is_bytecode(o.kind) && o.kind != OpKind::Cpu ? increment_half_ : o.duration.sample(t.rng);
        // A free-threaded build runs the same bytecode more slowly.
        if (is_bytecode(o.kind) && cpu_overhead_ != 1.0)
          t.remaining = static_cast<sim::Time>(std::llround(static_cast<double>(t.remaining) * cpu_overhead_));
        t.phase = Phase::Executing;
        start_segment(tid);
        account(tid);
        return;
      case OpKind::NativeReleased:
      case OpKind::Io:
      case OpKind::Sleep:
        // Py_BEGIN_ALLOW_THREADS. With a drop request pending, the new GIL's
        // drop_gil waits for the hand-off first, and the call starts after.
        if (holder(tid) == tid && release_voluntarily(tid)) {
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

// take_gil / sem_wait. False if the thread now waits (blocked).
bool PythonThreads::take(int tid) {
  bool acquired = false;
  if (gil_kind_ == GilKind::NewGil) {
    const NewGil::TakeResult r = new_gil(tid)->take_gil(tid);
    if (r.drop_request_on >= 0) on_drop_request(r.drop_request_on);
    if (r.signalled_switch) threads_[tid].overhead += futex_wake_;
    acquired = r.acquired;
  } else if (gil_kind_ == GilKind::OldGil) {
    acquired = old_gil(tid)->take(tid);
  }
  if (!acquired) account(tid);
  return acquired;
}

// Py_BEGIN_ALLOW_THREADS. True if the thread now waits (FORCE_SWITCHING).
bool PythonThreads::release_voluntarily(int tid) {
  if (gil_kind_ == GilKind::NewGil) return new_gil(tid)->drop_gil(tid);
  // The old GIL's post may wake a waiter; the syscall's cost is not charged
  // here, since the thread blocks (or runs GIL-free C code) right after.
  if (gil_kind_ == GilKind::OldGil) old_gil(tid)->release(tid);
  return false;
}

// Runs the current operation's work until it ends or, for bytecode, until
// the next check point that matters: every check for the old GIL, and for the
// new GIL only when a drop request is pending. System-call time owed is paid
// first, as a segment of its own (C code, not bytecode).
void PythonThreads::start_segment(int tid) {
  Thread& t = threads_[tid];
  t.segment_start = events_.now();
  if (t.overhead > 0) {
    t.paying = true;
    t.segment = events_.schedule(events_.now() + t.overhead, kSegmentEnd, static_cast<std::uint32_t>(tid));
    return;
  }
  sim::Time run = t.remaining;
  if (ticks(op(t).kind)) {
    const bool stop_at_check = gil_kind_ == GilKind::OldGil ||
                               (gil_kind_ == GilKind::NewGil && new_gil(tid)->drop_request() && holder(tid) == tid);
    if (stop_at_check) run = std::min(run, check_every_ - t.since_check);
  }
  t.segment = events_.schedule(events_.now() + run, kSegmentEnd, static_cast<std::uint32_t>(tid));
}

// Stops the work running now and books the CPU time it got. True if the
// bytecode work reached a check point.
bool PythonThreads::stop_segment(int tid) {
  Thread& t = threads_[tid];
  const sim::Time ran = events_.now() - t.segment_start;
  events_.cancel(t.segment);
  if (t.paying) {
    t.paying = false;
    t.overhead -= ran;  // what is left is still owed if it was interrupted
    return false;
  }
  t.remaining -= ran;
  bool at_check = false;
  if (ticks(op(t).kind)) {
    t.since_check += ran;
    at_check = ran > 0 && t.since_check >= check_every_;
    t.since_check %= check_every_;
  }
  return at_check;
}

void PythonThreads::on_segment_end(int tid) {
  Thread& t = threads_[tid];
  t.segment = sim::EventHandle{};
  if (t.reacquiring) {
    advance(tid);
    return;
  }
  if (t.paying) {  // the system call is done: the work itself starts
    stop_segment(tid);
    start_segment(tid);
    account(tid);
    return;
  }
  const bool at_check = stop_segment(tid);
  const OpKind kind = op(t).kind;
  if (t.remaining == 0) {
    if (kind == OpKind::NativeReleased) {
      t.phase = Phase::Returning;  // the C call returns: take the GIL back
      advance(tid);
      return;
    }
    finish_operation(tid);
    // 3.10+ has no check point between the load and the store of `x += 1`
    // (checks are on back edges and calls); up to 3.9 every DISPATCH() is one.
    const bool check_here = kind != OpKind::IncrementLoad || minor_ <= 9;
    if (gil_kind_ == GilKind::NewGil && check_here) {
      // The end of a Python-level operation is a call or a loop edge: a check point.
      t.since_check = 0;
      if (new_gil(tid)->drop_request() && holder(tid) == tid) {
        forced_drop(tid);
        return;
      }
    } else if (gil_kind_ == GilKind::OldGil && at_check) {
      old_gil_check(tid);
      return;
    }
    advance(tid);
    return;
  }
  // A check point inside bytecode work.
  if (gil_kind_ == GilKind::OldGil) {
    old_gil_check(tid);
    return;
  }
  t.since_check = 0;
  forced_drop(tid);  // the new GIL's eval breaker sees the drop request
}

// _Py_HandlePending / eval_frame_handle_pending: drop_gil(); take_gil().
void PythonThreads::forced_drop(int tid) {
  if (new_gil(tid)->drop_gil(tid)) {
    account(tid);
    return;
  }
  advance(tid);  // unreachable in practice: the request is pending here
}

// 2.7 ceval.c, every check_interval ticks: PyThread_release_lock (sem_post,
// a futex wake if anyone waits) then PyThread_acquire_lock (sem_wait) after a
// few instructions. A waiter that is awake and retries inside that window wins.
void PythonThreads::old_gil_check(int tid) {
  Thread& t = threads_[tid];
  const OldGil::Post post = old_gil(tid)->release(tid);
  const sim::Time syscall = post == OldGil::Post::WokeOne      ? futex_wake_
                            : post == OldGil::Post::WokeNobody ? futex_wake_nobody_
                                                               : 0;
  t.reacquiring = true;
  t.segment_start = events_.now();
  t.segment = events_.schedule(events_.now() + release_gap_ + syscall, kSegmentEnd,
                               static_cast<std::uint32_t>(tid));
  account(tid);
}

// A waiter's timeout set a drop request on `holder`. If it is running
// bytecode, its work now stops at the next check point instead of at the end.
void PythonThreads::on_drop_request(int holder) {
  Thread& h = threads_[holder];
  if (h.phase != Phase::Executing || !ticks(op(h).kind)) return;
  if (!events_.pending(h.segment)) return;  // not on a core: it checks when it runs again
  stop_segment(holder);
  start_segment(holder);
}

// The operation's work is done: the load or store of an increment happens
// now, at the end of its opcodes.
void PythonThreads::finish_operation(int tid) {
  Thread& t = threads_[tid];
  const Op& o = op(t);
  if (o.kind == OpKind::IncrementLoad) t.loaded = counters_[o.index].value;
  if (o.kind == OpKind::IncrementStore) {
    counters_[o.index].value = t.loaded + 1;
    ++counters_[o.index].increments;
  }
  if (o.process_startup)  // the child's interpreter is up: its other threads start
    for (std::size_t i = 0; i < threads_.size(); ++i)
      if (layout_.threads[i].started_by == tid) machine_.start(static_cast<int>(i));
  ++t.pc;
  t.phase = Phase::Idle;
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
  if (t.reacquiring) {
    events_.cancel(t.segment);  // the sem_wait happens when it runs again
  } else if (t.phase == Phase::Executing && events_.pending(t.segment)) {
    stop_segment(tid);
  }
}

void PythonThreads::on_gil_timeout(int tid) {
  new_gil(tid)->on_timeout(tid);
  account(tid);
}

void PythonThreads::exit_thread(int tid) {
  Thread& t = threads_[tid];
  if (holder(tid) == tid) {
    if (gil_kind_ == GilKind::NewGil) new_gil(tid)->release_at_exit(tid);
    else old_gil(tid)->release(tid);
  }
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
      // Between the old GIL's release and re-acquire, and in a system call,
      // the thread runs C code, not bytecode.
      return is_bytecode(kind_now(t)) && !t.reacquiring && !t.paying ? ThreadState::Python
                                                                      : ThreadState::Native;
    case OsState::Blocked:
      break;
  }
  if ((gil_kind_ == GilKind::NewGil && new_gil(tid)->waiting(tid)) ||
      (gil_kind_ == GilKind::OldGil && old_gil(tid)->waiting(tid)))
    return ThreadState::GilWait;
  if (t.phase == Phase::LockWait) return ThreadState::LockWait;
  if (t.phase == Phase::Blocked) return kind_now(t) == OpKind::Sleep ? ThreadState::Sleeping : ThreadState::Io;
  return ThreadState::NotStarted;
}

// Books the time since the last change to the state the thread was in, and
// checks claim C1's invariant on every change: in one interpreter with a GIL,
// at most one thread runs bytecode (or a C call that keeps the GIL), and it
// holds the GIL.
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
  if (gil_kind_ == GilKind::NoGil) return;

  const bool runs_with_gil = s == ThreadState::Python ||
                             (s == ThreadState::Native && kind_now(t) == OpKind::NativeHeld && !t.reacquiring && !t.paying);
  if (runs_with_gil && holder(tid) != tid)
    throw InvariantViolation("C1 broken: thread " + t.name + " runs bytecode without holding the GIL");
  if (runs_with_gil != t.runs_with_gil) {
    t.runs_with_gil = runs_with_gil;
    int& running = interps_[t.interpreter].with_gil_running;
    running += runs_with_gil ? 1 : -1;
    if (running > 1) throw InvariantViolation("C1 broken: two threads run bytecode at once in one interpreter");
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
