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
      placed_slice_(static_cast<std::size_t>(cores.threads()), slice_),
      rq_(static_cast<std::size_t>(cores.threads()), -1),
      delayed_(static_cast<std::size_t>(cores.threads())),
      unprotected_(static_cast<std::size_t>(cores.threads())),
      forced_(static_cast<std::size_t>(cores.cores())),
      min_vruntime_(static_cast<std::size_t>(cores.cores())),
      queued_(static_cast<std::size_t>(cores.cores())),
      queue_(cores.threads()) {
  delayed_threads_.reserve(static_cast<std::size_t>(cores.threads()));
}

sim::Time Eevdf::current_vruntime(int core, sim::Time now) const {
  return vruntime(cores_.thread_on(core)) + (now - cores_.since(core));
}

// avg_vruntime() sums over the entities on the CPU's cfs_rq and its current one.
Eevdf::Average Eevdf::average(int core, sim::Time now, bool with_current) const {
  Average a;
  if (with_current && cores_.thread_on(core) != -1) a.add(current_vruntime(core, now));
  for (std::size_t i = 0; i < queue_.size(); ++i)
    if (const int tid = queue_.at(i); rq_[static_cast<std::size_t>(tid)] == core) a.add(vruntime(tid));
  for (int tid : delayed_threads_)
    if (rq_[static_cast<std::size_t>(tid)] == core) a.add(vruntime(tid));
  return a;
}

// The machine takes the lowest-numbered idle core for a woken thread when the
// wake-up ends if it had none when it began (Machine::on_wakeup), and for a
// new thread; Linux would have enqueued it where select_task_rq_fair() chose
// and a newly idle CPU would pull it (sched_balance_newidle()). Either way it
// ends up placed on this core's queue with the lag it was woken with.
void Eevdf::adopt(int core, sim::Time now) {
  const int tid = cores_.thread_on(core);
  if (tid == -1) return;
  const std::size_t t = static_cast<std::size_t>(tid);
  const int was = rq_[t];
  rq_[t] = core;
  // A thread never placed (a test's table filled by hand) keeps its vruntime.
  if (was == core || was == -1) return;
  place(tid, core, average(core, now, /*with_current=*/false), lag_[t], placed_slice_[t]);
}

// pick_next_entity() dequeues a delayed entity it picks (dequeue_entities()
// with DEQUEUE_DELAYED), which it can once it is eligible; DELAY_ZERO clears
// the positive lag it then has.
Eevdf::Average Eevdf::settle(int core, sim::Time now) {
  adopt(core, now);
  Average a = average(core, now);
  const auto left = std::remove_if(delayed_threads_.begin(), delayed_threads_.end(), [&](int tid) {
    if (rq_[static_cast<std::size_t>(tid)] != core || !a.admits(vruntime(tid))) return false;
    delayed_[static_cast<std::size_t>(tid)] = 0;
    lag_[static_cast<std::size_t>(tid)] = 0;
    return true;
  });
  if (left == delayed_threads_.end()) return a;
  delayed_threads_.erase(left, delayed_threads_.end());
  return average(core, now);
}

sim::Time Eevdf::mean(int core, const Average& a) const {
  if (a.n == 0) return min_vruntime_[static_cast<std::size_t>(core)];
  // avg_vruntime() rounds towards minus infinity ("if (avg < 0) avg -= (load - 1)").
  const std::int64_t q = a.sum / a.n;
  return a.base + (a.sum % a.n < 0 ? q - 1 : q);
}

sim::Time Eevdf::average_vruntime(int core, sim::Time now) const { return mean(core, average(core, now)); }

bool Eevdf::eligible(int tid, sim::Time now) const {
  for (int core = 0; core < cores_.cores(); ++core)
    if (cores_.thread_on(core) == tid) return average(core, now).admits(current_vruntime(core, now));
  const int rq = rq_[static_cast<std::size_t>(tid)];
  return rq == -1 || average(rq, now).admits(vruntime(tid));  // never placed: no queue to be behind
}

// place_entity(): lag is kept across the sleep, scaled by (n + 1) / n so that
// adding the thread to the average does not eat it; no lag with nobody else
// runnable on the queue (PLACE_LAG wants cfs_rq->nr_queued).
void Eevdf::place(int tid, int core, const Average& a, sim::Time lag, sim::Time vslice) {
  note(core, a);
  const std::size_t t = static_cast<std::size_t>(tid);
  const sim::Time scaled = a.n > 0 ? lag * (a.n + 1) / a.n : 0;
  const sim::Time v = mean(core, a) - scaled;
  offset_[t] = v - cores_.cpu_time(tid) - cores_.switch_time(tid);
  // EEVDF: vd_i = ve_i + r_i / w_i.
  deadline_[t] = v + vslice;
  lag_[t] = lag;
  placed_slice_[t] = vslice;
}

