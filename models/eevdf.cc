#include "models/eevdf.h"

#include <algorithm>

namespace models {

Eevdf::Eevdf(const MachineConfig& config, const CoreTable& cores)
    : cores_(cores),
      wakeup_preemption_(config.wakeup_preemption),
      // sysctl_sched_base_slice: 700000 ns since 6.15 (750000 before), scaled
      // by update_sysctl() like every latency of the fair class.
      slice_(config.base_slice >= 0 ? config.base_slice : sysctl_factor(config.cores) * 700 * sim::kMicrosecond),
      tick_(config.scheduler_tick),
      // update_entity_lag(): limit = max(2 * se->slice, TICK_NSEC).
      lag_limit_(std::max(2 * slice_, tick_)),
      offset_(static_cast<std::size_t>(cores.threads())),
      deadline_(static_cast<std::size_t>(cores.threads())),
      lag_(static_cast<std::size_t>(cores.threads())),
      delayed_(static_cast<std::size_t>(cores.threads())),
      unprotected_(static_cast<std::size_t>(cores.threads())),
      forced_(static_cast<std::size_t>(cores.cores())),
      queue_(cores.threads()) {
  delayed_threads_.reserve(static_cast<std::size_t>(cores.threads()));
}

sim::Time Eevdf::current_vruntime(int core, sim::Time now) const {
  return vruntime(cores_.thread_on(core)) + (now - cores_.since(core));
}

// avg_vruntime() sums over the entities on the run queue and the current one.
Eevdf::Average Eevdf::average(sim::Time now) const {
  Average a;
  for (int core = 0; core < cores_.cores(); ++core)
    if (cores_.thread_on(core) != -1) a.add(current_vruntime(core, now));
  for (std::size_t i = 0; i < queue_.size(); ++i) a.add(vruntime(queue_.at(i)));
  for (int tid : delayed_threads_) a.add(vruntime(tid));
  return a;
}

// pick_next_entity() dequeues a delayed entity it picks (dequeue_entities()
// with DEQUEUE_DELAYED), which it can once it is eligible; DELAY_ZERO clears
// the positive lag it then has.
Eevdf::Average Eevdf::settle(sim::Time now) {
  Average a = average(now);
  const auto left = std::remove_if(delayed_threads_.begin(), delayed_threads_.end(), [&](int tid) {
    if (!a.admits(vruntime(tid))) return false;
    delayed_[static_cast<std::size_t>(tid)] = 0;
    lag_[static_cast<std::size_t>(tid)] = 0;
    return true;
  });
  if (left == delayed_threads_.end()) return a;
  delayed_threads_.erase(left, delayed_threads_.end());
  return average(now);
}

sim::Time Eevdf::mean(const Average& a) const {
  if (a.n == 0) return min_vruntime_;
  // avg_vruntime() rounds towards minus infinity ("if (avg < 0) avg -= (load - 1)").
  const std::int64_t q = a.sum / a.n;
  return a.base + (a.sum % a.n < 0 ? q - 1 : q);
}

sim::Time Eevdf::average_vruntime(sim::Time now) const { return mean(average(now)); }

bool Eevdf::eligible(int tid, sim::Time now) const {
  sim::Time v = vruntime(tid);
  for (int core = 0; core < cores_.cores(); ++core)
    if (cores_.thread_on(core) == tid) v = current_vruntime(core, now);
  return average(now).admits(v);
}

// place_entity(): lag is kept across the sleep, scaled by (n + 1) / n so that
// adding the thread to the average does not eat it; no lag with nobody else
// runnable.
void Eevdf::place(int tid, const Average& a, sim::Time lag, sim::Time vslice) {
  note(a);
  const sim::Time scaled = a.n > 0 ? lag * (a.n + 1) / a.n : 0;
  const sim::Time v = mean(a) - scaled;
  offset_[static_cast<std::size_t>(tid)] = v - cores_.cpu_time(tid) - cores_.switch_time(tid);
  // EEVDF: vd_i = ve_i + r_i / w_i.
  deadline_[static_cast<std::size_t>(tid)] = v + vslice;
}

// wake_up_new_task() -> place_entity(ENQUEUE_INITIAL): at V, with half a
// slice (PLACE_DEADLINE_INITIAL: the others are halfway through theirs).
void Eevdf::place_started(int tid, sim::Time now) {
  const std::size_t t = static_cast<std::size_t>(tid);
  delayed_[t] = 0;
  unprotected_[t] = 0;
  lag_[t] = 0;
  place(tid, settle(now), 0, slice_ / 2);
}

// dequeue_entity(DEQUEUE_SLEEP): update_entity_lag(), and DELAY_DEQUEUE for
// a thread that is not eligible (it has received more than its share).
void Eevdf::blocked(int tid, int core, sim::Time now) {
  forced_[static_cast<std::size_t>(core)] = 0;
  const Average a = settle(now);
  note(a);
  const sim::Time v = current_vruntime(core, now);
  lag_[static_cast<std::size_t>(tid)] = std::clamp(mean(a) - v, -lag_limit_, lag_limit_);
  if (a.admits(v)) return;
  // Its vruntime stays v: the machine adds what it ran as it leaves the core.
  delayed_[static_cast<std::size_t>(tid)] = 1;
  delayed_threads_.push_back(tid);
}

void Eevdf::place_woken(int tid, sim::Time now) {
  const std::size_t t = static_cast<std::size_t>(tid);
  unprotected_[t] = 0;
  sim::Time lag = lag_[t];
  if (delayed_[t]) {
    delayed_[t] = 0;
    delayed_threads_.erase(std::find(delayed_threads_.begin(), delayed_threads_.end(), tid));
    // requeue_delayed_entity(): still ineligible, it never left the queue
    // and keeps its vruntime and deadline; otherwise DELAY_ZERO: lag 0.
    const Average a = settle(now);
    if (!a.admits(vruntime(tid))) return;
    place(tid, a, 0, slice_);
    return;
  }
  place(tid, settle(now), lag, slice_);
}

std::size_t Eevdf::earliest(int core, const Average* a) const {
  const std::size_t n = queue_.size();
  std::size_t best = n;
  for (std::size_t i = 0; i < n; ++i) {
    const int tid = queue_.at(i);
    if (!cores_.allowed(tid, core) || (a && !a->admits(vruntime(tid)))) continue;
    if (best == n || deadline(tid) < deadline(queue_.at(best))) best = i;
  }
  return best;
}

// __pick_eevdf(): an ineligible current thread is no candidate; an eligible
// one within its protected slice (RUN_TO_PARITY) stays; otherwise the
// eligible thread with the earliest deadline, the current one only if its
// deadline is strictly earlier (entity_before()).
int Eevdf::pick(int core, const Average& a, int curr, sim::Time vc, int woken) const {
  const bool curr_eligible = curr >= 0 && a.admits(vc);
  if (curr_eligible && !unprotected_[static_cast<std::size_t>(curr)] && vc < deadline(curr)) return curr;
  const std::size_t i = earliest(core, &a);
  int best = i == queue_.size() ? -1 : queue_.at(i);
  // The woken thread is the newest in the tree: it loses a tie with a waiting one.
  if (woken >= 0 && a.admits(vruntime(woken)) && (best == -1 || deadline(woken) < deadline(best))) best = woken;
  if (curr_eligible && (best == -1 || deadline(curr) < deadline(best))) best = curr;
  return best;
}

// check_preempt_wakeup_fair() (wakeup_preempt_fair() since 6.12): the woken
// thread, already enqueued, preempts if it is what pick_eevdf() would run.
int Eevdf::wakeup_preemption_target(int tid, sim::Time now) {
  if (!wakeup_preemption_) return -1;
  Average a = settle(now);
  a.add(vruntime(tid));
  for (int core = 0; core < cores_.cores(); ++core) {
    if (!cores_.allowed(tid, core) || cores_.thread_on(core) == -1 || cores_.switching(core)) continue;
    const int curr = cores_.thread_on(core);
    const sim::Time vc = current_vruntime(core, now);
    // update_curr() first: a thread past its deadline gets a new one and its
    // core reschedules (resched_curr()), whoever the pick then is.
    const bool resched = renew_deadline(curr, vc);
    const int best = pick(core, a, curr, vc, tid);
    if (best == tid || (resched && best != -1 && best != curr)) {
      forced_[static_cast<std::size_t>(core)] = 1;
      return core;
    }
  }
  return -1;
}

void Eevdf::enqueue(int tid) { queue_.push(tid); }

// pick_next_entity() -> pick_eevdf(); set_next_entity() protects the slice.
int Eevdf::pick_next(int core, sim::Time now) {
  forced_[static_cast<std::size_t>(core)] = 0;
  const Average a = settle(now);
  std::size_t i = earliest(core, &a);
  // Only the global queue can leave no waiting thread eligible (see the header).
  if (i == queue_.size()) i = earliest(core, nullptr);
  if (i == queue_.size()) return -1;
  const int tid = queue_.take(i);
  unprotected_[static_cast<std::size_t>(tid)] = 0;
  return tid;
}

bool Eevdf::waiting_for(int core) const {
  return queue_.any([&](int tid) { return cores_.allowed(tid, core); });
}

// update_deadline(): a thread whose vruntime has reached its deadline asks
// for a new slice, and loses its protection until a core picks it again
// (set_next_entity() protects; a thread picked again while current is not
// set again). True if it did.
bool Eevdf::renew_deadline(int tid, sim::Time v) {
  if (v < deadline(tid)) return false;
  deadline_[static_cast<std::size_t>(tid)] = v + slice_;
  unprotected_[static_cast<std::size_t>(tid)] = 1;
  return true;
}

// The first scheduler tick at which the thread's vruntime has reached its
// deadline, if it runs on: update_deadline() tests at each tick.
sim::Time Eevdf::slice_end(int core, sim::Time now) const {
  const sim::Time reach = now + std::max<sim::Time>(0, deadline(cores_.thread_on(core)) - current_vruntime(core, now));
  return (reach + tick_ - 1) / tick_ * tick_;
}

// entity_tick() -> update_curr() -> update_deadline(): past its deadline, the
// thread gets a new one a slice past its vruntime and the core reschedules
// (the pick may be the same thread, now without protection). A wake-up
// preemption's slice end reschedules too.
bool Eevdf::slice_expired(int core, sim::Time now) {
  const std::size_t c = static_cast<std::size_t>(core);
  bool resched = forced_[c] != 0;
  forced_[c] = 0;
  const int curr = cores_.thread_on(core);
  const sim::Time vc = current_vruntime(core, now);
  if (renew_deadline(curr, vc)) resched = true;
  if (!resched) return false;
  const int best = pick(core, settle(now), curr, vc, -1);
  return best != -1 && best != curr;
}

}  // namespace models
