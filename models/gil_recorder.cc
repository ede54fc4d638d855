#include "models/gil_recorder.h"

#include "models/trace_styles.h"

namespace models {

namespace {
const auto& kGilHeld = trace_styles::kGilHeld;
}

void GilRecorder::set_trace(sim::TraceSink* trace, sim::TrackId gil_track, sim::TrackId waiters_counter,
                            sim::TrackId first_thread_track, const std::vector<std::string>* thread_names) {
  trace_ = trace;
  gil_track_ = gil_track;
  waiters_counter_ = waiters_counter;
  first_thread_track_ = first_thread_track;
  names_ = thread_names;
}

void GilRecorder::taken(sim::Time now, int tid, bool handoff) {
  held_.set(now, 1);
  held_since_ = now;
  if (handoff && released_by_ >= 0 && released_by_ != tid) arrow(released_by_, released_at_, tid, now, "hand-off");
}

void GilRecorder::released(sim::Time now, int tid) {
  if (trace_ && now > held_since_)
    trace_->labelled_slice(gil_track_, held_since_, now, kGilHeld, (*names_)[static_cast<std::size_t>(tid)]);
  held_.set(now, 0);
  released_by_ = tid;
  released_at_ = now;
}

void GilRecorder::finish(sim::Time end, int holder) {
  if (trace_ && holder >= 0 && end > held_since_)
    trace_->labelled_slice(gil_track_, held_since_, end, kGilHeld, (*names_)[static_cast<std::size_t>(holder)]);
}

}  // namespace models