int Eevdf::idlest(int tid) const {
  int best = -1, best_load = 0;
  for (int core = 0; core < cores_.cores(); ++core) {
    if (!cores_.allowed(tid, core)) continue;
    const int load = queued_[static_cast<std::size_t>(core)] + (cores_.thread_on(core) != -1);
    if (best == -1 || load < best_load) best = core, best_load = load;
  }
  return best;
}

// wake_up_new_task(): select_task_rq(WF_FORK) (an idle CPU, else the idlest:
// sched_balance_find_dst_cpu()), then place_entity(ENQUEUE_INITIAL): at V,
// with half a slice (PLACE_DEADLINE_INITIAL: the others are halfway through
// theirs).
void Eevdf::place_started(int tid, sim::Time now) {
  const std::size_t t = static_cast<std::size_t>(tid);
  delayed_[t] = 0;
  unprotected_[t] = 0;
  const int idle = cores_.first_idle_for(tid);
  const int core = idle != -1 ? idle : idlest(tid);
  rq_[t] = core;
  place(tid, core, settle(core, now), 0, slice_ / 2);
}

// dequeue_entity(DEQUEUE_SLEEP): update_entity_lag(), and DELAY_DEQUEUE for
// a thread that is not eligible (it has received more than its share).
void Eevdf::blocked(int tid, int core, sim::Time now) {
  forced_[static_cast<std::size_t>(core)] = 0;
  const Average a = settle(core, now);
  note(core, a);
  const sim::Time v = current_vruntime(core, now);
  lag_[static_cast<std::size_t>(tid)] = std::clamp(mean(core, a) - v, -lag_limit_, lag_limit_);
  if (a.admits(v)) return;
  // Its vruntime stays v: the machine adds what it ran as it leaves the core.
  delayed_[static_cast<std::size_t>(tid)] = 1;
  delayed_threads_.push_back(tid);
}

// try_to_wake_up() -> select_task_rq_fair(): the machine's idle core if it
// has one (it asks first_idle_for() next, and gets the same answer), else
// the thread's previous CPU; then enqueue_entity() -> place_entity().
void Eevdf::place_woken(int tid, sim::Time now) {
  const std::size_t t = static_cast<std::size_t>(tid);
  unprotected_[t] = 0;
  const int idle = cores_.first_idle_for(tid);
  const int was = rq_[t];
  const int core = idle != -1 ? idle : was != -1 ? was : idlest(tid);
  sim::Time lag = lag_[t];
  if (delayed_[t]) {
    delayed_[t] = 0;
    delayed_threads_.erase(std::find(delayed_threads_.begin(), delayed_threads_.end(), tid));
    // requeue_delayed_entity(): still ineligible, it never left the queue
    // and keeps its vruntime and deadline; otherwise DELAY_ZERO: lag 0.
    const Average a = settle(was, now);
    const bool ahead = !a.admits(vruntime(tid));
    if (ahead && core == was) return;
    // Moved to another core's queue: dequeue_entities(DEQUEUE_DELAYED) first,
    // with the lag it has there now.
    lag = ahead ? std::clamp(mean(was, a) - vruntime(tid), -lag_limit_, lag_limit_) : 0;
  }
  rq_[t] = core;
  place(tid, core, settle(core, now), lag, slice_);
}

