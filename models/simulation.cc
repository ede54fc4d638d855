// One run: the kernel's event loop driving the machine, the GILs and the
// Python threads, then the metrics. The dispatch is a switch on the event
// kind (no virtual call per event); each case hands the event to the model
// that owns it.
#include "models/simulation.h"

#include <algorithm>

#include "models/events.h"
#include "models/machine.h"
#include "models/metrics.h"
#include "models/python_threads.h"
#include "models/trace_tracks.h"
#include "sim/event_queue.h"

namespace models {

RunResult simulate(const RunPlan& plan, std::uint64_t seed, sim::TraceSink* trace, const RunWatch* watch) {
  const SimulationConfig& config = plan.config();
  const int n = static_cast<int>(plan.layout().threads.size());
  sim::EventQueue events;
  Machine machine(config.machine, events, n, sim::Rng(seed, RngStreams::machine()));
  PythonThreads threads(plan, seed, events, machine);
  const ThreadControl& control = threads.threads();

  const TraceTracks tracks = plan.tracks();
  std::vector<std::string> names;
  if (trace) {
    for (const PythonThread& t : control.threads()) names.push_back(t.name);
    declare_tracks(*trace, plan, tracks);
    machine.set_trace(trace, tracks.first_core(), tracks.runnable(), &names);
    for (int i = 0; i < control.interpreters(); ++i)
      if (control.checks().serialises)
        control.gil(i)->recorder().set_trace(trace, tracks.gil(i), tracks.gil_waiters(i), tracks.first_thread(), &names);
    threads.set_trace(trace, tracks);
  }

  threads.start_all();
  RunResult result;
  // The watch's one cost per event: a count and a compare (never true without one).
  const bool watched = watch && watch->look && watch->every > 0;
  std::uint64_t popped = 0;
  std::uint64_t next_look = watched ? watch->every : ~std::uint64_t{0};
  while (!events.empty()) {
    const sim::Event e = events.pop();
    if (e.time > config.time_limit) {
      result.hit_time_limit = true;
      break;
    }
    if (++popped == next_look) {
      watch->look(e.time, popped);
      next_look += watch->every;
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
  // finished (or request a server answered) after that.
  const sim::Time wall = result.hit_time_limit ? config.time_limit : threads.end_of_work();
  threads.finish(wall);
  if (trace) {
    machine.finish_trace(wall);
    for (int i = 0; i < control.interpreters(); ++i)
      if (control.checks().serialises) control.gil(i)->finish_trace(wall);
    trace->finish(wall);
  }
  result.wall = wall;
  result.events = events.processed();
  result.metrics = collect_metrics(plan, machine, threads, wall, result.events);
  return result;
}

RunResult simulate(const SimulationConfig& config, sim::TraceSink* trace, const RunWatch* watch) {
  return simulate(RunPlan(config), config.seed, trace, watch);
}

}  // namespace models
