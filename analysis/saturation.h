// Saturation: where a server stops keeping up with its load, read from a sweep
// of the offered load (open-loop arrivals at the rates of the sweep's axis).
//
// Below its capacity a server answers what arrives: its throughput follows the
// offered load, and its latency is the work plus some queueing. Past it, the
// throughput stays at the capacity while the backlog, and the latency with
// it, grows for as long as the load lasts (models/requests.h). The saturation
// point is the load where the first regime turns into the second: the first
// load swept at which the throughput falls below (1 - tolerance) x the offered
// load. A latency objective (p99 <= 200 ms) holds up to the first load at
// which that latency exceeds its limit.
//
// Both are read from the measurements, not from a queueing model (one would
// need to know the server's structure, which is what the user is asking
// about). Replications at one load are averaged first. Between the last load
// that passes and the first that fails, the crossing is interpolated linearly
// and the bracket is reported with it, so a coarse sweep says how coarse its
// answer is. The first failing load counts, even if a higher one passes again
// (noise in a percentile): a server that cannot be relied on at a load is
// saturated there.
#pragma once

#include <string>
#include <vector>

namespace analysis {

// One run: one variant at one load, one replication.
struct LoadPoint {
  double load = 0;               // the swept load (an arrival rate, per second): the x
  double offered = 0;            // requests that arrived in the window, per second
  double throughput = 0;         // responses sent in the window, per second
  std::vector<double> latencies;  // one per objective (seconds), in the objectives' order
};

// Where a measure first fails along the loads swept.
struct Crossing {
  enum class Where {
    Beyond,   // passes at every load swept: the crossing is above the last (lo)
    Below,    // fails already at the lowest load (hi)
    Between,  // passes at lo, fails at hi; `at` interpolates between them
  };
  Where where = Where::Beyond;
  double at = 0;  // Between: the interpolated load; Beyond: lo; Below: hi
  double lo = 0;  // the last load that passes before the first failure (Beyond: the last load)
  double hi = 0;  // the first load that fails (Beyond: none, 0)
};

const char* where_name(Crossing::Where w);  // "beyond", "below", "between"

struct Saturation {
  std::string error;   // empty when the analysis succeeded; then the fields below hold
  int loads = 0;       // distinct loads
  int points = 0;      // runs
  double capacity = 0;       // the highest throughput measured (mean over replications)
  double capacity_load = 0;  // the load at which it was measured
  double at_highest = 0;     // the throughput at the highest load swept: below the capacity
                             // when past saturation the server loses ground (goodput collapse)
  Crossing saturates;        // throughput < (1 - tolerance) x offered
  std::vector<Crossing> objectives;  // latency > limit, one per limit

  bool ok() const { return error.empty(); }
};

// `limits` (seconds) pair with each point's `latencies`. Errors: fewer than 2
// distinct loads, a load or measure that is negative or not finite, a load
// with no requests offered, a tolerance outside [0, 1), a point with the
// wrong number of latencies.
Saturation find_saturation(const std::vector<LoadPoint>& points, double tolerance,
                           const std::vector<double>& limits);

}  // namespace analysis
