// A resource with a capacity and a FIFO queue (a database with 10
// connections): an `io` or `await_io` on it first waits for a free slot, then
// holds it for its duration. Who waits (a thread in a blocking call, or an
// asyncio task) does not matter here; PythonThreads resumes them.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>

#include "sim/stats.h"
#include "sim/time.h"

namespace models {

class Resource {
 public:
  struct Request {
    int id = -1;          // a thread id or a task id
    bool task = false;
    sim::Time duration = 0;
    sim::Time since = 0;  // when it asked
  };

  explicit Resource(int capacity) : capacity_(capacity) {}

  // True if a slot was free and is now the request's; false if it queues.
  bool request(const Request& r, sim::Time now);
  // A request's time is over: its slot goes to the longest-waiting request,
  // which is returned (its duration starts now), or becomes free.
  std::optional<Request> release(sim::Time now);

  std::uint64_t requests() const { return requests_; }
  std::uint64_t queued() const { return queued_; }
  double wait_seconds() const { return sim::to_seconds(wait_); }
  std::size_t queue_max() const { return queue_max_; }
  double busy_avg(sim::Time end) const { return in_use_stat_.mean(end); }

 private:
  int capacity_;
  int in_use_ = 0;
  std::deque<Request> queue_;
  std::uint64_t requests_ = 0, queued_ = 0;
  sim::Time wait_ = 0;
  std::size_t queue_max_ = 0;
  sim::TimeWeighted in_use_stat_;
};

}  // namespace models
