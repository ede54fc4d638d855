// The layout (models/layout.h): every thread, process and task of a run,
// named as the metrics name them, with the programs they run.
#include "models/layout.h"

#include <doctest/doctest.h>

#include "models/lowering.h"
#include "tests/models/program_builder.h"

using namespace testing;
using models::PoolKind;


TEST_CASE("names: a replicated group's threads, a child process's threads, a pool's workers and helpers") {
  auto c = config(4);
  add(c, "w", {cpu(1 * kMillisecond)}, 3);
  c.processes.push_back(process("p", 2, 5 * kMillisecond, {group("main", {cpu(1 * kMillisecond)})}));
  add_pool(c, "pp", PoolKind::Process, 2);
  add_pool(c, "tp", PoolKind::Thread, 1);
  add_pool(c, "ip", PoolKind::Interpreter, 1);
  const models::LoweredConfig lowered = models::lower(c);
  const models::Layout l = models::make_layout(lowered);
  std::vector<std::string> names;
  for (const auto& t : l.threads) names.push_back(t.name);
  CHECK(names == std::vector<std::string>{"w_0", "w_1", "w_2", "p_0_main", "p_1_main", "pp_feeder", "pp_results",
                                          "pp_0", "pp_1", "tp", "ip"});
  CHECK(l.threads[1].group == "w");
  CHECK(l.threads[1].group_size == 3);
  // Interpreters: the main one, two child processes, two pool processes, a sub-interpreter.
  CHECK(l.interpreters() == 6);
  CHECK(l.threads[3].interpreter == 1);
  CHECK(l.threads[4].interpreter == 2);
  CHECK(l.threads[5].interpreter == 0);  // the feeder is the parent's thread
  CHECK(l.threads[7].interpreter == 3);
  CHECK(l.threads[9].interpreter == 0);  // a thread pool's worker
  CHECK(l.threads[10].interpreter == 5);
  CHECK(l.processes[4].subinterpreter);
  CHECK(l.processes[2].pool_worker);
  CHECK_FALSE(l.processes[0].pool_worker);
  // Pools' threads serve work for ever; the others end.
  for (std::size_t t = 0; t < l.threads.size(); ++t) CHECK(l.threads[t].service == (t >= 5));
}

TEST_CASE("a child's main thread runs its start-up first, as bytecode; its other threads wait for it") {
  auto c = config(4);
  models::ProcessGroup p = process("p", 1, 5 * kMillisecond, {group("main", repeat(2, {cpu(1 * kMillisecond)}))});
  p.threads.push_back(group("helper", {cpu(1 * kMillisecond)}));
  c.processes.push_back(std::move(p));
  const models::LoweredConfig lowered = models::lower(c);
  const models::Layout l = models::make_layout(lowered);
  REQUIRE(l.threads.size() == 2);
  const Program& main = *l.threads[0].program;
  REQUIRE(main.size() == 4);
  CHECK(main[0].kind == models::OpKind::Cpu);
  CHECK(main[0].process_startup);
  CHECK(main[0].duration.a == 5 * kMillisecond);
  // The loop moved by one operation: its jumps with it.
  CHECK(main[1].jump == 3);
  CHECK(main[3].jump == 1);
  CHECK(l.threads[1].started_by == 0);
  CHECK(l.threads[1].program == &l.threads[1].spec->program);
  // A start method's default when the scenario gives none.
  models::SimulationConfig d = config(2);
  d.processes.push_back(process("q", 1, -1, {group("main", {cpu(1 * kMillisecond)})}));
  d.processes[0].start_method = models::StartMethod::Spawn;
  CHECK(models::make_layout(models::lower(d)).threads[0].startup == models::default_startup(models::StartMethod::Spawn));
  // The runtime's process start-up costs replace the start method's defaults
  // (that method's only); a group's or pool's own values win over them.
  d.runtime.process_startup.spawn = 60 * kMillisecond;
  d.runtime.process_startup.fork = 1 * kMillisecond;
  d.runtime.process_start_interval.spawn = 1200 * kMicrosecond;
  d.runtime.process_start_interval.forkserver = 5 * kMillisecond;
  d.runtime.resource_tracker_start = 0;  // (the tracker's share: the test case below)
  d.threads.clear();
  add_pool(d, "pool", PoolKind::Process, 2).start_method = models::StartMethod::Spawn;
  add_pool(d, "own", PoolKind::Process, 1).start_method = models::StartMethod::Spawn;
  d.pools[1].startup = 7 * kMillisecond;
  d.pools[1].start_interval = 3 * kMillisecond;
  const models::Layout from_runtime = models::make_layout(models::lower(d));
  // q_main, pool_feeder, pool_results, pool_0, pool_1, own_feeder, own_results, own_0
  REQUIRE(from_runtime.threads.size() == 8);
  CHECK(from_runtime.threads[0].startup == 60 * kMillisecond);
  CHECK(from_runtime.threads[3].startup == 60 * kMillisecond);
  CHECK(from_runtime.threads[4].startup == 60 * kMillisecond);
  CHECK(from_runtime.threads[7].startup == 7 * kMillisecond);
  // No thread in the main process: each starts after the shares before it.
  const sim::Time delays[] = {0, 0, 0, 1200 * kMicrosecond, 2400 * kMicrosecond, 0, 0, 3600 * kMicrosecond};
  for (std::size_t t = 0; t < from_runtime.threads.size(); ++t) {
    CAPTURE(from_runtime.threads[t].name);
    CHECK(from_runtime.threads[t].start_delay == delays[t]);
  }
  CHECK(models::startup_for(d.runtime, models::StartMethod::Forkserver) ==
        models::default_startup(models::StartMethod::Forkserver));
  CHECK(models::start_interval_for(d.runtime, models::StartMethod::Fork) ==
        models::default_start_interval(models::StartMethod::Fork));
  CHECK(models::start_interval_for(d.runtime, models::StartMethod::Forkserver) == 5 * kMillisecond);
}

