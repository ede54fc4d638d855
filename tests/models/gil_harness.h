// A GIL protocol driven by hand, without the thread model: a kernel event
// queue, a machine, and the protocol a Python version has. A test plays the
// thread model's part (take, drop, at_check) and steps the kernel through
// the wake-ups and timers the protocol and the machine schedule.
#pragma once

#include <memory>
#include <string>

#include "models/config.h"
#include "models/events.h"
#include "models/gil_protocol.h"
#include "models/machine.h"
#include "models/python_versions.h"
#include "sim/event_queue.h"

namespace testing {

struct GilHarness {
  models::MachineConfig machine_config;
  models::RuntimeConfig runtime;
  sim::EventQueue events;
  std::unique_ptr<models::Machine> os;
  std::unique_ptr<models::GilProtocol> gil;

  // `threads` threads on `cores` cores, all started and on a core when
  // there is one; the GIL of Python `python`.
  GilHarness(const std::string& python, int threads, int cores) {
    machine_config.cores = cores;
    runtime.python = python;
    os = std::make_unique<models::Machine>(machine_config, events, threads, sim::Rng(1, 2));
    const models::ResolvedRuntime r = models::resolve_runtime(runtime);
    gil = r.gil->make(models::GilSetup{runtime, machine_config, r.version->minor, events, *os, sim::Rng(1, 1), threads});
    for (int t = 0; t < threads; ++t) os->start(t);
    while (!events.empty() && events.now() == 0) step();
  }

  // Processes the next event as the simulation would, for the machine's and
  // the GIL's own events. Returns the event.
  sim::Event step() {
    const sim::Event e = events.pop();
    const int id = static_cast<int>(e.target);
    switch (e.kind) {
      case models::kWakeup:
        os->on_wakeup(id);
        os->settle();  // (after the thread's code, which the harness does not run)
        break;
      case models::kDispatch:
        os->on_dispatch(id);
        break;
      case models::kGilTimeout:
        gil->on_timeout(id);
        break;
      default:
        break;
    }
    return e;
  }
  // Steps until thread `tid` runs on a core; the time it took.
  sim::Time run_until_running(int tid) {
    const sim::Time from = events.now();
    while (os->state(tid) != models::OsState::Running) step();
    return events.now() - from;
  }
  bool running(int tid) const { return os->state(tid) == models::OsState::Running; }
  bool blocked(int tid) const { return os->state(tid) == models::OsState::Blocked; }
};

}  // namespace testing
