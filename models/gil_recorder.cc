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

void GilRecorder::trace_held(sim::Time now, int tid) {
  trace_->labelled_slice(gil_track_, held_since_, now, kGilHeld, (*names_)[static_cast<std::size_t>(tid)]);
}

void GilRecorder::finish(sim::Time end, int holder) {
  if (trace_ && holder >= 0 && end > held_since_)
    trace_->labelled_slice(gil_track_, held_since_, end, kGilHeld, (*names_)[static_cast<std::size_t>(holder)]);
}

}  // namespace models
