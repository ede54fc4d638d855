#include "models/machine.h"

#include <algorithm>

#include "models/events.h"
#include "models/simulation.h"

namespace models {

namespace {
const sim::SliceStyle kCoreRunning{"thread on core", "#5b8def"};
const sim::SliceStyle kCoreSwitch{"context switch", "#9e9e9e"};
}  // namespace

Machine::Machine(const MachineConfig& config, sim::EventQueue& events, int threads, sim::Rng rng)
    : config_(config),
      events_(events),
      rng_(rng),
      cores_(static_cast<std::size_t>(config.cores)),
      threads_(static_cast<std::size_t>(threads)),
      queue_(static_cast<std::size_t>(threads) + 1) {
  woken_.reserve(static_cast<std::size_t>(threads));
  // get_update_sysctl_factor(): 1 + ilog2(min(online cpus, 8)).
  int factor = 1;
  for (int cpus = std::min(config.cores, 8); cpus > 1; cpus /= 2) ++factor;
  wakeup_granularity_ =
      config.wakeup_granularity >= 0 ? config.wakeup_granularity : factor * sim::kMillisecond;
  sched_latency_ = config.sched_latency >= 0 ? config.sched_latency : 6 * factor * sim::kMillisecond;
}

sim::Time Machine::current_vruntime(const Core& c) const {
  const sim::Time vr = threads_[c.thread].vruntime;
  return c.switching ? vr : vr + (events_.now() - c.since);
}

// CFS's min_vruntime: never goes back; follows the least-served runnable thread.
sim::Time Machine::min_vruntime() {
  sim::Time m = INT64_MAX;
  for (const Core& c : cores_)
    if (c.thread != -1) m = std::min(m, current_vruntime(c));
  for (std::size_t i = 0; i < queue_size_; ++i)
    m = std::min(m, threads_[queue_[(queue_head_ + i) % queue_.size()]].vruntime);
  if (m != INT64_MAX) min_vruntime_ = std::max(min_vruntime_, m);
  return min_vruntime_;
}

// place_entity(): a thread that slept keeps its vruntime, but not less than
// half a latency period below the others, so it runs soon without starving them.
void Machine::place_woken(int tid) {
  OsThread& t = threads_[tid];
  // Cheap test first: any running thread's vruntime bounds min_vruntime from
  // above, so a thread not far behind it needs no placement (the common case).
  for (const Core& c : cores_) {
    if (c.thread == -1 || c.switching) continue;
    if (t.vruntime >= current_vruntime(c) - sched_latency_ / 2) return;
    break;
  }
  t.vruntime = std::max(t.vruntime, min_vruntime() - sched_latency_ / 2);
}

// check_preempt_wakeup(): the running thread (on a core the woken thread may
// use) that it would preempt, or -1. Only when no allowed core is idle.
int Machine::preemption_target(int tid) {
  if (!config_.wakeup_preemption) return -1;
  // The common case, cheaply: an idle core will take an unpinned thread.
  if (threads_[tid].affinity.empty() && busy_.level() < static_cast<std::int64_t>(cores_.size())) return -1;
  int best = -1;
  sim::Time best_gap = wakeup_granularity_;
  for (std::size_t i = 0; i < cores_.size(); ++i) {
    const Core& c = cores_[i];
    if (!allowed(tid, static_cast<int>(i))) continue;
    if (c.thread == -1) return -1;  // an idle core will take it
    if (c.switching) continue;
    const sim::Time gap = current_vruntime(c) - threads_[tid].vruntime;
    if (gap > best_gap) {
      best_gap = gap;
      best = static_cast<int>(i);
    }
  }
  return best;
}

void Machine::set_trace(sim::TraceSink* trace, sim::TrackId first_core_track, sim::TrackId runnable_counter,
                        const std::vector<std::string>* thread_names) {
  trace_ = trace;
  first_core_track_ = first_core_track;
  runnable_counter_ = runnable_counter;
  names_ = thread_names;
}

void Machine::set_affinity(int tid, const std::vector<int>& cores) {
  auto& mask = threads_[tid].affinity;
  mask.assign((cores_.size() + 63) / 64, 0);
  for (int c : cores) mask[static_cast<std::size_t>(c) / 64] |= std::uint64_t{1} << (c % 64);
}

void Machine::enqueue(int tid) {
  queue_[(queue_head_ + queue_size_) % queue_.size()] = tid;
  ++queue_size_;
}

// pick_next_entity(): the lowest vruntime among the queued threads allowed
// on `core`; the earliest queued on a tie.
int Machine::dequeue_for(int core) {
  const std::size_t cap = queue_.size();
  std::size_t best = queue_size_;
  for (std::size_t i = 0; i < queue_size_; ++i) {
    const int tid = queue_[(queue_head_ + i) % cap];
    if (!allowed(tid, core)) continue;
    if (best == queue_size_ || threads_[tid].vruntime < threads_[queue_[(queue_head_ + best) % cap]].vruntime)
      best = i;
  }
  if (best == queue_size_) return -1;
  const int tid = queue_[(queue_head_ + best) % cap];
  // Close the gap: shift the threads queued before it one place back.
  for (std::size_t j = best; j > 0; --j) queue_[(queue_head_ + j) % cap] = queue_[(queue_head_ + j - 1) % cap];
  queue_head_ = (queue_head_ + 1) % cap;
  --queue_size_;
  return tid;
}

bool Machine::queued_for(int core) const {
  for (std::size_t i = 0; i < queue_size_; ++i)
    if (allowed(queue_[(queue_head_ + i) % queue_.size()], core)) return true;
  return false;
}

void Machine::count_runnable(int delta) {
  runnable_ += delta;
  if (trace_) trace_->counter(runnable_counter_, events_.now(), runnable_);
}

void Machine::start(int tid) {
  threads_[tid].state = OsState::Waking;
  count_runnable(+1);
  events_.schedule(events_.now(), kWakeup, static_cast<std::uint32_t>(tid));
}

void Machine::wake(int tid) {
  OsThread& t = threads_[tid];
  if (t.state != OsState::Blocked) throw InvariantViolation("woke a thread that was not blocked");
  t.state = OsState::Waking;
  ++wakeups_;
  woken_.push_back(tid);
  count_runnable(+1);
  place_woken(tid);
  const int core = preemption_target(tid);
  if (core >= 0) {
    // The waker's system call returns into the scheduler: the woken thread
    // is queued now and the core switches to it (kTimeslice at once picks
    // the lowest vruntime), paying a context switch instead of the latency.
    events_.schedule(events_.now(), kWakeup, static_cast<std::uint32_t>(tid));
    Core& c = cores_[static_cast<std::size_t>(core)];
    events_.cancel(c.slice);
    c.slice = events_.schedule(events_.now(), kTimeslice, static_cast<std::uint32_t>(core));
    return;
  }
  events_.schedule(events_.now() + config_.wakeup_latency.sample(rng_), kWakeup, static_cast<std::uint32_t>(tid));
}

bool Machine::on_wakeup(int tid) {
  // Lowest-numbered idle core: deterministic, and what a reader expects.
  for (std::size_t c = 0; c < cores_.size(); ++c) {
    if (cores_[c].thread == -1 && allowed(tid, static_cast<int>(c))) {
      assign(static_cast<int>(c), tid);
      return true;
    }
  }
  threads_[tid].state = OsState::Runnable;
  enqueue(tid);
  arm_timeslices();
  return false;
}

void Machine::assign(int core, int tid) {
  Core& c = cores_[core];
  if (c.thread != -1) throw InvariantViolation("a core was given a second thread");
  c.thread = tid;
  c.switching = false;
  c.since = events_.now();
  if (c.last_thread != tid) ++context_switches_;
  c.last_thread = tid;
  threads_[tid].state = OsState::Running;
  threads_[tid].core = core;
  busy_.add(events_.now(), +1);
  count_runnable(-1);
}

void Machine::release(int core) {
  Core& c = cores_[core];
  if (!c.switching) threads_[c.thread].vruntime += events_.now() - c.since;
  if (trace_ && !c.switching && events_.now() > c.since)
    trace_->labelled_slice(first_core_track_ + static_cast<sim::TrackId>(core), c.since, events_.now(),
                           kCoreRunning, (*names_)[static_cast<std::size_t>(c.thread)]);
  events_.cancel(c.slice);
  c.thread = -1;
  busy_.add(events_.now(), -1);
}

void Machine::block(int tid) {
  OsThread& t = threads_[tid];
  if (t.state != OsState::Running) throw InvariantViolation("a thread blocked while not running");
  const int core = t.core;
  t.state = OsState::Blocked;
  t.core = -1;
  release(core);
  run_next(core);
}

void Machine::run_next(int core) {
  const int tid = dequeue_for(core);
  if (tid == -1) return;
  Core& c = cores_[core];
  c.thread = tid;
  c.switching = true;
  c.since = events_.now();
  threads_[tid].core = core;
  busy_.add(events_.now(), +1);
  sim::Time cost = 0;
  if (c.last_thread != tid) {
    ++context_switches_;
    cost = config_.context_switch.sample(rng_);
  }
  c.last_thread = tid;
  events_.schedule(events_.now() + cost, kDispatch, static_cast<std::uint32_t>(core));
}

int Machine::on_dispatch(int core) {
  Core& c = cores_[core];
  if (trace_ && events_.now() > c.since)
    trace_->slice(first_core_track_ + static_cast<sim::TrackId>(core), c.since, events_.now(), kCoreSwitch);
  c.switching = false;
  c.since = events_.now();
  threads_[c.thread].state = OsState::Running;
  count_runnable(-1);
  if (queue_size_ > 0) arm_timeslices();
  return c.thread;
}

void Machine::arm_timeslices() {
  for (auto& c : cores_) {
    if (c.thread == -1 || c.switching || events_.pending(c.slice)) continue;
    const auto core = static_cast<std::uint32_t>(&c - cores_.data());
    c.slice = events_.schedule(std::max(events_.now(), c.since + config_.timeslice), kTimeslice, core);
  }
}

int Machine::timeslice_victim(int core) {
  Core& c = cores_[core];
  c.slice = sim::EventHandle{};
  if (c.thread == -1 || c.switching || !queued_for(core)) return -1;
  return c.thread;
}

void Machine::preempt(int core) {
  const int tid = cores_[core].thread;
  ++preemptions_;
  release(core);
  threads_[tid].state = OsState::Runnable;
  threads_[tid].core = -1;
  count_runnable(+1);
  enqueue(tid);
  run_next(core);
}

void Machine::finish_trace(sim::Time end) {
  if (!trace_) return;
  for (std::size_t i = 0; i < cores_.size(); ++i) {
    const Core& c = cores_[i];
    if (c.thread != -1 && !c.switching && end > c.since)
      trace_->labelled_slice(first_core_track_ + static_cast<sim::TrackId>(i), c.since, end, kCoreRunning,
                             (*names_)[static_cast<std::size_t>(c.thread)]);
  }
}

}  // namespace models
