#include "models/machine.h"

#include <algorithm>

#include "models/events.h"
#include "models/simulation.h"
#include "models/trace_styles.h"

namespace models {

namespace {
const auto& kCoreRunning = trace_styles::kCoreRunning;
const auto& kCoreSwitch = trace_styles::kCoreSwitch;
}  // namespace

Machine::Machine(const MachineConfig& config, sim::EventQueue& events, int threads, sim::Rng rng)
    : Machine(config, events, threads, rng, os_policy_maker(config.scheduler)) {}

Machine::Machine(const MachineConfig& config, sim::EventQueue& events, int threads, sim::Rng rng,
                 OsPolicyMaker make)
    : config_(config),
      events_(events),
      rng_(rng),
      table_(config.cores, threads),
      cores_(static_cast<std::size_t>(config.cores)),
      threads_(static_cast<std::size_t>(threads)),
      policy_(make(config_, table_)),
      hears_blocks_(policy_->hears_blocks()),
      // A policy that hears blocks keeps books over every runnable thread
      // (EEVDF's average vruntime): it must see every wake-up too.
      places_woken_(threads > config.cores || hears_blocks_),
      no_wakeup_cpu_(config.wakeup_cpu.is_constant() && config.wakeup_cpu.a == 0),
      defers_arrivals_(!hears_blocks_) {
  woken_.reserve(static_cast<std::size_t>(threads));
}

void Machine::set_trace(sim::TraceSink* trace, sim::TrackId first_core_track, sim::TrackId runnable_counter,
                        const std::vector<std::string>* thread_names) {
  trace_ = trace;
  defers_arrivals_ = !trace_ && !hears_blocks_;
  first_core_track_ = first_core_track;
  runnable_counter_ = runnable_counter;
  names_ = thread_names;
}

void Machine::trace_runnable() { trace_->counter(runnable_counter_, events_.now(), runnable_); }

void Machine::start(int tid) {
  settle();  // (place_started reads the core table)
  threads_[tid].state = OsState::Waking;
  threads_[tid].slept = false;
  count_runnable(+1);
  policy_->place_started(tid, events_.now());
  events_.post(events_.now(), kWakeup, static_cast<std::uint32_t>(tid));
}

void Machine::wake_unlisted(int tid) {
  settle();  // (the placement and the choice of a core read the core table)
  OsThread& t = threads_[tid];
  if (t.state != OsState::Blocked) throw InvariantViolation("woke a thread that was not blocked");
  t.state = OsState::Waking;
  t.slept = true;
  ++wakeups_;
  count_runnable(+1);
  if (places_woken_) policy_->place_woken(tid, events_.now());
  // try_to_wake_up() chooses the core now (select_task_rq_fair): an idle one
  // if the thread may use one, which it then claims for the wake-up latency
  // (ttwu_pending), so that a second wake-up meanwhile does not count on it.
  const int idle = table_.first_idle_for(tid);
  if (idle != -1) {
    table_.claim(idle);
    t.claimed = idle;
    // A core that has idled only briefly is still polling (MachineConfig::idle_poll).
    // (Tested first: 0 by default, and then no core polls.)
    const bool polling = config_.idle_poll > 0 && events_.now() - table_.idle_since(idle) < config_.idle_poll;
    const sim::Time latency = (polling ? config_.polled_wakeup_latency : config_.wakeup_latency).sample(rng_);
    events_.post(events_.now() + latency, kWakeup, static_cast<std::uint32_t>(tid));
    return;
  }
  // No idle core: check_preempt_wakeup() may let it displace a running thread
  // (in Linux, an idle core's current is the idle task, which anything preempts).
  const int core = policy_->wakeup_preemption_target(tid, events_.now());
  if (core >= 0) {
    // The waker's system call returns into the scheduler: the woken thread
    // is queued now and the core switches to it (kTimeslice at once asks the
    // policy whom to run), paying a context switch instead of the latency.
    events_.post(events_.now(), kWakeup, static_cast<std::uint32_t>(tid));
    CoreBooks& c = cores_[static_cast<std::size_t>(core)];
    events_.cancel(c.slice);
    c.slice = events_.schedule(events_.now(), kTimeslice, static_cast<std::uint32_t>(core));
    return;
  }
  events_.post(events_.now() + config_.wakeup_latency.sample(rng_), kWakeup, static_cast<std::uint32_t>(tid));
}

bool Machine::on_wakeup_other(int tid) {
#ifndef NDEBUG
  check_settled();  // (a test per wake-up: in debug builds only)
#endif
  OsThread& t = threads_[tid];
  // Its claimed core, or else the lowest-numbered idle core: deterministic,
  // and what a reader expects.
  int core = t.claimed;
  t.claimed = -1;
  if (core == -1) {
    core = table_.first_idle_for(tid);
    if (core != -1) table_.claim(core);  // (a started thread's: see arriving_)
  }
  if (core != -1) {
    const sim::Time cpu = t.slept ? config_.wakeup_cpu.sample(rng_) : 0;
    if (cpu == 0) {
      assign(core, tid);
      return true;
    }
    // The kernel's part of the wake-up runs on the core before the thread's
    // code does: the core is busy, switching to it (kDispatch ends it).
    t.state = OsState::Runnable;
    switch_to(core, tid, cpu);
    return false;
  }
  t.state = OsState::Runnable;
  policy_->enqueue(tid);
  ++waiting_;
  arm_timeslices();
  return false;
}

void Machine::second_thread() {
  throw InvariantViolation("a core was given a second thread");
}

void Machine::check_settled() const {
  if (arriving_ >= 0) throw InvariantViolation("a thread's arrival on a core was not settled before the next event");
}

void Machine::book_arrival() {
  table_.occupy(threads_[arriving_].core, arriving_, events_.now(), /*switching=*/false);
  busy_.add(events_.now(), +1);
  arriving_ = -1;
}

void Machine::trace_core(int core) {
  if (!table_.switching(core) && events_.now() > table_.since(core))
    trace_->labelled_slice(first_core_track_ + static_cast<sim::TrackId>(core), table_.since(core), events_.now(),
                           kCoreRunning, (*names_)[static_cast<std::size_t>(table_.thread_on(core))]);
}

void Machine::release(int core) {
  if (trace_) trace_core(core);
  // Slices are armed only while threads wait: usually there is none to cancel.
  if (cores_[core].slice.valid()) events_.cancel(cores_[core].slice);
  vacate(core);
}

void Machine::block_staying(int tid) {
  OsThread& t = threads_[tid];
  if (t.state != OsState::Running) throw InvariantViolation("a thread blocked while not running");
  const int core = t.core;
  // (A thread that arrived on the core in this instant, with someone waiting
  // for the core, block()'s other case: booked as arrived here, then it
  // leaves the usual way and the core is given.)
  settle();  // (the policy and the next thread read the core table)
  if (hears_blocks_) policy_->blocked(tid, core, events_.now());
  t.state = OsState::Blocked;
  t.core = -1;
  // The common case: nothing to trace, no time slice to cancel, nobody
  // waiting for the core. It then makes no call, and saves no registers.
  if (!trace_ && !cores_[core].slice.valid() && waiting_ == 0) {
    vacate(core);
    return;
  }
  release(core);
  if (waiting_ > 0) run_next(core);
}

void Machine::run_next(int core) {
  const int tid = policy_->pick_next(core, events_.now());
  if (tid == -1) return;
  --waiting_;
  const bool other = cores_[core].last_thread != tid;
  switch_to(core, tid, other ? config_.context_switch.sample(rng_) : 0);
}

void Machine::switch_to(int core, int tid, sim::Time cost) {
  table_.occupy(core, tid, events_.now(), /*switching=*/true);
  threads_[tid].core = core;
  busy_.add(events_.now(), +1);
  CoreBooks& c = cores_[core];
  if (c.last_thread != tid) ++context_switches_;
  c.last_thread = tid;
  events_.post(events_.now() + cost, kDispatch, static_cast<std::uint32_t>(core));
}

int Machine::on_dispatch(int core) {
  check_settled();
  if (trace_ && events_.now() > table_.since(core))
    trace_->slice(first_core_track_ + static_cast<sim::TrackId>(core), table_.since(core), events_.now(),
                  kCoreSwitch);
  table_.switched(core, events_.now());
  const int tid = table_.thread_on(core);
  threads_[tid].state = OsState::Running;
  count_runnable(-1);
  if (waiting_ > 0) arm_timeslices();
  return tid;
}

void Machine::arm_timeslices() {
  for (int core = 0; core < table_.cores(); ++core) {
    CoreBooks& c = cores_[core];
    if (table_.thread_on(core) == -1 || table_.switching(core) || events_.pending(c.slice)) continue;
    c.slice = events_.schedule(policy_->slice_end(core, events_.now()), kTimeslice, static_cast<std::uint32_t>(core));
  }
}

int Machine::timeslice_victim(int core) {
  check_settled();
  cores_[core].slice = sim::EventHandle{};
  const int tid = table_.thread_on(core);
  if (tid == -1 || table_.switching(core) || waiting_ == 0 || !policy_->waiting_for(core)) return -1;
  if (policy_->slice_expired(core, events_.now())) return tid;
  // The policy keeps the thread on (EEVDF: it is still the one to run): a new
  // end, later, or the same question would come back at once for ever.
  const sim::Time end = policy_->slice_end(core, events_.now());
  if (end <= events_.now()) throw InvariantViolation("an OS policy kept a thread on past a slice end that is not later");
  cores_[core].slice = events_.schedule(end, kTimeslice, static_cast<std::uint32_t>(core));
  return -1;
}

void Machine::preempt(int core) {
  check_settled();
  const int tid = table_.thread_on(core);
  ++preemptions_;
  release(core);
  threads_[tid].state = OsState::Runnable;
  threads_[tid].core = -1;
  count_runnable(+1);
  policy_->enqueue(tid);
  ++waiting_;
  run_next(core);  // (waiting_ > 0)
}

void Machine::finish_trace(sim::Time end) {
  if (!trace_) return;
  for (int core = 0; core < table_.cores(); ++core) {
    const int tid = table_.thread_on(core);
    if (tid != -1 && !table_.switching(core) && end > table_.since(core))
      trace_->labelled_slice(first_core_track_ + static_cast<sim::TrackId>(core), table_.since(core), end,
                             kCoreRunning, (*names_)[static_cast<std::size_t>(tid)]);
  }
}

}  // namespace models
