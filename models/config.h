// The options struct of one simulation run (one variant of a scenario): what
// the scenario loader produces and the models consume (models/run_plan.h
// prepares it for a run). Every default names its source.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "models/program.h"
#include "sim/distribution.h"
#include "sim/time.h"

namespace models {

using sim::Distribution;
using sim::Time;

// multiprocessing's start methods (multiprocessing/context.py).
enum class StartMethod { Fork, Forkserver, Spawn };

// One cost for each start method, the runtime's process start-up costs
// (RuntimeConfig::process_startup, process_start_interval). -1: the start
// method's built-in default.
struct StartMethodCosts {
  Time fork = -1;
  Time forkserver = -1;
  Time spawn = -1;
  Time of(StartMethod m) const { return m == StartMethod::Fork ? fork : m == StartMethod::Forkserver ? forkserver : spawn; }
};

struct MachineConfig {
  int cores = 4;
  // The OS scheduling policy, by name (models/os_policy.cc, kOsPolicies):
  // `cfs`, a simplified CFS of Linux before 6.6 (models/cfs.h), or `eevdf`,
  // Linux 6.6+'s EEVDF (models/eevdf.h).
  std::string scheduler = "cfs";
  // Putting another thread on a core that just ran a different one.
  // ~1.7 us kernel thread switch: jimblandy/context-switch README.md.
  // Both are drawn per event from the machine's own random stream when given
  // as a distribution (`{exp: 10us}`): real switch and wake-up costs vary.
  Distribution context_switch = Distribution::constant(2 * sim::kMicrosecond);
  // From a wake-up (I/O done, condvar signalled, timer) to running, when a core
  // is idle: futex wake + scheduler + cache refill. gilsim's default, same
  // order as the ~24 us thread ping-pong (2 wake-ups + 2 hand-offs) measured on
  // CPython 3.11.7 on a 2-vCPU AMD EPYC VM (a thread ping-pong over
  // queue.SimpleQueue: 24.1 us a round trip).
  Distribution wakeup_latency = Distribution::constant(10 * sim::kMicrosecond);
  // An idle core first polls, then halts (Linux's cpuidle "poll" state; in a
  // KVM guest the haltpoll driver and the host's halt_poll_ns, 200 us by
  // default: drivers/cpuidle/cpuidle-haltpoll.c, virt/kvm/kvm_main.c). A
  // wake-up onto a core idle for less than `idle_poll` needs no exit from a
  // halt (or from the guest) and takes `polled_wakeup_latency` instead of
  // `wakeup_latency`. 0 by default: every idle core halts at once, one
  // latency for all (a profile measures both: a ping-pong wakes polling
  // cores, a wake-up after a long sleep a halted one).
  Time idle_poll = 0;
  Distribution polled_wakeup_latency = Distribution::constant(0);
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
  // EEVDF only (CFS's slices are `timeslice`). A thread's slice, the service
  // it asks for before its virtual deadline: sysctl_sched_base_slice, 0.70 ms
  // since Linux 6.15 (0.75 ms before) x (1 + ilog2(min(cores, 8))) as
  // update_sysctl() scales it; negative: derive. Linux checks it at the
  // scheduler tick (entity_tick() -> update_curr() -> update_deadline()), every
  // 1/CONFIG_HZ: HZ=250 in Debian's kernels, 4 ms.
  Time base_slice = -1;
  Time scheduler_tick = 4 * sim::kMillisecond;
  // A futex-wake system call (sem_post or cond_signal with a waiter), paid
  // in CPU time by a thread that wakes another and keeps running: the old
  // GIL's holder at every check with waiters, the new GIL's taker that
  // signals switch_cond. gilsim's default; futex syscalls cost ~1 us.
  Time futex_wake = 1 * sim::kMicrosecond;
  // A FUTEX_WAKE that finds nobody asleep (glibc's sem_post makes it while
  // the semaphore counts a waiter that is awake but has not retried yet):
  // a system call's entry and exit and a hash-bucket look-up. gilsim's choice.
  Time futex_wake_nobody = 200;
  // CPU time a woken thread spends on its (idle) core after wakeup_latency and
  // before its own code runs: the kernel's switch to it, the return from the
  // system call it slept in, and that call's entry before it slept. It shows
  // as the core's switch and counts as a busy core (CPU time, as `time`
  // reports it). 0 by default: wakeup_latency then holds all of a wake-up,
  // off the core. A VM that exits to its hypervisor on every wake-up spends
  // microseconds here (a profile measures it).
  Distribution wakeup_cpu = Distribution::constant(0);
  // Linux's timer slack of a normal thread (task_struct.timer_slack_ns, 50 us
  // by default: init_task's, inherited): a futex wait with a timeout arms an
  // hrtimer with this range (kernel/futex/core.c, futex_setup_timer:
  // hrtimer_set_expires_range_ns(..., current->timer_slack_ns)). A lone timer
  // fires at the range's end, which gilsim takes for every timed wait (the new
  // GIL's COND_TIMED_WAIT): a 1 us switch interval waits 51 us. Timers that
  // expire together on one CPU fire early; gilsim does not model that.
  Time timer_slack = 50 * sim::kMicrosecond;
  // CPU time a timed wait (the new GIL's COND_TIMED_WAIT) costs its thread on
  // its core before the thread sleeps: pthread_cond_timedwait's unlock, the
  // futex system call, arming the hrtimer (futex_setup_timer,
  // hrtimer_sleeper_start_expires) and switching out. The deadline runs from
  // before the call (ceval_gil.c computes it first), so a wait whose timer is
  // due by the time this is done returns at once and its thread never leaves
  // its core: with a short switch interval and little timer slack every
  // waiter busy-waits, and N waiters compete with the GIL's holder for the
  // cores. 0 by default (the call is free and the thread sleeps at once); a
  // VM whose timer writes exit to the hypervisor spends tens of microseconds
  // here (a profile measures it).
  Time timed_wait_cpu = 0;
  // CPU time a timed wait costs its thread after the wait has ended, whether
  // it slept (woken by the signal or by its timer) or found its deadline
  // passed before it could sleep: the futex call's return, cancelling the
  // hrtimer (futex_wait -> hrtimer_cancel, destroy_hrtimer_on_stack) and
  // pthread_cond_timedwait re-locking gil->mutex, before take_gil re-checks
  // the GIL. Measured apart from timed_wait_cpu by the deadline at which a
  // call starts to sleep: Lock.acquire(True, t) with 1 ns of timer slack on a
  // 2-vCPU Intel Xeon VM costs ~28 us of CPU for every t, and sleeps only
  // from t ~ 8 us on, so ~8 us come before the sleep and ~20 us after
  // (docs/validation.md). 0 by default: all of a timed wait's CPU is
  // timed_wait_cpu.
  Time timed_wait_return_cpu = 0;
  // CPU time a thread loses to cache misses when it takes the GIL last held by
  // a thread on another core: the interpreter state, the objects both threads
  // touch and the GIL itself move between the cores' caches. Paid by the
  // taker, with the GIL held. 0 by default (a profile measures it: 2.x
  // count-down threads pinned to one core against on two).
  Time cache_refill = 0;
};

struct RuntimeConfig {
  // A version of the table in models/python_versions.cc: it decides the GIL
  // protocol, where the eval loop checks for a drop request, and a
  // free-threaded build's CPU overhead.
  std::string python = "3.12";
  // A free-threaded build with its GIL enabled again (PYTHON_GIL=1, -X gil=1).
  bool gil_enabled = false;
  // sys.setswitchinterval; DEFAULT_INTERVAL 5000 us (ceval_gil.c). Values
  // below 1 us are clamped to 1 us, as CPython does.
  Time switch_interval = 5 * sim::kMillisecond;
  // CPU time between two eval-breaker check points in pure-Python code. A
  // loop reaches one every iteration (JUMP_BACKWARD, calls), tens of ns.
  // A drop request is honoured at the next check point after it is set.
  Time eval_breaker_granularity = 100;  // ns; gilsim's choice
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
  // Pure-Python CPU time as a factor on a GIL build's; -1: the version's
  // (1 for GIL builds, more for free-threaded ones: models/python_versions.cc).
  double cpu_overhead = -1;
  // CPU time of `counter += 1` on a global: four opcodes (LOAD_GLOBAL,
  // LOAD_CONST, BINARY_ADD / INPLACE_ADD, STORE_GLOBAL) at ~15 ns each; the
  // load half ends when the value is read, the store half when it is written.
  Time increment_time = 60;

