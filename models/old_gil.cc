#include "models/old_gil.h"

namespace models {

namespace {
const sim::SliceStyle kGilHeld{"GIL held", "#f4a261"};
}

OldGil::OldGil(sim::EventQueue& events, Machine& machine, int threads)
    : events_(events), lock_(machine, threads) {}

void OldGil::set_trace(sim::TraceSink* trace, sim::TrackId gil_track, sim::TrackId waiters_counter,
                       sim::TrackId first_thread_track, const std::vector<std::string>* thread_names) {
  trace_ = trace;
  gil_track_ = gil_track;
  waiters_counter_ = waiters_counter;
  first_thread_track_ = first_thread_track;
  names_ = thread_names;
}

bool OldGil::take(int tid) {
  const std::uint64_t before = lock_.handoffs();
  if (!lock_.take(tid)) {
    if (trace_) trace_->counter(waiters_counter_, events_.now(), lock_.blocked_count());
    return false;
  }
  held_.set(events_.now(), 1);
  held_since_ = events_.now();
  if (trace_ && lock_.handoffs() != before && released_by_ >= 0 && released_by_ != tid)
    trace_->flow(first_thread_track_ + static_cast<sim::TrackId>(released_by_), released_at_,
                 first_thread_track_ + static_cast<sim::TrackId>(tid), events_.now(), "hand-off");
  return true;
}

OldGil::Post OldGil::release(int tid) {
  if (trace_ && events_.now() > held_since_ && lock_.holder() == tid)
    trace_->labelled_slice(gil_track_, held_since_, events_.now(), kGilHeld,
                           (*names_)[static_cast<std::size_t>(tid)]);
  const Post post = lock_.release(tid);
  held_.set(events_.now(), 0);
  released_by_ = tid;
  released_at_ = events_.now();
  if (trace_ && post == Post::WokeOne) trace_->counter(waiters_counter_, events_.now(), lock_.blocked_count());
  return post;
}

void OldGil::finish_trace(sim::Time end) {
  if (trace_ && lock_.holder() != -1 && end > held_since_)
    trace_->labelled_slice(gil_track_, held_since_, end, kGilHeld,
                           (*names_)[static_cast<std::size_t>(lock_.holder())]);
}

}  // namespace models
