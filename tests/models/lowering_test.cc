// Lowering (models/lowering.h) on its own: what the scenario's pool, asyncio
// and server operations become, op by op, and the programs of pools' threads.
#include "models/lowering.h"

#include <doctest/doctest.h>

#include <stdexcept>
#include <vector>

#include "tests/models/program_builder.h"

using namespace testing;
using models::OpKind;
using models::PoolKind;
using models::PoolQueue;

namespace {

std::vector<OpKind> kinds(const Program& p) {
  std::vector<OpKind> out;
  for (const Op& o : p) out.push_back(o.kind);
  return out;
}

// A config with a thread pool `tp` (pool 0), a process pool `pp` (1), an
// interpreter pool `ip` (2), a Celery pool `cel` (3) with its broker `redis`
// (resource 1), and a resource `db` (0).
models::SimulationConfig pools_config() {
  auto c = config(4);
  add_resource(c, "db", 2);
  add_resource(c, "redis", 10);
  add_pool(c, "tp", PoolKind::Thread, 2);
  add_pool(c, "pp", PoolKind::Process, 2);
  add_pool(c, "ip", PoolKind::Interpreter, 2);
  auto& cel = add_pool(c, "cel", PoolKind::Celery, 2);
  cel.broker = "redis";
  cel.broker_index = 1;
  return c;
}

Op asyncio_with(Program task) {
  models::TaskGroup g;
  g.name = "t";
  g.program = std::move(task);
  return asyncio({g});
}

}  // namespace

TEST_CASE("submit: the Python code of submit(), a work item, the put on the pool's entry queue") {
  auto c = pools_config();
  add(c, "main", {submit("tp", {cpu(1 * kMillisecond)}), submit("pp", {cpu(1 * kMillisecond)}, 1, false, 100, 0),
                  submit("ip", {cpu(1 * kMillisecond)}), wait_all()});
  const models::LoweredConfig l = models::lower(c);
  const Program& p = l.config.threads[0].program;
  CHECK(kinds(p) == std::vector<OpKind>{OpKind::Cpu, OpKind::NewItem, OpKind::Forward,              // thread pool
                                        OpKind::Cpu, OpKind::NewItem, OpKind::Forward,              // process pool
                                        OpKind::Cpu, OpKind::NewItem, OpKind::NativeHeld, OpKind::Forward,  // interpreter
                                        OpKind::WaitAll});
  // submit()'s cost by kind of pool: 5 us to threads, 15 us to processes.
  CHECK(p[0].duration.a == 5 * kMicrosecond);
  CHECK(p[3].duration.a == 15 * kMicrosecond);
  CHECK(p[1].index == 0);
  CHECK(p[4].index == 1);
  CHECK(p[4].args_bytes == 100);
  REQUIRE(p[4].body.size() == 1);
  CHECK(p[2].index == l.queues.pool(0, PoolQueue::Entry));
  CHECK(p[5].index == l.queues.pool(1, PoolQueue::Entry));
  // An interpreter pool's call is pickled by the submitting thread, with its GIL.
  CHECK(p[8].sized == models::Sized::Args);
}

TEST_CASE("map: submit in a loop of `tasks` iterations, then wait for those") {
  auto c = pools_config();
  add(c, "main", {cpu(1 * kMillisecond), submit("tp", {cpu(1 * kMillisecond)}, 3, true)});
  const models::LoweredConfig l = models::lower(c);
  const Program& p = l.config.threads[0].program;
  CHECK(kinds(p) == std::vector<OpKind>{OpKind::Cpu, OpKind::RepeatBegin, OpKind::Cpu, OpKind::NewItem,
                                        OpKind::Forward, OpKind::RepeatEnd, OpKind::WaitBatch});
  CHECK(p[1].count == 3);
  CHECK(p[1].jump == 5);  // linked after the insertion
  CHECK(p[5].jump == 1);
  CHECK(p[3].map);
}

TEST_CASE("to_thread in a task: the loop's step costs, the submit, and an await of the future") {
  auto c = pools_config();
  c.runtime.loop_step = 2 * kMicrosecond;
  add(c, "main", {asyncio_with({to_thread("tp", {native(1 * kMillisecond)})})});
  const models::LoweredConfig l = models::lower(c);
  const Program& task = l.config.threads[0].program[0].tasks[0].program;
  CHECK(kinds(task) == std::vector<OpKind>{OpKind::Cpu, OpKind::Cpu, OpKind::NewItem, OpKind::Forward,
                                           OpKind::AwaitFuture, OpKind::Cpu});
  CHECK(task[0].duration.a == 2 * kMicrosecond);  // the task's first step
  CHECK(task[5].duration.a == 2 * kMicrosecond);  // the step that resumes it
  CHECK(l.config.threads[0].program[0].index == 0);  // the thread's first asyncio operation
}

