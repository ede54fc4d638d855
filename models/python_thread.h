// Python threads: OS threads running programs of operations in one
// interpreter. This is where a thread's life is decided: what it does when it
// gets a core, when its CPU work reaches a check point, when its I/O completes,
// when it is woken for the GIL. Each thread is a state machine advanced by
// events (no coroutines, no stacks): a program counter, a loop-counter stack
// and the phase of its current operation.
//
// CPython references: Py_BEGIN/END_ALLOW_THREADS around blocking calls
// (= drop_gil / take_gil, gil-model.md §1.6); the eval breaker honouring a
// drop request at the next check point (§1.4, §1.5).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/config.h"
#include "models/event_loop.h"
#include "models/gil.h"
#include "models/gil_recorder.h"
#include "models/machine.h"
#include "models/old_gil.h"
#include "models/requests.h"
#include "models/resource.h"
#include "models/semaphore_lock.h"
#include "models/work_queue.h"
#include "sim/event_queue.h"
#include "sim/random.h"
#include "sim/trace.h"

namespace models {

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

class PythonThreads {
 public:
  struct Thread {
    std::string name;
    int interpreter = 0;
    NewGil* new_gil = nullptr;  // its interpreter's GIL (one of the two, or none)
    OldGil* old_gil = nullptr;
    sim::Rng rng;

    // Where it is in its program: its own, a work item's body (a pool
    // worker), or the running asyncio task's (an event loop's thread).
    enum class Phase : std::uint8_t { Idle, Executing, Blocked, LockWait, Waiting, Returning, Done };
    Cursor main;
    Cursor body;
    bool in_body = false;
    int task = -1;  // the asyncio task running on it, or -1
    Phase phase = Phase::Idle;
    bool service = false;        // a pool's thread: loops over its program for ever
    std::uint32_t loop_from = 0; // where a service thread's program starts again
    int item = -1;               // the work item in its hands
    std::int64_t outstanding = 0, batch_outstanding = 0;  // its futures not done (all; last map's)
    EventLoop loop;
    sim::Time remaining = 0;    // CPU time left in the current operation
    sim::Time since_check = 0;  // bytecode CPU time since the last eval-breaker check
    sim::Time segment_start = 0;
    sim::EventHandle segment;   // kSegmentEnd of the work running now
    sim::Time overhead = 0;     // system-call time owed before its work goes on
    bool paying = false;        // the running segment is that overhead (C code, not bytecode)
    bool reacquiring = false;   // old GIL: between sem_post and sem_wait at a check
    std::int64_t loaded = 0;    // `counter += 1`: the value read by the load, until the store

    // Accounting.
    ThreadState state = ThreadState::NotStarted;
    bool runs_with_gil = false;  // counted in its interpreter's with_gil_running
    sim::Time state_since = 0;
    sim::Time time_in[static_cast<int>(ThreadState::kCount)] = {};
    std::uint64_t io_ops = 0;
    sim::Time end = 0;
  };

  // Exactly one of `new_gil` and `old_gil` is given for a GIL build; neither
  // for a free-threaded build with the GIL disabled.
  // An interpreter and its GIL: one per process (PEP 684's per-interpreter
  // GILs would add more). Free-threaded builds have none.
  struct Interpreter {
    std::unique_ptr<NewGil> new_gil;
    std::unique_ptr<OldGil> old_gil;
    int with_gil_running = 0;  // threads in Python or a GIL-holding C call (C1: <= 1)
    GilRecorder* recorder() {
      return new_gil ? &new_gil->recorder() : old_gil ? &old_gil->recorder() : nullptr;
    }
  };

  PythonThreads(const SimulationConfig& config, sim::EventQueue& events, Machine& machine);

  // Every thread of the main process, and the main thread of every child
  // process, starts at time 0; a child's other threads start when its
  // start-up is done.
  void start_all();

