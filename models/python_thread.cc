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
    {"Waiting", "#bdbdbd"},          {"I/O", "#1e88e5"},              {"Sleeping", "#90caf9"},         {"done", "#ffffff"},
};
static_assert(sizeof(kStyles) / sizeof(kStyles[0]) == static_cast<int>(ThreadState::kCount));

// An asyncio task's track, as VizTracer draws tasks: running on its loop,
// ready (queued behind others), or suspended in an await.
const sim::SliceStyle kTaskStyles[] = {
    {"idle", "#ffffff"}, {"Ready", "#fdd835"}, {"Running", "#2e7d32"}, {"Awaiting", "#90caf9"}, {"done", "#ffffff"},
};

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
      counters_(config.counters.size()),
      queues_(3 * config.pools.size() + config.requests.size()),
      pool_stats_(config.pools.size()),
      requests_(config, events),
      first_listen_(listen_queue(config, 0)),
      acceptors_(config.requests.size()),
      next_acceptor_(config.requests.size()) {
  for (const auto& r : config.resources) resources_.emplace_back(r.capacity);
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
    t.main.program = &spec.spec->program;
    t.service = spec.service;
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
      t.main.program = &p;
    }
    t.loop_from = spec.loop_from;  // a pool worker serves work after its start-up, not again
    t.rng = sim::Rng(config.seed, stream++);
    int depth = 0, max_depth = 0;
    for (const Op& o : *t.main.program) {
      if (o.kind == OpKind::RepeatBegin) max_depth = std::max(max_depth, ++depth);
      if (o.kind == OpKind::RepeatEnd) --depth;
    }
    t.main.loops.reserve(static_cast<std::size_t>(max_depth));
    if (!spec.service) ++user_threads_;
    for (const Op& o : spec.spec->program)
      if (o.kind == OpKind::Asyncio && o.serve >= 0)
        acceptors_[static_cast<std::size_t>(o.serve)].push_back(static_cast<int>(threads_.size()));
    if (!spec.spec->cores.empty()) machine_.set_affinity(static_cast<int>(threads_.size()), spec.spec->cores);
    names_.push_back(t.name);
    threads_.push_back(std::move(t));
  }
  first_task_.resize(threads_.size());
  for (std::size_t k = 0; k < layout_.tasks.size(); ++k) {
    const TaskSpec& spec = layout_.tasks[k];
    Task task;
    task.name = spec.name;
    task.thread = spec.thread;
    tasks_.push_back(std::move(task));
    auto& firsts = first_task_[static_cast<std::size_t>(spec.thread)];
    if (firsts.size() <= spec.ordinal) firsts.resize(spec.ordinal + 1, static_cast<int>(k));
  }
  static_tasks_ = tasks_.size();
}

void PythonThreads::set_trace(sim::TraceSink* trace, sim::TrackId first_thread_track,
                              sim::TrackId first_task_track, sim::TrackId first_stream_track) {
  trace_ = trace;
  first_track_ = first_thread_track;
  first_task_track_ = first_task_track;
  first_stream_track_ = first_stream_track;
}

