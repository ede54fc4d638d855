// A window on a trace: what another sink receives of a run between two
// simulated times, so that a long run's trace can be looked at where it
// matters without writing gigabytes (`gilsim run --trace-window FROM..TO`).
//
// Slices are clipped to [from, to); instants and counter values inside it
// pass; each counter's last value before the window is given at `from`, so
// that a graph starts at its level rather than at nothing; an arrow passes
// when both its ends lie in the window. Declarations all pass. Times are not
// shifted: the trace keeps the run's own clock.
#pragma once

#include <cstdint>
#include <map>

#include "sim/trace.h"

namespace sim {

class TraceWindow final : public TraceSink {
 public:
  // `inner` outlives the window; from < to.
  TraceWindow(TraceSink& inner, Time from, Time to) : inner_(inner), from_(from), to_(to) {}

  void process(std::uint32_t pid, std::string_view name, int sort_index) override {
    inner_.process(pid, name, sort_index);
  }
  void track(TrackId id, std::uint32_t pid, std::string_view name, int sort_index) override {
    inner_.track(id, pid, name, sort_index);
  }
  void counter_track(TrackId id, std::uint32_t pid, std::string_view name) override {
    inner_.counter_track(id, pid, name);
  }
  void slice(TrackId track, Time begin, Time end, const SliceStyle& style) override;
  void labelled_slice(TrackId track, Time begin, Time end, const SliceStyle& style, std::string_view label) override;
  void counter(TrackId id, Time t, std::int64_t value) override;
  void instant(TrackId track, Time t, const char* name) override;
  void flow(TrackId from, Time t_from, TrackId to, Time t_to, const char* name) override;
  void finish(Time end) override;

 private:
  // Gives every counter's value before the window at `from`, once.
  void open();

  TraceSink& inner_;
  Time from_, to_;
  bool opened_ = false;
  std::map<TrackId, std::int64_t> before_;  // counters' last values before the window (a few per track)
};

}  // namespace sim
