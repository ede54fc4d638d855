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

// Operations before a thread's own program: its process's start-up, and the
// wait for its turn to be started before it.
std::uint32_t prefix_ops(const ThreadSpec& t) {
  if (t.startup <= 0) return 0;
  return t.start_delay > 0 ? 2 : 1;
}

Layout layout(const SimulationConfig& config, const std::vector<PoolThreads>& pools, const QueueIds& queues) {
  Layout out;
  for (const auto& g : config.threads) add_group(out, g, "", 0);
  // The main process starts its children one after another (a loop of
  // Process.start()): each waits for the parent's share of the starts before it.
  Time parent_busy = 0;
  for (const auto& p : config.processes) {
    const Time interval = p.start_interval >= 0 ? p.start_interval : default_start_interval(p.start_method);
    for (int i = 0; i < p.count; ++i) {
      ProcessSpec proc{p.count == 1 ? p.name : p.name + "_" + std::to_string(i), p.name, p.count};
      const int interpreter = static_cast<int>(out.processes.size()) + 1;
      const std::size_t first = out.threads.size();
      for (const auto& g : p.threads) add_group(out, g, proc.name + "_", interpreter);
      // The process's first thread is its main thread: it runs the start-up,
      // and the others are started once it is done.
      out.threads[first].startup = p.startup >= 0 ? p.startup : default_startup(p.start_method);
      out.threads[first].start_delay = parent_busy;
      parent_busy += interval;
      if (out.threads[first].startup > 0)  // with no start-up, all start at once
        for (std::size_t t = first + 1; t < out.threads.size(); ++t)
          out.threads[t].started_by = static_cast<int>(first);
      out.processes.push_back(std::move(proc));
    }
  }
  for (std::size_t pi = 0; pi < config.pools.size(); ++pi) {
    const PoolConfig& pool = config.pools[pi];
    const PoolThreads& pool_threads = pools[pi];
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
                                                                : default_startup(pool.start_method);
      // multiprocessing.pool.Pool._repopulate_pool_static starts the workers
      // in a loop, each Process.start() in the parent before the next.
      const Time interval = pool.kind != PoolKind::Process ? 0
                            : pool.start_interval >= 0   ? pool.start_interval
                                                         : default_start_interval(pool.start_method);
      const std::size_t first = out.threads.size();
      add_group(out, *workers, "", 0);
      for (std::size_t t = first; t < out.threads.size(); ++t) {
        out.threads[t].start_delay = static_cast<Time>(t - first) * interval;
        ProcessSpec proc{out.threads[t].name, pool.name, pool.workers, true, pool.kind == PoolKind::Interpreter};
        out.threads[t].interpreter = static_cast<int>(out.processes.size()) + 1;
        out.threads[t].startup = startup;
        out.threads[t].loop_from = prefix_ops(out.threads[t]);
        out.processes.push_back(std::move(proc));
      }
    }
    for (std::size_t t = out.threads.size() - static_cast<std::size_t>(pool.workers); t < out.threads.size(); ++t)
      out.threads[t].service = true;
  }
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
