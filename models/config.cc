#include "models/config.h"

#include "models/python_versions.h"

namespace models {

Time default_startup(StartMethod m) {
  switch (m) {
    case StartMethod::Fork:
      return 13'700 * sim::kMicrosecond;
    case StartMethod::Forkserver:
      return 87 * sim::kMillisecond;
    case StartMethod::Spawn:
      return 144 * sim::kMillisecond;
  }
  return 0;
}

Time default_start_interval(StartMethod m) {
  switch (m) {
    case StartMethod::Fork:
      return 1 * sim::kMillisecond;
    case StartMethod::Forkserver:
      return 4 * sim::kMillisecond;
    case StartMethod::Spawn:
      return 10 * sim::kMillisecond;
  }
  return 0;
}

// Measured on 2026-12-07, AMD EPYC, 2 vCPUs, quiet: a fresh interpreter's
// first spawn Process.start() less its later ones, in thread CPU time:
// 3.10 1.1 ms, 3.11 1.1 ms, 3.12 0.6-0.8 ms, 3.13 1.5 ms.
Time default_resource_tracker_start() { return 1 * sim::kMillisecond; }

Time resource_tracker_start_for(const RuntimeConfig& runtime) {
  return runtime.resource_tracker_start >= 0 ? runtime.resource_tracker_start : default_resource_tracker_start();
}

bool fork_exec_forks(const std::string& python) {
  const PythonVersion* v = find_python_version(python);
  return v && v->major == 3 && v->minor < 10;  // 2.x has no spawn
}

Time startup_for(const RuntimeConfig& runtime, StartMethod m) {
  const Time t = runtime.process_startup.of(m);
  return t >= 0 ? t : default_startup(m);
}

Time start_interval_for(const RuntimeConfig& runtime, StartMethod m) {
  const Time t = runtime.process_start_interval.of(m);
  return t >= 0 ? t : default_start_interval(m);
}

// A round trip to a broker on the local network (Redis: a few hundred us
// including the client's and server's work). gilsim's choice.
Time default_broker_latency() { return 300 * sim::kMicrosecond; }
// How often a waiting coroutine asks whether its job is done. gilsim's choice
// (a typical `await asyncio.sleep(0.01)` polling loop).
Time default_poll_interval() { return 10 * sim::kMillisecond; }
// apply_async(): building the message, serializing it and kombu's Python
// code before the network write. gilsim's choice, of the order of 100 us.
Time default_publish_cost() { return 150 * sim::kMicrosecond; }

// _interpreters.create() with its own GIL: 7.5 ms (3.13.0), 8.3 ms (3.12.1).
Time default_interpreter_startup() { return 8 * sim::kMillisecond; }

}  // namespace models
