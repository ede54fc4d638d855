// The old GIL (models/old_gil.cc, 2.x and 3.0/3.1): its semaphore driven by
// hand (tests/models/gil_harness.h), then its behaviour through whole runs.
#include <doctest/doctest.h>

#include "models/simulation.h"
#include "tests/models/gil_harness.h"
#include "tests/models/program_builder.h"

using namespace testing;
using models::simulate;

TEST_CASE("old GIL check points: every check_interval ticks of any bytecode, and the holder acts at each") {
  GilHarness h("2.7", 1, 1);
  const models::CheckPoints& c = h.gil->checks();
  const models::RuntimeConfig defaults;
  CHECK(c.spacing == defaults.check_interval * defaults.tick);
  CHECK(c.counts_increments);
  CHECK(c.every_check);
  CHECK_FALSE(c.at_operation_end);
  CHECK(h.gil->take(0).acquired);
  CHECK(h.gil->must_stop(0));
  // Alone: sem_post finds no waiter, so no system call; only the gap before sem_wait.
  const models::GilCheck alone = h.gil->at_check(0);
  CHECK(alone.kind == models::GilCheck::Kind::Retakes);
  CHECK(alone.delay == defaults.release_gap);
  CHECK(h.gil->holder() == -1);
  CHECK(h.gil->take(0).acquired);
  CHECK(h.gil->stats().handoffs == 1);
}

TEST_CASE("old GIL handshake: the releaser's sem_post wakes a waiter that loses the race; glibc still makes the futex call") {
  GilHarness h("2.7", 2, 2);
  const auto& stats = h.gil->stats();
  const models::RuntimeConfig defaults;
  CHECK(h.gil->take(0).acquired);
  CHECK_FALSE(h.gil->take(1).acquired);  // sem_wait blocks
  CHECK(h.blocked(1));
  // The check: sem_post wakes the sleeper (a FUTEX_WAKE the holder pays), then sem_wait after the gap.
  const models::GilCheck post = h.gil->at_check(0);
  CHECK(post.delay == defaults.release_gap + h.machine_config.futex_wake);
  CHECK(h.os->state(1) == models::OsState::Waking);
  CHECK(h.gil->take(0).acquired);  // the holder is back first
  // Another check before the woken waiter has retried: no sleeper, but the
  // semaphore still counts a waiter, so sem_post makes the system call.
  CHECK(h.gil->at_check(0).delay == defaults.release_gap + h.machine_config.futex_wake_nobody);
  CHECK(h.gil->take(0).acquired);
  h.run_until_running(1);
  CHECK_FALSE(h.gil->take(1).acquired);  // it finds the lock taken again
  CHECK(stats.futile_wakeups == 1);
  CHECK(stats.handoffs == 1);
  CHECK_FALSE(h.gil->drop(0));  // releasing around a blocking call never waits
  CHECK(h.gil->holder() == -1);
}

namespace {
models::SimulationConfig old_gil_config(int cores) {
  auto c = config(cores);
  c.runtime.python = "2.7";
  return c;
}
}  // namespace

TEST_CASE("old GIL alone: every check releases and re-takes the lock, costing only the gap") {
  auto c = old_gil_config(4);
  add(c, "main", {cpu(1 * kSecond)});
  auto r = simulate(c);
  // 100 ticks x 25 ns = 2.5 us between checks, 50 ns gap each, no system call.
  CHECK(r.metrics["wall"] == doctest::Approx(1.0 * (1 + 50.0 / 2500)).epsilon(1e-4));
  CHECK(r.metrics["gil.handoffs"] == 1);
  CHECK(r.metrics["threads.main.python"] == doctest::Approx(1.0));
}

TEST_CASE("old GIL on several cores: the waiter is woken again and again and loses (the GIL battle)") {
  auto c = old_gil_config(4);
  add(c, "w", {cpu(100 * kMillisecond)}, 2);
  auto r = simulate(c);
  // Woken about once per wake-up latency + check period, and loses each time.
  CHECK(r.metrics["gil.futile_wakeups"] >= 0.1 / (10e-6 + 2.5e-6) * 0.9);
  // The runner pays a futex wake (1 us) per battle round: clearly slower than 0.2 s.
  CHECK(r.metrics["threads.w.native"] >= (0.1 / 12.5e-6) * 1e-6);
  CHECK(r.metrics["wall"] >= 0.2 * 1.05);
  CHECK(r.metrics["threads.w.python"] <= r.metrics["wall"]);  // C1 holds for the old GIL too
}

TEST_CASE("old GIL on several cores, with wake-up latencies that vary: a waiter sometimes retries inside the window") {
  auto c = old_gil_config(4);
  c.machine.wakeup_latency = sim::Distribution{sim::Distribution::Kind::Exp, 10 * kMicrosecond, 0, 0, {}};
  add(c, "w", {cpu(100 * kMillisecond)}, 2);
  auto jitter = simulate(c);
  // The window (50 ns + a futex call) is short against the check period, so
  // the waiter loses most rounds, but with varying latencies it wins some:
  // the threads do take turns, with a stream of futile wake-ups between.
  CHECK(jitter.metrics["gil.handoffs"] > 10);
  CHECK(jitter.metrics["gil.futile_wakeups"] > jitter.metrics["gil.handoffs"]);
}

TEST_CASE("old GIL on one core: the OS preempts the releaser inside its window and the waiter wins") {
  auto c = old_gil_config(1);
  add(c, "w", {cpu(100 * kMillisecond)}, 2);
  auto r = simulate(c);
  // A switch cycle: the preempted releaser waits for the new holder's time
  // slice (3 ms), retries, blocks, and is woken by the next release once it
  // is a wake-up granularity (1 ms on one core) behind: well under 6 ms.
  CHECK(r.metrics["gil.handoffs"] >= 0.2 / 6e-3);
  CHECK(r.metrics["gil.futile_wakeups"] <= r.metrics["gil.handoffs"]);
  // Without wake-up preemption, the battle is fought at time-slice ends instead.
  auto d = c;
  d.machine.wakeup_preemption = false;
  CHECK(simulate(d).metrics["wall"] > r.metrics["wall"]);
}
