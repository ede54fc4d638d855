// The trace's processes and tracks of a run, declared before it starts:
// per interpreter a process with its GIL's track and waiters counter and its
// threads' tracks (asyncio tasks beside their loop's thread, as VizTracer
// shows them), the clients of request streams, and the machine's cores.
#pragma once

#include "models/ids.h"
#include "models/run_plan.h"
#include "sim/trace.h"

namespace models {

void declare_tracks(sim::TraceSink& trace, const RunPlan& plan, const TraceTracks& tracks);

}  // namespace models
