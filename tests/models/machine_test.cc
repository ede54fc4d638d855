// The OS scheduler: cores, run queue, time slices, context switches.
#include "models/machine.h"

#include <doctest/doctest.h>

#include <memory>
#include <vector>

#include "models/events.h"
#include "models/simulation.h"
#include "tests/models/program_builder.h"

using namespace testing;
using models::simulate;

TEST_CASE("GIL-free work on more threads than cores is time-sliced") {
  auto c = config(2);
  add(c, "n", {native(30 * kMillisecond)}, 4);
  auto r = simulate(c);
  // 120 ms of work on 2 cores, plus context switches at every slice end.
  CHECK(r.metrics["wall"] >= 0.060);
  CHECK(r.metrics["wall"] <= 0.062);
  CHECK(r.metrics["cores.busy_avg"] == doctest::Approx(2.0).epsilon(0.02));
  // 3 ms slices: each thread is preempted several times.
  CHECK(r.metrics["os.preemptions"] >= 4 * (30 / 3 - 2));
  CHECK(r.metrics["threads.n.runnable"] == doctest::Approx(4 * 0.030).epsilon(0.05));
}

TEST_CASE("GIL-free work runs in parallel up to the core count") {
  auto c = config(4);
  add(c, "n", {native(100 * kMillisecond)}, 4);
  auto r = simulate(c);
  CHECK(r.metrics["wall"] == doctest::Approx(0.1).epsilon(0.001));
  CHECK(r.metrics["os.preemptions"] == 0);
}

TEST_CASE("one core: a CPU-bound GIL holder is preempted by the OS and keeps the GIL") {
  auto c = config(1);
  add(c, "py", {cpu(20 * kMillisecond)});
  add(c, "n", {native(20 * kMillisecond)});
  auto r = simulate(c);
  CHECK(r.metrics["wall"] >= 0.040);
  CHECK(r.metrics["os.preemptions"] >= 5);
  CHECK(r.metrics["threads.py.gil_wait"] == 0.0);  // nobody else wanted the GIL
}

TEST_CASE("a context switch costs the configured time") {
  auto a = config(1);
  add(a, "n", {native(30 * kMillisecond)}, 2);
  auto b = a;
  b.machine.context_switch = sim::Distribution::constant(100 * kMicrosecond);
  auto ra = simulate(a), rb = simulate(b);
  const double switches = rb.metrics["os.preemptions"];
  CHECK(switches > 5);
  CHECK(rb.metrics["wall"] - ra.metrics["wall"] == doctest::Approx(switches * 98e-6).epsilon(0.1));
}

TEST_CASE("threads pinned to one core share it; unpinned they spread") {
  auto c = config(4);
  add(c, "n", {native(10 * kMillisecond)}, 2);
  CHECK(simulate(c).metrics["wall"] == doctest::Approx(0.010).epsilon(0.001));
  c.threads[0].cores = {2};
  auto r = simulate(c);
  CHECK(r.metrics["wall"] >= 0.020);
  CHECK(r.metrics["cores.busy_max"] == 1);
}

TEST_CASE("CFS wake-up preemption: a thread waking from I/O preempts a CPU hog on a busy core") {
  auto c = config(1);
  add(c, "hog", {native(1 * kSecond)});
  add(c, "io", repeat(10, {io(1 * kMillisecond), native(10 * kMicrosecond)}));
  auto with = simulate(c);
  // A new thread does not preempt: `io` first waits for the hog's 3 ms slice.
  // After that, each wake-up switches the core at once (a context switch, 2 us).
  CHECK(with.metrics["threads.io.end"] <= 3e-3 + 10 * (1e-3 + 10e-6 + 10e-6));
  CHECK(with.metrics["threads.io.runnable"] <= 3e-3 + 10 * 5e-6);
  // Without it, the woken thread waits for the hog's time slice to end.
  c.machine.wakeup_preemption = false;
  auto without = simulate(c);
  CHECK(without.metrics["threads.io.runnable"] >= 3e-3 + 10 * 1e-3);
}

