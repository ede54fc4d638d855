#include "models/gil.h"

#include <algorithm>

#include "models/events.h"
#include "models/simulation.h"

namespace models {

NewGil::NewGil(const RuntimeConfig& config, sim::EventQueue& events, Machine& machine, sim::Rng rng,
               int threads)
    : config_(config),
      // ceval_gil.c: "if (interval < 1) interval = 1" (microseconds).
      interval_(std::max<sim::Time>(config.switch_interval, sim::kMicrosecond)),
      events_(events),
      machine_(machine),
      rng_(rng),
      per_(static_cast<std::size_t>(threads)) {
  switch_waiters_.reserve(static_cast<std::size_t>(threads));
}

// take_gil(), ceval_gil.c. The `while (locked)` loop is spread over calls:
// each call is one pass, made when the thread runs on a core.
NewGil::TakeResult NewGil::take_gil(int tid) {
  PerThread& me = per_[tid];
  int asked = -1;
  if (me.returning) {
    me.returning = false;
    // "if (timed_out && locked && switch_number == saved_switchnum)
    //      SET_GIL_DROP_REQUEST(interp);"
    // Only a full interval with no switch at all asks the holder to drop.
    if (me.timed_out && locked_ && switch_number_ == me.saved_switch_number) {
      set_drop_request();
      request_from_ = tid;
      request_at_ = events_.now();
      asked = holder_;
    }
    if (!me.timed_out && locked_) ++futile_wakeups_;
  }
  if (!locked_) {
    const bool signalled = acquire(tid);
    return {true, -1, signalled};
  }
  // COND_TIMED_WAIT(gil->cond, gil->mutex, interval, timed_out): a new full
  // interval starts on every pass, also after a signal that lost the race.
  me.saved_switch_number = switch_number_;
  me.timed_out = false;
  push_waiter(tid);
  me.timer = events_.schedule(events_.now() + interval_, kGilTimeout, static_cast<std::uint32_t>(tid));
  machine_.block(tid);
  return {false, asked, false};
}

void NewGil::on_timeout(int tid) {
  PerThread& me = per_[tid];
  me.timer = sim::EventHandle{};
  remove_waiter(tid);
  me.timed_out = true;
  me.returning = true;
  ++timeouts_;
  machine_.wake(tid);
}

void NewGil::set_drop_request() {
  drop_request_ = true;
  ++drop_requests_;
}

bool NewGil::acquire(int tid) {
  locked_ = true;
  holder_ = tid;
  ++per_[tid].acquisitions;
  const bool handoff = last_holder_ != tid;
  if (handoff) {
    last_holder_ = tid;
    ++switch_number_;
  }
  recorder_.taken(events_.now(), tid, handoff);
  // COND_SIGNAL(gil->switch_cond): a forced dropper waiting for this may go on.
  bool signalled = false;
  if (!switch_waiters_.empty()) {
    const int w = switch_waiters_.front();
    switch_waiters_.erase(switch_waiters_.begin());
    per_[w].switch_wait = false;
    machine_.wake(w);
    signalled = true;
  }
  // 3.2-3.12: RESET_GIL_DROP_REQUEST(interp); 3.13+: the taker clears its own
  // bit. gilsim sets the request on the holder only, so both clear it here.
  drop_request_ = false;
  return signalled;
}

void NewGil::release(int tid) {
  if (!locked_ || holder_ != tid) throw InvariantViolation("drop_gil by a thread that does not hold the GIL");
  recorder_.released(events_.now(), tid);
  last_holder_ = tid;
  locked_ = false;
  holder_ = -1;
  // COND_SIGNAL(gil->cond): wakes one waiter, who must still win the race.
  if (waiter_count_ > 0) {
    const int w = pick_waiter();
    PerThread& pw = per_[w];
    remove_waiter(w);
    events_.cancel(pw.timer);
    pw.timed_out = false;
    pw.returning = true;
    machine_.wake(w);
  }
}

bool NewGil::drop_gil(int tid) {
  release(tid);
  if (!drop_request_) return false;
  // FORCE_SWITCHING: "if (last_holder == tstate) { RESET_GIL_DROP_REQUEST;
  // COND_WAIT(switch_cond) }" -- nobody can have taken the GIL in zero time,
  // so the dropper always waits here for a hand-off.
  drop_request_ = false;
  ++forced_switches_;
  if (request_from_ >= 0) recorder_.arrow(request_from_, request_at_, tid, events_.now(), "drop request");
  request_from_ = -1;
  per_[tid].switch_wait = true;
  switch_waiters_.push_back(tid);
  machine_.block(tid);
  return true;
}

void NewGil::release_at_exit(int tid) {
  release(tid);
  drop_request_ = false;
}

void NewGil::push_waiter(int tid) {
  PerThread& p = per_[tid];
  p.waiting = true;
  p.prev = waiters_tail_;
  p.next = -1;
  if (waiters_tail_ >= 0) per_[waiters_tail_].next = tid;
  else waiters_head_ = tid;
  waiters_tail_ = tid;
  ++waiter_count_;
  recorder_.waiters(events_.now(), waiter_count_);
}

void NewGil::remove_waiter(int tid) {
  PerThread& p = per_[tid];
  if (!p.waiting) throw InvariantViolation("removed a thread that was not waiting for the GIL");
  if (p.prev >= 0) per_[p.prev].next = p.next;
  else waiters_head_ = p.next;
  if (p.next >= 0) per_[p.next].prev = p.prev;
  else waiters_tail_ = p.prev;
  p.prev = p.next = -1;
  p.waiting = false;
  --waiter_count_;
  recorder_.waiters(events_.now(), waiter_count_);
}

int NewGil::pick_waiter() {
  if (!config_.wake_random) return waiters_head_;
  auto k = rng_.below(static_cast<std::uint64_t>(waiter_count_));
  int w = waiters_head_;
  while (k-- > 0) w = per_[w].next;
  return w;
}

}  // namespace models
