// The numbering of a run's queues, trace tracks and random streams: every
// piece of index arithmetic is here, named, and nowhere else.
#pragma once

#include <cstdint>

#include "sim/trace.h"

namespace models {

// The work queues of a run: three per pool, then one listen queue (a
// socket's accept backlog) per request stream. An operation that puts or
// takes work items (Forward, TakeItem) holds one of these ids in Op::index.
enum class PoolQueue : std::uint32_t {
  Entry = 0,    // where submit() puts work: a process pool's feeder thread takes it
                // from there, a thread, interpreter or Celery pool's workers do
  Call = 1,     // a process pool's call pipe to its workers
  Results = 2,  // its result pipe back to the parent's result thread
};
struct QueueIds {
  std::uint32_t pools = 0;
  std::uint32_t streams = 0;
  std::uint32_t pool(std::uint32_t pool, PoolQueue q) const { return 3 * pool + static_cast<std::uint32_t>(q); }
  std::uint32_t listen(std::uint32_t stream) const { return 3 * pools + stream; }
  bool is_listen(std::uint32_t queue) const { return queue >= 3 * pools; }
  std::uint32_t count() const { return 3 * pools + streams; }
};

// Track ids of a traced run: threads first, then cores, then per interpreter
// a GIL track and a waiters counter, then the runnable counter, the asyncio
// tasks, and three per request stream (its requests' arrows, and counters of
// requests in flight and in the backlog). Process ids are kept apart from
// track ids (the JSON format shares one number space).
class TraceTracks {
 public:
  TraceTracks(int threads, int cores, int interpreters, int tasks)
      : first_core_(1 + static_cast<sim::TrackId>(threads)),
        first_gil_(first_core_ + static_cast<sim::TrackId>(cores)),
        first_waiters_(first_gil_ + static_cast<sim::TrackId>(interpreters)),
        runnable_(first_waiters_ + static_cast<sim::TrackId>(interpreters)),
        first_task_(runnable_ + 1),
        first_stream_(first_task_ + static_cast<sim::TrackId>(tasks)) {}

  sim::TrackId thread(int tid) const { return 1 + static_cast<sim::TrackId>(tid); }
  sim::TrackId first_thread() const { return 1; }
  sim::TrackId core(int c) const { return first_core_ + static_cast<sim::TrackId>(c); }
  sim::TrackId first_core() const { return first_core_; }
  sim::TrackId gil(int interpreter) const { return first_gil_ + static_cast<sim::TrackId>(interpreter); }
  sim::TrackId gil_waiters(int interpreter) const { return first_waiters_ + static_cast<sim::TrackId>(interpreter); }
  sim::TrackId runnable() const { return runnable_; }
  sim::TrackId task(int k) const { return first_task_ + static_cast<sim::TrackId>(k); }
  sim::TrackId requests(int stream) const { return first_stream_ + 3 * static_cast<sim::TrackId>(stream); }
  sim::TrackId in_flight(int stream) const { return requests(stream) + 1; }
  sim::TrackId backlog(int stream) const { return requests(stream) + 2; }

  // Process ids.
  static constexpr std::uint32_t kMachinePid = 1000000;
  static constexpr std::uint32_t kClientsPid = kMachinePid - 1;  // request streams' tracks
  static std::uint32_t interpreter_pid(int interpreter) {
    return kMachinePid + 1 + static_cast<std::uint32_t>(interpreter);
  }

 private:
  sim::TrackId first_core_, first_gil_, first_waiters_, runnable_, first_task_, first_stream_;
};

// The random streams of a run, one per entity that draws numbers, so that
// adding a thread does not shift the numbers another one sees (sim/random.h).
struct RngStreams {
  // The main interpreter's GIL (a random wake-up order).
  static std::uint64_t main_gil() { return 0; }
  // Thread `tid`'s durations.
  static std::uint64_t thread(int tid) { return 1 + static_cast<std::uint64_t>(tid); }
  // The machine's wake-up latencies and context-switch costs.
  static std::uint64_t machine() { return std::uint64_t{1} << 32; }
  // Interpreter `i`'s GIL, i > 0.
  static std::uint64_t gil(int interpreter) {
    return interpreter == 0 ? main_gil() : (std::uint64_t{1} << 33) + static_cast<std::uint64_t>(interpreter);
  }
  // Request stream `s`'s arrivals and mix.
  static std::uint64_t request_stream(int s) { return (std::uint64_t{1} << 34) + static_cast<std::uint64_t>(s); }
};

}  // namespace models
