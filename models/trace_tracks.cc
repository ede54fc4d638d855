#include "models/trace_tracks.h"

#include <string>

#include "models/gil_protocol.h"

namespace models {

namespace {

// A sub-interpreter (an interpreter pool's worker) lives in the main
// process: its threads and GIL show there.
std::uint32_t process_pid(const Layout& layout, int interpreter) {
  if (interpreter > 0 && layout.processes[static_cast<std::size_t>(interpreter) - 1].subinterpreter) interpreter = 0;
  return TraceTracks::interpreter_pid(interpreter);
}

}  // namespace

void declare_tracks(sim::TraceSink& trace, const RunPlan& plan, const TraceTracks& tr) {
  const Layout& layout = plan.layout();
  const bool has_gil = plan.runtime().gil->serialises;
  const int interpreters = layout.interpreters();
  for (int i = 0; i < interpreters; ++i) {
    const ProcessSpec* p = i == 0 ? nullptr : &layout.processes[static_cast<std::size_t>(i) - 1];
    if (!p) trace.process(process_pid(layout, i), "python (main process)", i);
    else if (!p->subinterpreter) trace.process(process_pid(layout, i), "python (process " + p->name + ")", i);
    if (!has_gil) continue;
    const std::string gil = p && p->subinterpreter ? "GIL of interpreter " + p->name : "GIL";
    trace.track(tr.gil(i), process_pid(layout, i), gil, -interpreters + i);
    trace.counter_track(tr.gil_waiters(i), process_pid(layout, i), gil + " waiters");
  }
  const int n = static_cast<int>(layout.threads.size());
  for (int t = 0; t < n; ++t)
    trace.track(tr.thread(t), process_pid(layout, layout.threads[static_cast<std::size_t>(t)].interpreter),
                layout.threads[static_cast<std::size_t>(t)].name, 1 + t);
  for (std::size_t k = 0; k < layout.tasks.size(); ++k) {
    const ThreadSpec& loop = layout.threads[static_cast<std::size_t>(layout.tasks[k].thread)];
    trace.track(tr.task(static_cast<int>(k)), process_pid(layout, loop.interpreter), "task " + layout.tasks[k].name,
                n + 1 + static_cast<int>(k));
  }
  // Request streams: the clients' side, with an arrow from each request's
  // arrival to the thread that takes it and from its handler to the response.
  const auto& streams = plan.config().requests;
  if (!streams.empty()) trace.process(TraceTracks::kClientsPid, "clients", interpreters + 1);
  for (std::size_t s = 0; s < streams.size(); ++s) {
    const int si = static_cast<int>(s);
    trace.track(tr.requests(si), TraceTracks::kClientsPid, "requests " + streams[s].name, si);
    trace.counter_track(tr.in_flight(si), TraceTracks::kClientsPid, streams[s].name + " in flight");
    trace.counter_track(tr.backlog(si), TraceTracks::kClientsPid, streams[s].name + " backlog");
  }
  trace.process(TraceTracks::kMachinePid, "machine", interpreters);
  for (int c = 0; c < plan.config().machine.cores; ++c)
    trace.track(tr.core(c), TraceTracks::kMachinePid, "core " + std::to_string(c), c);
  trace.counter_track(tr.runnable(), TraceTracks::kMachinePid, "runnable threads");
}

}  // namespace models
