#include "analysis/saturation.h"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <functional>
#include <sstream>

namespace analysis {

namespace {

// The mean of the replications at one load.
struct Level {
  double load = 0, offered = 0, throughput = 0;
  std::vector<double> latencies;
  int runs = 0;
};

std::string number(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

// `margin(i)` > 0 where level i fails. The first failure, and the linear
// crossing of the margin's zero between it and the level before.
Crossing first_failure(const std::vector<Level>& levels, const std::function<double(const Level&)>& margin) {
  Crossing c;
  for (std::size_t i = 0; i < levels.size(); ++i) {
    const double m = margin(levels[i]);
    if (m <= 0) continue;
    c.hi = levels[i].load;
    if (i == 0) {
      c.where = Crossing::Where::Below;
      c.at = c.hi;
      return c;
    }
    const double m0 = margin(levels[i - 1]);  // <= 0
    c.where = Crossing::Where::Between;
    c.lo = levels[i - 1].load;
    c.at = c.lo + (c.hi - c.lo) * (-m0) / (m - m0);
    return c;
  }
  c.where = Crossing::Where::Beyond;
  c.lo = c.at = levels.back().load;
  return c;
}

}  // namespace

const char* where_name(Crossing::Where w) {
  switch (w) {
    case Crossing::Where::Beyond:
      return "beyond";
    case Crossing::Where::Below:
      return "below";
    case Crossing::Where::Between:
      return "between";
  }
  return "?";
}

Saturation find_saturation(const std::vector<LoadPoint>& points, double tolerance,
                           const std::vector<double>& limits) {
  Saturation s;
  if (!(tolerance >= 0 && tolerance < 1)) {
    s.error = "the tolerance must be at least 0 and below 1, got " + number(tolerance);
    return s;
  }
  for (double limit : limits)
    if (!std::isfinite(limit) || limit <= 0) {
      s.error = "a latency limit must be a positive duration, got " + number(limit) + " s";
      return s;
    }
  std::vector<Level> levels;
  for (const LoadPoint& p : points) {
    auto bad = [](double v) { return !std::isfinite(v) || v < 0; };
    if (bad(p.load) || bad(p.offered) || bad(p.throughput)) {
      s.error = "a load, offered load or throughput that is negative or not a number (load " + number(p.load) + ")";
      return s;
    }
    if (p.latencies.size() != limits.size()) {
      s.error = "a point has " + std::to_string(p.latencies.size()) + " latencies for " +
                std::to_string(limits.size()) + " limits";
      return s;
    }
    for (double l : p.latencies)
      if (bad(l)) {
        s.error = "a latency that is negative or not a number at load " + number(p.load);
        return s;
      }
    auto it = std::find_if(levels.begin(), levels.end(), [&](const Level& l) { return l.load == p.load; });
    if (it == levels.end()) {
      levels.push_back({p.load, 0, 0, std::vector<double>(limits.size(), 0.0), 0});
      it = levels.end() - 1;
    }
    it->offered += p.offered;
    it->throughput += p.throughput;
    for (std::size_t k = 0; k < limits.size(); ++k) it->latencies[k] += p.latencies[k];
    ++it->runs;
  }
  s.points = static_cast<int>(points.size());
  s.loads = static_cast<int>(levels.size());
  if (levels.size() < 2) {
    s.error = "needs at least 2 different loads, got " + std::to_string(levels.size());
    return s;
  }
  for (Level& l : levels) {
    const double n = l.runs;
    l.offered /= n;
    l.throughput /= n;
    for (double& v : l.latencies) v /= n;
    if (l.offered <= 0) {
      s.error = "no request arrived in the window at load " + number(l.load) +
                ": the throughput has nothing to keep up with";
      return s;
    }
  }
  std::sort(levels.begin(), levels.end(), [](const Level& a, const Level& b) { return a.load < b.load; });

  for (const Level& l : levels)
    if (l.throughput > s.capacity) {
      s.capacity = l.throughput;
      s.capacity_load = l.load;
    }
  s.at_highest = levels.back().throughput;
  s.saturates = first_failure(levels, [&](const Level& l) { return (1 - tolerance) - l.throughput / l.offered; });
  for (std::size_t k = 0; k < limits.size(); ++k)
    s.objectives.push_back(first_failure(levels, [&](const Level& l) { return l.latencies[k] - limits[k]; }));
  return s;
}

}  // namespace analysis
