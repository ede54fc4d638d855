// Pools (concurrent.futures executors, multiprocessing.Pool, Celery-like
// workers) as their threads see them, after lowering (models/lowering.h):
// submit() makes a work item and puts it on the pool's queue; a worker takes
// it, runs its body and sets its future; the submitter waits for its futures
// (wait, map), or an asyncio task awaits its own.
#pragma once

#include <cstdint>
#include <vector>

#include "models/asyncio_loops.h"
#include "models/run_plan.h"
#include "models/thread_control.h"
#include "models/work_queue.h"

namespace models {

class Pools {
 public:
  Pools(const RunPlan& plan, ThreadControl& threads, WorkQueues& work, AsyncioLoops& asyncio);

  // The operations; each leaves the thread on its next operation unless it
  // returns false (the thread now waits, and comes back to this one).
  void new_item(int tid, const Op& o);   // submit(): the future and its work item
  void forward(int tid, const Op& o);    // queue.put(): wakes the longest-waiting taker
  bool take_item(int tid, const Op& o);  // queue.get(): the next item, or wait for one
  void run_body(int tid);                // the worker calls the work item's function
  bool wait(int tid, const Op& o);       // concurrent.futures.wait() / map's wait for its items
  // future.set_result() by `tid` for a pool's work item: the submitting
  // thread's wait may be over, or the awaiting task ready again.
  void complete(int tid, int item);

  const std::vector<PoolStats>& stats() const { return stats_; }
  // Calls waiting at once, at most: in a thread or interpreter pool's work
  // queue, or a process pool's feeder queue or call pipe.
  std::size_t queue_max(std::uint32_t pool) const;

  void set_trace(sim::TraceSink* trace, const TraceTracks& tracks) {
    trace_ = trace;
    tracks_ = &tracks;
  }

 private:
  // A thread's futures not done: all of them, and its last map's.
  struct Futures {
    std::int64_t outstanding = 0;
    std::int64_t batch = 0;
  };

  const QueueIds& ids_;
  ThreadControl& threads_;
  WorkQueues& work_;
  AsyncioLoops& asyncio_;
  std::vector<Futures> futures_;  // by thread
  std::vector<PoolStats> stats_;
  sim::TraceSink* trace_ = nullptr;
  const TraceTracks* tracks_ = nullptr;
};

}  // namespace models
