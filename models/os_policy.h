// The OS scheduling policy: which waiting thread a free core takes, and
// whether a woken thread takes a core from a running one.
//
// The machine (models/machine.h) keeps the books: which thread is on which
// core, context switches, wake-up latency, time slices, idle cores,
// statistics, the trace. It asks a policy only what a scheduling class
// answers in Linux (struct sched_class, kernel/sched/sched.h): where a
// runnable thread without a core waits, which waiting thread a free core
// takes, and whether a woken thread preempts a running one. The policy reads
// the machine's core table (CoreTable) and never writes it.
//
// When the machine calls the policy:
//
//   a new thread starts            place_started
//   a blocked thread is woken      place_woken, then (if no core it may use
//                                  is idle) wakeup_preemption_target
//   it finds no idle core          enqueue
//   a thread is preempted          enqueue
//   a core falls free              pick_next
//   a thread waits, a core runs    slice_end: when its time slice ends
//   a time slice ends              waiting_for, then slice_expired: preempt
//                                  its thread? (if not, slice_end again)
//   a running thread blocks/ends   blocked, if the policy hears_blocks()
//
// A machine with at least as many cores as threads and no affinity never
// has a thread waiting for a core: it asks a policy that does not hear
// blocks nothing, not even place_woken (whose placement only pick_next and
// wakeup_preemption_target read). Such a policy's standing must therefore
// matter through those two calls only. A policy that hears blocks is told
// of every wake-up too (place_woken), so that its books of the runnable
// threads stay whole.
//
// The machine counts the waiting threads (enqueued, not yet picked) and asks
// pick_next and waiting_for only when there are some: the common case of a
// free core and nobody waiting costs no call. It also counts each thread's
// CPU time (CoreTable::cpu_time), so a policy needs no call when a thread
// leaves its core; a policy that must see the run queue as a thread leaves it
// (EEVDF keeps the thread's lag) says so once, in hears_blocks(), and only
// then does a block cost a call.
//
// Idle cores are the machine's business, not the policy's: a thread that
// wants a core takes the lowest-numbered idle core its affinity allows before
// any policy is asked (a simplified select_task_rq()).
//
// A policy must be deterministic: integer nanoseconds, no unseeded
// randomness, no iteration over unordered containers; ties go to the thread
// that waited first. The hot path allocates nothing: size queues for every
// thread at construction.
//
// To add a policy: implement OsPolicy in a file of its own and add a line to
// kOsPolicies (models/os_policy.cc). models/cfs.h (the default) and
// models/eevdf.h are the ones shipped; the machine key `scheduler` chooses.
#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "models/config.h"
#include "sim/time.h"

namespace models {

// A set of cores, a bit per core in 64-bit words: machines have up to 1024
// cores, and the common questions ("the lowest-numbered idle core this
// thread may use") become find-first-set over a few words.
class CoreSet {
 public:
  CoreSet() = default;
  // Empty, sized for cores 0 .. cores-1; `every` fills it.
  explicit CoreSet(int cores, bool every = false);

  bool contains(int core) const { return words_[word(core)] >> (core % 64) & 1; }
  void insert(int core) { words_[word(core)] |= bit(core); }
  void erase(int core) { words_[word(core)] &= ~bit(core); }
  // The lowest-numbered core in the set, or -1.
  int first() const {
    for (std::size_t i = 0; i < words_.size(); ++i)
      if (words_[i] != 0) return static_cast<int>(i * 64) + std::countr_zero(words_[i]);
    return -1;
  }
  // The lowest-numbered core in both sets, or -1.
  int first_common(const CoreSet& other) const {
    const std::size_t n = std::min(words_.size(), other.words_.size());
    for (std::size_t i = 0; i < n; ++i)
      if (const std::uint64_t w = words_[i] & other.words_[i]) return static_cast<int>(i * 64) + std::countr_zero(w);
    return -1;
  }

