// What `gilsim saturation` analyses, as its command line or a sweep's
// `saturation` key says it (the two share this): the load column, the
// latency objectives, the tolerance. The analysis itself is
// analysis/saturation.h; the command app/saturation_command.h.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "loader/durations.h"

namespace loader {

// A latency objective: `p99=200ms` on the command line, `p99: 200ms` in the
// sweep's `saturation.slo`.
struct LatencyObjective {
  std::string metric;  // p50, p90, p99, max or mean: the column PREFIX.METRIC
  double limit = 0;    // seconds
  std::string text;    // the limit as written ("200ms"), for the table
};

// The latency metrics an objective may name, as messages list them.
inline constexpr const char* kObjectiveMetrics = "p50, p90, p99, max or mean";
bool is_objective_metric(std::string_view metric);
// The objective's metric checked and its limit parsed (a duration above 0).
ParseResult<LatencyObjective> make_objective(std::string_view metric, std::string_view limit);
// `METRIC=DURATION`.
ParseResult<LatencyObjective> parse_objective(std::string_view argument);

// What to analyse: `gilsim saturation`'s arguments, or a sweep's
// `saturation` key (loader/sweep_spec.h).
struct SaturationRequest {
  std::string csv;
  std::string load;                  // the column of the swept load (requests per second)
  std::string metrics = "requests";  // the columns PREFIX.offered, PREFIX.throughput, PREFIX.p99 ...
  std::vector<LatencyObjective> objectives;
  double tolerance = 0.05;  // saturated where throughput < (1 - tolerance) x offered
  // Compare PREFIX.goodput (responses to a client still waiting) with the
  // offered load instead of PREFIX.throughput: for clients with a timeout,
  // whose server may stay busy answering nobody.
  bool goodput = false;
  std::string by = "variant";
  // How messages name the settings: "--" for the options, "sweep.saturation." for the key.
  std::string setting_prefix = "--";
};

}  // namespace loader