std::size_t Eevdf::earliest(int rq, int core, const Average* a) const {
  const std::size_t n = queue_.size();
  std::size_t best = n;
  for (std::size_t i = 0; i < n; ++i) {
    const int tid = queue_.at(i);
    if (rq_[static_cast<std::size_t>(tid)] != rq || !cores_.allowed(tid, core) || (a && !a->admits(vruntime(tid))))
      continue;
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
  const std::size_t i = earliest(core, core, &a);
  int best = i == queue_.size() ? -1 : queue_.at(i);
  // The woken thread is the newest in the tree: it loses a tie with a waiting one.
  if (woken >= 0 && a.admits(vruntime(woken)) && (best == -1 || deadline(woken) < deadline(best))) best = woken;
  if (curr_eligible && (best == -1 || deadline(curr) < deadline(best))) best = curr;
  return best;
}

// check_preempt_wakeup_fair() (wakeup_preempt_fair() since 6.12), called by
// ttwu_do_activate() for the CPU the thread was enqueued on: the woken
// thread, already enqueued, preempts that CPU's current if it is what
// pick_eevdf() would run.
int Eevdf::wakeup_preemption_target(int tid, sim::Time now) {
  if (!wakeup_preemption_) return -1;
  const int core = rq_[static_cast<std::size_t>(tid)];
  if (cores_.thread_on(core) == -1 || cores_.switching(core)) return -1;
  Average a = settle(core, now);
  a.add(vruntime(tid));
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
  return -1;
}

// A thread preempted waits on the queue of the core it ran on; a woken one
// on the queue place_woken() chose.
void Eevdf::enqueue(int tid) {
  int& rq = rq_[static_cast<std::size_t>(tid)];
  // Never placed (a test's table filled by hand): its first allowed core.
  if (rq == -1)
    while (!cores_.allowed(tid, ++rq)) {
    }
  ++queued_[static_cast<std::size_t>(rq)];
  queue_.push(tid);
}

int Eevdf::busiest(int core, int least) const {
  int best = -1;
  for (std::size_t i = 0; i < queue_.size(); ++i) {
    const int tid = queue_.at(i);
    const int rq = rq_[static_cast<std::size_t>(tid)];
    if (rq == core || !cores_.allowed(tid, core)) continue;
    const int n = queued_[static_cast<std::size_t>(rq)];
    if (n < least) continue;
    if (best == -1 || n > queued_[static_cast<std::size_t>(best)] ||
        (n == queued_[static_cast<std::size_t>(best)] && rq < best))
      best = rq;
  }
  return best;
}

// detach_task() dequeues it from its CPU (dequeue_entity(): update_entity_lag()
// keeps its lag; with DEQUEUE_MIGRATING its deadline is kept relative to its
// vruntime, rel_deadline), attach_task() enqueues it on this one
// (place_entity(): at V - lag, the same relative deadline).
int Eevdf::pull(int from, int core, sim::Time now) {
  const Average src = settle(from, now);
  std::size_t i = earliest(from, core, &src);
  if (i == queue_.size()) i = earliest(from, core, nullptr);
  const int tid = queue_.at(i);
  const std::size_t t = static_cast<std::size_t>(tid);
  const sim::Time v = vruntime(tid);
  const sim::Time lag = std::clamp(mean(from, src) - v, -lag_limit_, lag_limit_);
  const sim::Time relative = deadline(tid) - v;
  const Average dst = settle(core, now);
  --queued_[static_cast<std::size_t>(from)];
  ++queued_[static_cast<std::size_t>(core)];
  rq_[t] = core;
  const sim::Time slice = placed_slice_[t];
  place(tid, core, dst, lag, relative);
  placed_slice_[t] = slice;
  return tid;
}

// pick_next_task_fair(): pick_next_entity() -> pick_eevdf(), set_next_entity()
// protects the slice; with nothing on this CPU's cfs_rq, sched_balance_newidle()
// first pulls a thread from the busiest queue.
int Eevdf::pick_next(int core, sim::Time now) {
  forced_[static_cast<std::size_t>(core)] = 0;
  if (queued_[static_cast<std::size_t>(core)] == 0) {
    const int from = busiest(core, 1);
    if (from == -1) return -1;
    pull(from, core, now);
  }
  const Average a = settle(core, now);
  std::size_t i = earliest(core, core, &a);
  // The least vruntime of the queue is never past its V; as a safeguard (a
  // core that may not run some of its queue's threads), the earliest deadline.
  if (i == queue_.size()) i = earliest(core, core, nullptr);
  if (i == queue_.size()) return -1;
  const int tid = queue_.take(i);
  --queued_[static_cast<std::size_t>(core)];
  unprotected_[static_cast<std::size_t>(tid)] = 0;
  return tid;
}

// Its own queue has a thread, or its tick would pull one (slice_expired()).
bool Eevdf::waiting_for(int core) const {
  const int own = queued_[static_cast<std::size_t>(core)];
  return own > 0 || busiest(core, own + 2) != -1;
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

// The next scheduler tick: sched_tick() checks the slice (update_deadline())
// and triggers load balancing at each.
sim::Time Eevdf::slice_end(int core, sim::Time now) const {
  (void)core;
  return (now / tick_ + 1) * tick_;
}

// sched_tick(): sched_balance_trigger() (here: pull one thread if this
// core's queue is 2 or more shorter than the busiest), and entity_tick() ->
// update_curr() -> update_deadline(): past its deadline, the thread gets a
// new one a slice past its vruntime and the core reschedules (the pick may
// be the same thread, now without protection). A wake-up preemption's slice
// end reschedules too; a pulled thread preempts if it is the pick
// (attach_task() -> wakeup_preempt()).
bool Eevdf::slice_expired(int core, sim::Time now) {
  const std::size_t c = static_cast<std::size_t>(core);
  bool resched = forced_[c] != 0;
  forced_[c] = 0;
  const int from = busiest(core, queued_[c] + 2);
  const int pulled = from == -1 ? -1 : pull(from, core, now);
  const Average a = settle(core, now);
  const int curr = cores_.thread_on(core);
  const sim::Time vc = current_vruntime(core, now);
  if (renew_deadline(curr, vc)) resched = true;
  const int best = pick(core, a, curr, vc, -1);
  if (pulled != -1 && best == pulled) return true;
  return resched && best != -1 && best != curr;
}

}  // namespace models