 private:
  static std::size_t word(int core) { return static_cast<std::size_t>(core) / 64; }
  static std::uint64_t bit(int core) { return std::uint64_t{1} << (core % 64); }
  std::vector<std::uint64_t> words_;
};

// What a policy sees of the machine: per core, the thread on it (running, or
// being switched to) and since when; per thread, where it may run and the
// CPU time it has received; the idle cores. The machine writes it as threads
// come and go; tests may fill one by hand to question a policy without a
// machine.
class CoreTable {
 public:
  CoreTable(int cores, int threads);

  int cores() const { return static_cast<int>(cores_.size()); }
  int threads() const { return static_cast<int>(affinity_.size()); }
  // -1 when the core is idle.
  int thread_on(int core) const { return cores_[static_cast<std::size_t>(core)].thread; }
  // The core is still switching to thread_on(core), which has not run yet.
  bool switching(int core) const { return cores_[static_cast<std::size_t>(core)].switching; }
  // When thread_on(core) started running there (or the switch started).
  sim::Time since(int core) const { return cores_[static_cast<std::size_t>(core)].since; }
  bool allowed(int tid, int core) const { return affinity_[static_cast<std::size_t>(tid)].contains(core); }
  // Up to the thread's last leaving a core; the switch to it excluded
  // (Linux's sum_exec_runtime).
  sim::Time cpu_time(int tid) const { return cpu_time_[static_cast<std::size_t>(tid)]; }
  // The time cores spent switching to the thread, up to its last switch's
  // end (or its leaving a core mid-switch). Linux charges it to the thread:
  // set_next_entity() starts its clock before context_switch(), so a woken
  // thread's return from its system call counts too (EEVDF's vruntime).
  sim::Time switch_time(int tid) const { return switch_time_[static_cast<std::size_t>(tid)]; }
  const CoreSet& idle() const { return idle_; }
  // When an idle core last left a thread (0 if it never ran one).
  sim::Time idle_since(int core) const { return cores_[static_cast<std::size_t>(core)].idle_since; }
  // The lowest-numbered idle core the thread may use, or -1. A core claimed
  // by a thread on its way to it (claim()) is not idle for anyone else.
  // (Without an affinity anywhere, the idle set alone: every timed-out GIL
  // waiter's wake-up asks, and the thread's set is two dependent loads away.)
  int first_idle_for(int tid) const {
    return restricted_ ? idle_.first_common(affinity_[static_cast<std::size_t>(tid)]) : idle_.first();
  }

  // The machine's side. sched_setaffinity(); every core until called.
  void set_affinity(int tid, const std::vector<int>& cores);
  // The core takes `tid`: running from `now`, or switching to it.
  void occupy(int core, int tid, sim::Time now, bool switching) {
    Slot& s = cores_[static_cast<std::size_t>(core)];
    s.thread = tid;
    s.switching = switching;
    s.since = now;
    idle_.erase(core);
  }
  // The switch is over: the thread runs from `now`.
  void switched(int core, sim::Time now) {
    Slot& s = cores_[static_cast<std::size_t>(core)];
    switch_time_[static_cast<std::size_t>(s.thread)] += now - s.since;
    s.switching = false;
    s.since = now;
  }
  // A woken thread is on its way to this idle core (it runs there after its
  // wake-up latency): Linux's rq->ttwu_pending, which makes idle_cpu() false
  // (kernel/sched/core.c), so select_idle_sibling() sends the next wake-up
  // elsewhere. The core stays without a thread until occupy().
  void claim(int core) { idle_.erase(core); }
  // A thread that was to take the core (claim()) leaves it in the same
  // instant: the core is idle from `now`, as after occupy() and vacate()
  // at `now` (Machine::arriving_; since() is read only while a thread is on
  // the core).
  void left_at_once(int core, sim::Time now) {
    cores_[static_cast<std::size_t>(core)].idle_since = now;
    idle_.insert(core);
  }
  // The thread leaves the core at `now` (blocks, ends, or is preempted).
  void vacate(int core, sim::Time now) {
    Slot& s = cores_[static_cast<std::size_t>(core)];
    (s.switching ? switch_time_ : cpu_time_)[static_cast<std::size_t>(s.thread)] += now - s.since;
    s.thread = -1;
    s.idle_since = now;
    idle_.insert(core);
  }

