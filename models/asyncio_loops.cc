#include "models/asyncio_loops.h"

#include "models/events.h"
#include "models/trace_styles.h"

namespace models {

namespace {

using Phase = PythonThread::Phase;

// An asyncio task's track, as VizTracer draws tasks: running on its loop,
// ready (queued behind others), or suspended in an await.
const auto& kTaskStyles = trace_styles::kTask;

}  // namespace

AsyncioLoops::AsyncioLoops(const RunPlan& plan, ThreadControl& threads, std::vector<Resource>& resources)
    : plan_(plan),
      threads_(threads),
      resources_(resources),
      loops_(static_cast<std::size_t>(threads.size())),
      futex_wake_(plan.config().machine.futex_wake) {
  for (const TaskSpec& spec : plan.layout().tasks) {
    Task& task = tasks_.emplace_back();
    task.name = spec.name;
    task.thread = spec.thread;
  }
  static_tasks_ = tasks_.size();
}

void AsyncioLoops::run_task(PythonThread& t, int k) {
  t.task = k;
  t.at = k >= 0 ? &task(k).cursor : t.in_body ? &t.body : &t.main;
}

void AsyncioLoops::enter(int tid, const Op& o) {
  EventLoop& loop = this->loop(tid);
  if (loop.active) return;
  loop.active = true;
  // (A server's loop may have no tasks of its own: then it has no first one.)
  int k = o.tasks.empty() ? 0 : plan_.first_task(tid, o.index);
  for (const TaskGroup& g : o.tasks)
    for (int i = 0; i < g.count; ++i, ++k) {
      Task& t = task(k);
      t.cursor.run(&g.program);
      t.cursor.pc = 0;
      t.cursor.loops.clear();
      t.started = threads_.events().now();
      t.awaits_future = t.future_done = false;
      set_state(k, Task::State::Ready);
      loop.ready.push_back(k);
      ++loop.pending;
    }
}

bool AsyncioLoops::run_once(int tid, const Op& o) {
  EventLoop& loop = this->loop(tid);
  PythonThread& t = threads_[tid];
  if (!loop.ready.empty()) {
    const int k = loop.ready.front();
    loop.ready.pop_front();
    run_task(t, k);
    ++task(k).steps;
    set_state(k, Task::State::Running);
    return true;
  }
  if (loop.pending > 0 || o.serve >= 0) {  // a server's loop never returns
    threads_.block_waiting(tid);
    return false;
  }
  loop.active = false;
  ++t.main.pc;
  return true;
}

void AsyncioLoops::await_(int tid, const Op& o) {
  PythonThread& t = threads_[tid];
  const int k = t.task;
  Task& tk = task(k);
  const sim::Time d = o.duration.sample(t.rng);
  const sim::Time now = threads_.events().now();
  ++tk.cursor.pc;
  set_state(k, Task::State::Awaiting);
  run_task(t, -1);
  // With a resource, the I/O first queues for a free slot.
  const Resource::Request r{k, true, d, now};
  if (!o.uses_resource || resources_[o.index].request(r, now)) {
    if (o.uses_resource) tk.resource = static_cast<int>(o.index);
    threads_.events().post(now + d, kTaskResume, static_cast<std::uint32_t>(k));
  }
}

void AsyncioLoops::await_future(int tid) {
  PythonThread& t = threads_[tid];
  Task& tk = task(t.task);
  ++tk.cursor.pc;
  if (tk.future_done) {  // done already
    tk.future_done = false;
    return;
  }
  tk.awaits_future = true;
  set_state(t.task, Task::State::Awaiting);
  run_task(t, -1);
}

// `while not r.ready(): await asyncio.sleep(poll_interval)`
void AsyncioLoops::poll_result(int tid, const Op& o) {
  PythonThread& t = threads_[tid];
  const int k = t.task;
  Task& tk = task(k);
  if (tk.future_done) {
    tk.future_done = false;
    ++tk.cursor.pc;
    return;
  }
  tk.cursor.pc = o.jump;  // after the sleep: ask again
  const sim::Time d = o.duration.sample(t.rng);
  set_state(k, Task::State::Awaiting);
  run_task(t, -1);
  threads_.events().post(threads_.events().now() + d, kTaskResume, static_cast<std::uint32_t>(k));
}

int AsyncioLoops::task_returned(int tid) {
  PythonThread& t = threads_[tid];
  const int k = t.task;
  Task& tk = task(k);
  EventLoop& loop = this->loop(tid);
  tk.end = threads_.events().now();
  set_state(k, Task::State::Done);
  --loop.pending;
  const int item = tk.item;
  if (item >= 0) {  // a request's handler returned: its slot is free again
    --loop.requests;
    tk.item = -1;
    free_tasks_.push_back(k);
  }
  run_task(t, -1);
  return item;
}

void AsyncioLoops::make_ready(int k) {
  Task& tk = task(k);
  set_state(k, Task::State::Ready);
  loop(tk.thread).ready.push_back(k);
  if (idle_in_select(tk.thread)) threads_.wake_waiting(tk.thread, -1);
}

void AsyncioLoops::future_done(int k, int setter) {
  Task& tk = task(k);
  if (!tk.awaits_future) {
    tk.future_done = true;
    return;
  }
  tk.awaits_future = false;
  make_ready(k);
  threads_.charge(setter, futex_wake_);
}

void AsyncioLoops::new_request_task(int tid, int item, const Program* body) {
  EventLoop& loop = this->loop(tid);
  ++loop.requests;
  int k;
  if (!free_tasks_.empty()) {
    k = free_tasks_.back();
    free_tasks_.pop_back();
  } else {
    k = static_cast<int>(tasks_.size());
    tasks_.emplace_back();
  }
  Task& tk = task(k);
  tk.thread = tid;
  tk.cursor.run(body);
  tk.cursor.pc = 0;
  tk.cursor.loops.clear();
  tk.item = item;
  tk.started = threads_.events().now();
  tk.awaits_future = tk.future_done = false;
  tk.resource = -1;
  set_state(k, Task::State::Ready);
  loop.ready.push_back(k);
  ++loop.pending;
}

bool AsyncioLoops::idle_in_select(int tid) const {
  const PythonThread& t = threads_[tid];
  return t.phase == Phase::Waiting && t.task < 0 && t.kind_now() == OpKind::Asyncio;
}

sim::TrackId AsyncioLoops::task_track(int k) const {
  if (static_cast<std::size_t>(k) < static_tasks_) return tracks_->task(k);
  return tracks_->thread(task(k).thread);
}

void AsyncioLoops::set_state(int k, Task::State s) {
  Task& tk = task(k);
  const sim::Time now = threads_.events().now();
  // Requests' tasks come and go by the thousand: they have no track of their own.
  if (trace_ && static_cast<std::size_t>(k) < static_tasks_ && now > tk.state_since &&
      tk.state != Task::State::Idle && tk.state != Task::State::Done)
    trace_->slice(tracks_->task(k), tk.state_since, now, kTaskStyles[static_cast<int>(tk.state)]);
  tk.state = s;
  tk.state_since = now;
}

void AsyncioLoops::finish() {
  for (std::size_t k = 0; k < tasks_.size(); ++k)
    if (tasks_[k].state != Task::State::Idle && tasks_[k].state != Task::State::Done)
      set_state(static_cast<int>(k), Task::State::Done);
}

}  // namespace models
