#include "models/setting_values.h"

#include <algorithm>

#include "models/lowering.h"

namespace models {

namespace {

using sim::to_seconds;
// (mean() is in nanoseconds, as a double: to_seconds' division.)
double mean_seconds(const Distribution& d) { return d.mean() / 1e9; }

struct Setting {
  const char* name;
  double (*value)(const SimulationConfig&);
};

// The scheduler's defaults that depend on the core count (wakeup_granularity,
// sched_latency, base_slice) are not here: their formulas live in the
// policies (cfs.cc, eevdf.cc), and a copy here could drift from them.
const Setting kSettings[] = {
    {"machine.cores", [](const SimulationConfig& c) { return static_cast<double>(c.machine.cores); }},
    {"machine.context_switch", [](const SimulationConfig& c) { return mean_seconds(c.machine.context_switch); }},
    {"machine.wakeup_latency", [](const SimulationConfig& c) { return mean_seconds(c.machine.wakeup_latency); }},
    {"machine.idle_poll", [](const SimulationConfig& c) { return to_seconds(c.machine.idle_poll); }},
    {"machine.polled_wakeup_latency",
     [](const SimulationConfig& c) { return mean_seconds(c.machine.polled_wakeup_latency); }},
    {"machine.timeslice", [](const SimulationConfig& c) { return to_seconds(c.machine.timeslice); }},
    {"machine.futex_wake", [](const SimulationConfig& c) { return to_seconds(c.machine.futex_wake); }},
    {"machine.futex_wake_nobody", [](const SimulationConfig& c) { return to_seconds(c.machine.futex_wake_nobody); }},
    {"machine.wakeup_cpu", [](const SimulationConfig& c) { return mean_seconds(c.machine.wakeup_cpu); }},
    {"machine.timer_slack", [](const SimulationConfig& c) { return to_seconds(c.machine.timer_slack); }},
    {"machine.timed_wait_cpu", [](const SimulationConfig& c) { return to_seconds(c.machine.timed_wait_cpu); }},
    {"machine.timed_wait_return_cpu",
     [](const SimulationConfig& c) { return to_seconds(c.machine.timed_wait_return_cpu); }},
    {"machine.cache_refill", [](const SimulationConfig& c) { return to_seconds(c.machine.cache_refill); }},
    {"machine.wakeup_preemption",
     [](const SimulationConfig& c) { return c.machine.wakeup_preemption ? 1.0 : 0.0; }},
    {"machine.scheduler_tick", [](const SimulationConfig& c) { return to_seconds(c.machine.scheduler_tick); }},
    {"runtime.switch_interval", [](const SimulationConfig& c) { return to_seconds(c.runtime.switch_interval); }},
    {"runtime.check_interval",
     [](const SimulationConfig& c) { return static_cast<double>(c.runtime.check_interval); }},
    {"runtime.eval_breaker_granularity",
     [](const SimulationConfig& c) { return to_seconds(c.runtime.eval_breaker_granularity); }},
    {"runtime.tick", [](const SimulationConfig& c) { return to_seconds(c.runtime.tick); }},
    {"runtime.release_gap", [](const SimulationConfig& c) { return to_seconds(c.runtime.release_gap); }},
    {"runtime.increment_time", [](const SimulationConfig& c) { return to_seconds(c.runtime.increment_time); }},
    {"runtime.pickle_per_call", [](const SimulationConfig& c) { return to_seconds(pool_costs(c.runtime).pickle_per_call); }},
    // ns per byte in the config, as the format writes it; seconds per byte here.
    {"runtime.pickle_per_byte", [](const SimulationConfig& c) { return pool_costs(c.runtime).pickle_per_byte * 1e-9; }},
    {"runtime.ipc_per_call", [](const SimulationConfig& c) { return to_seconds(pool_costs(c.runtime).ipc_per_call); }},
    {"runtime.ipc_per_byte", [](const SimulationConfig& c) { return pool_costs(c.runtime).ipc_per_byte * 1e-9; }},
    {"runtime.loop_step", [](const SimulationConfig& c) { return to_seconds(pool_costs(c.runtime).loop_step); }},
    {"runtime.process_startup.fork",
     [](const SimulationConfig& c) { return to_seconds(startup_for(c.runtime, StartMethod::Fork)); }},
    {"runtime.process_startup.forkserver",
     [](const SimulationConfig& c) { return to_seconds(startup_for(c.runtime, StartMethod::Forkserver)); }},
    {"runtime.process_startup.spawn",
     [](const SimulationConfig& c) { return to_seconds(startup_for(c.runtime, StartMethod::Spawn)); }},
    {"runtime.process_start_interval.fork",
     [](const SimulationConfig& c) { return to_seconds(start_interval_for(c.runtime, StartMethod::Fork)); }},
    {"runtime.process_start_interval.forkserver",
     [](const SimulationConfig& c) { return to_seconds(start_interval_for(c.runtime, StartMethod::Forkserver)); }},
    {"runtime.process_start_interval.spawn",
     [](const SimulationConfig& c) { return to_seconds(start_interval_for(c.runtime, StartMethod::Spawn)); }},
    {"runtime.resource_tracker_start",
     [](const SimulationConfig& c) { return to_seconds(resource_tracker_start_for(c.runtime)); }},
};

}  // namespace

bool is_setting_path(std::string_view path) {
  return path.starts_with("machine.") || path.starts_with("runtime.");
}

const std::vector<std::string>& setting_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const auto& s : kSettings) out.emplace_back(s.name);
    return out;
  }();
  return names;
}

std::optional<double> setting_value(const SimulationConfig& config, std::string_view name) {
  const auto it = std::find_if(std::begin(kSettings), std::end(kSettings),
                               [&](const Setting& s) { return name == s.name; });
  if (it == std::end(kSettings)) return std::nullopt;
  return it->value(config);
}

}  // namespace models