// The machine on its own, driven by plain calls as models/simulation.cc's event
// loop makes them (without the thread model).
namespace {

struct Bench {
  sim::EventQueue events;
  models::Machine machine;
  Bench(int cores, int threads, models::OsPolicyMaker make = models::os_policies().front().make)
      : machine(machine_config(cores), events, threads, sim::Rng(1), make) {}
  static models::MachineConfig machine_config(int cores) {
    models::MachineConfig c;
    c.cores = cores;
    return c;
  }
  // Pops the next event, which must be of `kind`, and hands it to the machine
  // as the event loop does; returns its target.
  std::uint32_t next(models::EventKind kind) {
    REQUIRE(!events.empty());
    const sim::Event e = events.pop();
    REQUIRE(e.kind == kind);
    const int id = static_cast<int>(e.target);
    if (kind == models::kDispatch) last_dispatched = machine.on_dispatch(id);
    if (kind == models::kWakeup) {
      got_core = machine.on_wakeup(id);
      machine.settle();  // (after the thread's code, which these tests do not run)
    }
    if (kind == models::kTimeslice) {
      const int victim = machine.timeslice_victim(id);
      if (victim >= 0) machine.preempt(id);
    }
    return e.target;
  }
  // Starts a thread and lets it look for a core: the core it got, or -1.
  int start(int tid) {
    machine.start(tid);
    next(models::kWakeup);
    return got_core ? machine.core_of(tid) : -1;
  }
  bool got_core = false;
  int last_dispatched = -1;
};

// First come, first served, and no wake-up preemption: written against
// OsPolicy alone, as a second policy would be.
class Fifo final : public models::OsPolicy {
 public:
  Fifo(const models::MachineConfig& config, const models::CoreTable& cores)
      : cores_(cores), timeslice_(config.timeslice) {}
  void place_woken(int, sim::Time) override {}
  int wakeup_preemption_target(int, sim::Time) override { return -1; }
  void enqueue(int tid) override { queue_.push_back(tid); }
  int pick_next(int core, sim::Time) override {
    for (auto it = queue_.begin(); it != queue_.end(); ++it) {
      if (!cores_.allowed(*it, core)) continue;
      const int tid = *it;
      queue_.erase(it);
      return tid;
    }
    return -1;
  }
  bool waiting_for(int core) const override {
    for (int tid : queue_)
      if (cores_.allowed(tid, core)) return true;
    return false;
  }
  sim::Time slice_end(int core, sim::Time now) const override {
    return std::max(now, cores_.since(core) + timeslice_);
  }

 private:
  const models::CoreTable& cores_;
  const sim::Time timeslice_;
  std::vector<int> queue_;
};

std::unique_ptr<models::OsPolicy> make_fifo(const models::MachineConfig& config, const models::CoreTable& cores) {
  return std::make_unique<Fifo>(config, cores);
}

}  // namespace

TEST_CASE("a thread that wants a core takes the lowest-numbered idle one it may use, past 64 cores") {
  Bench b(130, 70);
  b.machine.set_affinity(64, {70, 129});
  b.machine.set_affinity(65, {129});
  CHECK(b.start(64) == 70);
  CHECK(b.start(65) == 129);
  for (int tid = 0; tid < 64; ++tid) CHECK(b.start(tid) == tid);
  CHECK(b.start(66) == 64);  // the next word
  CHECK(b.machine.core_table().thread_on(64) == 66);

  b.machine.block(5);
  CHECK(b.machine.state(5) == models::OsState::Blocked);
  CHECK(b.start(67) == 5);  // the freed core comes first again
  CHECK(b.start(68) == 65);

  // Every core it may use is busy: it waits, and takes the first of them to fall free.
  b.machine.set_affinity(69, {70, 129});
  CHECK(b.start(69) == -1);
  CHECK(b.machine.state(69) == models::OsState::Runnable);
  b.machine.block(65);  // on core 129
  CHECK(b.machine.core_of(69) == 129);
  CHECK(b.next(models::kDispatch) == 129);
  CHECK(b.last_dispatched == 69);
  CHECK(b.machine.state(69) == models::OsState::Running);
}

