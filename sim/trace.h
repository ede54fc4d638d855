// The trace sink: where a model reports what happened, for a timeline.
//
// Models hold a `TraceSink*` that is null when no trace was asked for and test
// it before building anything, so an untraced run pays one predictable branch
// per state change and nothing else. The interface is generic (processes,
// tracks, slices, counters, instants, flows); the Chrome-JSON writer and the
// SVG timeline implement it, and a Tee feeds both.
//
// Slices are reported once, when they end, with their begin time: models know
// when a state began, and a complete slice cannot be left unbalanced by a run
// that stops early.
#pragma once

#include <cstdint>
#include <string_view>

#include "sim/time.h"

namespace sim {

// What a slice shows. Instances are static (one per state a model has): the
// sinks may key on the pointer. `colour` is an SVG/CSS colour such as "#4caf50".
struct SliceStyle {
  const char* name;
  const char* colour;
};

using TrackId = std::uint32_t;

class TraceSink {
 public:
  virtual ~TraceSink() = default;

  // Declarations, made before the first slice on the track.
  // A process groups tracks (Perfetto shows it as a collapsible group).
  virtual void process(std::uint32_t pid, std::string_view name, int sort_index) = 0;
  // A track of slices that never overlap (a thread, a core, a GIL).
  virtual void track(TrackId id, std::uint32_t pid, std::string_view name, int sort_index) = 0;
  // A counter series (runnable threads, GIL waiters), shown as a graph in `pid`.
  virtual void counter_track(TrackId id, std::uint32_t pid, std::string_view name) = 0;

  // Events. Times are simulated nanoseconds; calls come in non-decreasing order
  // of their *end* time (slices) or time (everything else).
  virtual void slice(TrackId track, Time begin, Time end, const SliceStyle& style) = 0;
  // A slice whose label is not one of a fixed set of styles (the GIL track's
  // holder name). `label` must outlive the sink (a name owned by the model).
  virtual void labelled_slice(TrackId track, Time begin, Time end, const SliceStyle& style,
                              std::string_view label) = 0;
  virtual void counter(TrackId id, Time t, std::int64_t value) = 0;
  virtual void instant(TrackId track, Time t, const char* name) = 0;
  // An arrow from (from, t_from) to (to, t_to), e.g. a drop request to the
  // thread that honours it, or a release to the thread that takes the GIL.
  virtual void flow(TrackId from, Time t_from, TrackId to, Time t_to, const char* name) = 0;

  // The run ended at `end`; write trailers and close. Called exactly once.
  virtual void finish(Time end) = 0;
};

// Feeds two sinks (a trace file and an SVG timeline in the same run).
class TeeSink final : public TraceSink {
 public:
  TeeSink(TraceSink& a, TraceSink& b) : a_(a), b_(b) {}
  void process(std::uint32_t pid, std::string_view name, int s) override {
    a_.process(pid, name, s);
    b_.process(pid, name, s);
  }
  void track(TrackId id, std::uint32_t pid, std::string_view name, int s) override {
    a_.track(id, pid, name, s);
    b_.track(id, pid, name, s);
  }
  void counter_track(TrackId id, std::uint32_t pid, std::string_view name) override {
    a_.counter_track(id, pid, name);
    b_.counter_track(id, pid, name);
  }
  void slice(TrackId t, Time b, Time e, const SliceStyle& st) override {
    a_.slice(t, b, e, st);
    b_.slice(t, b, e, st);
  }
  void labelled_slice(TrackId t, Time b, Time e, const SliceStyle& st, std::string_view l) override {
    a_.labelled_slice(t, b, e, st, l);
    b_.labelled_slice(t, b, e, st, l);
  }
  void counter(TrackId id, Time t, std::int64_t v) override {
    a_.counter(id, t, v);
    b_.counter(id, t, v);
  }
  void instant(TrackId tr, Time t, const char* n) override {
    a_.instant(tr, t, n);
    b_.instant(tr, t, n);
  }
  void flow(TrackId f, Time tf, TrackId to, Time tt, const char* n) override {
    a_.flow(f, tf, to, tt, n);
    b_.flow(f, tf, to, tt, n);
  }
  void finish(Time end) override {
    a_.finish(end);
    b_.finish(end);
  }

 private:
  TraceSink& a_;
  TraceSink& b_;
};

}  // namespace sim
