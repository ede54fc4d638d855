// asyncio on one Python thread: the tasks of an `asyncio` operation and the
// loop's ready queue. The loop's behaviour (run the next ready task until it
// awaits; with nothing ready, block in select() with the GIL released) is in
// python_thread.cc, beside everything else a thread does.
//
// CPython references: Lib/asyncio/base_events.py BaseEventLoop._run_once
// (ready handles, then select with a timeout), Lib/asyncio/tasks.py
// Task.__step; the C Task of Modules/_asynciomodule.c does the same.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "models/config.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace models {

// A loop that serves a request stream makes a task of each request it
// accepts (uvicorn: a connection's protocol runs the app as a task); such
// tasks live from the accept to the response, and their slots are reused.
//
// Where an asyncio task is in its program: like a thread's, but it runs only
// while its loop's thread gives it the floor.
struct Cursor {
  const Program* program = nullptr;
  std::uint32_t pc = 0;
  std::vector<std::int64_t> loops;  // iterations left, innermost last
};

struct Task {
  enum class State : std::uint8_t { Idle, Ready, Running, Awaiting, Done };
  std::string name;
  int thread = -1;  // its loop's thread
  Cursor cursor;
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
  int pending = 0;  // tasks not done
  std::int64_t requests = 0;  // of them, the tasks of requests (a server's loop)
};

}  // namespace models