TEST_CASE("the machine runs with another policy made by its maker: FIFO picks where CFS would not") {
  // One core. 0 runs a slice and is preempted for 1; then 2 arrives, never
  // having run. When 1 blocks, FIFO takes 0 (queued first); CFS takes 2
  // (lowest vruntime).
  auto run = [](models::OsPolicyMaker make) {
    Bench b(1, 3, make);
    CHECK(b.start(0) == 0);
    CHECK(b.start(1) == -1);
    CHECK(b.next(models::kTimeslice) == 0);
    CHECK(b.events.now() == 3 * kMillisecond);
    CHECK(b.machine.preemptions() == 1);
    b.next(models::kDispatch);
    CHECK(b.last_dispatched == 1);
    CHECK(b.start(2) == -1);
    b.machine.block(1);
    b.next(models::kDispatch);
    return b.last_dispatched;
  };
  CHECK(run(make_fifo) == 0);
  CHECK(run(models::os_policy_maker("cfs")) == 2);
}

// Counts the woken threads it is asked to place; otherwise FIFO. With
// `hearing`, it asks to hear blocks, as EEVDF does.
int placements = 0;
bool hearing = false;
class CountingFifo final : public models::OsPolicy {
 public:
  CountingFifo(const models::MachineConfig& config, const models::CoreTable& cores) : fifo_(config, cores) {}
  bool hears_blocks() const override { return hearing; }
  void blocked(int, int, sim::Time) override {}
  void place_woken(int, sim::Time) override { ++placements; }
  int wakeup_preemption_target(int tid, sim::Time now) override { return fifo_.wakeup_preemption_target(tid, now); }
  void enqueue(int tid) override { fifo_.enqueue(tid); }
  int pick_next(int core, sim::Time now) override { return fifo_.pick_next(core, now); }
  bool waiting_for(int core) const override { return fifo_.waiting_for(core); }
  sim::Time slice_end(int core, sim::Time now) const override { return fifo_.slice_end(core, now); }

 private:
  Fifo fifo_;
};

TEST_CASE("a woken thread is placed by the policy only if some thread could ever wait for a core") {
  // Placement is read only by pick_next and wakeup_preemption_target: with a
  // core for every thread and no affinity neither is ever asked, and the
  // machine skips it (models/machine.h, places_woken_).
  auto wakes = [](int cores, int threads, bool pinned) {
    placements = 0;
    Bench b(cores, threads, [](const models::MachineConfig& c, const models::CoreTable& t) {
      return std::unique_ptr<models::OsPolicy>(std::make_unique<CountingFifo>(c, t));
    });
    if (pinned) b.machine.set_affinity(0, {0, 1});
    CHECK(b.start(0) == 0);
    b.machine.block(0);
    b.machine.wake(0);
    b.machine.drain_woken([](int) {});
    b.next(models::kWakeup);
    CHECK(b.got_core);
    return placements;
  };
  CHECK(wakes(2, 2, false) == 0);
  CHECK(wakes(4, 2, false) == 0);
  CHECK(wakes(2, 3, false) == 1);  // a third thread could find both cores taken
  CHECK(wakes(3, 2, true) == 1);   // affinity: a thread may wait while a core is idle
  // A policy that hears blocks keeps books over the runnable threads (EEVDF's
  // average vruntime): it hears every wake-up too, cores to spare or not.
  hearing = true;
  CHECK(wakes(4, 2, false) == 1);
  hearing = false;
}

