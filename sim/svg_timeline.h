// A TraceSink drawing a self-contained SVG timeline: one row per track,
// grouped under their process's name, with a time axis and a legend. A
// labelled slice is drawn in its style's colour (the label is not shown);
// counters, instants and flows are not drawn.
//
// Each pixel column of a row is a stacked bar: every state takes the share of
// the row's height that it takes of the column's time, so a thread holding the
// GIL 10 % of a long run gets a GIL row painted 10 %, however short and many
// its holds. Time in no state (before a thread starts, after it ends, a style
// without a colour) is left unpainted. Heights are in tenths of a pixel,
// rounded so that a column's stack sums to its rounded total, stacked from
// the row's foot in legend order; equal
// neighbouring columns merge into one rectangle of a state's path.
//
// Memory does not grow with the number of events. Each row keeps a fixed
// number of time buckets (twice the plot's width in pixels) holding, per style
// used on that row, the time spent in it. The end of the run is unknown while
// it runs, so buckets start 1 ns wide; an event beyond the covered span doubles
// the bucket width and merges bucket pairs, keeping the span between the run's
// length and twice it. A column takes each bucket in the share of it that it
// covers.
//
// Rows that nothing was drawn on (a stream's requests, which only have
// instants) are left out. A group of many rows (more than `summarise_above`
// rows of one process whose names share their first word, such as 200
// asyncio tasks "task NAME") is drawn as one row, "task ×200", whose column
// shows the share of the group's time in each state: memory and height stay
// those of one row.
//
// `from`..`to` shows a window of the run (zoom): slices are clipped to it and
// the axis reads the run's own clock.
//
// The legend lists the styles drawn, in `legend_order` (styles not listed
// follow in order of first appearance). At most kMaxStyles distinct styles are
// told apart (styles are recognised by pointer, or by equal name and colour);
// any further ones are drawn as "other".
//
// All coordinates are integers computed from integer time: the same calls give
// the same bytes on every machine.
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/output_file.h"
#include "sim/trace.h"

namespace sim {

struct SvgOptions {
  int width = 1200;  // the whole picture's, in pixels (at least 400)
  Time from = 0;     // the window shown: [from, min(to, end of run))
  Time to = std::numeric_limits<Time>::max();
  std::vector<const SliceStyle*> legend_order;
  int summarise_above = 12;  // a group of more rows than this is one row
};

class SvgTimeline final : public TraceSink {
 public:
  static constexpr int kMaxStyles = 16;
  static constexpr int kRowHeight = 16;  // pixels
  static constexpr int kHeightUnits = 10 * kRowHeight;  // heights are in tenths of a pixel

  // Opens the output now, so a bad path fails before a long run starts.
  // Throws std::invalid_argument for a width under 400 or from >= to.
  SvgTimeline(std::string path, std::string title, SvgOptions options = {});

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
  // Draws the picture of the window (at most up to `end`) and commits the file.
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
    int rank;  // place in the legend
  };
  struct Declared {
    TrackId id;
    std::uint32_t pid;
    std::string name;
    int sort_index;
  };
  struct Row {
    TrackId id;
    std::uint32_t pid;
    std::string name;
    std::string group;  // the name's first word: rows summarised together
    int sort_index;
    Time members = 1;   // tracks drawn on this row (a summary has several)
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
  void cover(Time t);  // widens the buckets until [0, t) of the window is covered
  void lay_out();      // turns the declared tracks into rows, once
  Row& row_for(const Declared& d);
  std::string render(Time span) const;
  void render_row(std::string& body, const Row& r, int y, Time span) const;

  OutputFile out_;
  std::string title_;
  SvgOptions options_;
  int plot_width_;
  std::size_t buckets_;  // per row and slot
  Time bucket_width_ = 1;
  std::vector<Style> styles_;  // distinct styles, by index; kOther is implicit
  std::vector<std::pair<const SliceStyle*, int>> seen_;  // pointer -> index cache (-1: not drawn)
  std::vector<Declared> declared_;
  bool laid_out_ = false;
  std::vector<Row> rows_;
  std::unordered_map<TrackId, std::size_t> row_of_;
  std::unordered_map<std::uint32_t, Process> processes_;
  bool finished_ = false;
};

}  // namespace sim
