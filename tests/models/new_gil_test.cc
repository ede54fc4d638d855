// The new GIL (models/new_gil.h): its handshake driven by hand, one call at
// a time (tests/models/gil_harness.h), then its behaviour observed through
// whole runs. Each expected figure is derived from the model's parameters
// (switch interval, wake-up latency, check-point granularity), not read off a run.
#include <doctest/doctest.h>

#include "models/simulation.h"
#include "tests/models/gil_harness.h"
#include "tests/models/program_builder.h"

using namespace testing;
using models::simulate;

namespace {
const double kInterval = 5e-3;   // default switch_interval
const double kWake = 10e-6;      // default wakeup_latency
const double kSlack = 50e-6;     // default timer_slack: a timed wait ends this late
using Check = models::GilCheck::Kind;
}  // namespace

TEST_CASE("handshake: a waiter's whole interval sets the drop request; the holder's forced switch hands the GIL over") {
  GilHarness h("3.12", 2, 2);
  const auto& stats = h.gil->stats();
  CHECK(h.gil->take(0).acquired);
  CHECK(h.gil->holder() == 0);
  CHECK_FALSE(h.gil->must_stop(0));
  const models::GilTake wait = h.gil->take(1);
  CHECK_FALSE(wait.acquired);
  CHECK(wait.drop_request_on == -1);
  CHECK(h.blocked(1));  // COND_TIMED_WAIT: off its core
  // The timed wait runs out after a whole switch interval, and the timer
  // slack later (hrtimer's range).
  const sim::Event timeout = h.step();
  CHECK(timeout.kind == models::kGilTimeout);
  CHECK(h.events.now() == 5 * kMillisecond + h.machine_config.timer_slack);
  CHECK(stats.timeouts == 1);
  CHECK(h.run_until_running(1) == 10 * kMicrosecond);  // the wake-up latency
  // No switch happened during its interval: it asks the holder to drop.
  const models::GilTake again = h.gil->take(1);
  CHECK_FALSE(again.acquired);
  CHECK(again.drop_request_on == 0);
  CHECK(stats.drop_requests == 1);
  CHECK(h.gil->must_stop(0));
  CHECK_FALSE(h.gil->must_stop(1));
  // The holder's next check point: drop_gil, then FORCE_SWITCHING waits
  // until another thread has taken the GIL.
  CHECK(h.gil->at_check(0).kind == Check::Waits);
  CHECK(h.blocked(0));
  CHECK(h.gil->holder() == -1);
  CHECK(stats.forced_switches == 1);
  // The release signalled the waiter (its timer is cancelled); it takes the
  // GIL when it runs, and signals switch_cond: a futex wake the taker pays.
  CHECK(h.run_until_running(1) == 10 * kMicrosecond);
  const models::GilTake taken = h.gil->take(1);
  CHECK(taken.acquired);
  CHECK(taken.cost == h.machine_config.futex_wake);
  CHECK(stats.handoffs == 2);
  CHECK_FALSE(h.gil->must_stop(1));  // the request is cleared
  CHECK(h.run_until_running(0) == 10 * kMicrosecond);
  CHECK(h.events.empty());  // nothing else: the waiter's timer was cancelled
  CHECK(h.gil->acquisitions(0) == 1);
  CHECK(h.gil->acquisitions(1) == 1);
}

TEST_CASE("handshake: a thread already running wins a free GIL; the signalled waiter's wake-up is futile") {
  GilHarness h("3.12", 2, 2);
  const auto& stats = h.gil->stats();
  CHECK(h.gil->take(0).acquired);
  CHECK_FALSE(h.gil->take(1).acquired);
  // Py_BEGIN_ALLOW_THREADS with no drop request: the holder goes on at once.
  CHECK_FALSE(h.gil->drop(0));
  CHECK(h.gil->holder() == -1);
  CHECK(h.running(0));
  // Py_END_ALLOW_THREADS before the waiter has woken up.
  CHECK(h.gil->take(0).acquired);
  h.run_until_running(1);
  const models::GilTake late = h.gil->take(1);
  CHECK_FALSE(late.acquired);
  CHECK(late.drop_request_on == -1);  // signalled, not timed out: no request
  CHECK(stats.futile_wakeups == 1);
  CHECK(stats.handoffs == 1);
}

