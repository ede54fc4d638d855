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
#include "models/simulation.h"
#include "sim/event_queue.h"

namespace models {

namespace {

int total_threads(const SimulationConfig& c) {
  int n = 0;
  for (const auto& g : c.threads) n += g.count;
  return n;
}

// Track ids in the trace: threads first, then cores, then the GIL and counters.
struct Tracks {
  sim::TrackId first_thread = 1, first_core, gil, runnable, waiters;
  explicit Tracks(int threads, int cores)
      : first_core(1 + static_cast<sim::TrackId>(threads)),
        gil(first_core + static_cast<sim::TrackId>(cores)),
        runnable(gil + 1),
        waiters(gil + 2) {}
};

constexpr std::uint32_t kPythonPid = 1, kMachinePid = 2;

void declare_tracks(sim::TraceSink& trace, const Tracks& tr, const PythonThreads& threads, int cores,
                    bool has_gil) {
  trace.process(kPythonPid, "python (main interpreter)", 0);
  if (has_gil) trace.track(tr.gil, kPythonPid, "GIL", 0);
  for (std::size_t i = 0; i < threads.names().size(); ++i)
    trace.track(tr.first_thread + static_cast<sim::TrackId>(i), kPythonPid, threads.names()[i],
                1 + static_cast<int>(i));
  if (has_gil) trace.counter_track(tr.waiters, kPythonPid, "GIL waiters");
  trace.process(kMachinePid, "machine", 1);
  for (int c = 0; c < cores; ++c)
    trace.track(tr.first_core + static_cast<sim::TrackId>(c), kMachinePid, "core " + std::to_string(c), c);
  trace.counter_track(tr.runnable, kMachinePid, "runnable threads");
}

// The interpreter's GIL, whichever kind the runtime has (none when free-threaded).
struct Gils {
  std::unique_ptr<NewGil> new_gil;
  std::unique_ptr<OldGil> old_gil;
  std::uint64_t acquisitions(int tid) const {
    return new_gil ? new_gil->acquisitions(tid) : old_gil ? old_gil->acquisitions(tid) : 0;
  }
};

Metrics collect(const SimulationConfig& config, const Machine& machine, const Gils& gil,
                const PythonThreads& threads, sim::Time wall, std::uint64_t events) {
  Metrics m;
  for (const auto& name : metric_names(config)) m[name] = 0;
  m["wall"] = sim::to_seconds(wall);
  if (gil.new_gil) {
    const NewGil& g = *gil.new_gil;
    m["gil.handoffs"] = static_cast<double>(g.handoffs());
    m["gil.drop_requests"] = static_cast<double>(g.drop_requests());
    m["gil.forced_switches"] = static_cast<double>(g.forced_switches());
    m["gil.timeouts"] = static_cast<double>(g.timeouts());
    m["gil.futile_wakeups"] = static_cast<double>(g.futile_wakeups());
    m["gil.held"] = g.held_fraction(wall);
  } else if (gil.old_gil) {
    const OldGil& g = *gil.old_gil;
    m["gil.handoffs"] = static_cast<double>(g.handoffs());
    m["gil.futile_wakeups"] = static_cast<double>(g.futile_wakeups());
    m["gil.held"] = g.held_fraction(wall);
  }
  m["cores.busy_avg"] = machine.busy_avg(wall);
  m["cores.busy_max"] = static_cast<double>(machine.busy_max());
  m["os.context_switches"] = static_cast<double>(machine.context_switches());
  m["os.wakeups"] = static_cast<double>(machine.wakeups());
  m["os.preemptions"] = static_cast<double>(machine.preemptions());
  m["events"] = static_cast<double>(events);

  for (std::size_t i = 0; i < config.counters.size(); ++i) {
    const auto& c = threads.counters()[i];
    const std::string p = "counters." + config.counters[i] + ".";
    m[p + "value"] = static_cast<double>(c.value);
    m[p + "increments"] = static_cast<double>(c.increments);
    m[p + "lost"] = static_cast<double>(c.increments - c.value);
  }
  for (std::size_t i = 0; i < config.locks.size(); ++i) {
    const auto& l = threads.locks()[i];
    const std::string p = "locks." + config.locks[i] + ".";
    m[p + "acquisitions"] = static_cast<double>(l.acquisitions());
    m[p + "contended"] = static_cast<double>(l.blocking_waits());
  }
  const auto& ts = threads.threads();
  for (std::size_t i = 0; i < ts.size(); ++i) {
    const auto& t = ts[i];
    auto in = [&](ThreadState s) { return sim::to_seconds(t.time_in[static_cast<int>(s)]); };
    const double values[] = {in(ThreadState::Python) + in(ThreadState::Native),
                             in(ThreadState::Python),
                             in(ThreadState::Native),
                             in(ThreadState::GilWait),
                             in(ThreadState::LockWait),
                             in(ThreadState::Runnable),
                             in(ThreadState::Io),
                             in(ThreadState::Sleeping),
                             sim::to_seconds(t.end),
                             static_cast<double>(gil.acquisitions(static_cast<int>(i))),
                             static_cast<double>(t.io_ops)};
    const auto suffixes = thread_metric_suffixes();
    const ThreadGroup& g = config.threads[static_cast<std::size_t>(t.group)];
    for (std::size_t k = 0; k < suffixes.size(); ++k) {
      m["threads." + t.name + "." + suffixes[k]] = values[k];
      if (g.count > 1) {
        double& group_value = m["threads." + g.name + "." + suffixes[k]];
        // A group's `end` is its last thread's; everything else is a sum.
        group_value = suffixes[k] == "end" ? std::max(group_value, values[k]) : group_value + values[k];
      }
    }
  }
  return m;
}

}  // namespace

RunResult simulate(const SimulationConfig& config, sim::TraceSink* trace) {
  const int n = total_threads(config);
  sim::EventQueue events;
  // Random streams: 0 the GIL, 1..n the threads, and one far above for the machine.
  Machine machine(config.machine, events, n, sim::Rng(config.seed, std::uint64_t{1} << 32));
  Gils gil;
  if (config.runtime.gil == GilKind::NewGil)
    gil.new_gil = std::make_unique<NewGil>(config.runtime, events, machine, sim::Rng(config.seed, 0), n);
  else if (config.runtime.gil == GilKind::OldGil)
    gil.old_gil = std::make_unique<OldGil>(events, machine, n);
  PythonThreads threads(config, events, machine, gil.new_gil.get(), gil.old_gil.get());

  const Tracks tracks(n, config.machine.cores);
  if (trace) {
    declare_tracks(*trace, tracks, threads, config.machine.cores, config.runtime.gil != GilKind::NoGil);
    machine.set_trace(trace, tracks.first_core, tracks.runnable, &threads.names());
    GilRecorder* recorder = gil.new_gil ? &gil.new_gil->recorder() : gil.old_gil ? &gil.old_gil->recorder() : nullptr;
    if (recorder) recorder->set_trace(trace, tracks.gil, tracks.waiters, tracks.first_thread, &threads.names());
    threads.set_trace(trace, tracks.first_thread);
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
  if (!result.hit_time_limit && !threads.all_done())
    throw InvariantViolation("the event queue ran dry before every thread ended (a lost wake-up)");

  sim::Time wall = 0;
  for (const auto& t : threads.threads()) wall = std::max(wall, t.end);
  if (result.hit_time_limit) wall = config.time_limit;
  threads.finish(wall);
  if (trace) {
    machine.finish_trace(wall);
    if (gil.new_gil) gil.new_gil->finish_trace(wall);
    if (gil.old_gil) gil.old_gil->finish_trace(wall);
    trace->finish(wall);
  }
  result.wall = wall;
  result.events = events.processed();
  result.metrics = collect(config, machine, gil, threads, wall, result.events);
  return result;
}

}  // namespace models
