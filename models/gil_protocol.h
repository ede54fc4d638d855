// The GIL of one interpreter, as a protocol the thread model speaks: take it,
// drop it around a blocking call, meet it at the eval loop's check points.
// CPython has had three (models/python_versions.cc says which version has
// which):
//   - the new GIL of 3.2 .. 3.14 (Python/ceval_gil.c): a timed wait, the
//     drop request and the FORCE_SWITCHING hand-off (models/new_gil.h; the
//     thread model calls it directly, ThreadControl::call_gil);
//   - the old GIL of 2.x and 3.0/3.1 (Python/ceval.c's ticker over the
//     semaphore lock of Python/thread_pthread.h) (models/old_gil.cc);
//   - no GIL: a free-threaded build (3.13t, 3.14t) (models/no_gil.cc).
// A new protocol is one file that defines a GilProtocolType and one line in
// the versions table.
//
// A protocol decides who holds the GIL, and blocks and wakes OS threads
// through the Machine (a condvar wait is an OS block, a signal an OS wake-up).
// What follows from holding it (running bytecode, stopping at a check point)
// is the thread model's (models/python_threads.h). Calls are made by the
// thread model for a thread that is running on a core, unless said otherwise.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "models/config.h"
#include "models/gil_recorder.h"
#include "sim/event_queue.h"
#include "sim/random.h"
#include "sim/time.h"

namespace models {

class Machine;

// Where the eval loop meets the GIL, and how often. Plain data, read on every
// segment of bytecode work.
struct CheckPoints {
  // False: there is no GIL (a free-threaded build); nothing below applies and
  // no call of the protocol is made.
  bool serialises = true;
  // CPU time of counted bytecode between two check points: the eval
  // breaker's granularity (new GIL), or check_interval ticks (old GIL).
  sim::Time spacing = 1;
  // `x += 1`'s opcodes advance the check clock too (2.x counts every opcode
  // that is not a fast_next_opcode; 3.x's eval breaker is on back edges and calls).
  bool counts_increments = false;
  // The end of a Python-level operation (a call returns, a loop edge) is a
  // check point, whatever the clock says.
  bool at_operation_end = false;
  // ... also between the load and the store of `x += 1` (up to 3.9 every
  // DISPATCH() could check; from 3.10 only back edges and calls do).
  bool between_increment_halves = false;
  // The holder acts at every check point (2.x releases and re-takes), not
  // only when a drop request is pending (3.x).
  bool every_check = false;
};

// take(): acquired, or the thread now waits (blocked, off its core).
struct GilTake {
  bool acquired = false;
  int drop_request_on = -1;  // the holder this attempt asked to drop the GIL, or -1
  sim::Time cost = 0;        // C code the taker runs after it (a futex wake it made)
  // Not acquired, and the wait's own C code runs first on the thread's core
  // for this long (MachineConfig::timed_wait_cpu); take() is called again
  // after it, and only then may the thread sleep. 0: it waits at once.
  sim::Time busy = 0;
};

// What the holder does at a check point where it must stop.
struct GilCheck {
  enum class Kind : std::uint8_t {
    Continue,  // goes on with its bytecode
    Waits,     // dropped the GIL and now waits (blocked) for another thread to take it
    Retakes,   // dropped the GIL; runs `delay` of C code, then calls take() again
  };
  Kind kind = Kind::Continue;
  sim::Time delay = 0;
};

// The statistics every protocol reports (zero where it has no such thing).
struct GilStats {
  std::uint64_t handoffs = 0;         // a different thread than the last took it
  std::uint64_t drop_requests = 0;
  std::uint64_t forced_switches = 0;
  std::uint64_t timeouts = 0;         // timed waits that expired
  std::uint64_t futile_wakeups = 0;   // woken waiters that found it taken again
};

// What a protocol is built with, per interpreter.
struct GilSetup {
  const RuntimeConfig& runtime;
  const MachineConfig& machine;  // the futex system calls' costs
  int minor = 12;                // 3.x minor version: where check points are
  sim::EventQueue& events;
  Machine& os;
  sim::Rng rng;  // the interpreter's GIL stream (models/run_plan.h, RngStreams)
  int threads = 0;  // thread ids are 0 .. threads - 1
};

class GilProtocol {
 public:
  GilProtocol(const CheckPoints& checks, int threads) : checks_(checks), acquisitions_(static_cast<std::size_t>(threads)) {}
  virtual ~GilProtocol() = default;
  GilProtocol(const GilProtocol&) = delete;
  GilProtocol& operator=(const GilProtocol&) = delete;

  const CheckPoints& checks() const { return checks_; }
  int holder() const { return holder_; }  // -1 when free
  // Whether `tid`, running bytecode with the GIL, must stop at its next check point.
  bool must_stop(int tid) const { return checks_.every_check || (drop_request_ && holder_ == tid); }

  // take_gil(): acquired at once, or the thread waits and is woken later
  // (by a release, or by its timer) to call take() again when it runs.
  virtual GilTake take(int tid) = 0;
  // Py_BEGIN_ALLOW_THREADS by the holder. True if the thread now waits for
  // a hand-off first (the new GIL's FORCE_SWITCHING); it then goes on with
  // its blocking call when it runs again.
  virtual bool drop(int tid) = 0;
  // The holder is at a check point where must_stop() holds.
  virtual GilCheck at_check(int tid) = 0;
  // kGilTimeout for `tid`: its timed wait expired (not on a core). It wakes
  // the thread through Machine::wake_unlisted: the caller books it
  // (ThreadControl::on_gil_timeout), and wakes nobody else.
  virtual void on_timeout(int tid);
  // The holder's thread ends: the GIL is released, with no hand-off.
  virtual void exit(int tid) = 0;

  const GilStats& stats() const { return stats_; }
  std::uint64_t acquisitions(int tid) const { return acquisitions_[static_cast<std::size_t>(tid)]; }
  double held_fraction(sim::Time end) const { return recorder_.held_fraction(end); }
  GilRecorder& recorder() { return recorder_; }
  void finish_trace(sim::Time end) { recorder_.finish(end, holder_); }

 protected:
  CheckPoints checks_;
  int holder_ = -1;
  bool drop_request_ = false;  // the eval breaker's GIL_DROP_REQUEST bit, for the holder
  GilStats stats_;
  std::vector<std::uint64_t> acquisitions_;
  GilRecorder recorder_;
};

// A protocol, as the versions table names it.
struct GilProtocolType {
  const char* name;         // for messages: "new GIL"
  const char* description;  // for the docs: "Python/ceval_gil.c: a timed wait, ..."
  bool serialises;   // its CheckPoints::serialises: false for no GIL at all
  std::unique_ptr<GilProtocol> (*make)(const GilSetup& setup);
};

}  // namespace models
