// Servers and their clients (models/servers.h): the listen backlog and SYN
// retransmissions, client timeouts and retries, threads and asyncio loops
// serving requests, uvicorn's limit_concurrency, Celery-like pools behind a
// broker, and what the trace shows of each request.
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
models::RunResult run(const models::SimulationConfig& c) { return models::simulate(c); }
}  // namespace

TEST_CASE("a full listen backlog: without SYN retries the clients give up, the server answers its capacity") {
  auto c = config(2);
  auto& st = add_stream(c, "api", poisson(2000), {cpu(kMillisecond)}, 10 * kSecond);
  st.backlog = 10;
  st.syn_retries = 0;
  add(c, "server", {serve(0)});
  auto r = run(c);
  const double arrived = r.metrics["requests.arrived"];
  CHECK(r.metrics["requests.throughput"] == doctest::Approx(1000).epsilon(0.01));
  // Offered twice its capacity, a server drops about half (M/D/1/K with a
  // long queue: the blocking probability tends to 1 - 1/rho).
  CHECK(r.metrics["requests.connect_timeouts"] == doctest::Approx(arrived / 2).epsilon(0.05));
  CHECK(r.metrics["requests.listen_overflows"] == r.metrics["requests.connect_timeouts"]);
  CHECK(r.metrics["requests.completed"] + r.metrics["requests.connect_timeouts"] == arrived);
  // What is answered waited for at most the 10 before it and the one in service.
  CHECK(r.metrics["requests.queue_max"] == 10);
  CHECK(r.metrics["requests.max"] < 0.0115);
  CHECK(r.metrics["requests.max"] > 0.0105);
}

// 30 connections at once to a server of one thread (10 ms a request) with a
// backlog of 5: the thread takes one, 5 wait, 24 are dropped and their
// clients retransmit after 1 s; of those 6 get in, and the other 18 try again
// 2 s later (3 s), then 4 s later (7 s), then 8 s later (15 s).
TEST_CASE("dropped connections come back after the SYN timeout, doubling each time") {
  for (int retries : {6, 1}) {
    CAPTURE(retries);
    auto c = config(2);
    auto& st = add_stream(c, "api", burst(30, 100 * kSecond), {cpu(10 * kMillisecond)}, kSecond);
    st.backlog = 5;
    st.syn_retries = retries;
    add(c, "server", {serve(0)});
    auto r = run(c);
    CHECK(r.metrics["requests.arrived"] == 30);
    if (retries == 6) {
      CHECK(r.metrics["requests.completed"] == 30);
      CHECK(r.metrics["requests.connect_timeouts"] == 0);
      CHECK(r.metrics["requests.listen_overflows"] == 24 + 18 + 12 + 6);
      // The last six connected at 15 s, and waited up to 6 x 10 ms there.
      CHECK(r.metrics["requests.max"] == doctest::Approx(15.06).epsilon(0.002));
      CHECK(r.metrics["requests.p50"] == doctest::Approx(3.0).epsilon(0.03));  // the 15th of 30: the 3 s group
    } else {
      // One retry: the 18 dropped at 1 s give up.
      CHECK(r.metrics["requests.completed"] == 12);
      CHECK(r.metrics["requests.connect_timeouts"] == 18);
      CHECK(r.metrics["requests.listen_overflows"] == 24 + 18);
      CHECK(r.metrics["requests.max"] == doctest::Approx(1.06).epsilon(0.002));
    }
  }
}

