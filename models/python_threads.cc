#include "models/python_threads.h"

#include <algorithm>
#include <cmath>

#include "models/events.h"
#include "models/simulation.h"

namespace models {

namespace {
using Phase = PythonThread::Phase;
}  // namespace

PythonThreads::PythonThreads(const RunPlan& plan, std::uint64_t seed, sim::EventQueue& events, Machine& os)
    : plan_(plan),
      events_(events),
      os_(os),
      threads_(plan, seed, events, os),
      work_(plan.queues()),
      asyncio_(plan, threads_, resources_),
      pools_(plan, threads_, work_, asyncio_),
      servers_(plan, seed, threads_, work_, asyncio_),
      counters_(plan.counters().size()),
      futex_wake_(plan.config().machine.futex_wake),
      futex_wake_nobody_(plan.config().machine.futex_wake_nobody),
      cpu_overhead_(plan.runtime().cpu_overhead),
      increment_half_(plan.config().runtime.increment_time / 2) {
  for (const auto& r : plan.config().resources) resources_.emplace_back(r.capacity);
  locks_.reserve(plan.locks().size());
  for (std::size_t i = 0; i < plan.locks().size(); ++i) locks_.emplace_back(os, threads_.size());
  for (const ThreadSpec& spec : plan.layout().threads)
    if (!spec.service) ++user_threads_;
}

void PythonThreads::set_trace(sim::TraceSink* trace, const TraceTracks& tracks) {
  threads_.accounting().set_trace(trace, tracks);
  work_.set_trace(trace, tracks);
  asyncio_.set_trace(trace, tracks);
  pools_.set_trace(trace, tracks);
  servers_.set_trace(trace, tracks);
}

void PythonThreads::start_all() {
  for (int tid = 0; tid < threads_.size(); ++tid)
    if (plan_.layout().threads[static_cast<std::size_t>(tid)].started_by == -1) os_.start(tid);
  servers_.start();
}

// The thread runs on a core: carry on with its program until it must wait
// for something (the GIL, I/O, its CPU work to take time) or it ends.
void PythonThreads::advance(int tid) {
  PythonThread& t = threads_[tid];
  // Old GIL: the sem_wait right after the check's sem_post. New GIL: the
  // timed wait's C code is done (MachineConfig::timed_wait_cpu).
  if (t.retaking) {
    // Preempted in that C code: the rest of it first (a real thread finishes
    // its system call before it re-checks; re-checking at once let the core
    // that switched back to it always win the GIL).
    if (t.retake_left > 0) {
      threads_.start_retake(t, tid, t.retake_left, /*resumable=*/true);
      t.retake_left = 0;
      threads_.account(tid);
      return;
    }
    t.retaking = false;
    if (!threads_.take_gil(tid)) return;
  }
  for (;;) {
    switch (t.phase) {
      case Phase::Done:
      case Phase::Blocked:
      case Phase::Waiting:
        throw InvariantViolation("a finished or blocked thread was given a core");

      case Phase::Returning:  // Py_END_ALLOW_THREADS after a blocking call
        if (must_take_gil(t, tid) && !threads_.take_gil(tid)) return;
        t.phase = Phase::Idle;
        if (t.kind_now() == OpKind::Asyncio) continue;  // back from select(): the loop goes on
        if (t.kind_now() == OpKind::Io) ++t.io_ops;
        ++t.cursor().pc;
        continue;

      case Phase::LockWait:  // woken by a release: it must still win the lock
        if (!locks_[t.cursor().op().index].take(tid)) {
          t.blocked_on = ThreadState::LockWait;
          threads_.account(tid);
          return;
        }
        t.phase = Phase::Returning;  // then Py_END_ALLOW_THREADS
        continue;

      case Phase::Executing:  // resumed after a preemption or a forced switch
        if (must_take_gil(t, tid) && !threads_.take_gil(tid)) return;
        threads_.start_segment(tid);
        threads_.account(tid);
        return;

      case Phase::Idle:
        break;
    }

    Cursor& c = t.cursor();
    if (c.at_end()) {
      if (!program_returned(tid)) return;
      continue;
    }
    const Op& o = c.op();
    switch (o.kind) {
      case OpKind::RepeatBegin:
        c.loops.push_back(o.count);
        ++c.pc;
        continue;
      case OpKind::RepeatEnd:
        if (--c.loops.back() > 0) {
          c.pc = o.jump + 1;
        } else {
          c.loops.pop_back();
          ++c.pc;
        }
        continue;

      case OpKind::Cpu:
      case OpKind::NativeHeld:
      case OpKind::NativeReleased:
      case OpKind::Io:
      case OpKind::Sleep:
      case OpKind::IncrementLoad:
      case OpKind::IncrementStore:
        run_compute(tid, o);
        return;
      case OpKind::LockAcquire:
      case OpKind::LockRelease:
        if (!run_lock(tid, o)) return;
        continue;

      // pools: the submitting side, then the workers' side
      case OpKind::NewItem:
        pools_.new_item(tid, o);
        continue;
      case OpKind::Forward:
        pools_.forward(tid, o);
        continue;
      case OpKind::WaitAll:
      case OpKind::WaitBatch:
        if (!pools_.wait(tid, o)) return;
        continue;
      case OpKind::TakeItem:
        if (!pools_.take_item(tid, o)) return;
        continue;
      case OpKind::RunBody:
        pools_.run_body(tid);
        continue;
      case OpKind::Complete: {  // future.set_result(), or a server thread's response
        const int item = t.item;
        t.item = -1;
        ++c.pc;
        if (work_.items[item].stream >= 0) servers_.respond(tid, item);
        else pools_.complete(tid, item);
        continue;
      }

      case OpKind::Asyncio:
      case OpKind::AwaitIo:
      case OpKind::AwaitSleep:
      case OpKind::AwaitFuture:
      case OpKind::PollResult:
        if (!run_asyncio(tid, o)) return;
        continue;

      case OpKind::Submit:
      case OpKind::ToThread:
      case OpKind::Serve:
        throw InvariantViolation("a pool or server operation was not lowered");
    }
  }
}

bool PythonThreads::program_returned(int tid) {
  PythonThread& t = threads_[tid];
  if (t.task >= 0) {  // the coroutine returned: the task is done
    const int request = asyncio_.task_returned(tid);
    if (request >= 0) servers_.respond(tid, request);  // a request's handler returned: the response goes out
  } else if (t.in_body) {  // the work item's function returned
    t.in_body = false;
    t.at = &t.main;
    ++t.main.pc;
  } else if (t.service) {  // a pool's thread: the next work item
    t.main.pc = t.loop_from;
  } else {
    threads_.exit_thread(tid);
    return false;
  }
  return true;
}

// CPU work (bytecode, C calls) starts a segment on the core; a blocking call
// (I/O, sleep) leaves it. Either way advance() returns.
inline bool PythonThreads::run_compute(int tid, const Op& o) {
  PythonThread& t = threads_[tid];
  switch (o.kind) {
    case OpKind::IncrementLoad:
    case OpKind::IncrementStore:
    case OpKind::Cpu:
    case OpKind::NativeHeld:
      if (threads_.lacks_gil(tid, o.kind) && !threads_.take_gil(tid)) return false;
      t.remaining = is_bytecode(o.kind) && o.kind != OpKind::Cpu ? increment_half_
                                                                  : o.duration.sample(t.rng) + sized_extra(t, o);
      // A free-threaded build runs the same bytecode more slowly.
      if (is_bytecode(o.kind) && cpu_overhead_ != 1.0)
        t.remaining = sim::nearest_ns(static_cast<double>(t.remaining) * cpu_overhead_);
      t.phase = Phase::Executing;
      threads_.start_segment(tid);
      break;
    default:  // NativeReleased, Io, Sleep
      // Py_BEGIN_ALLOW_THREADS. With a drop request pending, the new GIL's
      // drop_gil waits for the hand-off first, and the call starts after.
      if (threads_.release_gil(tid)) return false;
      t.remaining = o.duration.sample(t.rng) + sized_extra(t, o);
      if (o.kind == OpKind::NativeReleased) {
        t.phase = Phase::Executing;
        threads_.start_segment(tid);
      } else {
        t.phase = Phase::Blocked;
        t.blocked_on = o.kind == OpKind::Sleep ? ThreadState::Sleeping : ThreadState::Io;
        // With a resource, the call first queues for a free slot.
        const sim::Time now = events_.now();
        if (!o.uses_resource || resources_[o.index].request({tid, false, t.remaining, now}, now))
          events_.post(now + t.remaining, kBlockEnd, static_cast<std::uint32_t>(tid));
        os_.block(tid);
      }
      break;
  }
  threads_.account(tid);
  return false;
}

bool PythonThreads::run_lock(int tid, const Op& o) {
  PythonThread& t = threads_[tid];
  if (threads_.lacks_gil(tid, o.kind) && !threads_.take_gil(tid)) return false;
  SemaphoreLock& lock = locks_[o.index];
  if (o.kind == OpKind::LockRelease) {
    const auto post = lock.release(tid);
    if (post == SemaphoreLock::Post::WokeOne) threads_.charge(tid, futex_wake_);
    if (post == SemaphoreLock::Post::WokeNobody) threads_.charge(tid, futex_wake_nobody_);
    ++t.cursor().pc;
    return true;
  }
  // Modules/_threadmodule.c acquire_timed(): a non-blocking try with the
  // GIL held, then a blocking wait with the GIL released.
  if (lock.try_take(tid)) {
    ++t.cursor().pc;
    return true;
  }
  t.phase = Phase::LockWait;
  if (threads_.release_gil(tid)) return false;
  if (!lock.take(tid)) {
    t.blocked_on = ThreadState::LockWait;
    threads_.account(tid);
    return false;
  }
  t.phase = Phase::Returning;
  return true;
}

bool PythonThreads::run_asyncio(int tid, const Op& o) {
  switch (o.kind) {
    case OpKind::Asyncio:  // BaseEventLoop._run_once
      asyncio_.enter(tid, o);
      // A server's loop: each _run_once's select() reports the listening
      // socket readable, and every connection waiting in the backlog becomes
      // a task (uvicorn's protocol creates one per request).
      if (o.serve >= 0) servers_.accept(tid, o.serve, o.limit_concurrency);
      return asyncio_.run_once(tid, o);
    case OpKind::AwaitIo:
    case OpKind::AwaitSleep:  // the task suspends; the loop runs the next ready one
      asyncio_.await_(tid, o);
      return true;
    case OpKind::AwaitFuture:  // await run_in_executor(): done already, or suspend
      asyncio_.await_future(tid);
      return true;
    default:  // PollResult
      asyncio_.poll_result(tid, o);
      return true;
  }
}

void PythonThreads::on_segment_end(int tid) {
  PythonThread& t = threads_[tid];
  t.segment = sim::EventHandle{};
  if (t.retaking) {
    advance(tid);
    return;
  }
  if (t.paying) {  // the system call is done: the work itself starts
    threads_.stop_segment(tid);
    threads_.start_segment(tid);
    threads_.account(tid);
    return;
  }
  const bool at_check = threads_.stop_segment(tid);
  const OpKind kind = t.kind_now();
  if (t.remaining > 0) {  // a check point inside bytecode work, where the holder must stop
    if (threads_.at_check_point(tid)) advance(tid);
    return;
  }
  if (kind == OpKind::NativeReleased) {
    t.phase = Phase::Returning;  // the C call returns: take the GIL back
    advance(tid);
    return;
  }
  finish_operation(tid);
  // The end of a Python-level operation is a call or a loop edge: a check
  // point for the new GIL (but not between the halves of `x += 1` from 3.10).
  const CheckPoints& checks = threads_.checks();
  const bool op_end = checks.at_operation_end && (kind != OpKind::IncrementLoad || checks.between_increment_halves);
  if (op_end) t.since_check = 0;
  if (checks.serialises && (op_end || at_check) && t.gil->must_stop(tid) && !threads_.at_check_point(tid)) return;
  advance(tid);
}

void PythonThreads::finish_operation(int tid) {
  PythonThread& t = threads_[tid];
  const Op& o = t.cursor().op();
  if (o.kind == OpKind::IncrementLoad) t.loaded = counters_[o.index].value;
  if (o.kind == OpKind::IncrementStore) {
    counters_[o.index].value = t.loaded + 1;
    ++counters_[o.index].increments;
  }
  if (o.process_startup || o.starts >= 0) [[unlikely]] {
    if (o.process_startup) last_startup_ = events_.now();
    start_children(tid, o.starts);
  }
  ++t.cursor().pc;
  t.phase = Phase::Idle;
}

void PythonThreads::start_children(int tid, std::int32_t group) {
  for (int i = 0; i < threads_.size(); ++i) {
    const ThreadSpec& spec = plan_.layout().threads[static_cast<std::size_t>(i)];
    if (spec.started_by == tid && spec.start_group == group) os_.start(i);
  }
}

// What happens when a thread's I/O (or sleep) completes: its slot of a
// resource goes to the next request in the resource's queue; the syscall
// returns, the kernel wakes the thread (wake-up latency, then a core), and
// Py_END_ALLOW_THREADS takes the GIL back (advance(), Phase::Returning). If
// a CPU-bound thread holds the GIL, that is a full switch interval away: the
// convoy effect.
void PythonThreads::on_block_end(int tid) {
  PythonThread& t = threads_[tid];
  const Op& o = t.cursor().op();
  if (o.kind == OpKind::Io && o.uses_resource)
    if (auto next = resources_[o.index].release(events_.now())) grant(o.index, *next);
  t.phase = Phase::Returning;
  os_.wake(tid);
  threads_.account(tid);
}

void PythonThreads::on_preempted(int tid) {
  PythonThread& t = threads_[tid];
  if (t.retaking) {
    t.retake_left = events_.pending(t.segment) ? std::max<sim::Time>(0, t.retake_end - events_.now()) : 0;
    events_.cancel(t.segment);  // the sem_wait (old GIL), the timed wait's rest (new), when it runs again
  } else if (t.phase == Phase::Executing && events_.pending(t.segment)) {
    threads_.stop_segment(tid);
  }
}

void PythonThreads::on_task_resume(int k) {
  Task& task = asyncio_.task(k);
  if (task.resource >= 0) {
    const auto r = static_cast<std::uint32_t>(task.resource);
    task.resource = -1;
    if (auto next = resources_[r].release(events_.now())) grant(r, *next);
  }
  asyncio_.make_ready(k);
}

void PythonThreads::grant(std::uint32_t resource, const Resource::Request& r) {
  if (r.task) {
    asyncio_.task(r.id).resource = static_cast<int>(resource);
    events_.post(events_.now() + r.duration, kTaskResume, static_cast<std::uint32_t>(r.id));
  } else {
    events_.post(events_.now() + r.duration, kBlockEnd, static_cast<std::uint32_t>(r.id));
  }
}

sim::Time PythonThreads::sized_extra(const PythonThread& t, const Op& o) {
  if (o.sized == Sized::None || t.item < 0) return 0;
  const WorkItem& w = work_.items[t.item];
  const std::int64_t bytes = o.sized == Sized::Args ? w.args_bytes : w.result_bytes;
  return sim::nearest_ns(o.per_byte * static_cast<double>(bytes));
}

void PythonThreads::check_quiescent() const {
  for (int tid = 0; tid < threads_.size(); ++tid) {
    const PythonThread& t = threads_[tid];
    if (t.service && !(t.phase == Phase::Waiting && (t.kind_now() == OpKind::TakeItem ||
                                                      (t.kind_now() == OpKind::Asyncio && asyncio_.loop(tid).pending == 0))))
      throw InvariantViolation("the run ended with pool thread " + t.name + " still busy (a lost wake-up)");
  }
  for (const auto& q : work_.all())
    if (!q.items.empty()) throw InvariantViolation("the run ended with work left in a pool's queue (a lost wake-up)");
}

sim::Time PythonThreads::end_of_work() const {
  // The interpreter's exit waits for its executors: for the work submitted
  // to them, and for every worker process it started to have started up
  // (concurrent.futures.process._python_exit joins the executor manager
  // thread, which sends each worker its sentinel and joins it, and a worker
  // reads its sentinel only once its interpreter is up). Without this, a
  // worker still starting when the last thread ends would run, and be
  // booked, past the run's end.
  sim::Time end = std::max(work_.last_completion, last_startup_);
  for (const PythonThread& t : threads_.threads())
    if (!t.service) end = std::max(end, t.end);
  return end;
}

void PythonThreads::finish(sim::Time end) {
  threads_.accounting().finish(end);
  asyncio_.finish();
}

}  // namespace models
