#include "sim/trace_window.h"

#include <algorithm>

namespace sim {

void TraceWindow::open() {
  if (opened_) return;
  opened_ = true;
  for (const auto& [id, value] : before_) inner_.counter(id, from_, value);
  before_.clear();
}

void TraceWindow::slice(TrackId track, Time begin, Time end, const SliceStyle& style) {
  if (end <= from_ || begin >= to_) return;
  // Slices come in order of their end; a counter or instant that came before
  // may lie later than this slice's start: the window opens before either.
  open();
  inner_.slice(track, std::max(begin, from_), std::min(end, to_), style);
}

void TraceWindow::labelled_slice(TrackId track, Time begin, Time end, const SliceStyle& style,
                                 std::string_view label) {
  if (end <= from_ || begin >= to_) return;
  open();
  inner_.labelled_slice(track, std::max(begin, from_), std::min(end, to_), style, label);
}

void TraceWindow::counter(TrackId id, Time t, std::int64_t value) {
  if (t < from_) {
    before_[id] = value;
    return;
  }
  if (t >= to_) return;
  open();
  inner_.counter(id, t, value);
}

void TraceWindow::instant(TrackId track, Time t, const char* name) {
  if (t < from_ || t >= to_) return;
  open();
  inner_.instant(track, t, name);
}

void TraceWindow::flow(TrackId from, Time t_from, TrackId to, Time t_to, const char* name) {
  if (t_from < from_ || t_to >= to_) return;
  open();
  inner_.flow(from, t_from, to, t_to, name);
}

void TraceWindow::finish(Time end) {
  if (end > from_) open();
  inner_.finish(std::min(end, to_));
}

}  // namespace sim
