// Work handed to a pool or a server: a work item is one submitted call, from
// submit() to its future's result, or one request, from its client's send to
// the response; a work queue is a FIFO of them with the threads blocked taking
// from it (queue.SimpleQueue.get, a pipe's recv, a socket's accept). What
// threads do with them is models/pools.h's and models/servers.h's.
#pragma once

#include <cstdint>
#include <deque>
#include <vector>

#include "models/config.h"
#include "models/ids.h"
#include "sim/event_queue.h"
#include "sim/time.h"
#include "sim/trace.h"

namespace models {

struct WorkItem {
  const Program* body = nullptr;
  std::int64_t args_bytes = 0;
  std::int64_t result_bytes = 0;
  std::uint32_t pool = 0;
  int owner = -1;       // the submitting thread, whose future it is
  int owner_task = -1;  // or the asyncio task that awaits it (to_thread)
  bool map = false;
  sim::Time submitted = 0;
  // A request (models/requests.h): its stream and type, and when it arrived.
  std::int32_t stream = -1;
  std::int32_t type = -1;
  std::int32_t syn_retries = 0;  // SYNs retransmitted so far (RequestStream::backlog)
  // The client's side (RequestStream::timeout): when it first sent the
  // request (its latency counts from then, across retries), which try this
  // is (0: the first), its pending timeout, and whether it gave up on it.
  sim::Time first_sent = 0;
  std::int32_t attempt = 0;
  bool abandoned = false;
  sim::EventHandle client_timeout;
  // The last queue put, for the trace's arrow to the thread that takes it.
  int put_by = -1;
  sim::Time put_at = 0;
};

// Work items by id; ids of finished items are reused, so that memory does
// not grow with the number of submissions.
class WorkItems {
 public:
  int make() {
    if (!free_.empty()) {
      const int id = free_.back();
      free_.pop_back();
      items_[static_cast<std::size_t>(id)] = WorkItem{};
      return id;
    }
    items_.emplace_back();
    return static_cast<int>(items_.size() - 1);
  }
  void release(int id) { free_.push_back(id); }
  WorkItem& operator[](int id) { return items_[static_cast<std::size_t>(id)]; }

 private:
  std::vector<WorkItem> items_;
  std::vector<int> free_;
};

struct WorkQueue {
  std::deque<int> items;   // waiting for a taker
  std::deque<int> takers;  // threads blocked in get(), in the order they came
  std::size_t max_items = 0;
};

// Every work queue of a run (models/ids.h numbers them) and the items in them.
class WorkQueues {
 public:
  explicit WorkQueues(const QueueIds& ids) : queues_(ids.count()) {}
  WorkQueue& operator[](std::uint32_t queue) { return queues_[queue]; }
  const WorkQueue& operator[](std::uint32_t queue) const { return queues_[queue]; }
  const std::vector<WorkQueue>& all() const { return queues_; }
  WorkItems items;
  // When the last work item was done or the last request answered (a
  // pool's work can outlive its submitter: the interpreter's exit waits).
  sim::Time last_completion = 0;

  // The trace's arrow to thread `tid`, which takes `item` now: from the
  // thread that put it on a queue (a call's way from submit() through the
  // pool and back), or for a request from its arrival.
  void taken(int tid, int item, sim::Time now) {
    if (!trace_) return;
    const WorkItem& w = items[item];
    if (w.stream >= 0)
      trace_->flow(tracks_->requests(w.stream), w.submitted, tracks_->thread(tid), now, "request");
    else if (w.put_by >= 0)
      trace_->flow(tracks_->thread(w.put_by), w.put_at, tracks_->thread(tid), now, "work item");
  }
  void set_trace(sim::TraceSink* trace, const TraceTracks& tracks) {
    trace_ = trace;
    tracks_ = &tracks;
  }

 private:
  std::vector<WorkQueue> queues_;
  sim::TraceSink* trace_ = nullptr;
  const TraceTracks* tracks_ = nullptr;
};

// What a pool reports.
struct PoolStats {
  std::uint64_t completed = 0;
  sim::Time latency_sum = 0;  // submit() to the future's result
  sim::Time latency_max = 0;
};

}  // namespace models