void PythonThreads::start_all() {
  for (std::size_t i = 0; i < threads_.size(); ++i)
    if (layout_.threads[i].started_by == -1) machine_.start(static_cast<int>(i));
  requests_.start();
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
      case Phase::Waiting:
        throw InvariantViolation("a finished or blocked thread was given a core");

      case Phase::Returning:  // Py_END_ALLOW_THREADS after a blocking call
        if (gil_kind_ != GilKind::NoGil && !take(tid)) return;
        t.phase = Phase::Idle;
        if (op(t).kind == OpKind::Asyncio) continue;  // back from select(): the loop goes on
        if (op(t).kind == OpKind::Io) ++t.io_ops;
        ++cursor(t).pc;
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

    Cursor& c = cursor(t);
    if (c.pc == c.program->size()) {
      if (t.task >= 0) {  // the coroutine returned: the task is done
        Task& k = tasks_[static_cast<std::size_t>(t.task)];
        k.end = events_.now();
        task_state(t.task, Task::State::Done);
        --t.loop.pending;
        if (k.item >= 0) {  // a request's handler returned: the response goes out
          --t.loop.requests;
          respond(tid, k.item);
          k.item = -1;
          free_tasks_.push_back(t.task);
        }
        t.task = -1;
      } else if (t.in_body) {  // the work item's function returned
        t.in_body = false;
        ++t.main.pc;
      } else if (t.service) {  // a pool's thread: the next work item
        t.main.pc = t.loop_from;
      } else {
        exit_thread(tid);
        return;
      }
      continue;
    }
    const Op& o = op(t);
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
      case OpKind::LockAcquire: {
        // Modules/_threadmodule.c acquire_timed(): a non-blocking try with
        // the GIL held, then a blocking wait with the GIL released.
        if (needs_gil(o.kind) && holder(tid) != tid && !take(tid)) return;
        SemaphoreLock& lock = locks_[o.index];
        if (lock.try_take(tid)) {
          ++c.pc;
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
        ++c.pc;
        continue;
      }
      case OpKind::IncrementLoad:
      case OpKind::IncrementStore:
      case OpKind::Cpu:
      case OpKind::NativeHeld:
        if (needs_gil(o.kind) && holder(tid) != tid && !take(tid)) return;
        t.remaining = is_bytecode(o.kind) && o.kind != OpKind::Cpu ? increment_half_
                                                                   : o.duration.sample(t.rng) + sized_extra(t, o);
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
        t.remaining = o.duration.sample(t.rng) + sized_extra(t, o);
        if (o.kind == OpKind::NativeReleased) {
          t.phase = Phase::Executing;
          start_segment(tid);
        } else {
          t.phase = Phase::Blocked;
          // With a resource, the call first queues for a free slot.
          if (!o.uses_resource || resources_[o.index].request({tid, false, t.remaining, events_.now()}, events_.now()))
            events_.schedule(events_.now() + t.remaining, kBlockEnd, static_cast<std::uint32_t>(tid));
          machine_.block(tid);
        }
        account(tid);
        return;

      // ---- pools (concurrent.futures): the submitting side
      case OpKind::NewItem: {  // submit(): the future and its work item
        const int id = items_.make();
        WorkItem& w = items_[id];
        w.body = &o.body;
        w.args_bytes = o.args_bytes;
        w.result_bytes = o.result_bytes;
        w.pool = o.index;
        w.map = o.map;
        w.submitted = events_.now();
        if (o.detached) {
          // fire and forget: nobody waits for it
        } else if (t.task >= 0) {
          w.owner_task = t.task;
          tasks_[static_cast<std::size_t>(t.task)].future_done = false;
        } else {
          w.owner = tid;
          ++t.outstanding;
          if (o.map) ++t.batch_outstanding;
        }
        t.item = id;
        ++c.pc;
        continue;
      }
      case OpKind::Forward: {  // queue.put(): wakes the longest-waiting taker
        WorkQueue& q = queues_[o.index];
        const int item = t.item;
        t.item = -1;
        ++c.pc;
        items_[item].put_by = tid;
        items_[item].put_at = events_.now();
        if (!q.takers.empty()) {
          const int taker = q.takers.front();
          q.takers.pop_front();
          threads_[static_cast<std::size_t>(taker)].item = item;
          item_taken(taker, item);
          wake_waiting(taker, tid);
        } else {
          q.items.push_back(item);
          q.max_items = std::max(q.max_items, q.items.size());
        }
        continue;
      }
      case OpKind::WaitAll:  // concurrent.futures.wait(fs): a Condition wait, GIL released
      case OpKind::WaitBatch:
        if ((o.kind == OpKind::WaitAll ? t.outstanding : t.batch_outstanding) == 0) {
          ++c.pc;
          continue;
        }
        block_waiting(tid);
        return;

      // ---- pools: the workers' side
      case OpKind::TakeItem: {
        WorkQueue& q = queues_[o.index];
        if (!q.items.empty()) {
          t.item = q.items.front();
          q.items.pop_front();
          item_taken(tid, t.item);
          ++c.pc;
          continue;
        }
        if (block_waiting(tid)) q.takers.push_back(tid);
        return;
      }
      case OpKind::RunBody:
        t.body.program = items_[t.item].body;
        t.body.pc = 0;
        t.body.loops.clear();
        t.in_body = true;
        continue;
      case OpKind::Complete: {
        const int item = t.item;
        t.item = -1;
        ++c.pc;
        complete_item(tid, item);
        continue;
      }

      // ---- asyncio
      case OpKind::Asyncio:
        if (!advance_asyncio(tid)) return;
        continue;
      case OpKind::AwaitIo:
      case OpKind::AwaitSleep: {  // the task suspends; the loop runs the next ready one
        const int k = t.task;
        Task& task = tasks_[static_cast<std::size_t>(k)];
        const sim::Time d = o.duration.sample(t.rng);
        ++c.pc;
        task_state(k, Task::State::Awaiting);
        t.task = -1;
        const Resource::Request r{k, true, d, events_.now()};
        if (!o.uses_resource || resources_[o.index].request(r, events_.now())) {
          if (o.uses_resource) task.resource = static_cast<int>(o.index);
          events_.schedule(events_.now() + d, kTaskResume, static_cast<std::uint32_t>(k));
        }
        continue;
      }
      case OpKind::AwaitFuture: {  // await run_in_executor(): done already, or suspend
        Task& task = tasks_[static_cast<std::size_t>(t.task)];
        ++c.pc;
        if (task.future_done) {
          task.future_done = false;
          continue;
        }
        task.awaits_future = true;
        task_state(t.task, Task::State::Awaiting);
        t.task = -1;
        continue;
      }
      case OpKind::PollResult: {  // `while not r.ready(): await asyncio.sleep(poll_interval)`
        const int k = t.task;
        Task& task = tasks_[static_cast<std::size_t>(k)];
        if (task.future_done) {
          task.future_done = false;
          ++c.pc;
          continue;
        }
        c.pc = o.jump;  // after the sleep: ask again
        const sim::Time d = o.duration.sample(t.rng);
        task_state(k, Task::State::Awaiting);
        t.task = -1;
        events_.schedule(events_.now() + d, kTaskResume, static_cast<std::uint32_t>(k));
        continue;
      }
      case OpKind::Submit:
      case OpKind::ToThread:
      case OpKind::Serve:
        throw InvariantViolation("a pool or server operation was not lowered (index_shared_objects not called)");
    }
  }
}