  // Event handlers (World's dispatch switch calls these).
  void on_running(int tid);          // got a core (kWakeup with an idle core, kDispatch)
  void on_segment_end(int tid);      // kSegmentEnd
  void on_block_end(int tid);        // kBlockEnd: I/O or sleep done
  void on_preempted(int tid);        // before the machine takes its core at a slice end
  void on_gil_timeout(int tid);      // kGilTimeout
  void on_task_resume(int task);     // kTaskResume: an asyncio task's await is over
  void on_arrival(int stream);       // kArrival: requests arrive at a server's listen queue
  void on_syn_retry(int item);       // kSynRetry: a dropped connection's client tries again
  void on_client_timeout(int item);  // kClientTimeout: a client stops waiting for its response
  void on_runnable(int tid) { account(tid); }  // kWakeup but no idle core
  // Books the state change of every thread the machine woke during an event.
  void account_woken() {
    machine_.drain_woken([this](int tid) { account(tid); });
  }

  // A shared variable that threads do `+= 1` on.
  struct Counter {
    std::int64_t value = 0;       // what the stores left
    std::int64_t increments = 0;  // stores made: each meant one more
  };

  const std::vector<Thread>& threads() const { return threads_; }
  const Layout& layout() const { return layout_; }
  std::vector<Interpreter>& interpreters() { return interps_; }
  const std::vector<Interpreter>& interpreters() const { return interps_; }
  const std::vector<Counter>& counters() const { return counters_; }
  const std::vector<SemaphoreLock>& locks() const { return locks_; }
  const std::vector<std::string>& names() const { return names_; }
  const std::vector<Task>& tasks() const { return tasks_; }
  const std::vector<Resource>& resources() const { return resources_; }
  const std::vector<PoolStats>& pools() const { return pool_stats_; }
  std::size_t pool_queue_max(std::size_t pool) const;
  // Every thread that is not a pool's or a server's has ended, and every
  // request has arrived and been answered.
  bool all_done() const { return done_ == user_threads_ && requests_.drained(); }
  const RequestStreams& requests() const { return requests_; }
  // The longest accept backlog of each request stream.
  std::vector<std::size_t> listen_queue_max() const;
  // Nothing is left to do: every pool's thread waits for work that will
  // not come. Throws InvariantViolation otherwise (a lost wake-up).
  void check_quiescent() const;
  // When the last work item was done (pools' work can outlive its submitter).
  sim::Time last_completion() const { return last_completion_; }
  void finish(sim::Time end);  // closes the accounting (and trace) at the end of the run

  // Request streams get three tracks each from `first_stream_track`: the
  // requests' arrows, and counters of requests in flight and in the backlog.
  void set_trace(sim::TraceSink* trace, sim::TrackId first_thread_track, sim::TrackId first_task_track,
                 sim::TrackId first_stream_track);

