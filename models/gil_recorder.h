// What every kind of GIL reports the same way: the fraction of time it is
// held, and on the trace its own track (who holds it), the hand-off arrows
// (from the releasing thread to the next holder) and the waiters counter.
// The GIL models own one each and call it at their take and release.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sim/stats.h"
#include "sim/trace.h"

namespace models {

class GilRecorder {
 public:
  void set_trace(sim::TraceSink* trace, sim::TrackId gil_track, sim::TrackId waiters_counter,
                 sim::TrackId first_thread_track, const std::vector<std::string>* thread_names);

  // `tid` took the GIL; `handoff` if the previous holder was another thread.
  // (Inline: once per take and per release, the trace's work behind one test.)
  void taken(sim::Time now, int tid, bool handoff) {
    held_.set(now, 1);
    held_since_ = now;
    if (trace_ && handoff && released_by_ >= 0 && released_by_ != tid) arrow(released_by_, released_at_, tid, now, "hand-off");
  }
  void released(sim::Time now, int tid) {
    if (trace_ && now > held_since_) [[unlikely]] trace_held(now, tid);
    held_.set(now, 0);
    released_by_ = tid;
    released_at_ = now;
  }
  void waiters(sim::Time now, std::int64_t count) {
    if (trace_) [[unlikely]] trace_waiters(now, count);
  }
  // An arrow between two threads' tracks (e.g. a drop request to the holder).
  void arrow(int from, sim::Time t_from, int to, sim::Time t_to, const char* name) {
    if (trace_) [[unlikely]] trace_arrow(from, t_from, to, t_to, name);
  }
  void finish(sim::Time end, int holder);

  double held_fraction(sim::Time end) const { return held_.mean(end); }

 private:
  // The slice of the GIL's track that `tid`'s hold ending now draws.
  [[gnu::noinline]] void trace_held(sim::Time now, int tid);
  // The trace's calls out of line: inline, a call on the hot paths (every
  // timed wait changes the waiters) made their callers save registers
  // whether they traced or not.
  [[gnu::noinline]] void trace_waiters(sim::Time now, std::int64_t count);
  [[gnu::noinline]] void trace_arrow(int from, sim::Time t_from, int to, sim::Time t_to, const char* name);
  sim::TrackId thread_track(int tid) const { return first_thread_track_ + static_cast<sim::TrackId>(tid); }

  sim::TimeWeighted held_;
  sim::Time held_since_ = 0;
  int released_by_ = -1;
  sim::Time released_at_ = 0;

  sim::TraceSink* trace_ = nullptr;
  sim::TrackId gil_track_ = 0, waiters_counter_ = 0, first_thread_track_ = 0;
  const std::vector<std::string>* names_ = nullptr;
};

}  // namespace models
