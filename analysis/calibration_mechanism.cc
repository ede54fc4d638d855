#include "analysis/calibration_mechanism.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <set>

#include "loader/durations.h"
#include "loader/profile.h"
#include "loader/schema.h"

namespace analysis {

namespace {

// The newest interpreter of a GIL kind (2 or 3) with measurements.
std::string newest_of(const std::vector<CalibrationMeasurement>& all, int major) {
  std::string best;
  int best_minor = -1;
  for (const auto& m : all) {
    int ma = 0, mi = 0;
    if (std::sscanf(m.python.c_str(), "%d.%d", &ma, &mi) != 2 || ma != major) continue;
    if (mi > best_minor) best_minor = mi, best = m.python;
  }
  return best;
}

std::optional<double> median_of(const std::vector<CalibrationMeasurement>& all, const std::string& python,
                                const std::string& series) {
  for (const auto& m : all)
    if (m.python == python && m.name == series) return round_spread(m.rounds).median;
  return std::nullopt;
}

// To 3 significant digits: a fitted cost is not known better.
std::string duration_text(double ns) {
  ns = std::max(0.0, ns);
  if (ns >= 1000) {
    const double step = std::pow(10.0, std::floor(std::log10(ns)) - 2);
    ns = std::round(ns / step) * step;
  }
  return loader::format_duration(sim::Time(std::llround(ns)));
}

std::string number_text(double v, const char* format = "%.3g") {
  char buf[32];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}

// z of the normal distribution's 90th percentile.
constexpr double kZ90 = 1.2816;

}  // namespace

void fit_wakeups(const std::vector<CalibrationMeasurement>& all, std::vector<ProfileValue>& values,
                 double wakeup_cpu_ns) {
  const std::string py = newest_of(all, 3);
  if (py.empty()) return;
  const auto p10 = median_of(all, py, "pingpong_unpinned_p10");
  const auto p50 = median_of(all, py, "pingpong_unpinned_p50");
  const auto p90 = median_of(all, py, "pingpong_unpinned_p90");
  double wake_median = 0;
  if (p10 && p50 && p90 && *p10 > 0 && *p90 >= *p10 && *p50 > 0) {
    // A round trip is two wake-ups (and two hand-offs of the GIL, whose
    // Python work is in it: the median is an upper bound, as the reference
    // profile reads its 24 us). Its spread is taken as the wake-ups': two
    // independent lognormal wake-ups of sigma s add up to about sigma s/sqrt(2),
    // so s = sqrt(2) x ln(p90/p10) / (2 z90).
    wake_median = *p50 / 2;
    const double sigma = std::min(2.0, std::sqrt(2.0) * std::log(*p90 / *p10) / (2 * kZ90));
    set_value(values, {"machine.wakeup_latency",
                       "{lognormal: {median: " + duration_text(wake_median) + ", sigma: " + number_text(sigma, "%.2f") +
                           "}}",
                       "a wake-up, as a distribution (a constant phase-locks waiters against a periodic holder): "
                       "half the median of single 3.x ping-pong round trips on all CPUs (two wake-ups and two GIL "
                       "hand-offs each), and sigma from their spread, sqrt(2) ln(p90/p10) / 2.56, all of it taken "
                       "as the wake-ups': " +
                           py + " p10 " + ns_text(*p10) + ", p50 " + ns_text(*p50) + ", p90 " + ns_text(*p90) +
                           " (medians over the rounds: " +
                           measured_text(all, "pingpong_unpinned_p50", false, FitVersions::NewGil) + ")"});
  }
  const auto overshoot = median_of(all, py, "timedwait_overshoot");
  if (overshoot && wake_median > 0) {
    // The model's timed wait ends timer_slack after its deadline, and then
    // the waiter is woken (wakeup_latency, then wakeup_cpu on its core):
    // the measured overshoot is all three.
    set_value(values, {"machine.timer_slack", duration_text(*overshoot - wake_median - wakeup_cpu_ns),
                       "how late a timed futex wait ends (take_gil's COND_TIMED_WAIT): Lock.acquire(timeout=0.5 "
                       "ms)'s overshoot less the median wake-up above (" + ns_text(wake_median) +
                           ") and wakeup_cpu (" + ns_text(wakeup_cpu_ns) + "): " +
                           measured_text(all, "timedwait_overshoot", false, FitVersions::NewGil)});
  }
}

void fit_syscall(const std::vector<CalibrationMeasurement>& all, std::vector<ProfileValue>& values) {
  std::string py = newest_of(all, 3);
  if (!median_of(all, py, "syscall")) py = newest_of(all, 2);
  const auto cost = median_of(all, py, "syscall");
  if (!cost || *cost <= 0) return;
  set_value(values, {"machine.futex_wake_nobody", duration_text(*cost),
                     "a FUTEX_WAKE that finds nobody asleep (the old GIL's sem_post while a woken waiter has not "
                     "retried): a system call's entry and exit, os.getppid less an empty call: " +
                         measured_text(all, "syscall", false, FitVersions::All)});
}

void fit_timed_wait_split(const std::vector<CalibrationMeasurement>& all, std::vector<ProfileValue>& values) {
  const ProfileValue* whole = find_value(values, "machine.timed_wait_cpu");
  if (!whole) return;
  const auto parsed = loader::parse_duration(whole->text);
  if (!parsed.ok()) return;
  const double total = double(parsed.value);
  // A call that slept has a gap of the sleep's rest and a wake-up, tens of
  // microseconds; one that did not, a few hundred nanoseconds of clock reads.
  // 2 us apart them: a deadline where a few calls in a hundred sleep counts
  // as sleeping.
  constexpr double kSlept = 2000;
  std::vector<double> points;
  std::set<std::string> done;  // interpreters whose grid is read
  for (const auto& m : all) {
    if (m.name != "timedwait_sleep_gap" || m.python.rfind("3.", 0) != 0 || !done.insert(m.python).second) continue;
    std::vector<std::pair<double, double>> grid;  // deadline, median gap
    for (const auto& g : all)
      if (g.python == m.python && g.name == m.name) grid.push_back({g.x, round_spread(g.rounds).median});
    std::sort(grid.begin(), grid.end());
    for (std::size_t i = 1; i < grid.size(); ++i)
      if (grid[i].second >= kSlept) {
        if (grid[i - 1].second < kSlept) points.push_back(0.5 * (grid[i - 1].first + grid[i].first));
        break;
      }
  }
  if (points.empty()) return;
  double before = 0;
  for (double p : points) before += p;
  before = std::min(total, before / double(points.size()));
  const std::string measured = measured_text(all, "timedwait_sleep_gap", false, FitVersions::NewGil);
  const std::string whole_text = ns_text(total);
  set_value(values, {"machine.timed_wait_cpu", duration_text(before),
                     "the part of a timed wait's CPU before the call decides to sleep (the futex call, arming the "
                     "hrtimer; a wait due by then returns without sleeping): the middle of the last deadline t at "
                     "which Lock.acquire(True, t), with 1 ns of timer slack, did not sleep and the first at which "
                     "it did (a median gap of 2us or more), over the 3.x interpreters; the gap, wall less thread "
                     "CPU per call, by t: " + measured});
  set_value(values, {"machine.timed_wait_return_cpu", duration_text(total - before),
                     "the rest of a timed wait's CPU, after it ends (the call's return, the hrtimer's cancel, the "
                     "mutex's re-lock): the whole, " + whole_text + " (" +
                         measured_text(all, "timedwait_cpu_busy", false, FitVersions::NewGil) +
                         ", pinned beside a CPU-bound process), less timed_wait_cpu"});
}

namespace {

struct Key {
  const char* key;
  std::vector<double> grid;  // ns
  double value;              // ns: the start, then the fit
};

struct Target {
  std::string what, case_id, figure;
  Samples samples;
  double measured;
  double tolerance;  // validate's factor for the row: 1.25 (±25 %) or 2
};

Samples samples_of(const std::string& python, std::map<std::string, double> values) {
  Samples s;
  s.python = python;
  ProgramOutput o;
  o.python = python;
  o.values = std::move(values);
  s.runs.push_back(std::move(o));
  return s;
}

}  // namespace

BattleFit fit_battle(const std::vector<CalibrationMeasurement>& all, const ProfileHeader& header,
                     std::vector<ProfileValue>& values, const TwinPredictor& predict) {
  BattleFit fit;
  const std::string py = newest_of(all, 2);
  if (py.empty()) return fit;
  const auto ratio = median_of(all, py, "countdown2_ratio");
  const auto seq = median_of(all, py, "countdown2_seq");
  if (!ratio || !seq) return fit;
  const double cpus = std::max(1, header.cores);

  // What the search matches: validate's own cases, with calibrate's
  // measurements in place of the programs' (the same programs' code).
  std::vector<Target> targets;
  const auto cpu_wall = median_of(all, py, "countdown2_cpu_wall");
  const Samples all_cpus = samples_of(py, {{"seq_ns", *seq}, {"cpus", cpus}});
  targets.push_back({"count-down, 2 threads, all CPUs: threads / sequential", "countdown-2-all", "ratio", all_cpus,
                     *ratio, 1.25});
  if (cpu_wall)
    targets.push_back({"count-down, 2 threads, all CPUs: CPU / wall", "countdown-2-all", "cpu/wall", all_cpus,
                       *cpu_wall, 1.25});
  const auto ratio4 = median_of(all, py, "countdown4_ratio");
  const auto seq4 = median_of(all, py, "countdown4_seq");
  if (ratio4 && seq4) {
    const Samples four = samples_of(py, {{"seq_ns", *seq4}, {"cpus", cpus}});
    targets.push_back({"count-down, 4 threads, all CPUs: threads / sequential", "countdown-4-all", "ratio", four,
                       *ratio4, 1.25});
    if (const auto cw = median_of(all, py, "countdown4_cpu_wall"))
      targets.push_back(
          {"count-down, 4 threads, all CPUs: CPU / wall", "countdown-4-all", "cpu/wall", four, *cw, 1.25});
  }
  const auto ratio_pinned = median_of(all, py, "countdown2_ratio_pinned");
  const auto seq_pinned = median_of(all, py, "countdown2_seq_pinned");
  if (ratio_pinned && seq_pinned)
    targets.push_back({"count-down, 2 threads, pinned: threads / sequential", "countdown-2-pinned", "ratio",
                       samples_of(py, {{"seq_ns", *seq_pinned}, {"cpus", 1}}), *ratio_pinned, 1.25});
  // calibrate.py's hand-off runs last 0.2 s.
  if (const auto h = median_of(all, py, "handoffs_per_s"))
    targets.push_back({"2 CPU threads: GIL hand-offs/s", "handoffs", "hand-offs per second",
                       samples_of(py, {{"wall_ns", 2e8}, {"cpus", cpus}}), *h, 2});
  if (const auto h = median_of(all, py, "handoffs_per_s_pinned"))
    targets.push_back({"2 CPU threads, pinned: GIL hand-offs/s", "handoffs", "hand-offs per second",
                       samples_of(py, {{"wall_ns", 2e8}, {"cpus", 1}}), *h, 2});

  // From the reference profile's values, and the tick as measured.
  const auto iter = median_of(all, py, "countdown_iter");
  const double tick = iter ? std::max(1.0, std::round(*iter / 3)) : 25;
  std::vector<Key> keys = {
      {"machine.wakeup_cpu", {0, 500, 1000, 1500, 2000, 3000, 4000, 6000, 8000, 12000}, 0},
      {"machine.cache_refill", {0, 500, 1000, 1500, 2000, 3000, 5000, 8000, 12000}, 0},
      {"machine.futex_wake", {200, 500, 1000, 1500, 2000, 3000, 5000, 8000}, 1000},
      {"runtime.tick", {}, tick},
      {"machine.idle_poll", {0, 20000, 50000, 100000, 200000}, 0},
      {"machine.polled_wakeup_latency", {500, 1000, 2000, 4000}, 1000},
      // The pinned runs decide it: whether a waiter that a release wakes
      // preempts the holder at once (and takes the lock before the holder's
      // sem_wait) or waits for the time slice while every release costs the
      // holder a futex call. Linux before 6.6 (CFS) needs the waiter 1-4 ms
      // of run time behind; EEVDF (6.6+) preempts for a waiter that is owed
      // CPU, which 0 comes nearest to.
      {"machine.wakeup_granularity", {0, 250000, 500000, 1000000, 2000000}, 2000000},
  };
  for (double f : {0.5, 0.75, 1.0, 1.5, 2.0, 3.0}) keys[3].grid.push_back(std::max(1.0, std::round(tick * f)));
  // EEVDF (fit_scheduler: Linux 6.6+) has no wake-up granularity: a woken
  // thread preempts by its lag and deadline (models/eevdf.h).
  const ProfileValue* scheduler = find_value(values, "machine.scheduler");
  const bool eevdf = scheduler && scheduler->text == "eevdf";
  if (eevdf) keys.pop_back();

  auto with = [&](const std::vector<Key>& ks) {
    std::vector<ProfileValue> v = values;
    for (const auto& k : ks) set_value(v, {k.key, duration_text(k.value), ""});
    return v;
  };
  std::vector<double> predicted(targets.size());
  auto error = [&](const std::vector<Key>& ks) {
    loader::LoadOptions load;
    load.profile =
        std::make_shared<const loader::Profile>(loader::load_profile_text(write_profile(header, with(ks), {}),
                                                                          "<calibrate's candidate>"));
    double e = 0;
    std::map<std::string, std::map<std::string, double>> runs;  // a case run once per candidate
    for (std::size_t i = 0; i < targets.size(); ++i) {
      const Target& t = targets[i];
      const std::string run_key = t.case_id + "/" + std::to_string(t.samples.runs[0].values.at("cpus"));
      if (!runs.count(run_key)) {
        runs[run_key] = predict(t.case_id, t.samples, load);
        ++fit.runs;
      }
      const auto& figures = runs[run_key];
      const auto it = figures.find(t.figure);
      predicted[i] = it == figures.end() ? 0 : it->second;
      // A prediction of 0 (no hand-off at all) counts as 0.1 of the unit.
      // Each error in units of validate's tolerance for the figure: a
      // ratio 25 % off weighs as much as hand-offs 2x off.
      const double d = std::log(std::max(predicted[i], 0.1) / t.measured) / std::log(t.tolerance);
      e += d * d;
    }
    return e;
  };

  // The figures are not smooth in the costs (a wake-up that lands inside
  // the releaser's window or just after it), so a descent alone gets stuck:
  // first a coarse grid over the three machine costs at the measured tick,
  // then coordinate descent over the fine grids (the tick too) from its
  // three best points; the best end wins.
  auto descend = [&](std::vector<Key> ks, double best) {
    for (int pass = 0; pass < 4; ++pass) {
      bool moved = false;
      for (auto& k : ks) {
        const double start = k.value;
        double best_value = start;
        for (double v : k.grid) {
          if (v == start) continue;
          k.value = v;
          const double e = error(ks);
          if (e < best - 1e-12) best = e, best_value = v, moved = true;
        }
        k.value = best_value;
      }
      if (!moved) break;
    }
    return std::pair{best, ks};
  };
  std::vector<std::pair<double, std::vector<Key>>> coarse;
  for (double gran : eevdf ? std::vector<double>{0.0} : std::vector<double>{2000000.0, 0.0})
    for (double poll : {0.0, 50000.0})
      for (double w : {0.0, 1000.0, 2000.0, 4000.0, 8000.0})
        for (double c : {0.0, 1000.0, 2000.0, 5000.0})
          for (double f : {500.0, 1000.0, 3000.0, 8000.0}) {
            auto ks = keys;
            ks[0].value = w, ks[1].value = c, ks[2].value = f, ks[4].value = poll;
            if (!eevdf) ks[6].value = gran;
            coarse.push_back({error(ks), ks});
          }
  std::stable_sort(coarse.begin(), coarse.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  double best = coarse[0].first;
  keys = coarse[0].second;
  for (std::size_t i = 0; i < std::min<std::size_t>(3, coarse.size()); ++i)
    if (auto [e, ks] = descend(coarse[i].second, coarse[i].first); e < best) best = e, keys = ks;
  error(keys);  // the predictions at the optimum
  fit.done = true;
  fit.error = best;
  std::string matched;
  for (std::size_t i = 0; i < targets.size(); ++i) {
    fit.targets.push_back({targets[i].what, targets[i].measured, predicted[i]});
    matched += (i ? "; " : "") + targets[i].what + " " + number_text(targets[i].measured) + " (predicted " +
               number_text(predicted[i]) + ")";
  }
  const std::string how =
      std::string("fitted through the model together with cache_refill, futex_wake, tick, ") +
      (eevdf ? "idle_poll and polled_wakeup_latency" : "idle_poll, polled_wakeup_latency and wakeup_granularity") +
      ", under the machine's scheduler (" + (scheduler ? scheduler->text : "cfs, the default") + "): validate's count-down and hand-off twins run on a coarse grid of candidates, "
      "then coordinate descent from its three best (" +
      std::to_string(fit.runs) +
      " runs), keeping those with the least sum of squared log errors, each in units of validate's tolerance "
      "for it (ln 1.25 for the count-down figures, ln 2 for the hand-offs), against " +
      py + "'s measured " + matched;
  const std::string what[] = {
      "a woken thread's kernel work on its idle core before its code runs",
      "the cache misses of a thread that takes the GIL last held on another core",
      "the FUTEX_WAKE system call of a release that wakes a sleeper, paid by the releaser",
      "a 2.x tick: check_interval of them between the old GIL's releases (measured alone: " +
          (iter ? ns_text(*iter) + " a count-down iteration of 3 ticking opcodes, so " + ns_text(tick) : std::string("none")) +
          ")",
      "how long an idle core polls before it halts: a wake-up onto a core idle for less waits "
      "polled_wakeup_latency (2.x's battle hands the GIL between cores that went idle microseconds ago)",
      "a wake-up onto a core that still polls",
      "how far a woken thread's run time must be behind a running one's for it to preempt (0: whenever it is "
      "behind, as Linux 6.6+'s EEVDF nearly does for a waiter owed CPU)",
  };
  // The whole story once, on the first key; the others point to it.
  for (std::size_t i = 0; i < keys.size(); ++i)
    set_value(values, {keys[i].key, duration_text(keys[i].value),
                       what[i] + "; " + (i == 0 ? how : "fitted together with wakeup_cpu (see its comment)")});
  fit.wakeup_cpu = keys[0].value;
  return fit;
}

}  // namespace analysis
