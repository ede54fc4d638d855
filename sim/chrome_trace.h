// A TraceSink writing Chrome Trace Event JSON (the "JSON Object Format"),
// which Perfetto's UI (ui.perfetto.dev) and chrome://tracing open.
//
// Events stream to the file as they arrive, one per line, so memory does not
// grow with the length of a run; only the declarations (a few per track) are
// kept. The file appears, whole, when finish() commits it; a run that fails
// before finish() leaves no file behind (see OutputFile).
//
// Mapping: a process is a process (pid); a track is a thread whose tid is the
// track id; a counter track is a process counter named after it. Slices are
// complete ("X") events named after their style, or after their label with the
// style as an argument. A flow is a pair of zero-length slices named after the
// flow, on the two tracks, tied by a v2 flow id ("bind_id"): a zero-length
// slice always exists to carry the arrow, where the enclosing-slice binding of
// v1 flows depends on how importers order slices that start and end at the
// same instant.
//
// Timestamps are microseconds with up to three decimals, printed from the
// integer nanoseconds (1234567 ns -> 1234.567): no floating point, so a run
// gives the same bytes on every machine.
//
// Tids share a namespace with pids in the trace format (a thread whose tid
// equals its pid is that process's main thread), so track ids are best kept
// apart from pids.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>

#include "sim/output_file.h"
#include "sim/trace.h"

namespace sim {

class ChromeTraceWriter final : public TraceSink {
 public:
  // Opens the output now, so a bad path fails before a long run starts.
  explicit ChromeTraceWriter(std::string path);

  void process(std::uint32_t pid, std::string_view name, int sort_index) override;
  void track(TrackId id, std::uint32_t pid, std::string_view name, int sort_index) override;
  void counter_track(TrackId id, std::uint32_t pid, std::string_view name) override;
  // Events on a track never declared throw std::logic_error (a model bug).
  void slice(TrackId track, Time begin, Time end, const SliceStyle& style) override;
  void labelled_slice(TrackId track, Time begin, Time end, const SliceStyle& style,
                      std::string_view label) override;
  void counter(TrackId id, Time t, std::int64_t value) override;
  void instant(TrackId track, Time t, const char* name) override;
  void flow(TrackId from, Time t_from, TrackId to, Time t_to, const char* name) override;
  // Writes the trailer and commits the file.
  void finish(Time end) override;

 private:
  // The constant part of every event on a track, pre-rendered at declaration:
  // `"pid":P,"tid":T` for a thread, `"name":"N","pid":P` for a counter.
  struct Track {
    std::string ids;
    bool is_counter = false;
  };

  const Track& find(TrackId id, bool counter) const;
  void begin_event();
  // Opens an "X" event on `track` up to its "name": value, which the caller writes.
  void begin_complete_event(TrackId track, Time begin, Time end);
  void end_event();
  void flow_anchor(TrackId track, Time t, const char* name, std::uint64_t id, bool out);

  OutputFile out_;
  std::string buf_;  // lines batched into large writes (bounded: flushed at 1 MiB)
  std::unordered_map<TrackId, Track> tracks_;
  std::uint64_t next_flow_id_ = 1;
  bool first_event_ = true;
  bool finished_ = false;
};

}  // namespace sim
