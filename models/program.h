// A thread's program: the operations it runs, flattened. The scenario
// loader writes the operations a scenario names (cpu, io, submit, asyncio,
// serve, ...); lowering (models/lowering.h) rewrites pools, asyncio and
// servers into the primitive ones the threads execute.
//
// `repeat` is a RepeatBegin/RepeatEnd pair around its body, so that a loop
// of a million iterations is two entries and a counter; each of the two
// holds the other's index (`jump`). That encoding is made here and nowhere
// else: repeat_block() and link_repeats().
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/distribution.h"

namespace models {

enum class OpKind : std::uint8_t {
  Cpu,             // pure-Python bytecode: GIL + core
  NativeReleased,  // C call inside Py_BEGIN/END_ALLOW_THREADS: core only
  NativeHeld,      // C call that keeps the GIL: GIL + core, not interruptible
  Io,              // blocking syscall: GIL released, no core
  Sleep,           // time.sleep: GIL released, no core
  RepeatBegin,     // count = iterations, jump = index of the matching RepeatEnd
  RepeatEnd,       // jump = index of the matching RepeatBegin
  LockAcquire,     // threading.Lock.acquire (`with lock:`): object = the lock
  LockRelease,     // threading.Lock.release
  IncrementLoad,   // `counter += 1`, up to the add: reads the shared value
  IncrementStore,  // ... STORE: writes the value read plus one
  // Written in scenarios, lowered before a run (models/lowering.h):
  Submit,      // pool.submit(f) `count` times (`map`: then waits for those): object = pool
  WaitAll,     // concurrent.futures.wait(every future this thread submitted)
  Asyncio,     // asyncio.run(gather(*tasks)) on this thread: `tasks`
  AwaitIo,     // in a task: await a non-blocking I/O of `duration` (object: resource, if any)
  AwaitSleep,  // in a task: await asyncio.sleep(duration)
  ToThread,    // in a task: await loop.run_in_executor(pool, f): object = pool
  // Made by lowering from the ones above; a scenario never names them.
  NewItem,     // makes a work item of `body`, `args_bytes`, `result_bytes` for pool `index`
  Forward,     // puts the thread's work item on queue `index` (waking a taker)
  TakeItem,    // takes the next work item from queue `index`, waiting while it is empty
  RunBody,     // runs the work item's body
  Complete,    // sets the work item's future: wakes whoever waits for it
  WaitBatch,   // waits for the work items of this thread's last `map`
  AwaitFuture, // in a task: waits (without blocking the loop) for its work item
  // Written in scenarios (models/requests.h):
  Serve,       // serves request stream `index` for ever: take a request, run its program, respond
  // Made by lowering for Celery-like pools:
  PollResult,  // in a task: its work item done? go on; else await_sleep(duration), then pc = jump
};

struct Op;
// `count` identical asyncio tasks NAME_0 .. (or NAME), gathered together.
struct TaskGroup {
  std::string name;
  int count = 1;
  std::vector<Op> program;
};

// Which bytes of the thread's current work item a sized operation moves.
enum class Sized : std::uint8_t { None, Args, Result };

struct Op {
  OpKind kind = OpKind::Cpu;
  sim::Distribution duration;  // Cpu, Native*, Io, Sleep
  std::int64_t count = 0;      // RepeatBegin
  std::uint32_t jump = 0;      // RepeatBegin / RepeatEnd / PollResult
  std::string object;          // Lock*, Increment*: the lock's or counter's name
  std::uint32_t index = 0;     // ... its index among the run's locks / counters
  bool process_startup = false;  // Cpu: a child process's start-up, before its program
  // Cpu: the parent's share of Process.start() (models/layout.cc); at its
  // end the processes of start group `starts` begin their start-up. -1: none.
  std::int32_t starts = -1;
  // Io, AwaitIo: queue for a resource's capacity first (index = resource).
  bool uses_resource = false;
  // Submit, ToThread: the work, what is pickled to and from a process or
  // interpreter worker; Submit's `count` is how many (`map`: tasks).
  std::vector<Op> body;
  std::int64_t args_bytes = 0;
  std::int64_t result_bytes = 0;
  bool map = false;  // Submit: pool.map, which then waits for its tasks
  std::vector<TaskGroup> tasks;  // Asyncio
  // Asyncio: the request stream this loop serves (every request that arrives
  // becomes a task), or -1; `object` names it.
  std::int32_t serve = -1;
  // Asyncio with serve: uvicorn's --limit-concurrency, the requests in
  // progress on this loop beyond which a new one is answered 503 at once
  // (uvicorn/protocols/http/*_impl.py, service_unavailable); 0: no limit.
  std::int64_t limit_concurrency = 0;
  // Submit: nobody waits for the result (a submit inside an asyncio task, a
  // Celery `delay()` whose job id is returned at once).
  bool detached = false;
  // Lowered pickling and pipe operations (Cpu/NativeHeld/NativeReleased):
  // `per_byte` ns for each byte of the work item's args or result, on top of
  // `duration`.
  Sized sized = Sized::None;
  double per_byte = 0;
};

using Program = std::vector<Op>;

// `repeat: count` around `body`: RepeatBegin, the body, RepeatEnd, linked.
Program repeat_block(std::int64_t count, Program body);
// Sets every RepeatBegin/RepeatEnd pair's jumps from their nesting: after
// operations were inserted or removed in front of or inside loops.
void link_repeats(Program& program);
// How deep loops nest in `program` (its loop-counter stack's size).
int loop_depth(const Program& program);

// Operations that run bytecode (the GIL's check clock may count them).
inline bool is_bytecode(OpKind k) {
  return k == OpKind::Cpu || k == OpKind::IncrementLoad || k == OpKind::IncrementStore;
}
// Operations that run with the GIL held, where there is a GIL: bytecode,
// C code that keeps it, and threading.Lock's calls (made with it held).
inline bool needs_gil(OpKind k) {
  return is_bytecode(k) || k == OpKind::NativeHeld || k == OpKind::LockAcquire || k == OpKind::LockRelease;
}

}  // namespace models