// asyncio.run(): BaseEventLoop._run_once, at the top of the loop. Runs the
// next ready task; with none ready and tasks pending, blocks in select()
// with the GIL released until an await's I/O or timer is done; with none
// pending, asyncio.run() returns. False if the thread now waits.
bool PythonThreads::advance_asyncio(int tid) {
  Thread& t = threads_[tid];
  EventLoop& loop = t.loop;
  if (!loop.active) {  // asyncio.run(gather(...)): every task is scheduled, in order
    const Op& o = op(t);
    loop.active = true;
    // (A server's loop may have no tasks of its own: then it has no first one.)
    int k = o.tasks.empty() ? 0 : first_task_[static_cast<std::size_t>(tid)][o.index];
    for (const TaskGroup& g : o.tasks)
      for (int i = 0; i < g.count; ++i, ++k) {
        Task& task = tasks_[static_cast<std::size_t>(k)];
        task.cursor.program = &g.program;
        task.cursor.pc = 0;
        task.cursor.loops.clear();
        task.started = events_.now();
        task.awaits_future = task.future_done = false;
        task_state(k, Task::State::Ready);
        loop.ready.push_back(k);
        ++loop.pending;
      }
  }
  // A server's loop: each _run_once's select() reports the listening
  // socket readable, and every connection waiting in the backlog becomes a
  // task (uvicorn's protocol creates one per request).
  const int serving = op(t).serve;
  if (serving >= 0) accept_requests(tid, serving, op(t).limit_concurrency);
  if (!loop.ready.empty()) {
    t.task = loop.ready.front();
    loop.ready.pop_front();
    ++tasks_[static_cast<std::size_t>(t.task)].steps;
    task_state(t.task, Task::State::Running);
    return true;
  }
  if (loop.pending > 0 || serving >= 0) {  // a server's loop never returns
    block_waiting(tid);
    return false;
  }
  loop.active = false;
  ++t.main.pc;
  return true;
}

// Py_BEGIN_ALLOW_THREADS around a blocking wait (a queue's get, a
// condition's wait, select()): the thread releases the GIL and blocks. False
// if it must first wait for the GIL hand-off (FORCE_SWITCHING); it comes back
// to the same operation afterwards.
bool PythonThreads::block_waiting(int tid) {
  Thread& t = threads_[tid];
  if (holder(tid) == tid && release_voluntarily(tid)) {
    account(tid);
    return false;
  }
  t.phase = Phase::Waiting;
  machine_.block(tid);
  account(tid);
  return true;
}

