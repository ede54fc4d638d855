// A TraceSink drawing a self-contained SVG timeline: one row per track,
// grouped under their process's name, coloured by state over time, with a
// time axis and a legend. A labelled slice is drawn in its style's colour (the
// label is not shown); counters, instants and flows are not drawn.
//
// Memory does not grow with the number of events. Each row keeps a fixed
// number of time buckets (twice the plot's width in pixels) holding, per style
// used on that row, the time spent in it. The end of the run is unknown while
// it runs, so buckets start 1 ns wide; an event beyond the covered span doubles
// the bucket width and merges bucket pairs, keeping the span between the run's
// length and twice it. When drawn, each pixel column takes the style with the
// most time in it (a short state that dominates no pixel is not visible), and
// runs of equal colour become one rectangle.
//
// At most kMaxStyles distinct styles are told apart (styles are recognised by
// pointer, or by equal name and colour); any further ones are drawn as "other".
//
// All coordinates are integers computed from integer time: the same calls give
// the same bytes on every machine.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/output_file.h"
#include "sim/trace.h"

namespace sim {

class SvgTimeline final : public TraceSink {
 public:
  static constexpr int kMaxStyles = 16;

  // Opens the output now, so a bad path fails before a long run starts.
  // `width` is the whole picture's, in pixels (at least 400).
  SvgTimeline(std::string path, std::string title, int width = 1200);

  void process(std::uint32_t pid, std::string_view name, int sort_index) override;
  void track(TrackId id, std::uint32_t pid, std::string_view name, int sort_index) override;
  void counter_track(TrackId, std::uint32_t, std::string_view) override {}
  // A slice on a track never declared throws std::logic_error (a model bug).
  void slice(TrackId track, Time begin, Time end, const SliceStyle& style) override;
  void labelled_slice(TrackId track, Time begin, Time end, const SliceStyle& style,
                      std::string_view label) override;
  void counter(TrackId, Time, std::int64_t) override {}
  void instant(TrackId, Time, const char*) override {}
  void flow(TrackId, Time, TrackId, Time, const char*) override {}
  // Draws the picture from 0 to `end` and commits the file.
  void finish(Time end) override;

  // Time cells held over all rows: grows with rows and styles, never with events.
  std::size_t bucket_count() const;
  Time bucket_width() const { return bucket_width_; }

 private:
  static constexpr int kOther = kMaxStyles;  // style index of everything beyond
  static constexpr int kSlots = kMaxStyles + 1;

  struct Style {
    const char* name;
    const char* colour;
  };
  struct Row {
    TrackId id;
    std::uint32_t pid;
    std::string name;
    int sort_index;
    // Per style index, its slot in `cells` (-1: not used on this row yet).
    // Slots are added on first use, so a row pays only for the styles it shows.
    std::array<std::int8_t, kSlots> slot_of{};
    std::vector<std::uint8_t> style_of_slot;
    std::vector<Time> cells;  // slot-major: cells[slot * buckets + bucket]
  };
  struct Process {
    std::string name;
    int sort_index;
  };

  int style_index(const SliceStyle& style);
  void add(TrackId track, Time begin, Time end, const SliceStyle& style);
  void cover(Time t);  // widens the buckets until [0, t) is covered
  std::string render(Time end) const;

  OutputFile out_;
  std::string title_;
  int width_;
  int plot_width_;
  std::size_t buckets_;  // per row and slot
  Time bucket_width_ = 1;
  std::vector<Style> styles_;  // distinct styles, by index; kOther is implicit
  std::vector<std::pair<const SliceStyle*, int>> seen_;  // pointer -> index cache
  std::vector<Row> rows_;
  std::unordered_map<TrackId, std::size_t> row_of_;
  std::unordered_map<std::uint32_t, Process> processes_;
  bool finished_ = false;
};

}  // namespace sim