 private:
  struct Slot {
    int thread = -1;
    bool switching = false;
    sim::Time since = 0;
    sim::Time idle_since = 0;
  };
  std::vector<Slot> cores_;
  std::vector<CoreSet> affinity_;
  std::vector<sim::Time> cpu_time_, switch_time_;
  CoreSet idle_;
  bool restricted_ = false;  // some thread has an affinity (set_affinity())
};

class OsPolicy {
 public:
  virtual ~OsPolicy() = default;

  // A blocked thread was woken (it has no core yet): the policy may revise
  // its standing, as CFS gives a sleeper credit so that it runs soon.
  virtual void place_woken(int tid, sim::Time now) = 0;
  // Right after place_woken, and only if no core the woken thread may use is
  // idle: the core whose running thread it should displace at once, or -1.
  // The machine then ends that core's time slice now, so the woken thread
  // pays a context switch there instead of the wake-up latency; with -1 it
  // pays the latency and waits.
  virtual int wakeup_preemption_target(int tid, sim::Time now) = 0;
  // A runnable thread without a core starts waiting for one: woken with no
  // idle core it may use, or preempted (its core already vacated).
  virtual void enqueue(int tid) = 0;
  // `core` is free and some thread waits: the one it takes (no longer
  // waiting), or -1 if none may run there.
  virtual int pick_next(int core, sim::Time now) = 0;
  // Some thread waits: whether one may run on `core`. Only then does the end
  // of a time slice there preempt its thread.
  virtual bool waiting_for(int core) const = 0;

  // Some thread waits and the thread on `core` runs (not switching): when its
  // time slice ends (the machine's kTimeslice; not before `now`).
  virtual sim::Time slice_end(int core, sim::Time now) const = 0;
  // The time slice on `core` has ended (or a wake-up preemption chose the
  // core) and a thread that may run there waits: whether its thread gives the
  // core up. If not, the machine arms slice_end(core, now) again, which must
  // then be after `now`. CFS's slices are fixed: every end preempts.
  virtual bool slice_expired(int core, sim::Time now) {
    (void)core, (void)now;
    return true;
  }
  // A new thread wants a core (before it takes an idle one or is enqueued):
  // Linux's wake_up_new_task() places it (place_entity() with
  // ENQUEUE_INITIAL). CFS's model keeps a new thread's vruntime at 0.
  virtual void place_started(int tid, sim::Time now) { (void)tid, (void)now; }
  // Whether blocked() is wanted; asked once, when the machine is made.
  virtual bool hears_blocks() const { return false; }
  // The thread on `core` blocks or ends, still on the core (dequeue_entity()
  // with DEQUEUE_SLEEP): its CPU time is counted when it has left.
  virtual void blocked(int tid, int core, sim::Time now) { (void)tid, (void)core, (void)now; }
};

// Makes a policy that reads `cores` (which outlives it) for a machine
// configured by `config`.
using OsPolicyMaker = std::unique_ptr<OsPolicy> (*)(const MachineConfig& config, const CoreTable& cores);

struct OsPolicyEntry {
  std::string_view name;
  OsPolicyMaker make;
};
// Linux's get_update_sysctl_factor(): 1 + ilog2(min(cores, 8)), by which
// update_sysctl() scales the scheduler's latencies and slices.
int sysctl_factor(int cores);

// Every policy by name, the default first.
std::span<const OsPolicyEntry> os_policies();
// The maker for `name`; throws std::invalid_argument naming the known ones.
OsPolicyMaker os_policy_maker(std::string_view name);

}  // namespace models