// 20 clients without think time against one thread and a backlog of 2: three
// clients circulate (one served, two waiting) and the other 17, dropped
// together at 0 s, retransmit together at 1 s and 3 s into a backlog the
// three keep full. Once the clients stop sending (5 s), each retransmission
// (7, 15, 31 and 63 s) lets three in, and the last five give up after their
// sixth: clients dropped together retry together, a thundering herd.
TEST_CASE("a closed loop against a small backlog: clients dropped together retry together, nothing hangs") {
  auto c = config(2);
  auto& st = add_stream(c, "api", closed(20, 0), {cpu(kMillisecond)}, 5 * kSecond);
  st.backlog = 2;
  add(c, "server", {serve(0)});
  auto r = run(c);
  CHECK_FALSE(r.hit_time_limit);
  CHECK(r.metrics["requests.throughput"] == doctest::Approx(1000).epsilon(0.01));
  CHECK(r.metrics["requests.connect_timeouts"] == 5);
  CHECK(r.metrics["requests.listen_overflows"] == 17 * 3 + 14 + 11 + 8 + 5);
  CHECK(r.metrics["requests.completed"] + 5 == r.metrics["requests.arrived"]);
  CHECK(r.metrics["requests.max"] == doctest::Approx(63.003).epsilon(0.001));  // sent at 0 s, in at 63 s
}

// Client timeouts (RequestStream::timeout, retries): 30 requests at once to
// one thread, 100 ms each; the clients wait 1 s. The thread answers 9 in
// time (the 10th ends just after 1 s: the thread's wake-up and context
// switch) and serves the other 21 all the same, for nobody: late responses.
// The server's throughput counts them; its goodput does not.
TEST_CASE("client timeouts: the server still serves what the clients gave up on") {
  auto c = config(2);
  auto& st = add_stream(c, "api", burst(30, 100 * kSecond), {cpu(100 * kMillisecond)}, 10 * kSecond);
  st.timeout = kSecond;
  add(c, "server", {serve(0)});
  auto r = run(c);
  CHECK(r.metrics["requests.completed"] == 9);
  CHECK(r.metrics["requests.timeouts"] == 21);
  CHECK(r.metrics["requests.failed"] == 21);
  CHECK(r.metrics["requests.late_responses"] == 21);
  CHECK(r.metrics["requests.retries"] == 0);
  CHECK(r.metrics["requests.max"] < 1.0);  // the latency of what was answered in time
  CHECK(r.metrics["requests.throughput"] == doctest::Approx(3.0));  // 30 responses in 10 s
  CHECK(r.metrics["requests.goodput"] == doctest::Approx(0.9));     // 9 of them to a waiting client
}

// A client that times out while waiting to retransmit its SYN does not send it.
TEST_CASE("a client timeout during SYN retries: the SYN is not retransmitted") {
  auto c = config(2);
  auto& st = add_stream(c, "api", burst(30, 100 * kSecond), {cpu(10 * kMillisecond)}, kSecond);
  st.backlog = 5;
  st.timeout = 500 * kMillisecond;
  add(c, "server", {serve(0)});
  auto r = run(c);
  CHECK_FALSE(r.hit_time_limit);
  CHECK(r.metrics["requests.completed"] == 6);
  CHECK(r.metrics["requests.failed"] == 24);
  CHECK(r.metrics["requests.listen_overflows"] == 24);  // none again at 1 s
  CHECK(r.metrics["requests.late_responses"] == 0);
  CHECK(r.metrics["requests.connect_timeouts"] == 0);
}