// What a waiting thread's waker does: the condition's notify (or the pipe's
// write) is a futex wake, paid by the waker; the kernel wakes the waiter,
// which then takes the GIL back (Phase::Returning).
void PythonThreads::wake_waiting(int tid, int waker) {
  Thread& t = threads_[tid];
  t.phase = Phase::Returning;
  machine_.wake(tid);
  account(tid);
  if (waker >= 0) threads_[waker].overhead += futex_wake_;
}

// future.set_result(): the submitting thread's wait may be over, or the
// awaiting task ready again (call_soon_threadsafe writes to the loop's
// self-pipe, which wakes its select()).
void PythonThreads::complete_item(int tid, int id) {
  WorkItem& w = items_[id];
  if (w.stream >= 0) {  // a server thread's handler returned: the response goes out
    respond(tid, id);
    return;
  }
  PoolStats& p = pool_stats_[w.pool];
  ++p.completed;
  const sim::Time latency = events_.now() - w.submitted;
  p.latency_sum += latency;
  p.latency_max = std::max(p.latency_max, latency);
  last_completion_ = events_.now();
  if (trace_ && (w.owner_task >= 0 || w.owner >= 0))  // the result's arrow, to the future's owner
    trace_->flow(first_track_ + static_cast<sim::TrackId>(tid), events_.now(),
                 w.owner_task >= 0 ? task_track(w.owner_task) : first_track_ + static_cast<sim::TrackId>(w.owner),
                 events_.now(), "result");
  if (w.owner_task >= 0) {
    Task& task = tasks_[static_cast<std::size_t>(w.owner_task)];
    if (task.awaits_future) {
      task.awaits_future = false;
      make_ready(w.owner_task);
      threads_[tid].overhead += futex_wake_;
    } else {
      task.future_done = true;
    }
  } else if (w.owner >= 0) {
    Thread& owner = threads_[static_cast<std::size_t>(w.owner)];
    --owner.outstanding;
    if (w.map) --owner.batch_outstanding;
    if (owner.phase == Phase::Waiting) {
      const OpKind k = kind_now(owner);
      if ((k == OpKind::WaitAll && owner.outstanding == 0) || (k == OpKind::WaitBatch && owner.batch_outstanding == 0))
        wake_waiting(w.owner, tid);
    }
  }
  items_.release(id);
}

// What happens when requests arrive: each is a work item that connects to
// the stream's listen queue (the socket's accept backlog).
void PythonThreads::on_arrival(int s) {
  const int n = requests_.arrivals(s);
  const sim::Time now = events_.now();
  for (int i = 0; i < n; ++i) {
    const int id = items_.make();
    WorkItem& w = items_[id];
    w.stream = s;
    w.type = requests_.pick_type(s);
    w.body = &requests_.program(s, w.type);
    w.submitted = w.first_sent = now;
    send(id);
  }
  connected(s);
}

// A request leaves its client: its timeout starts, and it connects.
void PythonThreads::send(int id) {
  WorkItem& w = items_[id];
  requests_.opened();
  const RequestStream& rs = requests_.stream(w.stream);
  if (rs.timeout > 0)
    w.client_timeout = events_.schedule(events_.now() + rs.timeout, kClientTimeout, static_cast<std::uint32_t>(id));
  connect(id);
}

// kSynRetry: the client retransmits its SYN, unless it has given up on the
// request meanwhile. The request keeps the time of its first attempt: the
// retries are part of its latency.
void PythonThreads::on_syn_retry(int id) {
  const int s = items_[id].stream;
  if (items_[id].abandoned) {
    requests_.dropped();
    items_.release(id);
    return;
  }
  connect(id);
  connected(s);
}

