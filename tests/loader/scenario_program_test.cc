// A `run:` list: one operation per item, companions, unknown operations, and
// where each operation may be (threads, asyncio tasks, a pool's work, requests).
#include "loader/scenario_program.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "tests/loader/load_helpers.h"

using namespace load_helpers;

TEST_SUITE("scenario_program") {
  TEST_CASE("run may come before repeat") {
    const auto& p = program_of(load(with_run("      - run: [cpu: 1ms]\n        repeat: 2\n")));
    REQUIRE(p.size() == 3);
    CHECK(p[0].kind == OpKind::RepeatBegin);
    CHECK(p[0].count == 2);
  }

  TEST_CASE("operations: unknown, malformed") {
    CHECK_ERROR(with_run("      - cpuu: 1ms\n"),
                "t.yaml:5:9: error: unknown operation 'cpuu'; did you mean 'cpu'?");
    // A thread's vocabulary: what may be written in a thread, and where the
    // operations it does not hold go.
    CHECK_ERROR(with_run("      - await_sleeep: 1ms\n"),
                "t.yaml:5:9: error: unknown operation 'await_sleeep'; await_sleep works only inside an asyncio "
                "task (asyncio: {tasks: [...]}); the operations here are cpu, native");
    CHECK_ERROR(with_run("      - await: 1ms\n"),
                "t.yaml:5:9: error: unknown operation 'await'; await_io and await_sleep work only inside an "
                "asyncio task");
    CHECK_ERROR(with_run("      - compute: 1ms\n"),
                "unknown operation 'compute'; the operations here are cpu, native, io, sleep, repeat, lock, "
                "increment, submit, map, wait, asyncio, serve");
    // A task's vocabulary: its awaits, never a thread's 'wait'.
    CHECK_ERROR(with_run("      - asyncio: {tasks: [{name: a, run: [await: 1ms]}]}\n"),
                "t.yaml:5:43: error: unknown operation 'await'; did you mean 'await_io' or 'await_sleep'?");
    CHECK_ERROR(with_run("      - asyncio: {tasks: [{name: a, run: [awiat_io: 1ms]}]}\n"),
                "unknown operation 'awiat_io'; did you mean 'await_io'?");
    // Keys of Python APIs that are not modelled yet say so.
    CHECK_ERROR(with_run("      - chunksize: 4\n"),
                "t.yaml:5:9: error: unknown operation 'chunksize': 'chunksize' (of Pool.map and Executor.map) is "
                "not modelled yet");
    CHECK_ERROR(with_run("      - lock: l\n"), "t.yaml:5:9: error: 'lock' needs 'run' with the operations it protects");
    CHECK_ERROR(with_run("      - increment: 1x\n"), "t.yaml:5:20: error: counter name '1x' is not a valid name");
    CHECK_ERROR(with_run("      - sleep: 1ms\n        run: [cpu: 1ms]\n"),
                "t.yaml:6:9: error: 'run' does not go with 'sleep'");
    CHECK_ERROR(with_run("      - cpu: 1ms\n        io: 2ms\n"),
                "t.yaml:6:9: error: one operation per list item: start 'io' on its own line");
    CHECK_ERROR(with_run("      - cpu: 1ms\n        run: [io: 2ms]\n"),
                "t.yaml:6:9: error: 'run' does not go with 'cpu'");
    CHECK_ERROR(with_run("      - run: [io: 2ms]\n"),
                "t.yaml:5:9: error: 'run' needs an operation beside it, such as 'repeat: N'");
    CHECK_ERROR(with_run("      - repeat: 2\n"),
                "t.yaml:5:9: error: 'repeat' needs 'run' with the operations to repeat");
    CHECK_ERROR(with_run("      - {}\n"), "t.yaml:5:9: error: an empty operation");
    CHECK_ERROR(with_run("      - native: {time: 1ms, gil: maybe}\n"),
                "t.yaml:5:34: error: gil of 'native' is 'held' or 'released', got 'maybe'");
    CHECK_ERROR(with_run("      - native: {gil: held}\n"),
                "t.yaml:5:17: error: 'native' needs 'time', e.g. {time: 5ms}");
    CHECK_ERROR(with_run("      - io: {time: 5ms, resource: db}\n"),
                "t.yaml:5:35: error: unknown resource 'db': define it under 'resources:'");
    CHECK_ERROR(with_run("      - io: {tim: 5ms}\n"),
                "unknown key 'tim' in 'io'; did you mean 'time'?");
  }

  TEST_CASE("where operations may be: awaits in tasks, pools from the main process, no nesting") {
    CHECK_ERROR(with_pools("      - await_io: 1ms\n"),
                "t.yaml:12:9: error: 'await_io' works only inside an asyncio task (asyncio: {tasks: [...]}); "
                "in a thread use 'io'");
    CHECK_ERROR(with_pools("      - repeat: 2\n        run: [await_sleep: 1ms]\n"),
                "t.yaml:13:15: error: 'await_sleep' works only inside an asyncio task (asyncio: {tasks: [...]}); "
                "in a thread use 'sleep'");
    CHECK_ERROR(with_pools("      - to_thread: tp\n        run: [cpu: 1ms]\n"),
                "t.yaml:12:9: error: 'to_thread' works only inside an asyncio task (asyncio: {tasks: [...]}); "
                "in a thread use 'submit'");
    CHECK_ERROR(with_pools("      - {submit: tp, run: [await_io: 1ms]}\n"),
                "t.yaml:12:28: error: 'await_io' works only inside an asyncio task (asyncio: {tasks: [...]}); "
                "in the work of 'submit', which a pool's worker runs, use 'io'");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [{to_thread: tp, run: [await_sleep: 1ms]}]}]}\n"),
                "t.yaml:12:65: error: 'await_sleep' works only inside an asyncio task");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [{map: tp, tasks: 2, run: [cpu: 1ms]}]}]}\n"),
                "t.yaml:12:44: error: 'map' inside an asyncio task is not modelled: use 'to_thread'");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [wait: all]}]}\n"),
                "t.yaml:12:43: error: 'wait' inside an asyncio task is not modelled");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [asyncio: {tasks: [{name: b, run: [cpu: 1ms]}]}]}]}\n"),
                "t.yaml:12:43: error: 'asyncio' inside an asyncio task: asyncio.run() cannot be called from a "
                "running event loop");
    CHECK_ERROR(with_pools("      - {submit: tp, run: [{submit: tp, run: [cpu: 1ms]}]}\n"),
                "t.yaml:12:29: error: 'submit' inside the work of 'submit' (which a pool's worker runs) is not "
                "modelled");
    CHECK_ERROR(with_pools("      - {map: tp, tasks: 2, run: [wait: all]}\n"),
                "t.yaml:12:35: error: 'wait' inside the work of 'map' (which a pool's worker runs) is not modelled");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [{to_thread: tp, run: [{map: tp, tasks: 2, run: [cpu: 1ms]}]}]}]}\n"),
                "t.yaml:12:66: error: 'map' inside the work of 'to_thread' (which a pool's worker runs) is not "
                "modelled");
    CHECK_ERROR(with_pools("      - {submit: tp, run: [asyncio: {tasks: [{name: b, run: [cpu: 1ms]}]}]}\n"),
                "t.yaml:12:28: error: 'asyncio' inside the work of 'submit'");
    // Shared memory: a thread pool's workers share it, process and interpreter pools' do not.
    CHECK(compiled("      - {submit: tp, run: [{lock: l, run: [increment: c]}]}\n")[0].body.size() == 4);
    CHECK(load(with_pools("      - {submit: tp, run: [{lock: l, run: [increment: c]}]}\n"))
              .variants[0]
              .plan->counters() == std::vector<std::string>{"c"});
    CHECK_ERROR(with_pools("      - {submit: procs, run: [{lock: l, run: [cpu: 1ms]}]}\n"),
                "t.yaml:12:32: error: 'lock' in the work of 'submit' to process pool 'procs': a worker process "
                "shares no memory with the parent");
    CHECK_ERROR(with_pools("      - {map: procs, tasks: 2, run: [{repeat: 2, run: [increment: c]}]}\n"),
                "t.yaml:12:56: error: 'increment' in the work of 'map' to process pool 'procs'");
    CHECK_ERROR(with_pools("      - asyncio: {tasks: [{name: a, run: [{to_thread: interp, run: [increment: c]}]}]}\n"),
                "t.yaml:12:69: error: 'increment' in the work of 'to_thread' to interpreter pool 'interp': a "
                "worker interpreter shares no objects with the main one");
    // Child processes: no pools; locks and counters only in the main process, tasks included.
    const std::string child = "name: t\npools: [{name: tp, kind: thread}]\nprocesses:\n  - name: p\n    threads:\n"
                              "      - name: m\n        run:\n";
    CHECK_ERROR(child + "          - {submit: tp, run: [cpu: 1ms]}\n",
                "t.yaml:8:14: error: pools are used from the main process's threads: 'submit' in a thread of "
                "process 'p' is not modelled");
    CHECK_ERROR(child + "          - asyncio: {tasks: [{name: a, run: [{to_thread: tp, run: [cpu: 1ms]}]}]}\n",
                "t.yaml:8:48: error: pools are used from the main process's threads: 'to_thread'");
    CHECK_ERROR(child + "          - asyncio: {tasks: [{name: a, run: [increment: c]}]}\n",
                "t.yaml:8:47: error: 'lock' and 'increment' are modelled in the main process's threads only");
    // Asyncio in a child process's thread is fine.
    CHECK(load(child + "          - asyncio: {tasks: [{name: a, run: [await_io: 1ms]}]}\n")
              .variants[0]
              .config.processes[0]
              .threads[0]
              .program[0]
              .kind == OpKind::Asyncio);
  }

  TEST_CASE("where serve may be, and what a request may do") {
    const std::string api = "requests: [{name: api, arrival: {poisson: 1/s}, run: [cpu: 1ms]}]\n";
    CHECK_ERROR("name: t\n" + api + "threads: [{name: w, run: [{lock: l, run: [serve: api]}]}]\n",
                "t.yaml:3:43: error: serve must be the thread's last operation: it never returns, so it cannot be "
                "inside 'lock'");
    CHECK_ERROR("name: t\npools: [{name: tp, kind: thread}]\n" + api +
                    "threads: [{name: w, run: [{submit: tp, run: [serve: api]}]}]\n",
                "t.yaml:4:46: error: 'serve' inside the work of 'submit' (which a pool's worker runs) is not modelled");
    // A thread may serve several streams one after the other? No: serve never returns.
    CHECK_ERROR("name: t\n" + api + "threads: [{name: w, run: [serve: api, serve: api]}]\n",
                "t.yaml:3:27: error: serve must be the thread's last operation");
    const auto served_by = [](const std::string& server, const std::string& run) {
      return "name: t\npools: [{name: tp, kind: thread}]\nthreads: [{name: w, run: [" + server +
             "]}]\nrequests:\n  - name: api\n    arrival: {poisson: 1/s}\n    run: " + run + "\n";
    };
    CHECK_ERROR(served_by("serve: api", "[serve: api]"),
                "t.yaml:7:11: error: 'serve' inside a request of stream 'api' is not modelled");
    CHECK_ERROR(served_by("asyncio: {serve: api}", "[serve: api]"),
                "t.yaml:7:11: error: 'serve' inside a request of stream 'api' is not modelled");
    CHECK_ERROR(served_by("serve: api", "[asyncio: {tasks: [{name: a, run: [cpu: 1ms]}]}]"),
                "t.yaml:7:11: error: 'asyncio' inside a request of stream 'api', which threads serve");
    CHECK_ERROR(served_by("asyncio: {serve: api}", "[{map: tp, tasks: 2, run: [cpu: 1ms]}]"),
                "t.yaml:7:12: error: 'map' inside an asyncio task is not modelled");
    CHECK_ERROR(served_by("serve: api", "[{to_thread: tp, run: [cpu: 1ms]}]"),
                "t.yaml:7:12: error: 'to_thread' works only inside an asyncio task");
    CHECK_ERROR(served_by("serve: api", "[{submit: tp, run: [await_io: 1ms]}]"),
                "t.yaml:7:30: error: 'await_io' works only inside an asyncio task (asyncio: {tasks: [...]}); in the "
                "work of 'submit', which a pool's worker runs, use 'io'");
    CHECK_ERROR(served_by("serve: api", "[{submit: tpp, run: [cpu: 1ms]}]"),
                "t.yaml:7:20: error: unknown pool 'tpp'; did you mean 'tp'?");
    CHECK_ERROR(served_by("asyncio: {serve: api}", "[wait: all]"),
                "t.yaml:7:11: error: 'wait' inside an asyncio task is not modelled");
    CHECK(load(served_by("serve: api", "[{submit: tp, run: [cpu: 1ms]}, wait: all, io: 1ms]"))
              .variants[0].config.requests[0].mix[0].program.size() >= 3);
    CHECK(load(served_by("asyncio: {serve: api}", "[{to_thread: tp, run: [cpu: 1ms]}, await_sleep: 1ms, cpu: 1ms]"))
              .variants[0].config.requests[0].async);
    // A request served in a child process runs there: no pools, no shared counters.
    CHECK_ERROR("name: t\npools: [{name: tp, kind: thread}]\n"
                "processes: [{name: p, threads: [{name: w, run: [serve: api]}]}]\n"
                "requests: [{name: api, arrival: {poisson: 1/s}, run: [{submit: tp, run: [cpu: 1ms]}]}]\n",
                "t.yaml:4:56: error: pools are used from the main process's threads: 'submit' in a thread of process 'p'");
    CHECK_ERROR("name: t\nthreads: [{name: w, run: [serve: api]}, {name: v, run: [asyncio: {serve: api}]}]\n" +
                    api,
                "t.yaml:2:74: error: request stream 'api' is served by an asyncio loop here and by threads on line 2");
    CHECK_ERROR("name: t\nthreads: [{name: v, run: [asyncio: {serve: api}]}]\n"
                "processes: [{name: p, threads: [{name: w, run: [serve: api]}]}]\n" + api,
                "t.yaml:3:56: error: request stream 'api' is served by threads here and by an asyncio loop on line 2");
  }
}