// Past capacity, a FIFO server's queue outgrows the clients' patience, and
// from then on it answers requests whose clients have left: its goodput
// collapses while its throughput stays at capacity. Retries triple its
// work for nothing. 20 requests/s of 60 ms each (utilisation 1.2) for 10 s;
// clients wait 500 ms, and retry twice or not at all.
TEST_CASE("client timeouts past capacity: goodput collapses, and retries only add late work") {
  double late_without = 0;
  for (int retries : {0, 2}) {
    CAPTURE(retries);
    auto c = config(2);
    auto& st = add_stream(c, "api", constant_rate(20), {cpu(60 * kMillisecond)}, 10 * kSecond);
    st.timeout = 500 * kMillisecond;
    st.retries = retries;
    add(c, "server", {serve(0)});
    auto r = run(c);
    const auto& m = r.metrics;
    CHECK(m.at("requests.arrived") == 200);
    // Every request is answered in time or failed; every attempt that timed
    // out was retried or given up on; with no backlog limit, every one of
    // them was served late.
    CHECK(m.at("requests.completed") + m.at("requests.failed") == 200);
    CHECK(m.at("requests.retries") == m.at("requests.timeouts") - m.at("requests.failed"));
    CHECK(m.at("requests.late_responses") == m.at("requests.timeouts"));
    CHECK(m.at("requests.throughput") == doctest::Approx(1 / 0.06).epsilon(0.02));  // always busy
    CHECK(m.at("requests.goodput") < 0.3 * m.at("requests.throughput"));
    if (retries == 0) {
      CHECK(m.at("requests.offered") == doctest::Approx(20));
      late_without = m.at("requests.late_responses");
    } else {
      CHECK(m.at("requests.offered") > 40);  // the retries are load too
      CHECK(m.at("requests.late_responses") > 2.5 * late_without);
    }
  }
}

TEST_CASE("CPU-bound requests: threads of one process share a GIL, processes do not") {
  auto threads = config(4);
  add_stream(threads, "api", closed(16, 0), {cpu(10 * kMillisecond)}, 5 * kSecond, kSecond);
  add(threads, "worker", {serve(0)}, 4);
  auto t = run(threads);

  auto processes = config(4);
  add_stream(processes, "api", closed(16, 0), {cpu(10 * kMillisecond)}, 5 * kSecond, kSecond);
  models::ProcessGroup p;
  p.name = "gunicorn";
  p.count = 4;
  p.startup = 0;
  models::ThreadGroup g;
  g.name = "worker";
  g.program = {serve(0)};
  p.threads.push_back(g);
  processes.processes.push_back(p);
  auto q = run(processes);

  CHECK(t.metrics["requests.throughput"] == doctest::Approx(100).epsilon(0.03));
  CHECK(q.metrics["requests.throughput"] == doctest::Approx(400).epsilon(0.03));
  CHECK(t.metrics["gil.held"] > 0.97);
}

// uvicorn's --limit-concurrency (Op::limit_concurrency): past N requests in
// progress on the loop, a new one is answered 503 at once.
TEST_CASE("an asyncio server's limit_concurrency answers 503 past N requests in progress") {
  SUBCASE("30 at once, a limit of 10: ten are served, twenty turned away at once") {
    auto c = config(2);
    add_stream(c, "api", burst(30, 100 * kSecond), {await_io(100 * kMillisecond)}, kSecond, 0, true);
    Op loop = asyncio_serve(0);
    loop.limit_concurrency = 10;
    add(c, "loop", {loop});
    auto r = run(c);
    CHECK(r.metrics["requests.completed"] == 10);
    CHECK(r.metrics["requests.rejected"] == 20);
    CHECK(r.metrics["requests.failed"] == 20);
    CHECK(r.metrics["requests.max"] < 0.101);
    CHECK(r.metrics["requests.max"] >= 0.100);
  }
  SUBCASE("past capacity with impatient clients: the limit keeps the goodput that the unlimited loop loses") {
    // 10 ms of CPU per request: one loop serves 100/s; 150/s arrive, and
    // clients wait 500 ms. Unlimited, every request becomes a task and waits
    // behind all the others; with 20 in progress at most, a request waits
    // about 200 ms and the rest get a 503.
    double goodput[2] = {0, 0};
    for (std::int64_t limit : {0, 20}) {
      CAPTURE(limit);
      auto c = config(2);
      auto& st = add_stream(c, "api", poisson(150), {cpu(10 * kMillisecond)}, 20 * kSecond, 2 * kSecond, true);
      st.timeout = 500 * kMillisecond;
      Op loop = asyncio_serve(0);
      loop.limit_concurrency = limit;
      add(c, "loop", {loop});
      auto r = run(c);
      goodput[limit > 0] = r.metrics["requests.goodput"];
      CHECK(r.metrics["requests.completed"] + r.metrics["requests.failed"] == r.metrics["requests.arrived"]);
      if (limit > 0) {
        CHECK(r.metrics["requests.rejected"] > 0.25 * r.metrics["requests.arrived"]);
        CHECK(r.metrics["requests.late_responses"] == 0);
        CHECK(r.metrics["requests.max"] < 0.3);
      } else {
        CHECK(r.metrics["requests.rejected"] == 0);
      }
    }
    CHECK(goodput[1] > 90);
    CHECK(goodput[0] < 0.5 * goodput[1]);
  }
}

