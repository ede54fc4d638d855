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

void GilRecorder::trace_waiters(sim::Time now, std::int64_t count) { trace_->counter(waiters_counter_, now, count); }

void GilRecorder::trace_arrow(int from, sim::Time t_from, int to, sim::Time t_to, const char* name) {
  trace_->flow(thread_track(from), t_from, thread_track(to), t_to, name);
}

void GilRecorder::finish(sim::Time end, int holder) {
  if (trace_ && holder >= 0 && end > held_since_)
    trace_->labelled_slice(gil_track_, held_since_, end, kGilHeld, (*names_)[static_cast<std::size_t>(holder)]);
}

}  // namespace models