TEST_CASE("a Celery pool: publish with a broker round trip; a task polls for the result") {
  auto c = pools_config();
  add(c, "main", {asyncio_with({to_thread("cel", {cpu(1 * kMillisecond)})})});
  const models::LoweredConfig l = models::lower(c);
  const Program& task = l.config.threads[0].program[0].tasks[0].program;
  CHECK(kinds(task) == std::vector<OpKind>{OpKind::Cpu, OpKind::Cpu, OpKind::NewItem, OpKind::Io, OpKind::Forward,
                                           OpKind::AwaitIo, OpKind::Cpu, OpKind::PollResult});
  CHECK(task[1].duration.a == models::default_publish_cost());
  CHECK(task[3].uses_resource);
  CHECK(task[3].index == 1);  // the broker, a resource
  CHECK(task[3].duration.a == models::default_broker_latency());
  CHECK(task[7].jump == 5);  // after the poll's sleep: ask the broker again
  CHECK(task[7].duration.a == models::default_poll_interval());
}

TEST_CASE("the pools' threads: a process pool's feeder, result thread and workers; the others' workers") {
  auto c = pools_config();
  const models::LoweredConfig l = models::lower(c);
  REQUIRE(l.pools.size() == 4);
  CHECK(l.pools[0].feeder == nullptr);
  CHECK(kinds(l.pools[0].workers->program) ==
        std::vector<OpKind>{OpKind::TakeItem, OpKind::RunBody, OpKind::Complete});
  CHECK(l.pools[0].workers->program[0].index == l.queues.pool(0, PoolQueue::Entry));
  REQUIRE(l.pools[1].feeder != nullptr);
  CHECK(l.pools[1].feeder->name == "pp_feeder");
  CHECK(kinds(l.pools[1].feeder->program) ==
        std::vector<OpKind>{OpKind::TakeItem, OpKind::NativeHeld, OpKind::NativeReleased, OpKind::Forward});
  CHECK(l.pools[1].feeder->program[3].index == l.queues.pool(1, PoolQueue::Call));
  CHECK(l.pools[1].results->name == "pp_results");
  CHECK(kinds(l.pools[1].workers->program) ==
        std::vector<OpKind>{OpKind::TakeItem, OpKind::NativeReleased, OpKind::NativeHeld, OpKind::RunBody,
                            OpKind::NativeHeld, OpKind::NativeReleased, OpKind::Forward});
  CHECK(l.pools[1].workers->program.back().index == l.queues.pool(1, PoolQueue::Results));
  CHECK(l.pools[1].workers->count == 2);
  CHECK(kinds(l.pools[3].workers->program) ==
        std::vector<OpKind>{OpKind::TakeItem, OpKind::Io, OpKind::NativeHeld, OpKind::RunBody, OpKind::NativeHeld,
                            OpKind::Io, OpKind::Complete});
}

TEST_CASE("serve: a loop over the stream's listen queue, after the pools' queues") {
  auto c = pools_config();
  add_stream(c, "api", poisson(10), {cpu(1 * kMillisecond)}, 1 * kSecond);
  add_stream(c, "admin", poisson(10), {cpu(1 * kMillisecond)}, 1 * kSecond);
  add(c, "server", {serve(1)});
  const models::LoweredConfig l = models::lower(c);
  CHECK(l.queues.count() == 3 * 4 + 2);
  CHECK(l.queues.listen(1) == 3 * 4 + 1);
  CHECK(l.queues.is_listen(l.queues.listen(0)));
  CHECK_FALSE(l.queues.is_listen(l.queues.pool(3, PoolQueue::Results)));
  const Program& p = l.config.threads[0].program;
  CHECK(kinds(p) == std::vector<OpKind>{OpKind::TakeItem, OpKind::RunBody, OpKind::Complete});
  CHECK(p[0].index == l.queues.listen(1));
}

TEST_CASE("locks and counters are numbered by first use, across threads, processes and requests") {
  auto c = config(2);
  add(c, "a", {lock_acquire("L"), increment_load("n"), increment_store("n"), lock_release("L")});
  add(c, "b", {increment_load("m"), increment_store("m"), increment_load("n"), increment_store("n")});
  const models::LoweredConfig l = models::lower(c);
  CHECK(l.locks == std::vector<std::string>{"L"});
  CHECK(l.counters == std::vector<std::string>{"n", "m"});
  CHECK(l.config.threads[1].program[0].index == 1);
  CHECK(l.config.threads[1].program[2].index == 0);
  // The config given is not changed: lowering works on a copy.
  CHECK(c.threads[1].program[0].index == 0);
}

TEST_CASE("a name the loader should have refused is an error, not a guess") {
  auto c = config(2);
  add(c, "main", {submit("nowhere", {cpu(1 * kMillisecond)})});
  CHECK_THROWS_AS(models::lower(c), std::invalid_argument);
}
