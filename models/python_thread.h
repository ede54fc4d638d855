// One Python thread's state: an OS thread running a program of operations in
// an interpreter. A thread is a state machine advanced by events (no
// coroutines, no stacks): a cursor (program counter and loop counters), the
// phase of its current operation, and what its on-core work has left.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models/program.h"
#include "sim/event_queue.h"
#include "sim/random.h"
#include "sim/time.h"

namespace models {

class GilProtocol;
class NewGil;

// Where a thread, or an asyncio task, is in its program.
struct Cursor {
  std::uint32_t pc = 0;
  std::vector<std::int64_t> loops;  // iterations left, innermost last

  // Points the cursor at `p` (pc and loops are the caller's to set).
  void run(const Program* p) {
    ops_ = p->data();
    size_ = static_cast<std::uint32_t>(p->size());
  }
  // The operation under way, or none once the program is through (an old-GIL
  // check can fall right after the last operation). Read several times per
  // event: from the operations and their count kept here, not through the
  // vector (its size is a division by sizeof(Op)).
  OpKind kind_now() const { return pc < size_ ? ops_[pc].kind : OpKind::NativeReleased; }
  const Op& op() const { return ops_[pc]; }
  bool at_end() const { return pc == size_; }

 private:
  const Op* ops_ = nullptr;
  std::uint32_t size_ = 0;
};

// Where a thread's wall time goes: exclusive states, summed per thread.
enum class ThreadState : std::uint8_t {
  NotStarted,
  Python,    // on a core, running bytecode, holding the GIL
  Native,    // on a core, in a C call (with or without the GIL)
  Runnable,  // wants a core: waking up, or in the run queue (possibly holding the GIL)
  GilWait,   // blocked in take_gil (cond) or in drop_gil's FORCE_SWITCHING wait
  LockWait,  // blocked acquiring a threading.Lock (GIL released)
  Waiting,   // blocked for work, futures or (an event loop) in select, GIL released
  Io,        // blocked in a syscall
  Sleeping,  // blocked in time.sleep
  Done,
  kCount
};

struct PythonThread {
  PythonThread() = default;
  // `at` points into the thread itself: it stays where it was made.
  PythonThread(const PythonThread&) = delete;
  PythonThread& operator=(const PythonThread&) = delete;

  std::string name;
  int interpreter = 0;
  GilProtocol* gil = nullptr;  // its interpreter's (a free-threaded build's serialises nothing)
  NewGil* new_gil = nullptr;   // the same, when it is the new GIL: called directly (ThreadControl::call_gil)
  sim::Rng rng;

  // Where it is in its program: its own, a work item's body (a pool
  // worker), or the running asyncio task's (an event loop's thread):
  // `at` points at one of them.
  enum class Phase : std::uint8_t {
    Idle,       // between operations: advance() picks the next one
    Executing,  // its current operation's work is on a core (or will be when it runs again)
    Blocked,    // in I/O or sleep
    LockWait,   // acquiring a threading.Lock that another thread holds
    Waiting,    // for work, futures, or (an event loop) in select()
    Returning,  // back from a blocking call: Py_END_ALLOW_THREADS takes the GIL back
    Done
  };
  Cursor main;
  Cursor body;
  Cursor* at = &main;
  bool in_body = false;
  int task = -1;  // the asyncio task running on it, or -1
  Phase phase = Phase::Idle;
  bool service = false;         // a pool's or server's thread: loops over its program for ever
  std::uint32_t loop_from = 0;  // where a service thread's program starts again
  int item = -1;                // the work item in its hands

  // On-core work.
  sim::Time remaining = 0;    // CPU time left in the current operation
  sim::Time since_check = 0;  // counted bytecode CPU time since the last check point
  sim::Time segment_start = 0;
  sim::EventHandle segment;   // kSegmentEnd of the work running now
  sim::Time overhead = 0;     // system-call time owed before its work goes on
  bool paying = false;        // the running segment is that overhead (C code, not bytecode)
  sim::Time retake_end = 0;   // when the retake's C code (below) ends
  sim::Time retake_left = 0;  // the rest of it, when the thread was preempted in it
  bool retaking = false;      // old GIL: between the check's sem_post and its sem_wait;
                              // new GIL: in its timed wait's C code (timed_wait_cpu)
  std::int64_t loaded = 0;    // `counter += 1`: the value read by the load, until the store

  // Accounting (models/accounting.h): what it blocked on, the state it is
  // booked in, and whether it counts as running with its interpreter's GIL.
  ThreadState blocked_on = ThreadState::NotStarted;
  ThreadState state = ThreadState::NotStarted;
  bool runs_with_gil = false;
  sim::Time state_since = 0;
  sim::Time time_in[static_cast<int>(ThreadState::kCount)] = {};
  std::uint64_t io_ops = 0;
  sim::Time end = 0;

  Cursor& cursor() { return *at; }
  const Cursor& cursor() const { return *at; }
  OpKind kind_now() const { return at->kind_now(); }
};

}  // namespace models