TEST_CASE("handshake: a release wakes the longest waiter first; a holder ending releases without a hand-off wait") {
  GilHarness h("3.12", 3, 3);
  CHECK(h.gil->take(0).acquired);
  CHECK_FALSE(h.gil->take(1).acquired);
  CHECK_FALSE(h.gil->take(2).acquired);
  h.gil->exit(0);
  CHECK(h.gil->holder() == -1);
  CHECK(h.os->state(1) == models::OsState::Waking);
  CHECK(h.blocked(2));
}

TEST_CASE("check points: the eval breaker's granularity; between the halves of x += 1 up to 3.9 only") {
  GilHarness h39("3.9", 1, 1);
  GilHarness h310("3.10", 1, 1);
  const models::CheckPoints& c39 = h39.gil->checks();
  const models::CheckPoints& c310 = h310.gil->checks();
  CHECK(c39.serialises);
  CHECK(c39.spacing == models::RuntimeConfig{}.eval_breaker_granularity);
  CHECK(c39.at_operation_end);
  CHECK_FALSE(c39.every_check);
  CHECK_FALSE(c39.counts_increments);
  CHECK(c39.between_increment_halves);
  CHECK_FALSE(c310.between_increment_halves);
  // Without a waiter, the holder never has to stop.
  CHECK(h310.gil->take(0).acquired);
  CHECK_FALSE(h310.gil->must_stop(0));
}

TEST_CASE("two CPU-bound threads take turns every switch interval, no faster than one thread") {
  auto c = config(4);
  add(c, "w", {cpu(1 * kSecond)}, 2);
  auto r = simulate(c);
  // One hand-off cycle: the holder runs a full interval while the waiter's timed
  // wait runs out, then the waiter wakes (latency), sets the drop request, the
  // holder drops at its next check point, and the waiter wakes again to take it.
  // The timed wait lasts the interval and the timer's slack.
  const double cycle = kInterval + kSlack + 2 * kWake;
  CHECK(r.metrics["wall"] >= 2.0);
  CHECK(r.metrics["gil.handoffs"] == doctest::Approx(2.0 / cycle).epsilon(0.02));
  CHECK(r.metrics["gil.drop_requests"] == doctest::Approx(r.metrics["gil.handoffs"]).epsilon(0.02));
  CHECK(r.metrics["cores.busy_avg"] <= 1.0);
  CHECK(r.metrics["threads.w.python"] == doctest::Approx(2.0));
  CHECK(r.metrics["threads.w.python"] <= r.metrics["wall"]);  // C1: bytecode never overlaps
}

TEST_CASE("FORCE_SWITCHING: a forced dropper never takes the GIL straight back") {
  auto c = config(4);
  add(c, "w", {cpu(1 * kSecond)}, 2);
  auto r = simulate(c);
  // Every forced drop ends in a hand-off to the other thread.
  CHECK(r.metrics["gil.forced_switches"] <= r.metrics["gil.handoffs"]);
  CHECK(r.metrics["threads.w_0.acquisitions"] == doctest::Approx(r.metrics["threads.w_1.acquisitions"]).epsilon(0.01));
}

TEST_CASE("a thread that is already running wins a free GIL against a signalled waiter") {
  auto c = config(4);
  add(c, "holder", {cpu(1 * kMillisecond), native(5 * kMillisecond)});
  add(c, "waiter", {cpu(1 * kMillisecond)});
  // Leaves its GIL-free C call 5 us after the holder's release, before the
  // signalled waiter (10 us wake-up latency) gets to run.
  add(c, "runner", {native(1 * kMillisecond + 5 * kMicrosecond), cpu(1 * kMillisecond)});
  auto r = simulate(c);
  CHECK(r.metrics["threads.runner.gil_wait"] == 0.0);
  CHECK(r.metrics["threads.waiter.end"] > r.metrics["threads.runner.end"]);
  // The waiter cannot run bytecode before the runner's 1 ms of it is done.
  CHECK(r.metrics["threads.waiter.gil_wait"] + r.metrics["threads.waiter.runnable"] >= 2e-3);
}

