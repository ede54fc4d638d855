#include "models/config.h"

#include <algorithm>
#include <stdexcept>

namespace models {

namespace {

std::uint32_t index_of(std::vector<std::string>& names, const std::string& name) {
  auto it = std::find(names.begin(), names.end(), name);
  if (it == names.end()) {
    names.push_back(name);
    return static_cast<std::uint32_t>(names.size() - 1);
  }
  return static_cast<std::uint32_t>(it - names.begin());
}

template <typename T>
std::uint32_t index_by_name(const std::vector<T>& items, const std::string& name) {
  for (std::size_t i = 0; i < items.size(); ++i)
    if (items[i].name == name) return static_cast<std::uint32_t>(i);
  throw std::invalid_argument("no pool or resource named '" + name + "'");  // the loader checks names
}

Op cost_op(OpKind kind, Time per_call, Sized sized = Sized::None, double per_byte = 0) {
  Op o;
  o.kind = kind;
  o.duration = Distribution::constant(per_call);
  o.sized = sized;
  o.per_byte = per_byte;
  return o;
}
Op queue_op(OpKind kind, std::uint32_t queue) {
  Op o;
  o.kind = kind;
  o.index = queue;
  return o;
}

// RepeatBegin/RepeatEnd jumps, after operations were inserted.
void fix_jumps(Program& program) {
  std::vector<std::uint32_t> open;
  for (std::uint32_t i = 0; i < program.size(); ++i) {
    if (program[i].kind == OpKind::RepeatBegin) open.push_back(i);
    if (program[i].kind == OpKind::RepeatEnd) {
      program[i].jump = open.back();
      program[open.back()].jump = i;
      open.pop_back();
    }
  }
}

// submit(f) as the submitting thread runs it: the Python code of submit(),
// then (interpreter pools) pickling the call for the other interpreter, then
// the queue put. A process pool's pickling is done by its feeder thread.
// A round trip to a Celery pool's broker: a blocking call (redis-py) or, in
// a task, an awaited one (an asyncio client), queued for the broker's capacity.
Op broker_op(OpKind kind, const PoolConfig& pool) {
  Op o;
  o.kind = kind;
  o.duration = Distribution::constant(pool.broker_latency >= 0 ? pool.broker_latency : default_broker_latency());
  o.uses_resource = true;
  o.object = pool.broker;
  o.index = pool.broker_index;
  return o;
}

// submit(f) as the submitting thread runs it: the Python code of submit(),
// then (interpreter pools) pickling the call for the other interpreter, then
// the queue put. A process pool's pickling is done by its feeder thread.
// Celery's apply_async() builds and serializes the message in the caller and
// publishes it with a blocking round trip to the broker (kombu over redis-py).
void append_submit(Program& out, const Op& submit, const PoolConfig& pool, const PoolCosts& c) {
  Op item;
  item.kind = OpKind::NewItem;
  item.index = submit.index;
  item.body = submit.body;
  item.args_bytes = submit.args_bytes;
  item.result_bytes = submit.result_bytes;
  item.map = submit.map;
  item.detached = submit.detached;
  if (pool.kind == PoolKind::Celery) {
    out.push_back(cost_op(OpKind::Cpu, pool.publish_cost >= 0 ? pool.publish_cost : default_publish_cost()));
    out.push_back(std::move(item));
    out.push_back(broker_op(OpKind::Io, pool));
    out.push_back(queue_op(OpKind::Forward, pool_queue(submit.index, PoolQueue::Entry)));
    return;
  }
  out.push_back(cost_op(OpKind::Cpu, submit_cost_for(c, pool.kind)));
  out.push_back(std::move(item));
  if (pool.kind == PoolKind::Interpreter)
    out.push_back(cost_op(OpKind::NativeHeld, c.pickle_per_call, Sized::Args, c.pickle_per_byte));
  out.push_back(queue_op(OpKind::Forward, pool_queue(submit.index, PoolQueue::Entry)));
}

// Awaiting a Celery result from a task: `while not r.ready(): await
// asyncio.sleep(poll_interval)`, each ready() an awaited GET on the broker.
void append_poll(Program& out, const PoolConfig& pool, const PoolCosts& c) {
  const auto check = static_cast<std::uint32_t>(out.size());
  out.push_back(broker_op(OpKind::AwaitIo, pool));
  if (c.loop_step > 0) out.push_back(cost_op(OpKind::Cpu, c.loop_step));  // the step that resumes it
  Op poll;
  poll.kind = OpKind::PollResult;
  poll.duration = Distribution::constant(pool.poll_interval >= 0 ? pool.poll_interval : default_poll_interval());
  poll.jump = check;
  out.push_back(std::move(poll));
}

// Rewrites the scenario-level pool and asyncio operations into the
// primitive ones the threads execute, and names into indexes.
void lower(const SimulationConfig& config, Program& program, bool in_task, std::uint32_t* asyncio_ops = nullptr) {
  const PoolCosts c = pool_costs(config.runtime);
  Program out;
  out.reserve(program.size());
  if (in_task && c.loop_step > 0) out.push_back(cost_op(OpKind::Cpu, c.loop_step));  // the task's first step
  for (Op& op : program) {
    if (op.kind == OpKind::Io || op.kind == OpKind::AwaitIo)
      if (op.uses_resource) op.index = index_by_name(config.resources, op.object);
    lower(config, op.body, false);
    switch (op.kind) {
      case OpKind::Submit: {
        op.index = index_by_name(config.pools, op.object);
        const PoolConfig& pool = config.pools[op.index];
        if (op.count > 1) {
          Op begin;
          begin.kind = OpKind::RepeatBegin;
          begin.count = op.count;
          out.push_back(begin);
        }
        append_submit(out, op, pool, c);
        if (op.count > 1) {
          Op end;
          end.kind = OpKind::RepeatEnd;
          out.push_back(end);
        }
        if (op.map) {
          Op wait;
          wait.kind = OpKind::WaitBatch;
          out.push_back(wait);
        }
        continue;
      }
      case OpKind::ToThread: {
        op.index = index_by_name(config.pools, op.object);
        const PoolConfig& pool = config.pools[op.index];
        append_submit(out, op, pool, c);
        if (pool.kind == PoolKind::Celery) {
          append_poll(out, pool, c);
          continue;
        }
        Op wait;
        wait.kind = OpKind::AwaitFuture;
        out.push_back(wait);
        if (c.loop_step > 0) out.push_back(cost_op(OpKind::Cpu, c.loop_step));
        continue;
      }
      case OpKind::Serve: {  // a server thread's loop: accept, handle, respond, for ever
        const auto stream = op.index;
        Op run;
        run.kind = OpKind::RunBody;
        Op respond;
        respond.kind = OpKind::Complete;
        out.push_back(queue_op(OpKind::TakeItem, listen_queue(config, stream)));
        out.push_back(run);
        out.push_back(respond);
        continue;
      }
      case OpKind::Asyncio:
        if (asyncio_ops) op.index = (*asyncio_ops)++;
        if (op.count == 0)  // not lowered yet (lower_programs may run twice)
          for (TaskGroup& t : op.tasks) lower(config, t.program, true);
        op.count = 1;
        out.push_back(std::move(op));
        continue;
      case OpKind::AwaitIo:
      case OpKind::AwaitSleep:
        out.push_back(std::move(op));
        if (c.loop_step > 0) out.push_back(cost_op(OpKind::Cpu, c.loop_step));  // the step that resumes it
        continue;
      default:
        out.push_back(std::move(op));
    }
  }
  program = std::move(out);
  fix_jumps(program);
}

void index_program(SimulationConfig& config, Program& program) {
  for (auto& op : program) {
    if (op.kind == OpKind::LockAcquire || op.kind == OpKind::LockRelease)
      op.index = index_of(config.locks, op.object);
    if (op.kind == OpKind::IncrementLoad || op.kind == OpKind::IncrementStore)
      op.index = index_of(config.counters, op.object);
    index_program(config, op.body);
    for (auto& t : op.tasks) index_program(config, t.program);
  }
}

// The program of a pool's threads, as concurrent.futures runs them
// (Lib/concurrent/futures/process.py, thread.py; multiprocessing/queues.py):
// each serves work items for ever.
std::unique_ptr<ThreadGroup> worker_group(const PoolConfig& pool, std::size_t index, const PoolCosts& c) {
  auto g = std::make_unique<ThreadGroup>();
  g->name = pool.name;
  g->count = pool.workers;
  g->cores = pool.cores;
  Program& p = g->program;
  const auto pickle = [&](Sized s) { return cost_op(OpKind::NativeHeld, c.pickle_per_call, s, c.pickle_per_byte); };
  const auto pipe = [&](Sized s) { return cost_op(OpKind::NativeReleased, c.ipc_per_call, s, c.ipc_per_byte); };
  Op run;
  run.kind = OpKind::RunBody;
  Op complete;
  complete.kind = OpKind::Complete;
  switch (pool.kind) {
    case PoolKind::Process:  // process.py _process_worker: call_queue.get(), run, result_queue.put()
      p = {queue_op(OpKind::TakeItem, pool_queue(index, PoolQueue::Call)), pipe(Sized::Args), pickle(Sized::Args),
           run, pickle(Sized::Result), pipe(Sized::Result),
           queue_op(OpKind::Forward, pool_queue(index, PoolQueue::Results))};
      break;
    case PoolKind::Thread:  // thread.py _worker: work_queue.get(), run, future.set_result()
      p = {queue_op(OpKind::TakeItem, pool_queue(index, PoolQueue::Entry)), run, complete};
      break;
    case PoolKind::Interpreter:  // interpreter.py: unpickle in the sub-interpreter, run, pickle back
      p = {queue_op(OpKind::TakeItem, pool_queue(index, PoolQueue::Entry)), pickle(Sized::Args), run,
           pickle(Sized::Result), complete};
      break;
    case PoolKind::Celery:  // a worker process: fetch the job from the broker, decode, run, encode, store the result
      p = {queue_op(OpKind::TakeItem, pool_queue(index, PoolQueue::Entry)), broker_op(OpKind::Io, pool),
           pickle(Sized::Args), run, pickle(Sized::Result), broker_op(OpKind::Io, pool), complete};
      break;
  }
  return g;
}

// A process pool's two threads in the parent: the queue feeder
// (multiprocessing/queues.py Queue._feed: pickles and writes each call) and
// the result side (process.py _ExecutorManagerThread: reads and unpickles
// each result, sets the future).
std::unique_ptr<ThreadGroup> feeder_group(const PoolConfig& pool, std::size_t index, const PoolCosts& c) {
  auto g = std::make_unique<ThreadGroup>();
  g->name = pool.name + "_feeder";
  g->program = {queue_op(OpKind::TakeItem, pool_queue(index, PoolQueue::Entry)),
                cost_op(OpKind::NativeHeld, c.pickle_per_call, Sized::Args, c.pickle_per_byte),
                cost_op(OpKind::NativeReleased, c.ipc_per_call, Sized::Args, c.ipc_per_byte),
                queue_op(OpKind::Forward, pool_queue(index, PoolQueue::Call))};
  return g;
}
std::unique_ptr<ThreadGroup> results_group(const PoolConfig& pool, std::size_t index, const PoolCosts& c) {
  auto g = std::make_unique<ThreadGroup>();
  g->name = pool.name + "_results";
  Op complete;
  complete.kind = OpKind::Complete;
  g->program = {queue_op(OpKind::TakeItem, pool_queue(index, PoolQueue::Results)),
                cost_op(OpKind::NativeReleased, c.ipc_per_call, Sized::Result, c.ipc_per_byte),
                cost_op(OpKind::NativeHeld, c.pickle_per_call, Sized::Result, c.pickle_per_byte), complete};
  return g;
}

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

}  // namespace

Time default_startup(StartMethod m) {
  switch (m) {
    case StartMethod::Fork:
      return 13'700 * sim::kMicrosecond;
    case StartMethod::Forkserver:
      return 87 * sim::kMillisecond;
    case StartMethod::Spawn:
      return 144 * sim::kMillisecond;
  }
  return 0;
}

Layout layout(const SimulationConfig& config) {
  Layout out;
  for (const auto& g : config.threads) add_group(out, g, "", 0);
  for (const auto& p : config.processes) {
    for (int i = 0; i < p.count; ++i) {
      ProcessSpec proc{p.count == 1 ? p.name : p.name + "_" + std::to_string(i), p.name, p.count};
      const int interpreter = static_cast<int>(out.processes.size()) + 1;
      const std::size_t first = out.threads.size();
      for (const auto& g : p.threads) add_group(out, g, proc.name + "_", interpreter);
      // The process's first thread is its main thread: it runs the start-up,
      // and the others are started once it is done.
      out.threads[first].startup = p.startup >= 0 ? p.startup : default_startup(p.start_method);
      if (out.threads[first].startup > 0)  // with no start-up, all start at once
        for (std::size_t t = first + 1; t < out.threads.size(); ++t)
          out.threads[t].started_by = static_cast<int>(first);
      out.processes.push_back(std::move(proc));
    }
  }
  const PoolCosts costs = pool_costs(config.runtime);
  for (std::size_t pi = 0; pi < config.pools.size(); ++pi) {
    const PoolConfig& pool = config.pools[pi];
    if (pool.kind == PoolKind::Process) {
      out.pool_programs.push_back(feeder_group(pool, pi, costs));
      add_group(out, *out.pool_programs.back(), "", 0);
      out.threads.back().service = true;
      out.pool_programs.push_back(results_group(pool, pi, costs));
      add_group(out, *out.pool_programs.back(), "", 0);
      out.threads.back().service = true;
    }
    auto workers = worker_group(pool, pi, costs);
    if (pool.kind == PoolKind::Thread) {
      add_group(out, *workers, "", 0);
    } else {
      // Celery workers are started before the run (a separate service).
      const Time startup = pool.startup >= 0                     ? pool.startup
                           : pool.kind == PoolKind::Interpreter ? default_interpreter_startup()
                           : pool.kind == PoolKind::Celery      ? 0
                                                                : default_startup(pool.start_method);
      const std::size_t first = out.threads.size();
      add_group(out, *workers, "", 0);
      for (std::size_t t = first; t < out.threads.size(); ++t) {
        ProcessSpec proc{out.threads[t].name, pool.name, pool.workers, true, pool.kind == PoolKind::Interpreter};
        out.threads[t].interpreter = static_cast<int>(out.processes.size()) + 1;
        out.threads[t].startup = startup;
        out.threads[t].loop_from = startup > 0 ? 1 : 0;
        out.processes.push_back(std::move(proc));
      }
    }
    for (std::size_t t = out.threads.size() - static_cast<std::size_t>(pool.workers); t < out.threads.size(); ++t)
      out.threads[t].service = true;
    out.pool_programs.push_back(std::move(workers));
  }
  // A server's threads: one that ends in `serve` loops over its last three
  // operations (take, handle, respond); an asyncio loop that serves a stream
  // never returns. Neither keeps the run going.
  const auto first_listen = static_cast<std::uint32_t>(3 * config.pools.size());
  for (ThreadSpec& thread : out.threads) {
    const Program& p = thread.spec->program;
    for (std::uint32_t i = 0; i < p.size(); ++i) {
      if (p[i].kind == OpKind::TakeItem && p[i].index >= first_listen) {
        thread.service = true;
        thread.loop_from = i + (thread.startup > 0 ? 1 : 0);
      }
      if (p[i].kind == OpKind::Asyncio && p[i].serve >= 0) thread.service = true;
    }
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

void index_shared_objects(SimulationConfig& config) {
  config.locks.clear();
  config.counters.clear();
  for (auto& group : config.threads) {
    std::uint32_t asyncio_ops = 0;
    lower(config, group.program, false, &asyncio_ops);
    index_program(config, group.program);
  }
  for (auto& p : config.processes)
    for (auto& group : p.threads) {
      std::uint32_t asyncio_ops = 0;
      lower(config, group.program, false, &asyncio_ops);
      index_program(config, group.program);
    }
  // What a request does runs as a task of the loop that serves it, or on the
  // server thread that took it.
  for (auto& stream : config.requests)
    for (auto& type : stream.mix) {
      lower(config, type.program, stream.async);
      index_program(config, type.program);
    }
}

// Defaults: measured on this project's 2-vCPU machine with CPython 3.12.1 by
// analysis/calibration/measure_costs.py (analysis/calibration/RESULTS.md).
PoolCosts pool_costs(const RuntimeConfig& r) {
  PoolCosts c;
  // submit() in bursts of 1000: 5.3 us a call to a ThreadPoolExecutor (pinned
  // to one CPU, so without cross-CPU wake-ups), 14.9 us to a
  // ProcessPoolExecutor (work item, pending dict, waking its manager thread).
  // gilsim uses one value unless the scenario sets it: see submit_cost_for().
  c.submit = r.submit_cost;
  // pickle.dumps + loads of a call tuple: 2.07 us, so 1 us for each half;
  // bytes: 0.04 ns/B up to 4 MB, 0.7 ns/B from 1 to 16 MB, for both halves:
  // 0.35 ns/B each. Python objects cost more (a list of floats: 5.7 ns per
  // pickled byte), which a scenario sets with pickle_per_byte.
  c.pickle_per_call = r.pickle_per_call >= 0 ? r.pickle_per_call : 1 * sim::kMicrosecond;
  c.pickle_per_byte = r.pickle_per_byte >= 0 ? r.pickle_per_byte : 0.35;
  // A multiprocessing pipe round trip pinned to one CPU (2 writes, 2 reads,
  // 2 switches): 11 us, so 2 us for a write or a read; one-way 1 MB 0.30
  // ns/B, 16 MB 1.28 ns/B for write + read: 0.3 ns/B each.
  c.ipc_per_call = r.ipc_per_call >= 0 ? r.ipc_per_call : 2 * sim::kMicrosecond;
  c.ipc_per_byte = r.ipc_per_byte >= 0 ? r.ipc_per_byte : 0.3;
  // One `await asyncio.sleep(0)` iteration: 2.43 us.
  c.loop_step = r.loop_step >= 0 ? r.loop_step : 2500;
  return c;
}

Time submit_cost_for(const PoolCosts& c, PoolKind kind) {
  if (c.submit >= 0) return c.submit;
  return kind == PoolKind::Process ? 15 * sim::kMicrosecond : 5 * sim::kMicrosecond;
}

// A round trip to a broker on the local network (Redis: a few hundred us
// including the client's and server's work). gilsim's choice.
Time default_broker_latency() { return 300 * sim::kMicrosecond; }
// How often a waiting coroutine asks whether its job is done. gilsim's choice
// (a typical `await asyncio.sleep(0.01)` polling loop).
Time default_poll_interval() { return 10 * sim::kMillisecond; }
// apply_async(): building the message, serializing it and kombu's Python
// code before the network write. gilsim's choice, of the order of 100 us.
Time default_publish_cost() { return 150 * sim::kMicrosecond; }

// _interpreters.create() with its own GIL: 7.5 ms (3.13.0), 8.3 ms (3.12.1).
Time default_interpreter_startup() { return 8 * sim::kMillisecond; }

}  // namespace models