  // Costs of handing work to a pool (concurrent.futures, multiprocessing).
  // Defaults: see pool_costs() in models/lowering.cc, where each names its source.
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

  // A child process's start-up and the parent's share of Process.start(), by
  // start method: the defaults of every process group's and process pool's
  // `startup` and `start_interval` (which win when set). They are the
  // runtime's, not the machine's: multiprocessing's code and the interpreter's
  // start (spawn imports the parent's main module again) make most of them,
  // and they differ between Python versions on one machine (spawn's parent
  // share: 3.5 ms on 3.9, 1.2 ms on 3.12). -1 each: default_startup,
  // default_start_interval.
  StartMethodCosts process_startup;
  StartMethodCosts process_start_interval;
  // The parent's CPU, with the GIL held, for starting multiprocessing's
  // resource tracker, on its first Process.start() with spawn or forkserver
  // (Lib/multiprocessing/resource_tracker.py, ResourceTracker.ensure_running,
  // reached from popen_spawn_posix.Popen._launch through
  // resource_tracker.getfd(), and from ForkServer.ensure_running): one more
  // util.spawnv_passfds, a _posixsubprocess.fork_exec of the tracker's
  // interpreter, which the parent does not wait for. A process's first such
  // start costs this much more than the others (3.12 here: 1.16 ms against
  // 0.37 ms). -1: default_resource_tracker_start().
  Time resource_tracker_start = -1;
};


// `count` identical threads named NAME_0 .. NAME_{count-1} (or NAME if count is 1).
struct ThreadGroup {
  std::string name;
  int count = 1;
  Program program;
  // The cores its threads may run on (os.sched_setaffinity / taskset);
  // empty means every core.
  std::vector<int> cores;
};

// `count` identical child processes, each with its own interpreter (and GIL),
// started by the main process at time 0 (multiprocessing.Process.start()).
struct ProcessGroup {
  std::string name;
  int count = 1;
  StartMethod start_method = StartMethod::Fork;
  // CPU time of a child's start-up (creating the process, starting the
  // interpreter, importing, unpickling the target) before its threads run.
  // Defaults by start method: the median process start+join of a no-op
  // target measured on a 2-vCPU VM with CPython 3.11.7:
  // fork 13.7 ms, forkserver 87 ms, spawn 144 ms. gilsim books all of it as
  // the child's CPU work; the parent's share is start_interval.
  Time startup = -1;  // -1: the runtime's process_startup (startup_for)
  std::vector<ThreadGroup> threads;
  // The parent's share of Process.start(): the main process's main thread
  // (its first) runs it as bytecode, with the GIL held, and the child starts
  // at its end; the processes of all groups, then the process pools'
  // workers, are started one after another (models/layout.cc). With no
  // thread in the main process, they start `start_interval` apart (the
  // first at 0). -1: the runtime's process_start_interval (start_interval_for).
  Time start_interval = -1;
};

Time default_startup(StartMethod m);
Time default_resource_tracker_start();
// The runtime's resource_tracker_start, else the default.
Time resource_tracker_start_for(const RuntimeConfig& runtime);
// Whether `python`'s _posixsubprocess.fork_exec, with which spawn starts a
// child and the resource tracker, forks the parent: before 3.10 it does;
// from 3.10 it uses vfork(), which copies no page tables (bpo-35823,
// Modules/_posixsubprocess.c, do_fork_exec). A fork() of the parent costs
// what a fork start's os.fork() does, so such a version's spawn start and
// tracker start each cost process_start_interval.fork more than the
// profile's, which calibrate measures with a vfork Python.
bool fork_exec_forks(const std::string& python);
// The runtime's process_startup for `m`, else default_startup(m).
Time startup_for(const RuntimeConfig& runtime, StartMethod m);
// Process.start() in the parent, measured on a 2-vCPU AMD EPYC VM with
// CPython 3.11-3.13 (the median of 7, the machine busy): fork 0.6-0.9 ms
// (os.fork), forkserver 3.6-7.6 ms (a request to the fork server and its
// answer), spawn 8-12 ms (_posixsubprocess.fork_exec, which waits for the
// exec, then the preparation data written to the child's pipe). The same VM
// quiet (validation/process_start.py, its thread's CPU time, 2026-12-07):
// fork 0.6-1.2 ms (3.9, 3.12), spawn 1.1-1.5 ms (3.12) and 2.9-3.6 ms (3.9);
// docs/validation.md.
Time default_start_interval(StartMethod m);
// The runtime's process_start_interval for `m`, else default_start_interval(m).
Time start_interval_for(const RuntimeConfig& runtime, StartMethod m);

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
  // method (startup_for), an interpreter pool's by
  // default_interpreter_startup(); thread pools have none.
  Time startup = -1;  // -1: the default
  // A process pool's workers are started one after another by the parent
  // (multiprocessing.pool.Pool._repopulate_pool_static: a loop of
  // Process.start()), each this much of the parent's main thread's CPU (as
  // ProcessGroup::start_interval). -1: the runtime's, by start method
  // (start_interval_for); thread, interpreter and Celery pools have none.
  Time start_interval = -1;
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
  // programs): the loader sets it from the `serve` operations.
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
  // A run that has not ended by this simulated time is stopped (and reported):
  // protects against scenarios that would never finish.
  Time time_limit = 3600 * sim::kSecond;
};

}  // namespace models
