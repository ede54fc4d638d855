// The options struct of one simulation run (one variant of a scenario): what
// the scenario loader produces and the models consume. Every default names its
// source; docs/gil-model.md (shared/docs/gil-model.md) has the details.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/distribution.h"
#include "sim/time.h"

namespace models {

using sim::Distribution;
using sim::Time;

struct MachineConfig {
  int cores = 4;
  // Putting another thread on a core that just ran a different one.
  // ~1.7 us kernel thread switch: jimblandy/context-switch README.md.
  // Both are drawn per event from the machine's own random stream when given
  // as a distribution (`{exp: 10us}`): real switch and wake-up costs vary.
  Distribution context_switch = Distribution::constant(2 * sim::kMicrosecond);
  // From a wake-up (I/O done, condvar signalled, timer) to running, when a core
  // is idle: futex wake + scheduler + cache refill. gilsim's default, same
  // order as the ~24 us thread ping-pong (2 wake-ups + 2 hand-offs) measured on
  // CPython 3.11 (gil-model.md §4).
  Distribution wakeup_latency = Distribution::constant(10 * sim::kMicrosecond);
  // OS time slice when more threads are runnable than cores: CFS
  // min_granularity 0.75 ms x (1 + ilog2(min(cpus, 8))) = 3 ms on >= 8 CPUs
  // (kernel/sched/fair.c, pre-6.6). gilsim uses a fixed slice (round robin).
  Time timeslice = 3 * sim::kMillisecond;
  // CFS wake-up preemption (kernel/sched/fair.c, pre-6.6): a woken thread
  // whose vruntime is more than `wakeup_granularity` below a running thread's
  // preempts it at once, when no allowed core is idle. Both values scale with
  // 1 + ilog2(min(cores, 8)) as in get_update_sysctl_factor(): 1 ms and 6 ms
  // on one core, 4 ms and 24 ms on >= 8. A negative value means "derive".
  bool wakeup_preemption = true;
  Time wakeup_granularity = -1;
  Time sched_latency = -1;  // the sleeper credit is half of it (place_entity)
  // A futex-wake system call (sem_post or cond_signal with a waiter), paid
  // in CPU time by a thread that wakes another and keeps running: the old
  // GIL's holder at every check with waiters, the new GIL's taker that
  // signals switch_cond. gilsim's default; futex syscalls cost ~1 us.
  Time futex_wake = 1 * sim::kMicrosecond;
  // A FUTEX_WAKE that finds nobody asleep (glibc's sem_post makes it while
  // the semaphore counts a waiter that is awake but has not retried yet):
  // a system call's entry and exit and a hash-bucket look-up. gilsim's choice.
  Time futex_wake_nobody = 200;
};

enum class GilKind {
  NewGil,   // 3.2 .. 3.14 GIL builds: ceval_gil.c
  OldGil,   // 2.x (and 3.0, 3.1): check interval in ticks (models/old_gil.h)
  NoGil,    // free-threaded 3.13t / 3.14t with the GIL disabled (the default there)
};

struct RuntimeConfig {
  std::string python = "3.12";
  GilKind gil = GilKind::NewGil;
  int minor = 12;  // 3.x minor version, for version-dependent behaviour
  // sys.setswitchinterval; DEFAULT_INTERVAL 5000 us (ceval_gil.c). Values
  // below 1 us are clamped to 1 us, as CPython does.
  Time switch_interval = 5 * sim::kMillisecond;
  // CPU time between two eval-breaker check points in pure-Python code. A
  // loop reaches one every iteration (JUMP_BACKWARD, calls: §1.5), tens of ns.
  // A drop request is honoured at the next check point after it is set.
  Time eval_breaker_granularity = 100;  // ns; gilsim's choice (§1.5: "tens of ns")
  // Which GIL waiter a release wakes: the OS decides. FIFO by default
  // (futex queues are roughly FIFO); `random` picks one with the seeded RNG.
  bool wake_random = false;
  std::int64_t check_interval = 100;  // 2.x sys.setcheckinterval (ticks), for the old GIL
  // Old GIL: CPU time of one tick (one pass through the top of the eval loop
  // by an opcode that is not a fast_next_opcode one). gilsim's choice: a 2.7
  // count-down loop runs ~3 ticking opcodes in ~75 ns on current hardware.
  Time tick = 25;
  // Old GIL: the releaser's instructions between sem_post and sem_wait at a
  // check (pending calls, the release and the acquire calls): the only window
  // in which a waiter that is already awake can win. gilsim's choice.
  Time release_gap = 50;
  // A free-threaded build ("3.13t", "3.14t"): no GIL unless `gil: enabled`
  // (PYTHON_GIL=1), and pure-Python CPU work costs `cpu_overhead` times more.
  bool free_threaded = false;
  // Defaults: 3.13t 1.40 ("about 40 % on the pyperformance suite",
  // Doc/howto/free-threading-python.rst 3.13.0); 3.14t 1.08 (What's New in
  // 3.14: "roughly 5-10%"; ~8 % on x86-64 Linux per the 3.14 HOWTO).
  double cpu_overhead = 1.0;
  // CPU time of `counter += 1` on a global: four opcodes (LOAD_GLOBAL,
  // LOAD_CONST, BINARY_ADD / INPLACE_ADD, STORE_GLOBAL) at ~15 ns each; the
  // load half ends when the value is read, the store half when it is written.
  Time increment_time = 60;