// kClientTimeout: the client stops waiting. The server is not told: an
// accepted or queued request is still served (its response will be late),
// a dropped connection is not retransmitted. The client sends the request
// again if its retries allow, as a new request, or gives up on it.
void PythonThreads::on_client_timeout(int id) {
  WorkItem& w = items_[id];
  w.abandoned = true;
  const int s = w.stream, type = w.type, attempt = w.attempt;
  const sim::Time first_sent = w.first_sent;
  const Program* body = w.body;
  requests_.client_timeout(s);
  if (attempt >= requests_.stream(s).retries) {
    requests_.give_up(s);
    return;
  }
  const int retry = items_.make();  // may move items_: `w` is not used after this
  WorkItem& r = items_[retry];
  r.stream = s;
  r.type = type;
  r.body = body;
  r.submitted = events_.now();
  r.first_sent = first_sent;
  r.attempt = attempt + 1;
  requests_.retry(s, type);
  send(retry);
  connected(s);
}

// A server thread blocked in accept() takes the connection at once, the
// longest-waiting first; otherwise it waits in the listen queue, unless the
// queue holds `backlog` connections already: then the kernel drops it, and
// the client retransmits later or, out of retries, gives up.
void PythonThreads::connect(int id) {
  WorkItem& w = items_[id];
  const RequestStream& rs = requests_.stream(w.stream);
  WorkQueue& q = queues_[first_listen_ + static_cast<std::uint32_t>(w.stream)];
  if (!q.takers.empty()) {
    const int taker = q.takers.front();
    q.takers.pop_front();
    threads_[static_cast<std::size_t>(taker)].item = id;
    item_taken(taker, id);
    wake_waiting(taker, -1);  // the kernel wakes it: the packet came from the network
  } else if (rs.backlog == 0 || static_cast<std::int64_t>(q.items.size()) < rs.backlog) {
    q.items.push_back(id);
    q.max_items = std::max(q.max_items, q.items.size());
  } else {
    requests_.listen_overflow(w.stream);
    if (trace_)
      trace_->instant(first_stream_track_ + 3 * static_cast<sim::TrackId>(w.stream), events_.now(), "SYN dropped");
    if (w.syn_retries < rs.syn_retries) {
      // Exponential back-off: syn_timeout, 2x, 4x, ... (RFC 6298, 5.5).
      events_.schedule(events_.now() + (rs.syn_timeout << w.syn_retries), kSynRetry, static_cast<std::uint32_t>(id));
      ++w.syn_retries;
    } else {
      // Out of SYN retries: the client gives up connecting.
      events_.cancel(w.client_timeout);
      requests_.connect_timeout(w.stream, !w.abandoned);
      items_.release(id);
    }
  }
}

// After connections of stream `s`: a serving asyncio loop blocked in
// select() is woken to accept what waits.
void PythonThreads::connected(int s) {
  if (!queues_[first_listen_ + static_cast<std::uint32_t>(s)].items.empty()) wake_acceptor(s);
  if (trace_) trace_stream(s);
}

void PythonThreads::wake_acceptor(int s) {
  const auto& loops = acceptors_[static_cast<std::size_t>(s)];
  std::size_t& next = next_acceptor_[static_cast<std::size_t>(s)];
  for (std::size_t i = 0; i < loops.size(); ++i) {
    const int tid = loops[(next + i) % loops.size()];
    Thread& t = threads_[static_cast<std::size_t>(tid)];
    if (t.phase == Phase::Waiting && t.task < 0 && kind_now(t) == OpKind::Asyncio) {
      next = (next + i + 1) % loops.size();
      wake_waiting(tid, -1);
      return;
    }
  }
}

void PythonThreads::accept_requests(int tid, int s, std::int64_t limit) {
  WorkQueue& q = queues_[first_listen_ + static_cast<std::uint32_t>(s)];
  if (q.items.empty()) return;
  EventLoop& loop = threads_[static_cast<std::size_t>(tid)].loop;
  while (!q.items.empty()) {
    const int item = q.items.front();
    q.items.pop_front();
    if (limit > 0 && loop.requests >= limit) {
      // uvicorn's limit_concurrency: a 503 goes out at once, no task.
      WorkItem& w = items_[item];
      events_.cancel(w.client_timeout);
      requests_.reject(s, !w.abandoned);
      if (trace_)
        trace_->flow(first_track_ + static_cast<sim::TrackId>(tid), events_.now(),
                     first_stream_track_ + 3 * static_cast<sim::TrackId>(s), events_.now(), "503");
      items_.release(item);
      continue;
    }
    ++loop.requests;
    int k;
    if (!free_tasks_.empty()) {
      k = free_tasks_.back();
      free_tasks_.pop_back();
    } else {
      k = static_cast<int>(tasks_.size());
      tasks_.emplace_back();
    }
    Task& task = tasks_[static_cast<std::size_t>(k)];
    task.thread = tid;
    task.cursor.program = items_[item].body;
    task.cursor.pc = 0;
    task.cursor.loops.clear();
    task.item = item;
    task.started = events_.now();
    task.awaits_future = task.future_done = false;
    task.resource = -1;
    task_state(k, Task::State::Ready);
    loop.ready.push_back(k);
    ++loop.pending;
    item_taken(tid, item);
  }
  if (trace_) trace_stream(s);
}

