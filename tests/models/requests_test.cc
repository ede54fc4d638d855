// Request streams (models/requests.h): arrivals, queueing at a server, the
// window of the statistics, percentiles, determinism.
// Where queueing theory has the answer (M/D/1, M/M/1, Little's law), the
// model must give it: a model that served requests in the wrong order, lost
// arrivals or mis-timed them would not.
#include <doctest/doctest.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "models/requests.h"
#include "models/simulation.h"
#include "tests/models/program_builder.h"

using namespace testing;

namespace {
models::RunResult run(models::SimulationConfig c) {
  return models::simulate(c);
}
}  // namespace

TEST_CASE("nearest-rank percentiles") {
  const std::vector<sim::Time> v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  CHECK(models::percentile(v, 50) == 5);
  CHECK(models::percentile(v, 90) == 9);
  CHECK(models::percentile(v, 99) == 10);
  CHECK(models::percentile(v, 100) == 10);
  CHECK(models::percentile({}, 50) == 0);
  CHECK(models::percentile({7}, 1) == 7);
}

// One server thread, Poisson arrivals at half its capacity. Mean response
// time: M/D/1 (constant 1 ms of work) S + rho*S / (2(1 - rho)) = 1.5 ms;
// M/M/1 (exponential work, mean 1 ms) S / (1 - rho) = 2 ms. The thread's
// wake-up (10 us) and context switch (2 us) when it was idle add ~1 %.
TEST_CASE("a single-threaded server under Poisson load queues as M/D/1 and M/M/1 say") {
  for (bool exponential : {false, true}) {
    CAPTURE(exponential);
    auto c = config(2);
    add_stream(c, "api", poisson(500), {exponential ? exp_cpu(kMillisecond) : cpu(kMillisecond)}, 60 * kSecond);
    add(c, "server", {serve(0)});
    auto r = run(c);
    const double expected = exponential ? 2.0e-3 : 1.5e-3;
    CHECK(r.metrics["requests.mean"] == doctest::Approx(expected).epsilon(0.06));
    CHECK(r.metrics["requests.arrived"] == doctest::Approx(30000).epsilon(0.03));
    CHECK(r.metrics["requests.completed"] == r.metrics["requests.arrived"]);
    CHECK(r.metrics["requests.throughput"] == doctest::Approx(500).epsilon(0.03));
    CHECK(r.metrics["requests.offered"] * 60 == doctest::Approx(r.metrics["requests.arrived"]));  // no warm-up
    // Little's law: requests in the system = arrival rate x time in it.
    CHECK(r.metrics["requests.in_flight_avg"] ==
          doctest::Approx(r.metrics["requests.throughput"] * r.metrics["requests.mean"]).epsilon(0.05));
    CHECK(r.metrics["requests.p99"] > 2 * r.metrics["requests.p50"]);  // the queue's tail
  }
}

// Past its capacity a server answers at its capacity, whatever the load; the
// backlog grows through the window and drains after it.
TEST_CASE("an offered load above capacity: throughput is the capacity, the offered load what arrived") {
  auto c = config(2);
  add_stream(c, "api", poisson(2000), {cpu(kMillisecond)}, 10 * kSecond, 2 * kSecond);
  add(c, "server", {serve(0)});
  auto r = run(c);
  CHECK(r.metrics["requests.offered"] == doctest::Approx(2000).epsilon(0.03));
  CHECK(r.metrics["requests.throughput"] == doctest::Approx(1000).epsilon(0.01));
  CHECK(r.metrics["requests.completed"] == r.metrics["requests.arrived"]);
  // Requests of the window's end waited for ~ 10 s x (2000 - 1000)/s of backlog.
  CHECK(r.metrics["requests.max"] > 9.0);
}

// The listen backlog (RequestStream::backlog): what a server cannot take yet
// waits there, up to `backlog` connections; the next are dropped.
TEST_CASE("a closed loop of clients without think time keeps the server busy: X = 1/S, R = N*S") {
  auto c = config(2);
  add_stream(c, "api", closed(5, 0), {cpu(kMillisecond)}, 10 * kSecond);
  add(c, "server", {serve(0)});
  auto r = run(c);
  CHECK(r.metrics["requests.throughput"] == doctest::Approx(1000).epsilon(0.01));
  CHECK(r.metrics["requests.p50"] == doctest::Approx(5e-3).epsilon(0.02));
  CHECK(r.metrics["requests.in_flight_max"] == 5);
}

TEST_CASE("the window: requests of the warm-up are left out, throughput counts responses in the window") {
  auto c = config(2);
  // 10 requests at once every second, for 3 s; the first second is warm-up.
  add_stream(c, "api", burst(10, kSecond), {cpu(10 * kMillisecond)}, 3 * kSecond, kSecond);
  add(c, "server", {serve(0)});
  auto r = run(c);
  CHECK(r.metrics["requests.arrived"] == 30);
  CHECK(r.metrics["requests.completed"] == 30);
  CHECK(r.metrics["requests.throughput"] == doctest::Approx(10.0));  // 20 responses in 2 s
  CHECK(r.metrics["requests.offered"] == doctest::Approx(10.0));     // the bursts at 1 s and 2 s
  // A burst of 10 on one thread: the last waits for the nine before it.
  CHECK(r.metrics["requests.max"] == doctest::Approx(0.100).epsilon(0.01));
  CHECK(r.metrics["requests.queue_max"] == 9);
  CHECK(r.metrics["wall"] == doctest::Approx(2.100).epsilon(0.001));
}

// The GIL at a sync server: four threads of one process serve CPU-bound
// requests no faster than one; four processes of one thread serve four
// times as many (gunicorn --threads 4 vs --workers 4).
TEST_CASE("same seed, same requests: byte-identical metrics") {
  auto make = [] {
    auto c = config(2);
    add_stream(c, "api", poisson(300), {await_io(5 * kMillisecond), exp_cpu(kMillisecond)}, 2 * kSecond, 0, true);
    add(c, "loop", {asyncio_serve(0)});
    return c;
  };
  auto a = run(make());
  auto b = run(make());
  CHECK(a.metrics == b.metrics);
  auto other = make();
  other.seed = 2;
  CHECK(run(other).metrics["requests.p99"] != a.metrics["requests.p99"]);
}

