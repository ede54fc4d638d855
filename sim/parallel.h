// Items run on several threads, with the outcome of a serial run: results go
// where each item's index says, and the error reported is the one a serial
// run would have met first. The sweep's points (analysis/sweep.cc) and the
// claims suite's scenarios (report/claims.cc) run this way.
#pragma once

#include <cstddef>
#include <functional>

namespace sim {

// Runs fn(worker, item) for items 0..count-1, taken in order from a shared
// counter by `jobs` threads (at most `count`; 1: on the calling thread);
// `worker` is the thread's number, for its own state. After an exception no
// new item starts, the items under way end, and the exception of the lowest
// item that threw is rethrown: the same error whatever the number of threads
// (every lower item had started, and ran).
void parallel_for(unsigned jobs, std::size_t count, const std::function<void(unsigned, std::size_t)>& fn);

}  // namespace sim
