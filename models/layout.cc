#include "models/layout.h"


namespace models {

namespace {

void add_group(Layout& out, const ThreadGroup& g, const std::string& prefix, int interpreter) {
  const std::string group = prefix + g.name;
  for (int i = 0; i < g.count; ++i) {
    ThreadSpec t;
    t.name = g.count == 1 ? group : group + "_" + std::to_string(i);
    t.group = group;
    t.group_size = g.count;
    t.interpreter = interpreter;
    t.spec = &g;
    out.threads.push_back(std::move(t));
  }
}

// Operations before a thread's own program: the main thread's shares of the
// process starts; a child's process start-up, and the wait for its turn to
// be started before it.
std::uint32_t prefix_ops(const ThreadSpec& t) {
  const auto starts = static_cast<std::uint32_t>(t.starts.size());
  if (t.startup <= 0) return starts;
  return starts + (t.start_delay > 0 ? 2 : 1);
}

// The main process starts its children and its process pools' workers one
// after another, in its main thread: multiprocessing.Process.start()
// (Lib/multiprocessing/process.py) runs Popen._launch in the caller, and
// Pool.__init__ calls _repopulate_pool_static (Lib/multiprocessing/pool.py),
// a loop of Process.start(). The parent's share of a start is Python and C
// code with the GIL held: popen_fork.Popen._launch calls os.fork(), which
// keeps the GIL across fork() (Modules/posixmodule.c, os_fork_impl: no
// Py_BEGIN_ALLOW_THREADS; PyOS_BeforeFork takes the import lock);
// popen_spawn_posix.Popen._launch pickles the preparation data and the
// process object, then util.spawnv_passfds calls
// _posixsubprocess.fork_exec, which keeps the GIL across fork() or vfork()
// (Modules/_posixsubprocess.c, subprocess_fork_exec_impl; with vfork the
// parent is suspended until the child's exec), and writes the pickles to the
// child's pipe. The child's own start-up runs in the child, after that.
class Starter {
 public:
  explicit Starter(bool has_main_thread) : main_thread_(has_main_thread) {}

  // The process whose threads are `threads` (its first is its main thread)
  // is started next, its parent's share taking `interval`.
  void start(std::vector<ThreadSpec>& all, std::size_t first, std::size_t end, Time interval) {
    if (!main_thread_) {
      // Nobody in the main process to book the share to: the processes start
      // at fixed times, each after the parent's shares of those before it.
      all[first].start_delay = busy_;
      busy_ += interval;
      return;
    }
    // The share is booked as the main thread's CPU work (models/python_threads.cc,
    // Op::starts); the process starts at its end. One with no share starts
    // with the one before it (or at 0).
    if (interval > 0) shares_.push_back(interval);
    if (shares_.empty()) return;
    // With a start-up, the process's other threads wait for its main
    // thread's (started_by = first); without, all of them start at once.
    const std::size_t last = all[first].startup > 0 ? first + 1 : end;
    for (std::size_t t = first; t < last; ++t) {
      all[t].started_by = 0;
      all[t].start_group = static_cast<int>(shares_.size()) - 1;
    }
  }

  // The main thread's shares, for its program's prefix.
  std::vector<Time> shares() && { return std::move(shares_); }

 private:
  bool main_thread_;
  Time busy_ = 0;
  std::vector<Time> shares_;
};

// The parent's share of each start, in the order of the starts: the start
// method's process_start_interval (or the group's or pool's own
// start_interval), and on the first spawn or forkserver start the resource
// tracker's start too; a Python whose fork_exec forks (before 3.10) pays a
// fork start's share more for each fork_exec, the child's and the tracker's
// (models/config.h, fork_exec_forks). A group's own start_interval is taken
// as measured, whole.
class StartShares {
 public:
  explicit StartShares(const RuntimeConfig& runtime)
      : runtime_(runtime), fork_(fork_exec_forks(runtime.python) ? start_interval_for(runtime, StartMethod::Fork) : 0) {}