TEST_CASE("an asyncio server: awaited I/O overlaps, and CPU work in the handler serializes the loop") {
  SUBCASE("I/O only: each request takes its 100 ms, however many are in flight") {
    auto c = config(2);
    add_stream(c, "api", poisson(200), {await_io(100 * kMillisecond)}, 5 * kSecond, 0, true);
    add(c, "loop", {asyncio_serve(0)});
    auto r = run(c);
    CHECK(r.metrics["requests.p99"] < 0.101);
    CHECK(r.metrics["requests.p50"] >= 0.100);
    CHECK(r.metrics["requests.in_flight_avg"] == doctest::Approx(20).epsilon(0.1));  // Little: 200/s x 0.1 s
    CHECK(r.metrics["threads.loop.cpu"] < 0.05 * r.metrics["wall"]);
  }
  SUBCASE("10 ms of CPU per request at 50/s: the loop is half busy and requests queue behind each other") {
    auto c = config(2);
    add_stream(c, "api", poisson(50), {await_io(20 * kMillisecond), cpu(10 * kMillisecond)}, 60 * kSecond, 0, true);
    add(c, "loop", {asyncio_serve(0)});
    auto r = run(c);
    CHECK(r.metrics["requests.throughput"] == doctest::Approx(50).epsilon(0.05));
    CHECK(r.metrics["threads.loop.cpu"] / r.metrics["wall"] == doctest::Approx(0.5).epsilon(0.05));
    // 30 ms alone. A request queues for the loop twice: to be accepted (its
    // first step) and to run its CPU work after the I/O. An arrival sees the
    // loop's mean backlog, the M/D/1 wait of 5 ms, each time; more for the
    // second, because requests accepted together at the end of a busy spell
    // come back from their I/O together (gilsim gives 44.8 ms). A loop that
    // did not serialize the CPU work would give 30 ms; one that queued only
    // once, 35 ms.
    CHECK(r.metrics["requests.mean"] > 0.040);
    CHECK(r.metrics["requests.mean"] < 0.050);
  }
}

TEST_CASE("a Celery-like pool: publish, fetch, run, store, and the waiter polls") {
  auto base = [](sim::Time poll, bool detached) {
    auto c = config(4);
    add_resource(c, "redis", 16);
    auto& pool = add_pool(c, "celery", models::PoolKind::Celery, 2);
    pool.broker = "redis";
    pool.broker_index = 0;
    pool.broker_latency = 300 * kMicrosecond;
    pool.poll_interval = poll;
    pool.publish_cost = 150 * kMicrosecond;
    models::Program work = {cpu(10 * kMillisecond)};
    add_stream(c, "api", burst(1, 10 * kSecond),
               {detached ? detached_submit("celery", work) : to_thread("celery", work)}, kSecond, 0, true);
    add(c, "loop", {asyncio_serve(0)});
    return c;
  };
  SUBCASE("awaiting the result: it is seen at the first poll after the worker stored it") {
    auto r = run(base(50 * kMillisecond, false));
    // The worker is done after ~0.45 (publish) + 0.3 (fetch) + 10 + 0.3 (store) ms;
    // the first poll (at ~0.8 ms) finds nothing, the next (after 50 ms) finds it.
    CHECK(r.metrics["requests.max"] > 0.050);
    CHECK(r.metrics["requests.max"] < 0.0515);
    CHECK(r.metrics["pools.celery.tasks"] == 1);
    CHECK(r.metrics["pools.celery.latency_max"] < 0.012);
    CHECK(r.metrics["resources.redis.requests"] == 5);  // publish, fetch, store, two polls
  }
  SUBCASE("fire and forget: the response goes out after the publish, the job runs on") {
    auto r = run(base(50 * kMillisecond, true));
    CHECK(r.metrics["requests.max"] < 0.001);
    CHECK(r.metrics["pools.celery.tasks"] == 1);
    CHECK(r.metrics["wall"] > 0.010);  // the run waits for the job
    CHECK(r.metrics["resources.redis.requests"] == 3);
  }
}