TEST_CASE("a C call that keeps the GIL cannot be interrupted, and the voluntary dropper waits for the hand-off") {
  auto c = config(4);
  add(c, "ext", {native_held(20 * kMillisecond), io(1 * kMillisecond)});
  add(c, "py", {cpu(1 * kMillisecond)});
  auto r = simulate(c);
  // `py` asked after one interval, but waits for the whole C call (blocked,
  // or briefly runnable after each timed-out wait).
  CHECK(r.metrics["threads.py.gil_wait"] + r.metrics["threads.py.runnable"] >= 0.020);
  CHECK(r.metrics["threads.py.end"] >= 0.021);
  CHECK(r.metrics["gil.drop_requests"] >= 1);
  // With the request pending, `ext` releases and then waits (switch_cond)
  // until `py` has the GIL (py's wake-up), then pays its own wake-up.
  CHECK(r.metrics["threads.ext.gil_wait"] >= kWake);
  CHECK(r.metrics["threads.ext.runnable"] >= kWake);
  CHECK(r.metrics["gil.forced_switches"] == 1);
}

TEST_CASE("convoy effect: each I/O completion beside a CPU-bound thread costs about one switch interval") {
  const int ops = 100;
  auto alone = config(4);
  add(alone, "io", repeat(ops, {io(100 * kMicrosecond), cpu(10 * kMicrosecond)}));
  auto beside = alone;
  add(beside, "cpu", {cpu(10 * kSecond)});
  auto ra = simulate(alone);
  auto rb = simulate(beside);
  // Alone: I/O + wake-up + its own CPU work per operation.
  CHECK(ra.metrics["threads.io.end"] == doctest::Approx(ops * (100e-6 + kWake + 10e-6)).epsilon(0.01));
  // Beside a CPU-bound thread: after each I/O the thread waits a full interval
  // (and the timer's slack) before it may ask for the GIL.
  const double per_op = rb.metrics["threads.io.end"] / ops;
  CHECK(per_op >= kInterval + kSlack);
  CHECK(per_op <= kInterval + kSlack + 100e-6 + 10e-6 + 5 * kWake);

  // ... and the cost follows the switch interval.
  beside.runtime.switch_interval = 1 * kMillisecond;
  auto rc = simulate(beside);
  CHECK(rc.metrics["threads.io.end"] / ops == doctest::Approx(per_op - 4e-3).epsilon(0.05));
}

TEST_CASE("blocking I/O releases the GIL: four 1 s waits overlap") {
  auto c = config(4);
  add(c, "req", {io(1 * kSecond)}, 4);
  auto r = simulate(c);
  CHECK(r.metrics["wall"] == doctest::Approx(1.0).epsilon(0.001));
  CHECK(r.metrics["threads.req.io"] == doctest::Approx(4.0).epsilon(0.001));
}

TEST_CASE("switch intervals below 1 us are clamped to 1 us, as CPython does") {
  auto a = config(2);
  add(a, "w", {cpu(10 * kMillisecond)}, 2);
  auto b = a;
  a.runtime.switch_interval = 0;
  b.runtime.switch_interval = 1 * kMicrosecond;
  CHECK(simulate(a).metrics == simulate(b).metrics);
}

TEST_CASE("the same config gives the same run, and the random wake policy follows the seed") {
  auto c = config(8);
  c.runtime.wake_random = true;
  c.runtime.switch_interval = 100 * kMicrosecond;
  add(c, "w", {cpu(50 * kMillisecond)}, 6);
  CHECK(simulate(c).metrics == simulate(c).metrics);
  auto d = c;
  d.seed = 2;
  CHECK(simulate(c).metrics != simulate(d).metrics);
}

TEST_CASE("a run that would not end by the time limit is stopped and says so") {
  auto c = config(1);
  c.time_limit = 1 * kSecond;
  add(c, "w", {cpu(10 * kSecond)});
  auto r = simulate(c);
  CHECK(r.hit_time_limit);
  CHECK(r.metrics["wall"] == 1.0);
}
