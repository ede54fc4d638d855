#include "models/lowering.h"

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
void append_submit(Program& out, const Op& submit, const PoolConfig& pool, const PoolCosts& c, const QueueIds& queues) {
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
    out.push_back(queue_op(OpKind::Forward, queues.pool(submit.index, PoolQueue::Entry)));
    return;
  }
  out.push_back(cost_op(OpKind::Cpu, submit_cost_for(c, pool.kind)));
  out.push_back(std::move(item));
  if (pool.kind == PoolKind::Interpreter)
    out.push_back(cost_op(OpKind::NativeHeld, c.pickle_per_call, Sized::Args, c.pickle_per_byte));
  out.push_back(queue_op(OpKind::Forward, queues.pool(submit.index, PoolQueue::Entry)));
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
void lower_program(const SimulationConfig& config, const QueueIds& queues, Program& program, bool in_task,
                   std::uint32_t* asyncio_ops = nullptr) {
  const PoolCosts c = pool_costs(config.runtime);
  Program out;
  out.reserve(program.size());
  if (in_task && c.loop_step > 0) out.push_back(cost_op(OpKind::Cpu, c.loop_step));  // the task's first step
  for (Op& op : program) {
    if (op.kind == OpKind::Io || op.kind == OpKind::AwaitIo)
      if (op.uses_resource) op.index = index_by_name(config.resources, op.object);
    lower_program(config, queues, op.body, false);
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
        append_submit(out, op, pool, c, queues);
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
        append_submit(out, op, pool, c, queues);
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
        out.push_back(queue_op(OpKind::TakeItem, queues.listen(stream)));
        out.push_back(run);
        out.push_back(respond);
        continue;
      }
      case OpKind::Asyncio:
        if (asyncio_ops) op.index = (*asyncio_ops)++;
        for (TaskGroup& t : op.tasks) lower_program(config, queues, t.program, true);
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
  link_repeats(program);
}

void index_program(LoweredConfig& out, Program& program) {
  for (auto& op : program) {
    if (op.kind == OpKind::LockAcquire || op.kind == OpKind::LockRelease)
      op.index = index_of(out.locks, op.object);
    if (op.kind == OpKind::IncrementLoad || op.kind == OpKind::IncrementStore)
      op.index = index_of(out.counters, op.object);
    index_program(out, op.body);
    for (auto& t : op.tasks) index_program(out, t.program);
  }
}

// The program of a pool's threads, as concurrent.futures runs them
// (Lib/concurrent/futures/process.py, thread.py; multiprocessing/queues.py):
// each serves work items for ever.
std::unique_ptr<ThreadGroup> worker_group(const PoolConfig& pool, std::uint32_t index, const PoolCosts& c,
                                         const QueueIds& queues) {
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
      p = {queue_op(OpKind::TakeItem, queues.pool(index, PoolQueue::Call)), pipe(Sized::Args), pickle(Sized::Args),
           run, pickle(Sized::Result), pipe(Sized::Result),
           queue_op(OpKind::Forward, queues.pool(index, PoolQueue::Results))};
      break;
    case PoolKind::Thread:  // thread.py _worker: work_queue.get(), run, future.set_result()
      p = {queue_op(OpKind::TakeItem, queues.pool(index, PoolQueue::Entry)), run, complete};
      break;
    case PoolKind::Interpreter:  // interpreter.py: unpickle in the sub-interpreter, run, pickle back
      p = {queue_op(OpKind::TakeItem, queues.pool(index, PoolQueue::Entry)), pickle(Sized::Args), run,
           pickle(Sized::Result), complete};
      break;
    case PoolKind::Celery:  // a worker process: fetch the job from the broker, decode, run, encode, store the result
      p = {queue_op(OpKind::TakeItem, queues.pool(index, PoolQueue::Entry)), broker_op(OpKind::Io, pool),
           pickle(Sized::Args), run, pickle(Sized::Result), broker_op(OpKind::Io, pool), complete};
      break;
  }
  return g;
}

// A process pool's two threads in the parent: the queue feeder
// (multiprocessing/queues.py Queue._feed: pickles and writes each call) and
// the result side (process.py _ExecutorManagerThread: reads and unpickles
// each result, sets the future).
std::unique_ptr<ThreadGroup> feeder_group(const PoolConfig& pool, std::uint32_t index, const PoolCosts& c,
                                         const QueueIds& queues) {
  auto g = std::make_unique<ThreadGroup>();
  g->name = pool.name + "_feeder";
  g->program = {queue_op(OpKind::TakeItem, queues.pool(index, PoolQueue::Entry)),
                cost_op(OpKind::NativeHeld, c.pickle_per_call, Sized::Args, c.pickle_per_byte),
                cost_op(OpKind::NativeReleased, c.ipc_per_call, Sized::Args, c.ipc_per_byte),
                queue_op(OpKind::Forward, queues.pool(index, PoolQueue::Call))};
  return g;
}
std::unique_ptr<ThreadGroup> results_group(const PoolConfig& pool, std::uint32_t index, const PoolCosts& c,
                                         const QueueIds& queues) {
  auto g = std::make_unique<ThreadGroup>();
  g->name = pool.name + "_results";
  Op complete;
  complete.kind = OpKind::Complete;
  g->program = {queue_op(OpKind::TakeItem, queues.pool(index, PoolQueue::Results)),
                cost_op(OpKind::NativeReleased, c.ipc_per_call, Sized::Result, c.ipc_per_byte),
                cost_op(OpKind::NativeHeld, c.pickle_per_call, Sized::Result, c.pickle_per_byte), complete};
  return g;
}


}  // namespace

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

LoweredConfig lower(const SimulationConfig& config) {
  LoweredConfig out;
  out.config = config;
  SimulationConfig& c = out.config;
  out.queues.pools = static_cast<std::uint32_t>(c.pools.size());
  out.queues.streams = static_cast<std::uint32_t>(c.requests.size());
  for (auto& group : c.threads) {
    std::uint32_t asyncio_ops = 0;
    lower_program(c, out.queues, group.program, false, &asyncio_ops);
    index_program(out, group.program);
  }
  for (auto& p : c.processes)
    for (auto& group : p.threads) {
      std::uint32_t asyncio_ops = 0;
      lower_program(c, out.queues, group.program, false, &asyncio_ops);
      index_program(out, group.program);
    }
  // What a request does runs as a task of the loop that serves it, or on the
  // server thread that took it.
  for (auto& stream : c.requests)
    for (auto& type : stream.mix) {
      lower_program(c, out.queues, type.program, stream.async);
      index_program(out, type.program);
    }
  out.pools = lower_pools(c, out.queues);
  return out;
}

std::vector<PoolThreads> lower_pools(const SimulationConfig& c, const QueueIds& queues) {
  const PoolCosts costs = pool_costs(c.runtime);
  std::vector<PoolThreads> out;
  for (std::uint32_t i = 0; i < c.pools.size(); ++i) {
    const PoolConfig& pool = c.pools[i];
    PoolThreads t;
    if (pool.kind == PoolKind::Process) {
      t.feeder = feeder_group(pool, i, costs, queues);
      t.results = results_group(pool, i, costs, queues);
    }
    t.workers = worker_group(pool, i, costs, queues);
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace models
