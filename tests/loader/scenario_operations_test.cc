// What each operation of a `run:` list compiles to, and its errors.
#include "loader/scenario_program.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/loader/load_helpers.h"

using namespace load_helpers;

TEST_SUITE("scenario_operations") {
  TEST_CASE("repeat compiles to RepeatBegin/RepeatEnd with jumps") {
    const loader::Scenario s =
        load(with_run("      - cpu: 1ms\n"
                      "      - repeat: 3\n"
                      "        run:\n"
                      "          - io: 2ms\n"
                      "          - repeat: 1e6\n"
                      "            run: [cpu: 10us, sleep: 1ms]\n"
                      "      - native: 5ms\n"));
    const auto& p = program_of(s);
    REQUIRE(p.size() == 9);
    CHECK(p[0].kind == OpKind::Cpu);
    CHECK(p[1].kind == OpKind::RepeatBegin);
    CHECK(p[1].count == 3);
    CHECK(p[1].jump == 7);
    CHECK(p[2].kind == OpKind::Io);
    CHECK(p[3].kind == OpKind::RepeatBegin);
    CHECK(p[3].count == 1'000'000);
    CHECK(p[3].jump == 6);
    CHECK(p[4].kind == OpKind::Cpu);
    CHECK(p[4].duration.a == 10 * kMicrosecond);
    CHECK(p[5].kind == OpKind::Sleep);
    CHECK(p[6].kind == OpKind::RepeatEnd);
    CHECK(p[6].jump == 3);
    CHECK(p[7].kind == OpKind::RepeatEnd);
    CHECK(p[7].jump == 1);
    CHECK(p[8].kind == OpKind::NativeReleased);
  }

  TEST_CASE("native and io, short and long forms") {
    const auto& p =
        program_of(load(with_run("      - native: 1ms\n"
                                 "      - native: {time: 2ms, gil: held}\n"
                                 "      - native: {time: 3ms, gil: released}\n"
                                 "      - native: {time: {exp: 1ms}}\n"
                                 "      - io: 4ms\n"
                                 "      - io: {time: 5ms}\n"
                                 "      - io: {exp: 6ms}\n")));
    REQUIRE(p.size() == 7);
    CHECK(p[0].kind == OpKind::NativeReleased);
    CHECK(p[1].kind == OpKind::NativeHeld);
    CHECK(p[1].duration.a == 2 * kMillisecond);
    CHECK(p[2].kind == OpKind::NativeReleased);
    CHECK(p[3].duration.kind == Distribution::Kind::Exp);
    CHECK(p[4].kind == OpKind::Io);
    CHECK(p[5].duration.a == 5 * kMillisecond);
    CHECK(p[6].kind == OpKind::Io);
    CHECK(p[6].duration.kind == Distribution::Kind::Exp);
  }

  TEST_CASE("lock and increment compile to acquire/release and load/store on indexed objects") {
    const loader::Scenario s = load(
        "name: t\nthreads:\n  - name: a\n    run:\n      - lock: guard\n        run:\n"
        "          - increment: hits\n      - increment: misses\n");
    const models::RunPlan& plan = *s.variants[0].plan;
    CHECK(plan.locks() == std::vector<std::string>{"guard"});
    CHECK(plan.counters() == std::vector<std::string>{"hits", "misses"});
    const auto& p = plan.config().threads[0].program;
    REQUIRE(p.size() == 6);
    CHECK(p[0].kind == models::OpKind::LockAcquire);
    CHECK(p[1].kind == models::OpKind::IncrementLoad);
    CHECK(p[2].kind == models::OpKind::IncrementStore);
    CHECK(p[3].kind == models::OpKind::LockRelease);
    CHECK(p[4].index == 1);
    CHECK(p[5].kind == models::OpKind::IncrementStore);
  }

  TEST_CASE("increment with run: x = x + f() compiles to load, the call's operations, store") {
    const loader::Scenario s = load(
        "name: t\nthreads:\n  - name: a\n    run:\n      - increment: hits\n        run: [cpu: 1us, io: 1ms]\n"
        "      - increment: hits\n");
    const auto& p = s.variants[0].plan->config().threads[0].program;
    REQUIRE(p.size() == 6);
    CHECK(p[0].kind == models::OpKind::IncrementLoad);
    CHECK(p[1].kind == models::OpKind::Cpu);
    CHECK(p[2].kind == models::OpKind::Io);
    CHECK(p[3].kind == models::OpKind::IncrementStore);
    CHECK(p[3].index == p[0].index);
    CHECK(p[4].kind == models::OpKind::IncrementLoad);
    CHECK(p[5].kind == models::OpKind::IncrementStore);  // `x += 1`: nothing between the halves
  }

  TEST_CASE("submit, map and wait compile with their work, counts and sizes") {
    const auto p = compiled(std::string("      - submit: procs\n"
                                              "        args: 1KB\n"
                                              "        result: 4MiB\n"
                                              "        run:\n"
                                              "          - cpu: 10ms\n"
                                              "          - repeat: 3\n"
                                              "            run: [native: 1ms]\n"
                                              "      - map: tp\n"
                                              "        tasks: 100\n"
                                              "        run: [io: 2ms, increment: done]\n"
                                              "      - wait: all\n"));
    REQUIRE(p.size() == 3);
    CHECK(p[0].kind == OpKind::Submit);
    CHECK(p[0].object == "procs");
    CHECK(p[0].count == 1);
    CHECK_FALSE(p[0].map);
    CHECK(p[0].args_bytes == 1000);
    CHECK(p[0].result_bytes == 4 * 1024 * 1024);
    // The work is a program of its own: its repeat jumps count from its start.
    REQUIRE(p[0].body.size() == 4);
    CHECK(p[0].body[0].kind == OpKind::Cpu);
    CHECK(p[0].body[0].duration.a == 10 * kMillisecond);
    CHECK(p[0].body[1].kind == OpKind::RepeatBegin);
    CHECK(p[0].body[1].jump == 3);
    CHECK(p[0].body[2].kind == OpKind::NativeReleased);
    CHECK(p[0].body[3].jump == 1);
    CHECK(p[1].kind == OpKind::Submit);
    CHECK(p[1].map);
    CHECK(p[1].object == "tp");
    CHECK(p[1].count == 100);
    CHECK(p[1].args_bytes == 0);
    CHECK(p[1].result_bytes == 0);
    REQUIRE(p[1].body.size() == 3);
    CHECK(p[1].body[0].kind == OpKind::Io);
    CHECK(p[1].body[1].kind == OpKind::IncrementLoad);
    CHECK(p[1].body[1].object == "done");
    CHECK(p[2].kind == OpKind::WaitAll);
    // Companions may come first; `run` is required.
    const auto q = compiled("      - {run: [cpu: 1ms], tasks: 2, map: interp, args: 0B}\n");
    CHECK(q[0].map);
    CHECK(q[0].object == "interp");
    CHECK(q[0].count == 2);
    // A loaded scenario's run plan holds them lowered by the model: the work
    // item keeps the work and the sizes.
    const auto lowered =
        load(with_pools("      - {submit: procs, args: 1KB, result: 2MB, run: [cpu: 1ms]}\n")).variants[0].plan->config().threads[0].program;
    const models::Op* item = find_op(lowered, OpKind::NewItem);
    REQUIRE(item != nullptr);
    CHECK(item->args_bytes == 1000);
    CHECK(item->result_bytes == 2'000'000);
    REQUIRE(item->body.size() == 1);
    CHECK(item->body[0].kind == OpKind::Cpu);
  }

  TEST_CASE("submit, map and wait errors") {
    CHECK_ERROR(with_pools("      - submit: tpp\n        run: [cpu: 1ms]\n"),
                "t.yaml:12:17: error: unknown pool 'tpp'; did you mean 'tp'?");
    CHECK_ERROR(with_pools("      - submit: workers\n        run: [cpu: 1ms]\n"),
                "t.yaml:12:17: error: unknown pool 'workers'; the pools are: procs, tp, interp");
    CHECK_ERROR(with_run("      - submit: workers\n        run: [cpu: 1ms]\n"),
                "t.yaml:5:17: error: unknown pool 'workers': define it under 'pools:', e.g. pools: "
                "[{name: workers, kind: thread}]");
    CHECK_ERROR(with_pools("      - submit: tp\n"),
                "t.yaml:12:9: error: 'submit' needs 'run' with the work a worker of the pool runs");
    CHECK_ERROR(with_pools("      - map: tp\n        run: [cpu: 1ms]\n"),
                "t.yaml:12:9: error: 'map' needs 'tasks', the number of items it maps over");
    CHECK_ERROR(with_pools("      - {map: tp, tasks: 0, run: [cpu: 1ms]}\n"),
                "t.yaml:12:26: error: tasks of 'map' must be between 1 and 10000000, got 0");
    CHECK_ERROR(with_pools("      - {submit: tp, tasks: 2, run: [cpu: 1ms]}\n"),
                "t.yaml:12:22: error: 'tasks' does not go with 'submit'");
    CHECK_ERROR(with_pools("      - {repeat: 2, args: 1KB, run: [cpu: 1ms]}\n"),
                "t.yaml:12:21: error: 'args' does not go with 'repeat'");
    CHECK_ERROR(with_pools("      - {submit: tp, run: []}\n"), "t.yaml:12:27: error: run of 'submit' is empty");
    CHECK_ERROR(with_pools("      - wait: some\n"), "t.yaml:12:15: error: wait takes 'all'");
    CHECK_ERROR(with_pools("      - wait: [all]\n"), "t.yaml:12:15: error: wait takes 'all'");
  }

  TEST_CASE("asyncio tasks: awaits, to_thread and blocking operations") {
    const auto p = compiled(std::string("      - cpu: 1ms\n"
                                              "      - asyncio:\n"
                                              "          tasks:\n"
                                              "            - name: fetch\n"
                                              "              count: 10\n"
                                              "              run:\n"
                                              "                - await_io: 50ms\n"
                                              "                - await_io: {time: {exp: 5ms}, resource: db}\n"
                                              "                - await_sleep: 1ms\n"
                                              "                - to_thread: procs\n"
                                              "                  args: 2KB\n"
                                              "                  result: 1MB\n"
                                              "                  run: [cpu: 20ms]\n"
                                              "                - cpu: 100us\n"
                                              "                - io: 1ms\n"
                                              "                - sleep: 1ms\n"
                                              "                - repeat: 2\n"
                                              "                  run: [native: 1ms]\n"
                                              "                - lock: l\n"
                                              "                  run: [increment: c]\n"
                                              "            - {name: tick, run: [await_sleep: {uniform: [1ms, 2ms]}]}\n"));
    REQUIRE(p.size() == 2);
    CHECK(p[0].kind == OpKind::Cpu);
    CHECK(p[1].kind == OpKind::Asyncio);
    REQUIRE(p[1].tasks.size() == 2);
    const auto& fetch = p[1].tasks[0];
    CHECK(fetch.name == "fetch");
    CHECK(fetch.count == 10);
    REQUIRE(fetch.program.size() == 14);
    CHECK(fetch.program[0].kind == OpKind::AwaitIo);
    CHECK(fetch.program[0].duration.a == 50 * kMillisecond);
    CHECK_FALSE(fetch.program[0].uses_resource);
    CHECK(fetch.program[1].kind == OpKind::AwaitIo);
    CHECK(fetch.program[1].uses_resource);
    CHECK(fetch.program[1].object == "db");
    CHECK(fetch.program[1].duration.kind == Distribution::Kind::Exp);
    CHECK(fetch.program[2].kind == OpKind::AwaitSleep);
    CHECK(fetch.program[2].duration.a == kMillisecond);
    CHECK(fetch.program[3].kind == OpKind::ToThread);
    CHECK(fetch.program[3].object == "procs");
    CHECK(fetch.program[3].args_bytes == 2000);
    CHECK(fetch.program[3].result_bytes == 1'000'000);
    REQUIRE(fetch.program[3].body.size() == 1);
    CHECK(fetch.program[3].body[0].kind == OpKind::Cpu);
    CHECK(fetch.program[3].body[0].duration.a == 20 * kMillisecond);
    CHECK(fetch.program[4].kind == OpKind::Cpu);
    CHECK(fetch.program[5].kind == OpKind::Io);
    CHECK(fetch.program[6].kind == OpKind::Sleep);
    CHECK(fetch.program[7].kind == OpKind::RepeatBegin);
    CHECK(fetch.program[7].jump == 9);
    CHECK(fetch.program[10].kind == OpKind::LockAcquire);
    CHECK(fetch.program[11].kind == OpKind::IncrementLoad);
    CHECK(fetch.program[13].kind == OpKind::LockRelease);
    const auto& tick = p[1].tasks[1];
    CHECK(tick.name == "tick");
    CHECK(tick.count == 1);
    REQUIRE(tick.program.size() == 1);
    CHECK(tick.program[0].kind == OpKind::AwaitSleep);
    CHECK(tick.program[0].duration.kind == Distribution::Kind::Uniform);
  }

  TEST_CASE("io on a resource") {
    const auto p = program_of(load(with_pools("      - io: {time: 5ms, resource: db}\n      - io: 1ms\n")));
    CHECK(p[0].index == 0);  // the model's index of the resource
    REQUIRE(p.size() == 2);
    CHECK(p[0].kind == OpKind::Io);
    CHECK(p[0].uses_resource);
    CHECK(p[0].object == "db");
    CHECK(p[0].duration.a == 5 * kMillisecond);
    CHECK_FALSE(p[1].uses_resource);
    CHECK(p[1].object.empty());
    CHECK_ERROR(with_pools("      - io: {time: 5ms, resource: dbb}\n"),
                "t.yaml:12:35: error: unknown resource 'dbb'; did you mean 'db'?");
    CHECK_ERROR(with_pools("      - io: {time: 5ms, resource: cache}\n"),
                "t.yaml:12:35: error: unknown resource 'cache'; the resources are: db");
    CHECK_ERROR(with_pools("      - io: {time: 5ms, resorce: db}\n"),
                "t.yaml:12:25: error: unknown key 'resorce' in 'io'; did you mean 'resource'?");
    CHECK_ERROR(with_pools("      - io: {resource: db}\n"), "t.yaml:12:13: error: 'io' needs 'time'");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [await_io: {time: 1ms, resource: x}]}]}\n"),
                "t.yaml:12:75: error: unknown resource 'x'; the resources are: db");
  }

  TEST_CASE("asyncio errors") {
    CHECK_ERROR(with_pools("      - asyncio:\n"), "t.yaml:12:9: error: 'asyncio' needs 'tasks'");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: []}\n"),
                "t.yaml:12:26: error: tasks of 'asyncio' is empty: give it at least one task");
    CHECK_ERROR(with_pools("      - asyncio: {task: []}\n"),
                "t.yaml:12:19: error: unknown key 'task' in 'asyncio'; did you mean 'tasks'?");
    CHECK_ERROR(with_pools("      - asyncio: [{name: a, run: [cpu: 1ms]}]\n"),
                "t.yaml:12:18: error: expected a map for asyncio, got a list");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{run: [cpu: 1ms]}]}\n"),
                "t.yaml:12:27: error: an asyncio task needs a 'name'");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a}]}\n"),
                "t.yaml:12:27: error: task 'a' needs 'run', its list of operations");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, count: 0, run: [cpu: 1ms]}]}\n"),
                "t.yaml:12:44: error: count of task 'a' must be between 1 and 100000, got 0");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a-b, run: [cpu: 1ms]}]}\n"),
                "t.yaml:12:34: error: task name 'a-b' is not a valid name");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, runs: [cpu: 1ms]}]}\n"),
                "t.yaml:12:37: error: unknown key 'runs' in task 'a'; did you mean 'run'?");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [{to_thread: tp}]}]}\n"),
                "t.yaml:12:43: error: 'to_thread' needs 'run' with the work a worker of the pool runs");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [{to_thread: tpp, run: [cpu: 1ms]}]}]}\n"),
                "t.yaml:12:55: error: unknown pool 'tpp'; did you mean 'tp'?");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [await_io: 1]}]}\n"),
                "t.yaml:12:53: error: missing unit in '1'");
  }

  TEST_CASE("asyncio servers: limit_concurrency, uvicorn's, with serve") {
    const loader::Scenario s = load(
        "name: t\n"
        "requests:\n"
        "  - {name: a, arrival: {poisson: 1/s}, run: [await_io: 1ms]}\n"
        "  - {name: b, arrival: {poisson: 1/s}, run: [await_io: 1ms]}\n"
        "threads:\n"
        "  - {name: x, run: [asyncio: {serve: a, limit_concurrency: 100}]}\n"
        "  - {name: y, run: [asyncio: {serve: b}]}\n");
    const models::Program x = program_of(s, 0, 0), y = program_of(s, 0, 1);
    REQUIRE(find_op(x, OpKind::Asyncio) != nullptr);
    CHECK(find_op(x, OpKind::Asyncio)->limit_concurrency == 100);
    CHECK(find_op(y, OpKind::Asyncio)->limit_concurrency == 0);  // no limit, uvicorn's default
  }

  TEST_CASE("serve and asyncio serve name their stream by index") {
    const loader::Scenario s = load(
        "name: t\n"
        "threads:\n"
        "  - {name: web, run: [cpu: 1ms, serve: b]}\n"
        "  - {name: loop, run: [asyncio: {serve: a, tasks: [{name: tick, run: [await_sleep: 1ms]}]}]}\n"
        "requests:\n"
        "  - {name: a, arrival: {poisson: 1/s}, run: [await_sleep: 1ms]}\n"
        "  - {name: b, arrival: {poisson: 1/s}, run: [sleep: 1ms]}\n");
    // The model lowers `serve` into its own operations: its op is checked as
    // the loader compiles it, with the same streams.
    const std::vector<std::string> streams = {"a", "b"};
    std::vector<loader::StreamServer> servers;
    const loader::YamlSource src("t.yaml", "run: [cpu: 1ms, serve: b]\n");
    loader::ProgramContext context;
    context.streams = &streams;
    context.servers = &servers;
    const models::Program p = loader::read_program(src, src.parse()["run"], "web", context);
    REQUIRE(p.size() == 2);
    CHECK(p[1].kind == OpKind::Serve);
    CHECK(p[1].object == "b");
    CHECK(p[1].index == 1);
    REQUIRE(servers.size() == 1);
    CHECK(servers[0].stream == "b");
    CHECK_FALSE(servers[0].asyncio);
    const models::Program loop_program = program_of(s, 0, 1);  // a copy: find_op points into it
    const models::Op* loop = find_op(loop_program, OpKind::Asyncio);
    REQUIRE(loop != nullptr);
    CHECK(loop->object == "a");
    CHECK(loop->serve == 0);
    CHECK(loop->tasks.size() == 1);
    CHECK(s.variants[0].config.requests[0].async);
    CHECK_FALSE(s.variants[0].config.requests[1].async);
    // Serving only: no tasks.
    const loader::Scenario only = load("name: t\nthreads: [{name: loop, run: [asyncio: {serve: a}]}]\n"
                                    "requests: [{name: a, arrival: {poisson: 1/s}, run: [await_io: 1ms]}]\n");
    CHECK(find_op(program_of(only), OpKind::Asyncio)->tasks.empty());
    // Other asyncio operations serve nothing.
    CHECK(compiled("      - asyncio: {tasks: [{name: a, run: [await_io: 1ms]}]}\n")[0].serve == -1);
    // A process's thread may serve; the top level may serve what only the variants define.
    CHECK(load("name: t\nprocesses: [{name: p, count: 2, threads: [{name: w, run: [serve: a]}]}]\n"
               "requests: [{name: a, arrival: {poisson: 1/s}, run: [cpu: 1ms]}]\n")
              .variants[0].config.requests.size() == 1);
    CHECK(load("name: t\nthreads: [{name: web, run: [serve: a]}]\n"
               "variants:\n  v:\n    requests: [{name: a, arrival: {poisson: 1/s}, run: [cpu: 1ms]}]\n")
              .variants.size() == 1);
  }

  TEST_CASE("submit inside an asyncio task is fire-and-forget") {
    const models::Program p =
        compiled("      - {submit: tp, run: [cpu: 1ms]}\n"
                 "      - asyncio: {tasks: [{name: a, run: [{submit: procs, run: [cpu: 1ms]}, await_io: 1ms]}]}\n");
    CHECK_FALSE(p[0].detached);
    REQUIRE(p[1].tasks.size() == 1);
    CHECK(p[1].tasks[0].program[0].kind == OpKind::Submit);
    CHECK(p[1].tasks[0].program[0].detached);
    CHECK(p[1].tasks[0].program[0].object == "procs");
    // ... in an async stream's requests too, not in a thread-served one's.
    const loader::Scenario s = load(
        "name: t\npools: [{name: tp, kind: thread}]\n"
        "threads: [{name: loop, run: [asyncio: {serve: a}]}, {name: web, run: [serve: b]}]\n"
        "requests:\n"
        "  - {name: a, arrival: {poisson: 1/s}, run: [{submit: tp, run: [cpu: 1ms]}]}\n"
        "  - {name: b, arrival: {poisson: 1/s}, run: [{submit: tp, run: [cpu: 1ms]}, wait: all]}\n");
    const auto& r = s.variants[0].config.requests;
    const models::Op* in_task = find_op(r[0].mix[0].program, OpKind::Submit);
    const models::Op* in_thread = find_op(r[1].mix[0].program, OpKind::Submit);
    if (in_task) CHECK(in_task->detached);       // the model may have lowered it
    if (in_thread) CHECK_FALSE(in_thread->detached);
  }

  TEST_CASE("native and io in full: the options' keys and their values") {
    CHECK_ERROR(with_run("      - native: {time: 5, gil: held}\n"), "t.yaml:5:24: error: missing unit in '5'");
    CHECK_ERROR(with_run("      - native: {time: [5ms]}\n"),
                "t.yaml:5:24: error: expected a duration (like 250ms) for time of 'native' in thread 'main', got a list");
    CHECK_ERROR(with_run("      - native: {time: 5ms, resource: db}\n"),
                "t.yaml:5:29: error: unknown key 'resource' in 'native'; the keys are: time, gil");
    CHECK_ERROR(with_run("      - io: {resource: db}\n"), "t.yaml:5:13: error: 'io' needs 'time', e.g. {time: 5ms}");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [await_io: {time: 1ms, gil: held}]}]}\n"),
                "t.yaml:12:65: error: unknown key 'gil' in 'await_io'; the keys are: time, resource");
  }
}