 private:
  void advance(int tid);
  bool advance_asyncio(int tid);  // the loop's turn: true if the thread goes on
  bool block_waiting(int tid);    // Py_BEGIN_ALLOW_THREADS, then waits: false if it first waits for the GIL hand-off
  void wake_waiting(int tid, int waker);
  void complete_item(int tid, int item);
  void make_ready(int task);
  void grant(std::uint32_t resource, const Resource::Request& r);
  void task_state(int task, Task::State s);
  void item_taken(int tid, int item);
  // An asyncio server's loop: a task per request, or a 503 past `limit`
  // requests in progress (0: no limit).
  void accept_requests(int tid, int stream, std::int64_t limit);
  void wake_acceptor(int stream);               // a serving loop blocked in select(), if any
  void send(int item);                          // a client sends a request: its timeout starts
  void connect(int item);                       // a request's connection reaches the listen queue
  void connected(int stream);                   // after connections: wake a loop, trace the queue
  void respond(int tid, int item);              // a request's response is sent
  void trace_stream(int stream);
  sim::TrackId task_track(int task) const;
  Cursor& cursor(Thread& t) { return t.task >= 0 ? tasks_[static_cast<std::size_t>(t.task)].cursor : t.in_body ? t.body : t.main; }
  const Cursor& cursor(const Thread& t) const {
    return t.task >= 0 ? tasks_[static_cast<std::size_t>(t.task)].cursor : t.in_body ? t.body : t.main;
  }
  bool take(int tid);
  bool release_voluntarily(int tid);
  int holder(int tid) const;  // the holder of tid's interpreter's GIL, or -1
  NewGil* new_gil(int tid) const { return threads_[tid].new_gil; }
  OldGil* old_gil(int tid) const { return threads_[tid].old_gil; }
  // Operations that run bytecode (or C code called from it) with the GIL.
  bool needs_gil(OpKind k) const {
    return gil_kind_ != GilKind::NoGil &&
           (k == OpKind::Cpu || k == OpKind::NativeHeld || k == OpKind::IncrementLoad || k == OpKind::IncrementStore ||
            k == OpKind::LockAcquire || k == OpKind::LockRelease);
  }
  static bool is_bytecode(OpKind k) {
    return k == OpKind::Cpu || k == OpKind::IncrementLoad || k == OpKind::IncrementStore;
  }
  // Whether CPU time of this operation advances the check-point clock: every
  // bytecode for the old GIL's ticks; for the new GIL only plain `cpu` work
  // (an increment's opcodes hold no check point inside, §1.5).
  bool ticks(OpKind k) const {
    return gil_kind_ == GilKind::OldGil ? is_bytecode(k) : k == OpKind::Cpu;
  }
  void finish_operation(int tid);
  void start_segment(int tid);
  bool stop_segment(int tid);
  void forced_drop(int tid);
  void old_gil_check(int tid);
  void on_drop_request(int holder);
  void exit_thread(int tid);
  void account(int tid);
  ThreadState current_state(int tid) const;
  const Op& op(const Thread& t) const {
    const Cursor& c = cursor(t);
    return (*c.program)[c.pc];
  }
  // The operation under way, or none once the program is through (an old-GIL
  // check can fall right after the last operation).
  OpKind kind_now(const Thread& t) const {
    const Cursor& c = cursor(t);
    return c.pc < c.program->size() ? (*c.program)[c.pc].kind : OpKind::NativeReleased;
  }
  sim::Time sized_extra(const Thread& t, const Op& o);

  sim::EventQueue& events_;
  Machine& machine_;
  GilKind gil_kind_;
  Layout layout_;
  std::vector<Program> startup_programs_;  // a child's main thread: start-up, then its program
  std::vector<Interpreter> interps_;
  // CPU time between check points: the eval-breaker granularity (new GIL),
  // or check_interval ticks (old GIL).
  sim::Time check_every_;
  sim::Time futex_wake_, futex_wake_nobody_, release_gap_;
  double cpu_overhead_;
  sim::Time increment_half_;
  int minor_;  // 3.x minor version: where the check points are
  std::vector<SemaphoreLock> locks_;
  std::vector<Counter> counters_;
  std::vector<Thread> threads_;
  std::vector<std::string> names_;
  int done_ = 0;
  int user_threads_ = 0;

  // Pools, asyncio and resources.
  WorkItems items_;
  std::vector<WorkQueue> queues_;  // pool_queue(pool, which)
  std::vector<PoolStats> pool_stats_;
  sim::Time last_completion_ = 0;
  std::vector<Task> tasks_;
  // first_task_[thread][ordinal]: its ordinal-th asyncio operation's first task
  std::vector<std::vector<int>> first_task_;
  std::vector<Resource> resources_;

  // Request streams and the servers' side of them.
  RequestStreams requests_;
  std::uint32_t first_listen_ = 0;          // listen_queue(config, 0)
  std::vector<std::vector<int>> acceptors_; // by stream: the asyncio loops serving it
  std::vector<std::size_t> next_acceptor_;  // round robin among them
  std::size_t static_tasks_ = 0;            // tasks_[0, static_tasks_): the layout's
  std::vector<int> free_tasks_;             // request tasks' slots to reuse

  sim::TraceSink* trace_ = nullptr;
  sim::TrackId first_track_ = 0;
  sim::TrackId first_task_track_ = 0;
  sim::TrackId first_stream_track_ = 0;
};

}  // namespace models
