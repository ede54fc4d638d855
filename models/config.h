// The options struct of one simulation run (one variant of a scenario): what
// the scenario loader produces and the models consume. Every default names its
// source; docs/gil-model.md (shared/docs/gil-model.md) has the details.
#pragma once

#include <cstdint>
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
  Time context_switch = 2 * sim::kMicrosecond;
  // From a wake-up (I/O done, condvar signalled, timer) to running, when a core
  // is idle: futex wake + scheduler + cache refill. gilsim's default, same
  // order as the ~24 us thread ping-pong (2 wake-ups + 2 hand-offs) measured on
  // CPython 3.11 (gil-model.md §4).
  Time wakeup_latency = 10 * sim::kMicrosecond;
  // OS time slice when more threads are runnable than cores: CFS
  // min_granularity 0.75 ms x (1 + ilog2(min(cpus, 8))) = 3 ms on >= 8 CPUs
  // (kernel/sched/fair.c, pre-6.6). gilsim uses a fixed slice (round robin).
  Time timeslice = 3 * sim::kMillisecond;
};

enum class GilKind {
  NewGil,   // 3.2 .. 3.14 GIL builds: ceval_gil.c
  OldGil,   // 2.x: check interval in ticks (not modelled yet)
  NoGil,    // free-threaded 3.13t / 3.14t (not modelled yet)
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
};

struct Op {
  OpKind kind = OpKind::Cpu;
  Distribution duration;     // Cpu, Native*, Io, Sleep
  std::int64_t count = 0;    // RepeatBegin
  std::uint32_t jump = 0;    // RepeatBegin / RepeatEnd
};

using Program = std::vector<Op>;

// `count` identical threads named NAME_0 .. NAME_{count-1} (or NAME if count is 1).
struct ThreadGroup {
  std::string name;
  int count = 1;
  Program program;
};

struct SimulationConfig {
  std::uint64_t seed = 1;
  MachineConfig machine;
  RuntimeConfig runtime;
  std::vector<ThreadGroup> threads;
  // A run that has not ended by this simulated time is stopped (and reported):
  // protects against scenarios that would never finish.
  Time time_limit = 3600 * sim::kSecond;
};

}  // namespace models
