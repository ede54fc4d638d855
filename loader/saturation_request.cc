#include "loader/saturation_request.h"

#include <algorithm>
#include <iterator>

#include "loader/input_error.h"

namespace loader {

namespace {
const char* const kMetrics[] = {"p50", "p90", "p99", "max", "mean"};
}  // namespace

bool is_objective_metric(std::string_view metric) {
  return std::find(std::begin(kMetrics), std::end(kMetrics), metric) != std::end(kMetrics);
}

ParseResult<LatencyObjective> make_objective(std::string_view metric, std::string_view limit) {
  ParseResult<LatencyObjective> r;
  const std::vector<std::string> names(std::begin(kMetrics), std::end(kMetrics));
  if (!is_objective_metric(metric)) {
    r.problem = "unknown latency metric '" + std::string(metric) + "': expected " + kObjectiveMetrics;
    const std::string close = closest_match(metric, names);
    if (!close.empty()) r.problem += "; did you mean '" + close + "'?";
    return r;
  }
  auto d = parse_duration(limit);
  if (!d.ok()) {
    r.problem = "the limit: " + d.problem;
    return r;
  }
  if (d.value <= 0) {
    r.problem = "the limit must be above 0, got '" + std::string(limit) + "'";
    return r;
  }
  r.value = {std::string(metric), sim::to_seconds(d.value), std::string(limit)};
  return r;
}

ParseResult<LatencyObjective> parse_objective(std::string_view argument) {
  const std::size_t eq = argument.find('=');
  if (eq == std::string_view::npos) {
    ParseResult<LatencyObjective> r;
    r.problem = "expected METRIC=DURATION, like p99=200ms";
    return r;
  }
  return make_objective(argument.substr(0, eq), argument.substr(eq + 1));
}

}  // namespace loader
