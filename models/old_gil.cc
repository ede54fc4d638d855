#include "models/old_gil.h"

#include "models/simulation.h"

namespace models {

namespace {
const sim::SliceStyle kGilHeld{"GIL held", "#f4a261"};
}

OldGil::OldGil(sim::EventQueue& events, Machine& machine, int threads)
    : events_(events), machine_(machine), per_(static_cast<std::size_t>(threads)) {
  blocked_.resize(static_cast<std::size_t>(threads));
}

void OldGil::set_trace(sim::TraceSink* trace, sim::TrackId gil_track, sim::TrackId waiters_counter,
                       sim::TrackId first_thread_track, const std::vector<std::string>* thread_names) {
  trace_ = trace;
  gil_track_ = gil_track;
  waiters_counter_ = waiters_counter;
  first_thread_track_ = first_thread_track;
  names_ = thread_names;
}

bool OldGil::take(int tid) {
  PerThread& me = per_[tid];
  if (me.woken) {  // back from futex wait: it retries the decrement
    me.woken = false;
    --woken_count_;
    if (locked_) ++futile_wakeups_;
  }
  if (!locked_) {
    locked_ = true;
    holder_ = tid;
    ++me.acquisitions;
    held_.set(events_.now(), 1);
    held_since_ = events_.now();
    if (last_holder_ != tid) {
      ++handoffs_;
      if (trace_ && released_by_ >= 0 && released_by_ != tid)
        trace_->flow(first_thread_track_ + static_cast<sim::TrackId>(released_by_), released_at_,
                     first_thread_track_ + static_cast<sim::TrackId>(tid), events_.now(), "hand-off");
      last_holder_ = tid;
    }
    return true;
  }
  me.blocked = true;
  blocked_[(blocked_head_ + blocked_count_++) % blocked_.size()] = tid;
  if (trace_) trace_->counter(waiters_counter_, events_.now(), static_cast<std::int64_t>(blocked_count_));
  machine_.block(tid);
  return false;
}

OldGil::Post OldGil::release(int tid) {
  if (!locked_ || holder_ != tid) throw InvariantViolation("old GIL released by a thread that does not hold it");
  if (trace_ && events_.now() > held_since_)
    trace_->labelled_slice(gil_track_, held_since_, events_.now(), kGilHeld,
                           (*names_)[static_cast<std::size_t>(tid)]);
  locked_ = false;
  holder_ = -1;
  held_.set(events_.now(), 0);
  released_by_ = tid;
  released_at_ = events_.now();
  if (blocked_count_ == 0) return woken_count_ > 0 ? Post::WokeNobody : Post::NoSyscall;
  {
    const int w = blocked_[blocked_head_];
    blocked_head_ = (blocked_head_ + 1) % blocked_.size();
    --blocked_count_;
    per_[w].blocked = false;
    per_[w].woken = true;
    ++woken_count_;
    machine_.wake(w);
    if (trace_) trace_->counter(waiters_counter_, events_.now(), static_cast<std::int64_t>(blocked_count_));
  }
  return Post::WokeOne;
}

void OldGil::finish_trace(sim::Time end) {
  if (trace_ && locked_ && end > held_since_)
    trace_->labelled_slice(gil_track_, held_since_, end, kGilHeld, (*names_)[static_cast<std::size_t>(holder_)]);
}

}  // namespace models
