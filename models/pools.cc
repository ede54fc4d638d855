#include "models/pools.h"

#include <algorithm>

namespace models {

namespace {
using Phase = PythonThread::Phase;
}  // namespace

Pools::Pools(const RunPlan& plan, ThreadControl& threads, WorkQueues& work, AsyncioLoops& asyncio)
    : ids_(plan.queues()),
      threads_(threads),
      work_(work),
      asyncio_(asyncio),
      futures_(static_cast<std::size_t>(threads.size())),
      stats_(plan.config().pools.size()) {}

void Pools::new_item(int tid, const Op& o) {
  PythonThread& t = threads_[tid];
  const int id = work_.items.make();
  WorkItem& w = work_.items[id];
  w.body = &o.body;
  w.args_bytes = o.args_bytes;
  w.result_bytes = o.result_bytes;
  w.pool = o.index;
  w.map = o.map;
  w.submitted = threads_.events().now();
  if (o.detached) {
    // fire and forget: nobody waits for it
  } else if (t.task >= 0) {
    w.owner_task = t.task;
    asyncio_.task(t.task).future_done = false;
  } else {
    w.owner = tid;
    Futures& f = futures_[static_cast<std::size_t>(tid)];
    ++f.outstanding;
    if (o.map) ++f.batch;
  }
  t.item = id;
  ++t.cursor().pc;
}

void Pools::forward(int tid, const Op& o) {
  PythonThread& t = threads_[tid];
  WorkQueue& q = work_[o.index];
  const int item = t.item;
  t.item = -1;
  ++t.cursor().pc;
  const sim::Time now = threads_.events().now();
  work_.items[item].put_by = tid;
  work_.items[item].put_at = now;
  if (!q.takers.empty()) {
    const int taker = q.takers.front();
    q.takers.pop_front();
    threads_[taker].item = item;
    work_.taken(taker, item, now);
    threads_.wake_waiting(taker, tid);
  } else {
    q.items.push_back(item);
    q.max_items = std::max(q.max_items, q.items.size());
  }
}

bool Pools::take_item(int tid, const Op& o) {
  PythonThread& t = threads_[tid];
  WorkQueue& q = work_[o.index];
  if (!q.items.empty()) {
    t.item = q.items.front();
    q.items.pop_front();
    work_.taken(tid, t.item, threads_.events().now());
    ++t.cursor().pc;
    return true;
  }
  if (threads_.block_waiting(tid)) q.takers.push_back(tid);
  return false;
}

void Pools::run_body(int tid) {
  PythonThread& t = threads_[tid];
  t.body.run(work_.items[t.item].body);
  t.body.pc = 0;
  t.body.loops.clear();
  t.in_body = true;
  t.at = &t.body;
}

bool Pools::wait(int tid, const Op& o) {
  PythonThread& t = threads_[tid];
  const Futures& f = futures_[static_cast<std::size_t>(tid)];
  if ((o.kind == OpKind::WaitAll ? f.outstanding : f.batch) == 0) {
    ++t.cursor().pc;
    return true;
  }
  threads_.block_waiting(tid);
  return false;
}

void Pools::complete(int tid, int id) {
  WorkItem& w = work_.items[id];
  const sim::Time now = threads_.events().now();
  PoolStats& p = stats_[w.pool];
  ++p.completed;
  const sim::Time latency = now - w.submitted;
  p.latency_sum += latency;
  p.latency_max = std::max(p.latency_max, latency);
  work_.last_completion = now;
  if (trace_ && (w.owner_task >= 0 || w.owner >= 0))  // the result's arrow, to the future's owner
    trace_->flow(tracks_->thread(tid), now, w.owner_task >= 0 ? asyncio_.task_track(w.owner_task) : tracks_->thread(w.owner),
                 now, "result");
  if (w.owner_task >= 0) {
    asyncio_.future_done(w.owner_task, tid);
  } else if (w.owner >= 0) {
    Futures& f = futures_[static_cast<std::size_t>(w.owner)];
    --f.outstanding;
    if (w.map) --f.batch;
    const PythonThread& owner = threads_[w.owner];
    if (owner.phase == Phase::Waiting) {
      const OpKind k = owner.kind_now();
      if ((k == OpKind::WaitAll && f.outstanding == 0) || (k == OpKind::WaitBatch && f.batch == 0))
        threads_.wake_waiting(w.owner, tid);
    }
  }
  work_.items.release(id);
}

std::size_t Pools::queue_max(std::uint32_t pool) const {
  return std::max(work_[ids_.pool(pool, PoolQueue::Entry)].max_items, work_[ids_.pool(pool, PoolQueue::Call)].max_items);
}

}  // namespace models
