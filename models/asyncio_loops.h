// asyncio on Python threads: each `asyncio` operation's tasks, each thread's
// event loop with its ready queue, and what a task's awaits do. A loop runs
// the next ready task until it awaits; with nothing ready it blocks in
// select() with the GIL released, until an await's I/O or timer is done or a
// future's result arrives; with no task left, asyncio.run() returns.
//
// A loop that serves a request stream makes a task of each request it
// accepts (uvicorn: a connection's protocol runs the app as a task,
// models/servers.h); such tasks live from the accept to the response, and
// their slots are reused.
//
// CPython references: Lib/asyncio/base_events.py BaseEventLoop._run_once
// (ready handles, then select with a timeout), Lib/asyncio/tasks.py
// Task.__step; the C Task of Modules/_asynciomodule.c does the same.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "models/ids.h"
#include "models/python_thread.h"
#include "models/resource.h"
#include "models/run_plan.h"
#include "models/thread_control.h"
#include "sim/trace.h"

namespace models {

struct Task {
  enum class State : std::uint8_t { Idle, Ready, Running, Awaiting, Done };
  std::string name;
  int thread = -1;  // its loop's thread
  Cursor cursor;    // like a thread's, but it runs only while its loop's thread gives it the floor
  State state = State::Idle;
  bool awaits_future = false;  // suspended in to_thread until its work item is done
  bool future_done = false;    // its work item finished before it awaited it
  int resource = -1;           // the resource whose slot its await_io holds
  int item = -1;               // a request's task: the request (a work item) it serves
  sim::Time started = 0, end = 0;
  std::uint64_t steps = 0;
  sim::Time state_since = 0;  // for the trace
};

struct EventLoop {
  bool active = false;  // inside asyncio.run()
  std::deque<int> ready;
  int pending = 0;            // tasks not done
  std::int64_t requests = 0;  // of them, the tasks of requests (a server's loop)
};

class AsyncioLoops {
 public:
  AsyncioLoops(const RunPlan& plan, ThreadControl& threads, std::vector<Resource>& resources);

  // --- the `asyncio` operation, at the top of BaseEventLoop._run_once
  // asyncio.run(gather(...)): on the first turn, every task is scheduled, in order.
  void enter(int tid, const Op& asyncio);
  // The loop's turn (after a serving loop accepted what waits): runs the
  // next ready task, or blocks in select(), or returns from asyncio.run().
  // False if the thread now waits.
  bool run_once(int tid, const Op& asyncio);

  // --- a task's operations (the thread runs task `t.task`); the task
  // suspends or goes on, and the thread goes on with its loop either way
  void await_(int tid, const Op& o);  // await_io, await_sleep
  void await_future(int tid);         // await run_in_executor()
  void poll_result(int tid, const Op& o);
  // The running task's coroutine returned: the task is done. Returns the
  // request (work item) it served, whose response goes out now, or -1.
  int task_returned(int tid);

  // --- from outside the loop
  // A task's await is over: it joins its loop's ready queue, and a loop
  // blocked in select() wakes up.
  void make_ready(int task);
  // Its work item's future got its result, set by thread `setter`
  // (call_soon_threadsafe writes to the loop's self-pipe: a futex wake).
  void future_done(int task, int setter);
  // A serving loop accepts a request: a task that runs `body`.
  void new_request_task(int tid, int item, const Program* body);
  // The loop is blocked in select() with no task running: new work wakes it.
  bool idle_in_select(int tid) const;

  Task& task(int k) { return tasks_[static_cast<std::size_t>(k)]; }
  const Task& task(int k) const { return tasks_[static_cast<std::size_t>(k)]; }
  EventLoop& loop(int tid) { return loops_[static_cast<std::size_t>(tid)]; }
  const EventLoop& loop(int tid) const { return loops_[static_cast<std::size_t>(tid)]; }
  // A task's own track, or (a request's task, which has none) its loop's thread's.
  sim::TrackId task_track(int k) const;
  // The layout's tasks (request tasks come after them).
  std::size_t static_tasks() const { return static_tasks_; }

  void set_trace(sim::TraceSink* trace, const TraceTracks& tracks) {
    trace_ = trace;
    tracks_ = &tracks;
  }
  void finish();  // closes every task's trace slice at the end of the run

 private:
  void set_state(int task, Task::State s);
  // The thread now runs task `k` (-1: its loop, or what it ran before).
  void run_task(PythonThread& t, int k);

  const RunPlan& plan_;
  ThreadControl& threads_;
  std::vector<Resource>& resources_;
  std::deque<Task> tasks_;        // a deque: a running task's cursor stays where it is
  std::vector<EventLoop> loops_;  // by thread
  std::size_t static_tasks_ = 0;  // tasks_[0, static_tasks_): the layout's
  std::vector<int> free_tasks_;   // request tasks' slots to reuse
  sim::Time futex_wake_;
  sim::TraceSink* trace_ = nullptr;
  const TraceTracks* tracks_ = nullptr;
};

}  // namespace models