  Time next(StartMethod m, Time own_interval) {
    Time share = own_interval >= 0 ? own_interval : start_interval_for(runtime_, m);
    if (own_interval < 0 && m == StartMethod::Spawn) share += fork_;
    if (m != StartMethod::Fork && !tracker_started_) {
      tracker_started_ = true;
      share += resource_tracker_start_for(runtime_) + fork_;
    }
    return share;
  }

 private:
  const RuntimeConfig& runtime_;
  Time fork_;
  bool tracker_started_ = false;
};

Layout layout(const SimulationConfig& config, const std::vector<PoolThreads>& pools, const QueueIds& queues) {
  Layout out;
  for (const auto& g : config.threads) add_group(out, g, "", 0);
  // The main process's first thread is its main thread (as a child's first
  // thread is the child's): it starts the processes, children first, then
  // the process pools' workers, each in the order written.
  Starter starter(!out.threads.empty());
  StartShares shares(config.runtime);
  for (const auto& p : config.processes) {
    for (int i = 0; i < p.count; ++i) {
      ProcessSpec proc{p.count == 1 ? p.name : p.name + "_" + std::to_string(i), p.name, p.count};
      const int interpreter = static_cast<int>(out.processes.size()) + 1;
      const std::size_t first = out.threads.size();
      for (const auto& g : p.threads) add_group(out, g, proc.name + "_", interpreter);
      // The process's first thread is its main thread: it runs the start-up,
      // and the others are started once it is done.
      out.threads[first].startup = p.startup >= 0 ? p.startup : startup_for(config.runtime, p.start_method);
      if (out.threads[first].startup > 0)  // with no start-up, all start at once
        for (std::size_t t = first + 1; t < out.threads.size(); ++t)
          out.threads[t].started_by = static_cast<int>(first);
      starter.start(out.threads, first, out.threads.size(), shares.next(p.start_method, p.start_interval));
      out.processes.push_back(std::move(proc));
    }
  }
  for (std::size_t pi = 0; pi < config.pools.size(); ++pi) {
    const PoolConfig& pool = config.pools[pi];
    const PoolThreads& pool_threads = pools[pi];
    const std::size_t handlers = out.threads.size();  // a process pool's feeder and result threads
    if (pool.kind == PoolKind::Process) {
      add_group(out, *pool_threads.feeder, "", 0);
      out.threads.back().service = true;
      add_group(out, *pool_threads.results, "", 0);
      out.threads.back().service = true;
    }
    const ThreadGroup* workers = pool_threads.workers.get();
    if (pool.kind == PoolKind::Thread) {
      add_group(out, *workers, "", 0);
    } else {
      // Celery workers are started before the run (a separate service).
      const Time startup = pool.startup >= 0                     ? pool.startup
                           : pool.kind == PoolKind::Interpreter ? default_interpreter_startup()
                           : pool.kind == PoolKind::Celery      ? 0
                                                                : startup_for(config.runtime, pool.start_method);
      // multiprocessing.pool.Pool._repopulate_pool_static starts the workers
      // in a loop, each Process.start() in the parent before the next.
      // Interpreter and Celery pools' workers start at 0.
      const std::size_t first = out.threads.size();
      add_group(out, *workers, "", 0);
      for (std::size_t t = first; t < out.threads.size(); ++t) {
        ProcessSpec proc{out.threads[t].name, pool.name, pool.workers, true, pool.kind == PoolKind::Interpreter};
        out.threads[t].interpreter = static_cast<int>(out.processes.size()) + 1;
        out.threads[t].startup = startup;
        if (pool.kind == PoolKind::Process)
          starter.start(out.threads, t, t + 1, shares.next(pool.start_method, pool.start_interval));
        out.threads[t].loop_from = prefix_ops(out.threads[t]);
        out.processes.push_back(std::move(proc));
      }
      // Pool.__init__ starts its handler threads (the task handler, here the
      // feeder, and the result handler) after _repopulate_pool(): with the
      // last worker.
      if (pool.kind == PoolKind::Process && pool.workers > 0) {
        const ThreadSpec& last = out.threads.back();
        for (std::size_t t = handlers; t < first; ++t) {
          out.threads[t].started_by = last.started_by;
          out.threads[t].start_group = last.start_group;
        }
      }
    }
    for (std::size_t t = out.threads.size() - static_cast<std::size_t>(pool.workers); t < out.threads.size(); ++t)
      out.threads[t].service = true;
  }
  if (!out.threads.empty()) out.threads.front().starts = std::move(starter).shares();
  // A server's threads: one that ends in `serve` loops over its last three
  // operations (take, handle, respond); an asyncio loop that serves a stream
  // never returns. Neither keeps the run going.
  for (ThreadSpec& thread : out.threads) {
    const Program& p = thread.spec->program;
    for (std::uint32_t i = 0; i < p.size(); ++i) {
      if (p[i].kind == OpKind::TakeItem && queues.is_listen(p[i].index)) {
        thread.service = true;
        thread.loop_from = i + prefix_ops(thread);
      }
      if (p[i].kind == OpKind::Asyncio && p[i].serve >= 0) thread.service = true;
    }
  }
  // What each thread runs: a child process's main thread (and a pool
  // process's worker) first runs its process's start-up (starting the
  // interpreter, imports, unpickling the target), booked as CPU work of its
  // own interpreter.
  for (ThreadSpec& thread : out.threads) {
    thread.program = &thread.spec->program;
    if (!thread.starts.empty()) {
      // The main thread's shares of the starts: Python with the GIL held (see
      // Starter), each starting its group's process when it ends.
      Program& p = out.startup_programs.emplace_back();
      for (std::size_t k = 0; k < thread.starts.size(); ++k) {
        Op share;
        share.kind = OpKind::Cpu;
        share.duration = sim::Distribution::constant(thread.starts[k]);
        share.starts = static_cast<std::int32_t>(k);
        p.push_back(std::move(share));
      }
      p.insert(p.end(), thread.spec->program.begin(), thread.spec->program.end());
      link_repeats(p);
      thread.program = &p;
      continue;
    }
    if (thread.startup <= 0) continue;
    Op startup;
    startup.kind = OpKind::Cpu;
    startup.duration = sim::Distribution::constant(thread.startup);
    startup.process_startup = true;
    Program& p = out.startup_programs.emplace_back(Program{startup});
    if (thread.start_delay > 0) {
      // Not started yet: the parent is starting the processes before it. It
      // shows as the process sleeping (it holds no core and no GIL).
      Op wait;
      wait.kind = OpKind::Sleep;
      wait.duration = sim::Distribution::constant(thread.start_delay);
      p.insert(p.begin(), wait);
    }
    p.insert(p.end(), thread.spec->program.begin(), thread.spec->program.end());
    link_repeats(p);
    thread.program = &p;
  }
  for (std::size_t t = 0; t < out.threads.size(); ++t) {
    const ThreadSpec& thread = out.threads[t];
    const bool prefixed = thread.group_size > 1 || thread.interpreter > 0;
    const std::string prefix = prefixed ? thread.name + "_" : "";
    for (const Op& op : thread.spec->program) {
      if (op.kind != OpKind::Asyncio) continue;
      for (const TaskGroup& g : op.tasks)
        for (int i = 0; i < g.count; ++i)
          out.tasks.push_back(TaskSpec{prefix + (g.count == 1 ? g.name : g.name + "_" + std::to_string(i)),
                                       prefix + g.name, g.count, static_cast<int>(t), op.index});
    }
  }
  return out;
}

}  // namespace

Layout make_layout(const LoweredConfig& lowered) { return layout(lowered.config, lowered.pools, lowered.queues); }

NamedLayout name_layout(const SimulationConfig& config) {
  NamedLayout out;
  const QueueIds queues{static_cast<std::uint32_t>(config.pools.size()),
                        static_cast<std::uint32_t>(config.requests.size())};
  out.pools = lower_pools(config, queues);
  out.layout = layout(config, out.pools, queues);
  return out;
}

}  // namespace models