TEST_CASE("a thread woken onto a core that still polls waits polled_wakeup_latency, else wakeup_latency") {
  // One core. The sleeper sleeps 20 us, so its core has been idle 20 us when
  // the timer wakes it: within idle_poll (100 us) the wake-up is the polled
  // 1 us, not the 30 us of a halted core. After a 500 us sleep the core has
  // halted: 30 us. Without idle_poll (the default), both pay 30 us: a model
  // without the polling window fails the first check.
  auto run = [](sim::Time nap, sim::Time idle_poll) {
    auto c = config(1);
    c.machine.wakeup_latency = sim::Distribution::constant(30 * kMicrosecond);
    c.machine.polled_wakeup_latency = sim::Distribution::constant(1 * kMicrosecond);
    c.machine.idle_poll = idle_poll;
    add(c, "s", {native(1 * kMillisecond), sleep(nap), native(1 * kMillisecond)});
    return simulate(c).metrics["wall"];
  };
  CHECK(run(20 * kMicrosecond, 100 * kMicrosecond) == doctest::Approx(0.002 + 21e-6).epsilon(1e-6));
  CHECK(run(500 * kMicrosecond, 100 * kMicrosecond) == doctest::Approx(0.002 + 530e-6).epsilon(1e-6));
  CHECK(run(20 * kMicrosecond, 0) == doctest::Approx(0.002 + 50e-6).epsilon(1e-6));
}

// Machine::arriving_: a thread that on_wakeup() puts on an idle core has its
// core booked only when it stays (settle()); one that blocks again in the
// same instant (a timed-out GIL waiter that finds the GIL taken) leaves the
// books as occupy() and vacate() in that instant would.
TEST_CASE("a thread woken onto a core and blocked again at once is booked as if it had held the core for no time") {
  struct Books {
    double busy_avg;
    std::int64_t busy_max;
    std::uint64_t context_switches;
    int on_core1, idle_for_1;
    sim::Time idle_since1, cpu1;
  };
  auto run = [](bool settle_first) {
    Bench b(2, 2);
    b.start(0);  // core 0, for good
    b.start(1);  // core 1
    b.events.post(1000, models::kBlockEnd, 0);  // (only the time matters)
    b.events.pop();
    b.machine.block(1);  // core 1 idle from 1,000 ns
    b.machine.wake(1);   // claims core 1
    const sim::Event e = b.events.pop();
    REQUIRE(e.kind == models::kWakeup);
    REQUIRE(b.machine.on_wakeup(1));
    if (settle_first) b.machine.settle();  // booked at once, as a traced run does
    b.machine.block(1);                    // the thread's code blocked it again
    const models::CoreTable& t = b.machine.core_table();
    return Books{b.machine.busy_avg(e.time + 1000), b.machine.busy_max(), b.machine.context_switches(),
                 t.thread_on(1), t.first_idle_for(1), t.idle_since(1), t.cpu_time(1)};
  };
  const Books deferred = run(false), settled = run(true);
  CHECK(deferred.busy_avg == settled.busy_avg);
  CHECK(deferred.busy_max == settled.busy_max);
  CHECK(deferred.context_switches == settled.context_switches);
  CHECK(deferred.on_core1 == -1);
  CHECK(deferred.idle_for_1 == 1);  // core 1 is idle again, for anyone
  CHECK(deferred.idle_since1 == settled.idle_since1);
  CHECK(deferred.cpu1 == settled.cpu1);
  CHECK(settled.busy_max == 2);
}

TEST_CASE("a thread woken onto a core is booked there before it wakes another thread") {
  Bench b(2, 3);
  b.start(0);  // core 0
  b.start(1);  // core 1
  b.events.post(1000, models::kBlockEnd, 0);
  b.events.pop();
  b.machine.block(1);
  b.machine.wake(1);
  REQUIRE(b.events.pop().kind == models::kWakeup);
  REQUIRE(b.machine.on_wakeup(1));  // not settled: its code runs now, and wakes thread 2
  b.machine.wake(2);
  CHECK(b.machine.core_table().thread_on(1) == 1);
  CHECK(b.machine.core_table().first_idle_for(2) == -1);  // no core for thread 2 to claim
  b.machine.settle();
  CHECK(b.machine.core_table().thread_on(1) == 1);
}
