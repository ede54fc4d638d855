// One run: the kernel's event loop driving the machine, the GIL and the
// Python threads, then the metrics. The dispatch is a switch on the event
// kind (no virtual call per event); each case hands the event to the model
// that owns it.
#include <algorithm>
#include <memory>

#include "models/events.h"
#include "models/gil.h"
#include "models/machine.h"
#include "models/old_gil.h"
#include "models/python_thread.h"
#include "models/resource.h"
#include "models/simulation.h"
#include "sim/event_queue.h"

namespace models {

namespace {

// Track ids in the trace: threads first, then cores, then per interpreter a
// GIL track and a waiters counter, then the runnable counter. Process ids are
// kept apart from track ids (the JSON format shares one number space).
struct Tracks {
  sim::TrackId first_thread = 1, first_core, first_gil, first_waiters, runnable, first_task, first_stream;
  Tracks(int threads, int cores, int interpreters, int tasks)
      : first_core(1 + static_cast<sim::TrackId>(threads)),
        first_gil(first_core + static_cast<sim::TrackId>(cores)),
        first_waiters(first_gil + static_cast<sim::TrackId>(interpreters)),
        runnable(first_waiters + static_cast<sim::TrackId>(interpreters)),
        first_task(runnable + 1),
        first_stream(first_task + static_cast<sim::TrackId>(tasks)) {}
};

constexpr std::uint32_t kMachinePid = 1000000;
constexpr std::uint32_t kClientsPid = kMachinePid - 1;  // request streams' tracks
// A sub-interpreter (an interpreter pool's worker) lives in the main
// process: its threads and GIL show there.
std::uint32_t process_pid(const Layout& layout, int interpreter) {
  if (interpreter > 0 && layout.processes[static_cast<std::size_t>(interpreter) - 1].subinterpreter) interpreter = 0;
  return kMachinePid + 1 + static_cast<std::uint32_t>(interpreter);
}

void declare_tracks(sim::TraceSink& trace, const Tracks& tr, const PythonThreads& threads, int cores,
                    bool has_gil, const std::vector<std::string>& stream_names) {
  const auto& layout = threads.layout();
  const int interpreters = static_cast<int>(layout.processes.size()) + 1;
  for (int i = 0; i < interpreters; ++i) {
    const ProcessSpec* p = i == 0 ? nullptr : &layout.processes[static_cast<std::size_t>(i) - 1];
    if (!p) trace.process(process_pid(layout, i), "python (main process)", i);
    else if (!p->subinterpreter) trace.process(process_pid(layout, i), "python (process " + p->name + ")", i);
    if (!has_gil) continue;
    const std::string gil = p && p->subinterpreter ? "GIL of interpreter " + p->name : "GIL";
    trace.track(tr.first_gil + static_cast<sim::TrackId>(i), process_pid(layout, i), gil, -interpreters + i);
    trace.counter_track(tr.first_waiters + static_cast<sim::TrackId>(i), process_pid(layout, i), gil + " waiters");
  }
  const int n = static_cast<int>(layout.threads.size());
  for (int t = 0; t < n; ++t)
    trace.track(tr.first_thread + static_cast<sim::TrackId>(t), process_pid(layout, layout.threads[static_cast<std::size_t>(t)].interpreter),
                layout.threads[static_cast<std::size_t>(t)].name, 1 + t);
  // asyncio tasks beside their loop's thread, as VizTracer shows them.
  for (std::size_t k = 0; k < layout.tasks.size(); ++k) {
    const ThreadSpec& loop = layout.threads[static_cast<std::size_t>(layout.tasks[k].thread)];
    trace.track(tr.first_task + static_cast<sim::TrackId>(k), process_pid(layout, loop.interpreter),
                "task " + layout.tasks[k].name, n + 1 + static_cast<int>(k));
  }
  // Request streams: the clients' side, with an arrow from each request's
  // arrival to the thread that takes it and from its handler to the response.
  if (!stream_names.empty()) trace.process(kClientsPid, "clients", interpreters + 1);
  for (std::size_t s = 0; s < stream_names.size(); ++s) {
    const sim::TrackId base = tr.first_stream + 3 * static_cast<sim::TrackId>(s);
    trace.track(base, kClientsPid, "requests " + stream_names[s], static_cast<int>(s));
    trace.counter_track(base + 1, kClientsPid, stream_names[s] + " in flight");
    trace.counter_track(base + 2, kClientsPid, stream_names[s] + " backlog");
  }
  trace.process(kMachinePid, "machine", interpreters);
  for (int c = 0; c < cores; ++c)
    trace.track(tr.first_core + static_cast<sim::TrackId>(c), kMachinePid, "core " + std::to_string(c), c);
  trace.counter_track(tr.runnable, kMachinePid, "runnable threads");
}

Metrics collect(const SimulationConfig& config, const Machine& machine, const PythonThreads& threads,
                sim::Time wall, std::uint64_t events) {
  Metrics m;
  for (const auto& name : metric_names(config)) m[name] = 0;
  m["wall"] = sim::to_seconds(wall);
  // GIL figures add up over the interpreters; `gil.held` is then the mean
  // number of GILs held at once (the fraction of time, with one interpreter).
  for (const auto& in : threads.interpreters()) {
    if (in.new_gil) {
      const NewGil& g = *in.new_gil;
      m["gil.handoffs"] += static_cast<double>(g.handoffs());
      m["gil.drop_requests"] += static_cast<double>(g.drop_requests());
      m["gil.forced_switches"] += static_cast<double>(g.forced_switches());
      m["gil.timeouts"] += static_cast<double>(g.timeouts());
      m["gil.futile_wakeups"] += static_cast<double>(g.futile_wakeups());
      m["gil.held"] += g.held_fraction(wall);
    } else if (in.old_gil) {
      const OldGil& g = *in.old_gil;
      m["gil.handoffs"] += static_cast<double>(g.handoffs());
      m["gil.futile_wakeups"] += static_cast<double>(g.futile_wakeups());
      m["gil.held"] += g.held_fraction(wall);
    }
  }
  m["cores.busy_avg"] = machine.busy_avg(wall);
  m["cores.busy_max"] = static_cast<double>(machine.busy_max());
  m["os.context_switches"] = static_cast<double>(machine.context_switches());
  m["os.wakeups"] = static_cast<double>(machine.wakeups());
  m["os.preemptions"] = static_cast<double>(machine.preemptions());
  m["events"] = static_cast<double>(events);
  threads.requests().collect(m, threads.listen_queue_max(), wall);

  for (std::size_t i = 0; i < config.counters.size(); ++i) {
    const auto& c = threads.counters()[i];
    const std::string p = "counters." + config.counters[i] + ".";
    m[p + "value"] = static_cast<double>(c.value);
    m[p + "increments"] = static_cast<double>(c.increments);
    m[p + "lost"] = static_cast<double>(c.increments - c.value);
  }
  for (std::size_t i = 0; i < config.pools.size(); ++i) {
    const PoolStats& p = threads.pools()[i];
    const std::string prefix = "pools." + config.pools[i].name + ".";
    m[prefix + "tasks"] = static_cast<double>(p.completed);
    m[prefix + "queue_max"] = static_cast<double>(threads.pool_queue_max(i));
    m[prefix + "latency_mean"] =
        p.completed ? sim::to_seconds(p.latency_sum) / static_cast<double>(p.completed) : 0.0;
    m[prefix + "latency_max"] = sim::to_seconds(p.latency_max);
  }
  for (std::size_t i = 0; i < config.resources.size(); ++i) {
    const Resource& r = threads.resources()[i];
    const std::string prefix = "resources." + config.resources[i].name + ".";
    m[prefix + "requests"] = static_cast<double>(r.requests());
    m[prefix + "queued"] = static_cast<double>(r.queued());
    m[prefix + "wait"] = r.wait_seconds();
    m[prefix + "queue_max"] = static_cast<double>(r.queue_max());
    m[prefix + "busy_avg"] = r.busy_avg(wall);
  }
  for (std::size_t k = 0; k < threads.layout().tasks.size(); ++k) {
    const TaskSpec& spec = threads.layout().tasks[k];
    const Task& task = threads.tasks()[k];
    const double values[] = {sim::to_seconds(task.end), sim::to_seconds(task.end - task.started),
                             static_cast<double>(task.steps)};
    const char* const names[] = {"end", "latency", "steps"};
    for (int j = 0; j < 3; ++j) {
      m["tasks." + spec.name + "." + names[j]] = values[j];
      if (spec.group_size > 1) {  // a group's end and latency are its last task's; steps add up
        double& v = m["tasks." + spec.group + "." + names[j]];
        v = j == 2 ? v + values[j] : std::max(v, values[j]);
      }
    }
  }
  for (std::size_t i = 0; i < config.locks.size(); ++i) {
    const auto& l = threads.locks()[i];
    const std::string p = "locks." + config.locks[i] + ".";
    m[p + "acquisitions"] = static_cast<double>(l.acquisitions());
    m[p + "contended"] = static_cast<double>(l.blocking_waits());
  }

  const auto& layout = threads.layout();
  const auto suffixes = thread_metric_suffixes();
  for (std::size_t i = 0; i < layout.threads.size(); ++i) {
    const auto& t = threads.threads()[i];
    const ThreadSpec& spec = layout.threads[i];
    const auto& interp = threads.interpreters()[static_cast<std::size_t>(spec.interpreter)];
    auto in = [&](ThreadState s) { return sim::to_seconds(t.time_in[static_cast<int>(s)]); };
    const double values[] = {in(ThreadState::Python) + in(ThreadState::Native),
                             in(ThreadState::Python),
                             in(ThreadState::Native),
                             in(ThreadState::GilWait),
                             in(ThreadState::LockWait),
                             in(ThreadState::Waiting),
                             in(ThreadState::Runnable),
                             in(ThreadState::Io),
                             in(ThreadState::Sleeping),
                             sim::to_seconds(t.end),
                             static_cast<double>(interp.new_gil   ? interp.new_gil->acquisitions(static_cast<int>(i))
                                                 : interp.old_gil ? interp.old_gil->acquisitions(static_cast<int>(i))
                                                                  : 0),
                             static_cast<double>(t.io_ops)};
    for (std::size_t k = 0; k < suffixes.size(); ++k) {
      m["threads." + t.name + "." + suffixes[k]] = values[k];
      if (spec.group_size > 1) {
        double& group_value = m["threads." + spec.group + "." + suffixes[k]];
        // A group's `end` is its last thread's; everything else is a sum.
        group_value = suffixes[k] == "end" ? std::max(group_value, values[k]) : group_value + values[k];
      }
    }
    if (spec.interpreter > 0 && !layout.processes[static_cast<std::size_t>(spec.interpreter) - 1].pool_worker) {
      // a process ends with its last thread
      const ProcessSpec& p = layout.processes[static_cast<std::size_t>(spec.interpreter) - 1];
      for (const std::string& name : {p.name, p.group}) {
        double& end = m["processes." + name + ".end"];
        end = std::max(end, values[9]);
      }
    }
  }
  return m;
}

}  // namespace

RunResult simulate(const SimulationConfig& config, sim::TraceSink* trace) {
  const int n = static_cast<int>(layout(config).threads.size());
  sim::EventQueue events;
  // Random streams: 0 the main GIL, 1..n the threads, one far above for the machine.
  Machine machine(config.machine, events, n, sim::Rng(config.seed, std::uint64_t{1} << 32));
  PythonThreads threads(config, events, machine);
  auto& interps = threads.interpreters();

  const Tracks tracks(n, config.machine.cores, static_cast<int>(interps.size()),
                      static_cast<int>(threads.layout().tasks.size()));
  if (trace) {
    std::vector<std::string> streams;
    for (const auto& r : config.requests) streams.push_back(r.name);
    declare_tracks(*trace, tracks, threads, config.machine.cores, config.runtime.gil != GilKind::NoGil, streams);
    machine.set_trace(trace, tracks.first_core, tracks.runnable, &threads.names());
    for (std::size_t i = 0; i < interps.size(); ++i)
      if (GilRecorder* r = interps[i].recorder())
        r->set_trace(trace, tracks.first_gil + static_cast<sim::TrackId>(i),
                     tracks.first_waiters + static_cast<sim::TrackId>(i), tracks.first_thread, &threads.names());
    threads.set_trace(trace, tracks.first_thread, tracks.first_task, tracks.first_stream);
  }

  threads.start_all();
  RunResult result;
  while (!events.empty()) {
    const sim::Event e = events.pop();
    if (e.time > config.time_limit) {
      result.hit_time_limit = true;
      break;
    }
    const int id = static_cast<int>(e.target);
    switch (static_cast<EventKind>(e.kind)) {
      case kSegmentEnd:
        threads.on_segment_end(id);
        break;
      case kBlockEnd:
        threads.on_block_end(id);
        break;
      case kGilTimeout:
        threads.on_gil_timeout(id);
        break;
      case kWakeup:
        if (machine.on_wakeup(id)) threads.on_running(id);
        else threads.on_runnable(id);
        break;
      case kDispatch:
        threads.on_running(machine.on_dispatch(id));
        break;
      case kTaskResume:
        threads.on_task_resume(id);
        break;
      case kArrival:
        threads.on_arrival(id);
        break;
      case kSynRetry:
        threads.on_syn_retry(id);
        break;
      case kClientTimeout:
        threads.on_client_timeout(id);
        break;
      case kTimeslice: {
        const int victim = machine.timeslice_victim(id);
        if (victim >= 0) {
          threads.on_preempted(victim);
          machine.preempt(id);
          threads.on_runnable(victim);
        }
        break;
      }
    }
    threads.account_woken();
  }
  if (!result.hit_time_limit) {
    if (!threads.all_done())
      throw InvariantViolation("the event queue ran dry before every thread ended (a lost wake-up)");
    threads.check_quiescent();
  }

  // The run ends with its last thread, or with the last work item a pool
  // finished (or request a server answered) after that (the interpreter's
  // exit waits for its executors).
  sim::Time wall = threads.last_completion();
  for (std::size_t i = 0; i < threads.threads().size(); ++i)
    if (!threads.layout().threads[i].service) wall = std::max(wall, threads.threads()[i].end);
  if (result.hit_time_limit) wall = config.time_limit;
  threads.finish(wall);
  if (trace) {
    machine.finish_trace(wall);
    for (auto& in : interps) {
      if (in.new_gil) in.new_gil->finish_trace(wall);
      if (in.old_gil) in.old_gil->finish_trace(wall);
    }
    trace->finish(wall);
  }
  result.wall = wall;
  result.events = events.processed();
  result.metrics = collect(config, machine, threads, wall, result.events);
  return result;
}

}  // namespace models
