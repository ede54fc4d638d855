// `gilsim calibrate`'s fits of the costs that act through the model's
// mechanisms (docs/profiles.md, "How calibrate fits each key"):
// - the wake-up latency as a distribution, from the spread of single
//   ping-pong round trips, and the timer slack, from a timed wait's overshoot
//   less a wake-up;
// - the costs of 2.x's multicore GIL battle (wakeup_cpu, cache_refill,
//   futex_wake, tick, idle_poll, polled_wakeup_latency and
//   wakeup_granularity), which no single
//   microbenchmark isolates: calibrate runs
//   validate's count-down and hand-off twins (validation/countdown.yaml,
//   handoffs.yaml) on candidate values and keeps those that minimise the
//   squared log errors, in units of validate's tolerances, against 2.x's
//   measured ratio, CPU/wall and hand-offs/s, on all CPUs and pinned.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "analysis/calibration_fit.h"
#include "analysis/validation.h"
#include "loader/scenario.h"

namespace analysis {

// The wake-up latency as a lognormal (median and sigma from the 3.x round
// trips' p10/p50/p90) and the timer slack (less the wake-up and
// `wakeup_cpu_ns`, the woken thread's kernel work), replacing or adding to
// `values`. Keys whose measurements are missing are left as they are.
void fit_wakeups(const std::vector<CalibrationMeasurement>& measurements, std::vector<ProfileValue>& values,
                 double wakeup_cpu_ns = 0);

// futex_wake_nobody, from the cost of a system call (calibrate.py's
// `syscall`: os.getppid less an empty call, the newest interpreter's): a
// FUTEX_WAKE that finds nobody asleep is a system call and a hash-bucket
// look-up. Before the battle fit, which runs the twins with it.
void fit_syscall(const std::vector<CalibrationMeasurement>& measurements, std::vector<ProfileValue>& values);

// Splits machine.timed_wait_cpu (already in `values`: a timed wait's whole
// CPU) at the point where the call decides to sleep, from calibrate.py's
// `timedwait_sleep_gap` (Lock.acquire(True, t) with 1 ns of timer slack,
// wall less thread CPU per call, over a grid of deadlines t): a call whose
// deadline comes before its timer is armed never sleeps (a gap near 0), one
// whose deadline comes after sleeps. The largest deadline that does not sleep
// and the smallest that does bracket that point; their middle, over the 3.x
// interpreters, is timed_wait_cpu, and the rest of the whole is
// timed_wait_return_cpu. Nothing changes when the series is not measured,
// or no 3.x interpreter's grid brackets the point.
void fit_timed_wait_split(const std::vector<CalibrationMeasurement>& measurements, std::vector<ProfileValue>& values);

// Runs validate's case `case_id` with the samples' values under the profile
// in `load`: the twin's figures by label. The command gives one that reads
// the twins from the validation directory.
using TwinPredictor = std::function<std::map<std::string, double>(
    const std::string& case_id, const Samples& samples, const loader::LoadOptions& load)>;

// One target of the battle fit: measured against predicted at the optimum.
struct BattleTarget {
  std::string what;  // "count-down, 2 threads, all CPUs: threads / sequential"
  double measured = 0, predicted = 0;
};
struct BattleFit {
  bool done = false;  // false: no 2.x battle measurements
  int runs = 0;       // twin runs the search made
  double error = 0;   // the sum of squared log errors at the optimum
  double wakeup_cpu = 0;  // ns, as fitted
  std::vector<BattleTarget> targets;
};

// The search: a coarse grid, then coordinate descent over a grid per key from
// its best points. Writes the seven keys into `values`; the first's comment
// names the measurements and the predictions at the optimum.
BattleFit fit_battle(const std::vector<CalibrationMeasurement>& measurements, const ProfileHeader& header,
                     std::vector<ProfileValue>& values, const TwinPredictor& predict);

}  // namespace analysis