  // Costs of handing work to a pool (concurrent.futures, multiprocessing).
  // Defaults: see PoolCosts in models/pool.h, where each names its source.
  // `executor.submit()`: the Python code that makes the future and the work
  // item and queues it, run by the submitting thread with the GIL.
  Time submit_cost = -1;
  // pickle.dumps / pickle.loads of a call's arguments or result: C code that
  // keeps the GIL, a cost per call plus a cost per byte (ns, may be fractional).
  Time pickle_per_call = -1;
  double pickle_per_byte = -1;
  // A write to or a read from a multiprocessing pipe (os.write / os.read with
  // the GIL released): a cost per message plus a cost per byte.
  Time ipc_per_call = -1;
  double ipc_per_byte = -1;
  // asyncio: the event loop's work per task step (BaseEventLoop._run_once
  // picking the next ready handle, Task.__step, the send into the coroutine).
  Time loop_step = -1;
};

// One operation of a thread's program, flattened: `repeat` becomes a
// RepeatBegin/RepeatEnd pair so that a loop of a million iterations is two
// entries and a counter, not a million entries.
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
  // Written in scenarios (models/pool.h, models/event_loop.h):
  Submit,      // pool.submit(f) `count` times (`map`: then waits for those): object = pool
  WaitAll,     // concurrent.futures.wait(every future this thread submitted)
  Asyncio,     // asyncio.run(gather(*tasks)) on this thread: `tasks`
  AwaitIo,     // in a task: await a non-blocking I/O of `duration` (object: resource, if any)
  AwaitSleep,  // in a task: await asyncio.sleep(duration)
  ToThread,    // in a task: await loop.run_in_executor(pool, f): object = pool
  // Made by lower_programs() (models/config.cc) from the ones above; a
  // scenario never names them.
  NewItem,     // makes a work item of `body`, `args_bytes`, `result_bytes` for pool `index`
  Forward,     // puts the thread's work item on queue `index` (waking a taker)
  TakeItem,    // takes the next work item from queue `index`, waiting while it is empty
  RunBody,     // runs the work item's body
  Complete,    // sets the work item's future: wakes whoever waits for it
  WaitBatch,   // waits for the work items of this thread's last `map`
  AwaitFuture, // in a task: waits (without blocking the loop) for its work item
  // Written in scenarios (models/requests.h):
  Serve,       // serves request stream `index` for ever: take a request, run its program, respond
  // Made by lower_programs() for Celery-like pools:
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
  Distribution duration;     // Cpu, Native*, Io, Sleep
  std::int64_t count = 0;    // RepeatBegin
  std::uint32_t jump = 0;    // RepeatBegin / RepeatEnd
  std::string object;        // Lock*, Increment*: the lock's or counter's name
  std::uint32_t index = 0;   // ... its index in SimulationConfig::locks / counters
  bool process_startup = false;  // Cpu: a child process's start-up, before its program
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

// `count` identical threads named NAME_0 .. NAME_{count-1} (or NAME if count is 1).
struct ThreadGroup {
  std::string name;
  int count = 1;
  Program program;
  // The cores its threads may run on (os.sched_setaffinity / taskset);
  // empty means every core.
  std::vector<int> cores;
};

enum class StartMethod { Fork, Forkserver, Spawn };

// `count` identical child processes, each with its own interpreter (and GIL),
// started by the main process at time 0 (multiprocessing.Process.start()).
struct ProcessGroup {
  std::string name;
  int count = 1;
  StartMethod start_method = StartMethod::Fork;
  // CPU time of a child's start-up (creating the process, starting the
  // interpreter, importing, unpickling the target) before its threads run.
  // Defaults by start method: the median process start+join of a no-op
  // target measured on a 2-vCPU VM with CPython 3.11.7 (gil-model.md §4):
  // fork 13.7 ms, forkserver 87 ms, spawn 144 ms. gilsim books all of it as
  // the child's CPU work; the parent's share is not modelled.
  Time startup = -1;  // -1: the start method's default
  std::vector<ThreadGroup> threads;
};

Time default_startup(StartMethod m);

enum class PoolKind {
  Process,      // concurrent.futures.ProcessPoolExecutor / multiprocessing.Pool
  Thread,       // concurrent.futures.ThreadPoolExecutor
  Interpreter,  // concurrent.futures.InterpreterPoolExecutor (3.14): a sub-interpreter per worker
  // Celery-like workers behind a broker: worker processes (prefork, started
  // before the run) that take jobs from the broker's queue. Publishing a job
  // (apply_async) is a blocking round trip to the broker; workers fetch
  // each job and store its result with a round trip each; a waiter in an
  // asyncio task polls for the result every `poll_interval` (an awaited GET).
  Celery,
};

// A pool of `workers`, made when the program starts (the `with` block's
// executor), alive until the end of the run.
struct PoolConfig {
  std::string name;
  PoolKind kind = PoolKind::Process;
  int workers = 4;
  StartMethod start_method = StartMethod::Fork;  // process pools
  // Each worker's start-up before it takes work: a process pool's by start
  // method (default_startup), an interpreter pool's by
  // default_interpreter_startup(); thread pools have none.
  Time startup = -1;  // -1: the default
  std::vector<int> cores;  // its workers' affinity; empty: every core
  // Celery: the resource that is the broker (and result backend), the time of
  // one round trip to it, the interval of result polling, and the CPU time of
  // apply_async (building and serializing the message in the caller).
  std::string broker;
  std::uint32_t broker_index = 0;
  Time broker_latency = -1;  // -1: default_broker_latency()
  Time poll_interval = -1;   // -1: default_poll_interval()
  Time publish_cost = -1;    // -1: default_publish_cost()
};

// Creating a sub-interpreter with its own GIL (Py_NewInterpreterFromConfig,
// PEP 684) and importing what the task needs. gilsim's default: see config.cc.
Time default_interpreter_startup();

// Celery pool defaults (gilsim's choices; see config.cc).
Time default_broker_latency();
Time default_poll_interval();
Time default_publish_cost();

// Something with a capacity and a FIFO queue: a database with 10
// connections, a rate-limited API. An `io` on it waits for a free slot.
struct ResourceConfig {
  std::string name;
  int capacity = 1;
};

// A stream of requests to a server (models/requests.h): when they arrive,
// what each one does, and which part of the run the statistics cover.
struct Arrival {
  enum class Kind { Poisson, Constant, Burst, Closed };
  Kind kind = Kind::Poisson;
  double rate = 100;       // Poisson, Constant: requests per second
  int burst_size = 1;      // Burst: `burst_size` requests at once, every `every`
  Time every = sim::kSecond;
  int clients = 1;         // Closed: clients that each send a request, wait
  Distribution think;      // for its response, think, and send the next
};
struct RequestType {
  std::string name;
  double weight = 1;
  Program program;  // what serving one request does (the endpoint's code)
};
struct RequestStream {
  std::string name;
  Arrival arrival;
  Time duration = 10 * sim::kSecond;  // arrivals stop then; the run drains what is left
  Time warmup = 0;                    // requests that arrive before are left out of the statistics
  std::vector<RequestType> mix;
  // The server's listen backlog: connections that arrived and that no thread
  // or event loop has taken yet, at most this many (0: no limit). A
  // connection that finds it full is dropped, and the client retransmits its
  // SYN after syn_timeout, then after twice as long each time, up to
  // syn_retries times before it gives up (Linux: TCP_TIMEOUT_INIT 1 s,
  // net.ipv4.tcp_syn_retries 6, net.core.somaxconn caps the backlog).
  std::int64_t backlog = 0;
  int syn_retries = 6;
  Time syn_timeout = 1 * sim::kSecond;
  // The client's timeout for a request, from sending it to its response (0:
  // it waits however long it takes), and how many times it sends the request
  // again after one: an HTTP client's read timeout and retry policy. The
  // server is not told: it serves an abandoned request all the same, and the
  // response finds nobody waiting (a late response).
  Time timeout = 0;
  int retries = 0;
  // Whether an asyncio loop serves it (its programs are then tasks'
  // programs): set by index_shared_objects from the `serve` operations.
  bool async = false;
};

struct SimulationConfig {
  std::uint64_t seed = 1;
  MachineConfig machine;
  RuntimeConfig runtime;
  std::vector<ThreadGroup> threads;  // the main process's
  std::vector<ProcessGroup> processes;
  std::vector<PoolConfig> pools;
  std::vector<ResourceConfig> resources;
  std::vector<RequestStream> requests;
  // Shared objects by name, in order of first use; filled by index_shared_objects().
  std::vector<std::string> locks;
  std::vector<std::string> counters;
  // A run that has not ended by this simulated time is stopped (and reported):
  // protects against scenarios that would never finish.
  Time time_limit = 3600 * sim::kSecond;
};

// Pool costs with their defaults filled in (RuntimeConfig's -1 values).
struct PoolCosts {
  Time submit = -1;  // -1: by pool kind (submit_cost_for)
  Time pickle_per_call = 0;
  double pickle_per_byte = 0;
  Time ipc_per_call = 0;
  double ipc_per_byte = 0;
  Time loop_step = 0;
};
PoolCosts pool_costs(const RuntimeConfig& runtime);
// submit()'s cost for a kind of pool: the scenario's, or the kind's default.
Time submit_cost_for(const PoolCosts& costs, PoolKind kind);

// The work queues of pool `pool`: `Entry` is where submit() puts work (a
// process pool's feeder thread takes it from there; a thread or interpreter
// pool's workers do), `Call` a process pool's call pipe to its workers,
// `Results` its result pipe back to the parent's result thread.
enum class PoolQueue { Entry = 0, Call = 1, Results = 2 };
inline std::uint32_t pool_queue(std::size_t pool, PoolQueue q) {
  return static_cast<std::uint32_t>(3 * pool) + static_cast<std::uint32_t>(q);
}
// The listen queue (the accept backlog) of request stream `stream`, after
// the pools' queues.
inline std::uint32_t listen_queue(const SimulationConfig& config, std::size_t stream) {
  return static_cast<std::uint32_t>(3 * config.pools.size() + stream);
}

// Every thread of a run, flattened: the main process's threads, then each
// child process's in order. Names are the metric names' (threads.NAME.*):
// a thread of a child process is "PROCESS_THREAD" (PROCESS with its `_i`
// when the process group has several), and a replicated group's threads get
// `_j` as everywhere.
struct ThreadSpec {
  std::string name;
  std::string group;      // the replicated group's name (metrics sum over it)
  int group_size = 1;
  int interpreter = 0;    // 0: the main process; i: the i-th child process
  const ThreadGroup* spec = nullptr;
  sim::Time startup = 0;  // > 0: it first runs its process's start-up
  int started_by = -1;    // the thread whose start-up must finish first, or -1
  // A pool's thread (worker, feeder, result thread) or a server's: it serves
  // work items for ever from operation `loop_from` of its program, and the
  // run does not wait for it to end.
  bool service = false;
  std::uint32_t loop_from = 0;
};
struct ProcessSpec {
  std::string name;   // the instance, e.g. worker_2
  std::string group;  // the process group, e.g. worker
  int group_size = 1;
  bool pool_worker = false;     // a process or interpreter of a pool
  bool subinterpreter = false;  // an interpreter pool's: in the main process
};
// An asyncio task: the `tasks` entry `spec` of the `ordinal`-th `asyncio`
// operation in thread `thread`'s program (its Op::index). Named as written,
// or THREAD_NAME when its thread is one of a replicated group or in a child
// process, so that names stay unique.
struct TaskSpec {
  std::string name;
  std::string group;
  int group_size = 1;
  int thread = 0;
  std::uint32_t ordinal = 0;
};
struct Layout {
  std::vector<ThreadSpec> threads;
  std::vector<TaskSpec> tasks;
  // Interpreters other than the main one: child processes, and pools'
  // worker processes and sub-interpreters; interpreter i is processes[i - 1].
  std::vector<ProcessSpec> processes;
  // The programs of pools' threads, made from the pools' configs.
  std::vector<std::unique_ptr<ThreadGroup>> pool_programs;
};
Layout layout(const SimulationConfig& config);

// Collects the locks and counters the threads' programs name, and sets each
// operation's index (locks, counters, pools, resources). The loader calls it
// once the threads, pools and resources are read; the names it is given must
// exist (the loader checks them).
void index_shared_objects(SimulationConfig& config);

}  // namespace models