namespace {
// Records what a run traces, and refuses events on tracks never declared
// (as the Chrome and SVG writers do).
class CheckingSink final : public sim::TraceSink {
 public:
  std::map<std::string, int> flows;
  std::map<sim::TrackId, std::string> names;
  std::map<std::string, std::int64_t> counter_max;
  void process(std::uint32_t, std::string_view, int) override {}
  void track(sim::TrackId id, std::uint32_t, std::string_view name, int) override { names[id] = name; }
  void counter_track(sim::TrackId id, std::uint32_t, std::string_view name) override { names[id] = name; }
  void slice(sim::TrackId t, sim::Time, sim::Time, const sim::SliceStyle&) override { need(t); }
  void labelled_slice(sim::TrackId t, sim::Time, sim::Time, const sim::SliceStyle&, std::string_view) override {
    need(t);
  }
  void counter(sim::TrackId t, sim::Time, std::int64_t v) override {
    need(t);
    auto& m = counter_max[names[t]];
    m = std::max(m, v);
  }
  std::map<std::string, int> instants;
  void instant(sim::TrackId t, sim::Time, const char* name) override {
    need(t);
    ++instants[name];
  }
  void flow(sim::TrackId a, sim::Time, sim::TrackId b, sim::Time, const char* name) override {
    need(a);
    need(b);
    ++flows[name];
  }
  void finish(sim::Time) override {}

 private:
  void need(sim::TrackId t) const {
    if (!names.count(t)) throw std::logic_error("event on undeclared track " + std::to_string(t));
  }
};
}  // namespace

TEST_CASE("the trace shows each request's way: arrival, server, response, and the backlog") {
  auto c = config(4);
  add_resource(c, "redis", 16);
  auto& pool = add_pool(c, "celery", models::PoolKind::Celery, 2);
  pool.broker = "redis";
  add_stream(c, "api", burst(5, kSecond), {await_io(kMillisecond), to_thread("celery", {cpu(10 * kMillisecond)})},
             2 * kSecond, 0, true);
  add(c, "loop", {asyncio_serve(0)});
  CheckingSink sink;
  auto r = models::simulate(c, &sink);
  CHECK(r.metrics["requests.completed"] == 10);
  CHECK(sink.flows["request"] == 10);   // arrival -> the loop that accepted it
  CHECK(sink.flows["response"] == 10);  // handler -> the client
  CHECK(sink.flows["result"] == 10);    // the worker -> the awaiting request's loop
  CHECK(sink.counter_max["api in flight"] == 5);
  CHECK(sink.counter_max["api backlog"] == 5);
}

TEST_CASE("the trace marks each dropped SYN on its stream's track") {
  auto c = config(2);
  auto& st = add_stream(c, "api", burst(30, 100 * kSecond), {cpu(10 * kMillisecond)}, kSecond);
  st.backlog = 5;
  add(c, "server", {serve(0)});
  CheckingSink sink;
  auto r = models::simulate(c, &sink);
  CHECK(r.metrics["requests.listen_overflows"] == 60);
  CHECK(sink.instants["SYN dropped"] == 60);
  CHECK(sink.counter_max["api backlog"] == 5);
}