void PythonThreads::respond(int tid, int id) {
  WorkItem& w = items_[id];
  events_.cancel(w.client_timeout);
  requests_.respond(w.stream, w.type, w.first_sent, !w.abandoned);
  last_completion_ = events_.now();
  if (trace_) {
    trace_->flow(first_track_ + static_cast<sim::TrackId>(tid), events_.now(),
                 first_stream_track_ + 3 * static_cast<sim::TrackId>(w.stream), events_.now(), "response");
    trace_stream(w.stream);
  }
  items_.release(id);
}

void PythonThreads::trace_stream(int s) {
  const sim::TrackId base = first_stream_track_ + 3 * static_cast<sim::TrackId>(s);
  trace_->counter(base + 1, events_.now(), requests_.in_flight(s));
  trace_->counter(base + 2, events_.now(),
                  static_cast<std::int64_t>(queues_[first_listen_ + static_cast<std::uint32_t>(s)].items.size()));
}

std::vector<std::size_t> PythonThreads::listen_queue_max() const {
  std::vector<std::size_t> out;
  for (std::size_t s = 0; s < requests_.size(); ++s) out.push_back(queues_[first_listen_ + s].max_items);
  return out;
}

// A task's await is over: it joins its loop's ready queue, and a loop
// blocked in select() wakes up.
void PythonThreads::make_ready(int k) {
  Task& task = tasks_[static_cast<std::size_t>(k)];
  task_state(k, Task::State::Ready);
  Thread& t = threads_[static_cast<std::size_t>(task.thread)];
  t.loop.ready.push_back(k);
  if (t.phase == Phase::Waiting && t.task < 0 && kind_now(t) == OpKind::Asyncio) wake_waiting(task.thread, -1);
}

void PythonThreads::on_task_resume(int k) {
  Task& task = tasks_[static_cast<std::size_t>(k)];
  if (task.resource >= 0) {
    const auto r = static_cast<std::uint32_t>(task.resource);
    task.resource = -1;
    if (auto next = resources_[r].release(events_.now())) grant(r, *next);
  }
  make_ready(k);
}

// A queued request got its resource's slot: its time starts now.
void PythonThreads::grant(std::uint32_t resource, const Resource::Request& r) {
  if (r.task) {
    tasks_[static_cast<std::size_t>(r.id)].resource = static_cast<int>(resource);
    events_.schedule(events_.now() + r.duration, kTaskResume, static_cast<std::uint32_t>(r.id));
  } else {
    events_.schedule(events_.now() + r.duration, kBlockEnd, static_cast<std::uint32_t>(r.id));
  }
}

// The trace's arrow from the thread that put a work item on a queue to the
// one that takes it: a call's way from submit() through the pool and back.
void PythonThreads::item_taken(int tid, int item) {
  const WorkItem& w = items_[item];
  if (trace_ && w.stream >= 0) {  // a request's arrow from its arrival to its server
    trace_->flow(first_stream_track_ + 3 * static_cast<sim::TrackId>(w.stream), w.submitted,
                 first_track_ + static_cast<sim::TrackId>(tid), events_.now(), "request");
    return;
  }
  if (trace_ && w.put_by >= 0)
    trace_->flow(first_track_ + static_cast<sim::TrackId>(w.put_by), w.put_at,
                 first_track_ + static_cast<sim::TrackId>(tid), events_.now(), "work item");
}

// A task's own track, or (a request's task, which has none) its loop's thread's.
sim::TrackId PythonThreads::task_track(int k) const {
  if (static_cast<std::size_t>(k) < static_tasks_) return first_task_track_ + static_cast<sim::TrackId>(k);
  return first_track_ + static_cast<sim::TrackId>(tasks_[static_cast<std::size_t>(k)].thread);
}