TEST_CASE("the main thread runs the parent's share of each Process.start(); each process starts at its end") {
  auto c = config(4);
  add(c, "main", {cpu(1 * kMillisecond), serve(0)});
  add_stream(c, "api", poisson(10), {cpu(1 * kMillisecond)}, 1 * kSecond);
  models::ProcessGroup p = process("p", 2, 5 * kMillisecond, {group("main", {cpu(1 * kMillisecond)})});
  p.start_interval = 2 * kMillisecond;
  p.threads.push_back(group("helper", {cpu(1 * kMillisecond)}));
  c.processes.push_back(std::move(p));
  add_pool(c, "pool", PoolKind::Process, 2).start_interval = 3 * kMillisecond;
  add_pool(c, "subs", PoolKind::Interpreter, 1);
  const models::Layout l = models::make_layout(models::lower(c));
  // main, p_0_main, p_0_helper, p_1_main, p_1_helper, pool_feeder,
  // pool_results, pool_0, pool_1, subs
  REQUIRE(l.threads.size() == 10);
  const Program& main = *l.threads[0].program;
  REQUIRE(main.size() == 4 + 1 + 3);  // the shares, cpu, and serve lowered (take, handle, respond)
  const sim::Time shares[] = {2 * kMillisecond, 2 * kMillisecond, 3 * kMillisecond, 3 * kMillisecond};
  for (int k = 0; k < 4; ++k) {
    CAPTURE(k);
    CHECK(main[static_cast<std::size_t>(k)].kind == models::OpKind::Cpu);  // bytecode: the GIL held
    CHECK(main[static_cast<std::size_t>(k)].duration.a == shares[k]);
    CHECK(main[static_cast<std::size_t>(k)].starts == k);
    CHECK_FALSE(main[static_cast<std::size_t>(k)].process_startup);
  }
  CHECK(main[4].starts == -1);
  // The server's loop moved by the four shares.
  CHECK(l.threads[0].loop_from == 4 + 1);
  // Each child's main thread is started by the parent's share; its helper
  // by its main thread's start-up; the pool's threads once its last worker is.
  const int started_by[] = {-1, 0, 1, 0, 3, 0, 0, 0, 0, -1};
  const int start_group[] = {-1, 0, -1, 1, -1, 3, 3, 2, 3, -1};
  for (std::size_t t = 0; t < l.threads.size(); ++t) {
    CAPTURE(l.threads[t].name);
    CHECK(l.threads[t].started_by == started_by[t]);
    CHECK(l.threads[t].start_group == start_group[t]);
    CHECK(l.threads[t].start_delay == 0);
  }
  // The pool workers' loop starts after their start-up alone.
  CHECK(l.threads[7].loop_from == 1);
  // With no thread in the main process, nobody's CPU is booked: the processes
  // start at fixed times, each after the shares of those before it.
  c.threads.clear();
  c.requests.clear();
  const models::Layout bare = models::make_layout(models::lower(c));
  const sim::Time delays[] = {0, 0, 2 * kMillisecond, 0, 0, 0, 4 * kMillisecond, 7 * kMillisecond, 0};
  REQUIRE(bare.threads.size() == 9);
  for (std::size_t t = 0; t < bare.threads.size(); ++t) {
    CAPTURE(bare.threads[t].name);
    CHECK(bare.threads[t].start_delay == delays[t]);
    CHECK(bare.threads[t].start_group == -1);
    CHECK(bare.threads[t].starts.empty());
  }
  CHECK(bare.threads[6].loop_from == 2);  // pool_0: the wait for its turn, then its start-up
}

