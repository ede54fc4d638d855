// The event kinds of the model layer. The kernel only orders them; World's
// dispatch switch (models/simulation.cc) sends each to the model that owns it.
#pragma once

#include <cstdint>

namespace models {

enum EventKind : std::uint32_t {
  kSegmentEnd,   // thread: its on-core work reached the end of an op or a check point
  kBlockEnd,     // thread: I/O or sleep finished
  kGilTimeout,   // thread: the timed wait on the GIL's cond expired (interval)
  kWakeup,       // thread: wake-up latency elapsed, it wants a core
  kDispatch,     // core: the context switch is done, its new thread runs
  kTimeslice,    // core: the running thread's time slice is over
  kTaskResume,   // asyncio task: its await_io / await_sleep is over
  kArrival,      // request stream: the next request(s) arrive (models/requests.h)
  kSynRetry,     // request: a client retransmits the SYN its server's full backlog dropped
  kClientTimeout,  // request: its client stops waiting for the response
};

}  // namespace models
