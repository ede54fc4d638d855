// The yardstick of gilsim's speed: the simplest correct loop of the same
// new-GIL model, hand-written, with nothing gilsim has for generality (no
// machine, scheduler, programs, accounting, traces or metrics).
//
// N CPU-bound threads on N cores, each with the same amount of bytecode to
// run. The GIL is Python/ceval_gil.c's, as models/new_gil.cc has it: a
// waiter's timed wait of one switch interval; a timed-out waiter, after the
// wake-up latency, sets the drop request if no switch happened meanwhile;
// the holder honours it at its next eval-breaker check point (every
// `granularity` of bytecode) and then waits on switch_cond until another
// thread has taken the GIL (FORCE_SWITCHING); a release signals the longest
// waiter, which takes the GIL after the wake-up latency if it is still free,
// and pays a futex wake if it signals a forced dropper. Every thread has a
// core of its own, so waking costs only the latency.
//
// The event set is a binary heap (std::push_heap/pop_heap) ordered by (time,
// sequence), with cancellation by generation numbers: a stale event is
// dropped when popped, or all at once when they outnumber the live ones.
#pragma once

#include <cstdint>

namespace bench {

struct BareGilConfig {
  int threads = 8;
  std::int64_t work = 10'000'000'000;     // ns of bytecode per thread
  std::int64_t interval = 50'000;         // switch interval, ns
  std::int64_t wakeup_latency = 5'000;    // ns
  std::int64_t granularity = 100;         // ns of bytecode between check points
  std::int64_t futex_wake = 1'000;        // ns, paid by a taker that wakes a forced dropper
};

struct BareGilResult {
  std::int64_t wall = 0;  // ns: when the last thread ended
  std::uint64_t handoffs = 0;
  std::uint64_t drop_requests = 0;
  std::uint64_t timeouts = 0;
  std::uint64_t events = 0;  // popped, stale ones included
};

BareGilResult run_bare_gil(const BareGilConfig& config);

}  // namespace bench
