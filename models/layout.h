// Every thread, process and asyncio task of a run, flattened and named, from
// a lowered config (models/lowering.h): what the thread model builds its
// state from, and what metric names and trace tracks are named after.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <vector>

#include "models/config.h"
#include "models/lowering.h"

namespace models {

// The main process's threads, then each child process's in order, then the
// pools' threads. Names are the metric names' (threads.NAME.*): a thread of a
// child process is "PROCESS_THREAD" (PROCESS with its `_i` when the process
// group has several), and a replicated group's threads get `_j` as everywhere.
struct ThreadSpec {
  std::string name;
  std::string group;      // the replicated group's name (metrics sum over it)
  int group_size = 1;
  int interpreter = 0;    // 0: the main process; i: processes[i - 1]
  const ThreadGroup* spec = nullptr;
  const Program* program = nullptr;  // what it runs: its group's, after its process's start-up if any
  sim::Time startup = 0;  // > 0: it first runs its process's start-up
  // The parent starts processes one after another. When the main process
  // has no thread to book its share of the starts to, this process's
  // start-up begins this late (the parent's shares of the starts before it).
  sim::Time start_delay = 0;
  // The thread that starts this one, or -1 (it starts at 0): with
  // start_group -1, the thread whose process start-up must finish first (a
  // child's other threads wait for its main thread's); with start_group k,
  // the main process's main thread, at the end of its share of the k-th
  // Process.start() (the operation whose Op::starts is k).
  int started_by = -1;
  int start_group = -1;
  // The main process's main thread: its share of each Process.start(), in
  // the order of the start groups, run before its own program.
  std::vector<sim::Time> starts;
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
// An asyncio task: the `tasks` entry of the `ordinal`-th `asyncio` operation
// in thread `thread`'s program (its Op::index). Named as written, or
// THREAD_NAME when its thread is one of a replicated group or in a child
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
  // A child's main thread's program: its process's start-up, then its own.
  std::deque<Program> startup_programs;
  int interpreters() const { return static_cast<int>(processes.size()) + 1; }
};

// The layout of a lowered config (the run plan makes it; it holds both).
Layout make_layout(const LoweredConfig& lowered);

// The threads, processes and tasks of a config that may not be lowered, and
// may name pools or resources it does not define (the top level of a file
// whose variants define them), named as a run would name them: for the
// loader's checks of names and counts. Which threads are servers' is not
// known before lowering.
struct NamedLayout {
  std::vector<PoolThreads> pools;  // what `layout` points into
  Layout layout;
};
NamedLayout name_layout(const SimulationConfig& config);

}  // namespace models