void PythonThreads::task_state(int k, Task::State s) {
  Task& task = tasks_[static_cast<std::size_t>(k)];
  const sim::Time now = events_.now();
  // Requests' tasks come and go by the thousand: they have no track of their own.
  if (trace_ && static_cast<std::size_t>(k) < static_tasks_ && now > task.state_since && task.state != Task::State::Idle && task.state != Task::State::Done)
    trace_->slice(first_task_track_ + static_cast<sim::TrackId>(k), task.state_since, now,
                  kTaskStyles[static_cast<int>(task.state)]);
  task.state = s;
  task.state_since = now;
}

// A pickling or pipe operation's cost per byte of the work item in hand.
sim::Time PythonThreads::sized_extra(const Thread& t, const Op& o) {
  if (o.sized == Sized::None || t.item < 0) return 0;
  const WorkItem& w = items_[t.item];
  const std::int64_t bytes = o.sized == Sized::Args ? w.args_bytes : w.result_bytes;
  return static_cast<sim::Time>(std::llround(o.per_byte * static_cast<double>(bytes)));
}

// Calls waiting at once, at most: in a thread or interpreter pool's work
// queue, or a process pool's feeder queue or call pipe.
std::size_t PythonThreads::pool_queue_max(std::size_t pool) const {
  return std::max(queues_[pool_queue(pool, PoolQueue::Entry)].max_items,
                  queues_[pool_queue(pool, PoolQueue::Call)].max_items);
}

void PythonThreads::check_quiescent() const {
  for (const auto& t : threads_)
    if (t.service && !(t.phase == Phase::Waiting &&
                       (kind_now(t) == OpKind::TakeItem || (kind_now(t) == OpKind::Asyncio && t.loop.pending == 0))))
      throw InvariantViolation("the run ended with pool thread " + t.name + " still busy (a lost wake-up)");
  for (const auto& q : queues_)
    if (!q.items.empty()) throw InvariantViolation("the run ended with work left in a pool's queue (a lost wake-up)");
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
  ++cursor(t).pc;
  t.phase = Phase::Idle;
}

void PythonThreads::on_running(int tid) { advance(tid); }

// What happens when a thread's I/O (or sleep) completes: the syscall returns,
// the kernel wakes the thread (wake-up latency, then a core), and
// Py_END_ALLOW_THREADS takes the GIL back (advance(), Phase::Returning). If a
// CPU-bound thread holds the GIL, that is a full switch interval away: the
// convoy effect (gil-model.md §1.7).
void PythonThreads::on_block_end(int tid) {
  const Op& o = op(threads_[tid]);
  if (o.kind == OpKind::Io && o.uses_resource)  // its slot goes to the next in the resource's queue
    if (auto next = resources_[o.index].release(events_.now())) grant(o.index, *next);
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
  if (t.phase == Phase::Waiting) return ThreadState::Waiting;
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
  // Checked even when the state stays the same: a GIL-holding C call
  // (pickling) followed by a GIL-releasing one (a pipe write) is Native
  // throughout, but only the first runs with the GIL.
  const bool runs_with_gil =
      gil_kind_ != GilKind::NoGil &&
      (s == ThreadState::Python ||
       (s == ThreadState::Native && kind_now(t) == OpKind::NativeHeld && !t.reacquiring && !t.paying));
  if (s == t.state && runs_with_gil == t.runs_with_gil) return;
  if (s != t.state) {
    const sim::Time now = events_.now();
    t.time_in[static_cast<int>(t.state)] += now - t.state_since;
    if (trace_ && now > t.state_since && t.state != ThreadState::NotStarted)
      trace_->slice(first_track_ + static_cast<sim::TrackId>(tid), t.state_since, now,
                    kStyles[static_cast<int>(t.state)]);
    t.state = s;
    t.state_since = now;
  }
  if (gil_kind_ == GilKind::NoGil) return;
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
    if (t.service) t.end = end;  // a pool's threads live until the run ends
  }
  for (std::size_t k = 0; k < tasks_.size(); ++k)
    if (tasks_[k].state != Task::State::Idle && tasks_[k].state != Task::State::Done)
      task_state(static_cast<int>(k), Task::State::Done);
}

}  // namespace models
