// The run plan (models/run_plan.h): prepared once, what every part of a run
// reads; and the metric names it declares, against what a run reports.
#include "models/run_plan.h"

#include <doctest/doctest.h>

#include <set>

#include "models/simulation.h"
#include "tests/models/program_builder.h"

using namespace testing;
using models::PoolKind;

namespace {

// Something of everything that has metrics: a pool, a resource, a lock, a
// counter, asyncio tasks (a group of them), a child process, a request stream.
models::SimulationConfig everything() {
  auto c = config(4);
  add_resource(c, "db", 2);
  add_pool(c, "pp", PoolKind::Process, 2);
  models::TaskGroup tasks;
  tasks.name = "t";
  tasks.count = 2;
  tasks.program = {await_io(1 * kMillisecond, "db"), cpu(100 * kMicrosecond)};
  add(c, "main", {lock_acquire("L"), increment_load("n"), increment_store("n"), lock_release("L"),
                  submit("pp", {cpu(1 * kMillisecond)}), wait_all(), asyncio({tasks})},
      2);
  models::ProcessGroup p;
  p.name = "child";
  p.startup = 1 * kMillisecond;
  models::ThreadGroup g;
  g.name = "main";
  g.program = {cpu(1 * kMillisecond)};
  p.threads.push_back(g);
  c.processes.push_back(p);
  add_stream(c, "api", poisson(200), {cpu(1 * kMillisecond)}, 100 * kMillisecond);
  add(c, "server", {serve(0)});
  return c;
}

}  // namespace

TEST_CASE("a run reports exactly the metrics its plan declares, each once") {
  const auto c = everything();
  const models::RunPlan plan(c);
  const std::vector<std::string> declared = plan.metric_names();
  const std::set<std::string> unique(declared.begin(), declared.end());
  CHECK(unique.size() == declared.size());
  const models::RunResult r = models::simulate(plan, 1);
  std::set<std::string> reported;
  for (const auto& [name, value] : r.metrics) reported.insert(name);
  CHECK(reported == unique);
  for (const char* name : {"locks.L.contended", "counters.n.lost", "pools.pp.latency_max", "resources.db.busy_avg",
                           "tasks.main_0_t.steps", "tasks.main_1_t.end", "threads.main.cpu", "threads.pp_feeder.io_ops",
                           "processes.child.end", "requests.api.p99"})
    CHECK(unique.count(name) == 1);
}

TEST_CASE("the plan: the loops serving each stream, each asyncio operation's first task, the trace's tracks") {
  auto c = config(2);
  add_stream(c, "a", poisson(10), {cpu(1 * kMillisecond)}, 1 * kSecond, 0, true);
  add_stream(c, "b", poisson(10), {cpu(1 * kMillisecond)}, 1 * kSecond, 0, true);
  models::TaskGroup t;
  t.name = "t";
  t.program = {await_sleep(1 * kMillisecond)};
  add(c, "x", {asyncio({t}), asyncio({t})});
  add(c, "srv", {asyncio_serve(1)}, 2);
  const models::RunPlan plan(c);
  CHECK(plan.acceptors()[0].empty());
  CHECK(plan.acceptors()[1] == std::vector<int>{1, 2});
  CHECK(plan.first_task(0, 0) == 0);
  CHECK(plan.first_task(0, 1) == 1);
  const models::TraceTracks tracks = plan.tracks();
  // Every track a distinct id: threads, cores, the GIL's two, the runnable
  // counter, tasks, three per stream.
  std::set<sim::TrackId> ids = {tracks.runnable()};
  for (int i = 0; i < 3; ++i) ids.insert(tracks.thread(i));
  for (int i = 0; i < 2; ++i) ids.insert(tracks.core(i));
  ids.insert(tracks.gil(0));
  ids.insert(tracks.gil_waiters(0));
  for (int k = 0; k < 2; ++k) ids.insert(tracks.task(k));
  for (int s = 0; s < 2; ++s) ids.insert({tracks.requests(s), tracks.in_flight(s), tracks.backlog(s)});
  CHECK(ids.size() == 3 + 2 + 2 + 1 + 2 + 6);
  CHECK(ids.count(0) == 0);  // 0 is no track
}

TEST_CASE("a plan is made once and runs with any seed; the same seed gives the same run") {
  auto c = config(2);
  add(c, "w", {exp_cpu(1 * kMillisecond), io(1 * kMillisecond)}, 3);
  const models::RunPlan plan(c);
  const auto a = models::simulate(plan, 1);
  const auto b = models::simulate(plan, 1);
  const auto other = models::simulate(plan, 2);
  CHECK(a.metrics == b.metrics);
  CHECK(a.metrics != other.metrics);
  c.seed = 2;
  CHECK(models::simulate(c).metrics == other.metrics);
}