TEST_CASE("servers: a thread that ends in serve loops over its take, handle, respond; an asyncio server never returns") {
  auto c = config(4);
  add_stream(c, "api", poisson(10), {cpu(1 * kMillisecond)}, 1 * kSecond);
  add(c, "main", {cpu(1 * kMillisecond), serve(0)});
  add(c, "loop", {asyncio_serve(0)});
  const models::LoweredConfig lowered = models::lower(c);
  const models::Layout l = models::make_layout(lowered);
  CHECK(l.threads[0].service);
  CHECK(l.threads[0].loop_from == 1);
  CHECK(l.threads[1].service);
}

TEST_CASE("asyncio tasks: named as written, or THREAD_TASK for a replicated thread's") {
  auto c = config(4);
  models::TaskGroup fetch;
  fetch.name = "fetch";
  fetch.count = 2;
  fetch.program = {await_sleep(1 * kMillisecond)};
  models::TaskGroup one;
  one.name = "one";
  one.program = {await_sleep(1 * kMillisecond)};
  add(c, "solo", {asyncio({fetch}), asyncio({one})});
  add(c, "rep", {asyncio({one})}, 2);
  const models::LoweredConfig lowered = models::lower(c);
  const models::Layout l = models::make_layout(lowered);
  std::vector<std::string> names;
  for (const auto& t : l.tasks) names.push_back(t.name);
  CHECK(names == std::vector<std::string>{"fetch_0", "fetch_1", "one", "rep_0_one", "rep_1_one"});
  CHECK(l.tasks[2].ordinal == 1);  // the thread's second asyncio operation
  CHECK(l.tasks[3].thread == 1);
  CHECK(l.tasks[1].group == "fetch");
}

TEST_CASE("names without lowering: the top level of a file may name pools only its variants define") {
  auto c = config(2);
  add(c, "main", {submit("defined_elsewhere", {cpu(1 * kMillisecond)})}, 2);
  const models::NamedLayout named = models::name_layout(c);
  REQUIRE(named.layout.threads.size() == 2);
  CHECK(named.layout.threads[1].name == "main_1");
}

// Lib/multiprocessing/resource_tracker.py: the first spawn or forkserver
// start also starts the resource tracker (a second fork_exec); before 3.10
// _posixsubprocess.fork_exec forks, so a spawn start, and the tracker's,
// each cost a fork start's share more (models/config.h, fork_exec_forks).
TEST_CASE("the first spawn or forkserver start starts the resource tracker; before 3.10 fork_exec forks") {
  const sim::Time us = kMicrosecond;
  auto shares_of = [&](const std::string& python, sim::Time own_spawn_interval) {
    auto c = config(4);
    c.runtime.python = python;
    c.runtime.process_start_interval = {.fork = 500 * us, .forkserver = 300 * us, .spawn = 400 * us};
    c.runtime.resource_tracker_start = 800 * us;
    add(c, "main", {cpu(1 * kMillisecond)});
    models::ProcessGroup f = process("f", 1, 1 * kMillisecond, {group("main", {cpu(1 * kMillisecond)})});
    c.processes.push_back(std::move(f));
    models::ProcessGroup s = process("s", 2, 1 * kMillisecond, {group("main", {cpu(1 * kMillisecond)})});
    s.start_method = models::StartMethod::Spawn;
    s.start_interval = own_spawn_interval;
    c.processes.push_back(std::move(s));
    add_pool(c, "pool", PoolKind::Process, 1).start_method = models::StartMethod::Forkserver;
    const models::Layout l = models::make_layout(models::lower(c));
    std::vector<sim::Time> out;
    for (const auto& op : *l.threads[0].program)
      if (op.starts >= 0) out.push_back(op.duration.a);
    return out;
  };
  // fork; the first spawn with the tracker; the second spawn; the forkserver
  // worker (the tracker runs already).
  CHECK(shares_of("3.12", -1) == std::vector<sim::Time>{500 * us, 1200 * us, 400 * us, 300 * us});
  CHECK(shares_of("3.10", -1) == std::vector<sim::Time>{500 * us, 1200 * us, 400 * us, 300 * us});
  CHECK(shares_of("3.9", -1) == std::vector<sim::Time>{500 * us, 2200 * us, 900 * us, 300 * us});
  // A group's own start_interval is taken whole; the tracker still starts.
  CHECK(shares_of("3.9", 2 * kMillisecond) == std::vector<sim::Time>{500 * us, 3300 * us, 2000 * us, 300 * us});
  CHECK(shares_of("3.12", 2 * kMillisecond) == std::vector<sim::Time>{500 * us, 2800 * us, 2000 * us, 300 * us});
}
