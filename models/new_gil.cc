// The new GIL's rarer calls (a hand-off, a drop, the choice of a waiter):
// the class and its per-event calls are in models/new_gil.h.
#include "models/new_gil.h"

namespace models {

bool NewGil::acquire(int tid) {
  locked_ = true;
  holder_ = tid;
  ++acquisitions_[static_cast<std::size_t>(tid)];
  const bool handoff = last_holder_ != tid;
  if (handoff) {
    last_holder_ = tid;
    stats_.handoffs = ++switch_number_;
  }
  recorder_.taken(events_.now(), tid, handoff);
  // COND_SIGNAL(gil->switch_cond): a forced dropper waiting for this may go on.
  bool signalled = false;
  if (!switch_waiters_.empty()) {
    const int w = switch_waiters_.front();
    switch_waiters_.erase(switch_waiters_.begin());
    os_.wake(w);
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
  last_core_ = os_.core_of(tid);
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
    if (!pw.arming) os_.wake(w);  // an arming waiter has not slept yet: its wait returns at once
  }
}

// drop_gil(), forced (at a check point) or voluntary (around a blocking call).
// True if a drop request was pending: the thread then waits on switch_cond
// (blocked) until another thread has taken the GIL.
bool NewGil::drop_gil(int tid) {
  release(tid);
  if (!drop_request_) return false;
  // FORCE_SWITCHING: "if (last_holder == tstate) { RESET_GIL_DROP_REQUEST;
  // COND_WAIT(switch_cond) }" -- nobody can have taken the GIL in zero time,
  // so the dropper always waits here for a hand-off.
  drop_request_ = false;
  ++stats_.forced_switches;
  if (request_from_ >= 0) recorder_.arrow(request_from_, request_at_, tid, events_.now(), "drop request");
  request_from_ = -1;
  switch_waiters_.push_back(tid);
  os_.block(tid);
  return true;
}

int NewGil::pick_waiter() {
  if (!wake_random_) return waiters_head_;
  auto k = rng_.below(static_cast<std::uint64_t>(waiter_count_));
  int w = waiters_head_;
  while (k-- > 0) w = per_[w].next;
  return w;
}

namespace {
std::unique_ptr<GilProtocol> make(const GilSetup& setup) { return std::make_unique<NewGil>(setup); }
}  // namespace

extern const GilProtocolType kNewGil;
const GilProtocolType kNewGil = {"new GIL", "Python/ceval_gil.c: a timed wait on the GIL, a drop request after a whole interval, forced switching", true, &make};

}  // namespace models
