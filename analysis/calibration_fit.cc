#include "analysis/calibration_fit.h"

#include <simdjson.h>

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>

#include "loader/schema.h"
#include "models/config.h"

namespace analysis {

namespace {

using P = FitPart;
using V = FitVersions;
using U = FitUnit;

}  // namespace

// One row per profile key. To fit a new key: its row here (and, if no series
// measures it yet, a section in validation/calibrate.py).
const std::vector<FitRow>& fit_table() {
  static const std::vector<FitRow> rows = {
      {"machine.wakeup_latency", "pingpong_unpinned", P::Intercept, V::NewGil, 0.5, U::Duration,
       "half a 3.x thread ping-pong's round trip on all CPUs: a wake-up and a GIL hand-off (so an upper "
       "bound: the hand-off's Python work is in it), as the reference profile reads its 24 us. 2.x's round "
       "trips are left out: their woken thread also battles for the old GIL"},
      {"machine.timed_wait_cpu", "timedwait_cpu_busy", P::Intercept, V::NewGil, 1.0, U::Duration,
       "a timed wait's own CPU on its core before it sleeps (the futex call, the hrtimer's arming): "
       "Lock.acquire(True, 1 us) on a held lock in a loop, in thread CPU time, pinned beside a CPU-bound "
       "process on the same CPU, as the GIL's spinning waiters keep the CPUs busy (alone it costs more: "
       "timedwait_cpu_alone, below)"},
      {"runtime.tick", "countdown_iter", P::Intercept, V::OldGil, 1.0 / 3, U::Duration,
       "a 2.x count-down iteration over its 3 ticking opcodes (COMPARE_OP, INPLACE_SUBTRACT, JUMP_ABSOLUTE; "
       "the others take Python/ceval.c's fast_next_opcode path, which skips the ticker)"},
      {"runtime.eval_breaker_granularity", "countdown_iter", P::Intercept, V::NewGil, 1.0, U::Duration,
       "a 3.x count-down iteration: one back edge, one eval-breaker check"},
      {"runtime.increment_time", "increment", P::Intercept, V::Newest, 1.0, U::Duration,
       "`x += 1` on a global in a for loop, less the empty loop, newest Python"},
      {"runtime.pickle_per_call", "pickle_bytes", P::Intercept, V::Newest, 1.0, U::Duration,
       "pickle.dumps and loads of bytes (16 B, 4 KiB, 64 KiB), newest Python, the line's intercept"},
      {"runtime.pickle_per_byte", "pickle_bytes", P::Slope, V::Newest, 1.0, U::PerByte,
       "... its slope"},
      {"runtime.ipc_per_call", "pipe_bytes", P::Intercept, V::Newest, 1.0, U::Duration,
       "a multiprocessing.Pipe send_bytes or recv_bytes (64 B .. 60 KiB), newest Python, the line's intercept"},
      {"runtime.ipc_per_byte", "pipe_bytes", P::Slope, V::Newest, 1.0, U::PerByte,
       "... its slope"},
      {"runtime.loop_step", "loop_step", P::Intercept, V::Newest, 1.0, U::Duration,
       "asyncio: 100 tasks that each await asyncio.sleep(0) 50 times, per step, newest Python"},
      // Process start-up: the model runs the parent's share of a start
      // (process_start_interval) on the parent's main thread, then the
      // child's start-up (process_startup); a start + join takes both, so
      // the child's is the start + join less the parent's CPU in start().
      {"runtime.process_start_interval.fork", "process_start_cpu_fork", P::Intercept, V::Newest, 1.0, U::Duration,
       "the parent's thread CPU time in Process.start(), fork (os.fork in popen_fork), newest Python"},
      {"runtime.process_start_interval.forkserver", "process_start_cpu_forkserver", P::Intercept, V::Newest, 1.0,
       U::Duration, "... forkserver (a request to the fork server and its answer)"},
      {"runtime.process_start_interval.spawn", "process_start_cpu_spawn", P::Intercept, V::Newest, 1.0,
       U::Duration,
       "... spawn (_posixsubprocess.fork_exec, then the preparation data to the child's pipe; with vfork, 3.10+: "
       "before 3.10, less the fork share)",
       nullptr, "process_start_cpu_fork"},
      {"runtime.resource_tracker_start", "process_first_start_cpu_spawn", P::Intercept, V::Newest, 1.0,
       U::Duration,
       "a fresh interpreter's first Process.start(), spawn, in thread CPU time, which also starts "
       "multiprocessing's resource tracker, less a later start's (process_start_interval.spawn); before 3.10 "
       "less the fork share too",
       "process_start_cpu_spawn", "process_start_cpu_fork"},
      {"runtime.process_startup.fork", "process_fork", P::Intercept, V::Newest, 1.0, U::Duration,
       "one multiprocessing.Process start + join of a no-op target, fork, newest Python, less the parent's "
       "CPU in start() (process_start_interval) when measured",
       "process_start_cpu_fork"},
      {"runtime.process_startup.forkserver", "process_forkserver", P::Intercept, V::Newest, 1.0, U::Duration,
       "... forkserver", "process_start_cpu_forkserver"},
      {"runtime.process_startup.spawn", "process_spawn", P::Intercept, V::Newest, 1.0, U::Duration,
       "... spawn", "process_start_cpu_spawn"},
  };
  return rows;
}

const std::vector<UnkeyedSeries>& unkeyed_series() {
  static const std::vector<UnkeyedSeries> series = {
      {"pingpong_unpinned", "thread ping-pong round trip, all CPUs (2 wake-ups, 2 GIL hand-offs)"},
      {"pingpong_pinned", "the same pinned to one CPU: switches on one core instead of wake-ups on another"},
      {"wakeup_gap", "half of what pinning saves a round trip: a wake-up on another, idle CPU against one on "
                     "a busy CPU (near 0 when no CPU is idle)"},
      {"handoffs_per_s", "GIL hand-offs per second between 2 CPU threads, counted in Python"},
      {"handoffs_per_s_pinned", "... pinned to one CPU"},
      {"sleep_overshoot", "time.sleep(0.5 ms) beyond 0.5 ms: the timer slack on short waits"},
      {"sleep_overshoot_5ms", "time.sleep(5 ms) beyond 5 ms"},
      {"timedwait_cpu_alone", "a timed wait's thread CPU, Lock.acquire(True, 1 us) on a held lock, slept or not, "
                              "on an otherwise idle CPU (machine.timed_wait_cpu takes the busy CPU's figure)"},
      {"pool_ready_fork", "Pool(x) until every worker has run a task (less its 10 ms), fork"},
      {"pool_ready_spawn", "... spawn"},
      {"pool_ready_forkserver", "... forkserver"},
      {"pickle_bytes_1mb", "pickle.dumps and loads of 1 MiB of bytes: more per byte than the line below 64 KiB "
                           "(a new 1 MiB buffer is fresh pages)"},
      {"submit_thread", "ThreadPoolExecutor.submit (submit_cost would set it for every pool kind)"},
  };
  return series;
}

CalibrationOutput parse_calibration_output(const std::string& json_line) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  auto bad = [&](const std::string& why) {
    return std::runtime_error("calibrate: " + why + " in '" + json_line.substr(0, 200) + "'");
  };
  if (parser.parse(json_line).get(root) != simdjson::SUCCESS || !root.is_object()) throw bad("not a JSON object");
  CalibrationOutput out;
  std::string_view python;
  if (root["python"].get_string().get(python) != simdjson::SUCCESS) throw bad("no \"python\"");
  out.python = std::string(python);
  int64_t cpus = 0;
  if (root["cpus"].get_int64().get(cpus) == simdjson::SUCCESS) out.cpus = int(cpus);
  std::string_view text;
  if (root["system"].get_string().get(text) == simdjson::SUCCESS) out.system = std::string(text);
  if (root["kernel"].get_string().get(text) == simdjson::SUCCESS) out.kernel = std::string(text);
  simdjson::dom::array list;
  if (root["measurements"].get_array().get(list) != simdjson::SUCCESS) throw bad("no \"measurements\" list");
  for (auto m : list) {
    CalibrationMeasurement cm;
    cm.python = out.python;
    std::string_view name;
    simdjson::dom::array rounds;
    if (m["name"].get_string().get(name) != simdjson::SUCCESS || m["rounds"].get_array().get(rounds) != simdjson::SUCCESS)
      throw bad("a measurement without \"name\" or \"rounds\"");
    cm.name = std::string(name);
    double x = 0;
    if (m["x"].get_double().get(x) == simdjson::SUCCESS) cm.x = x;
    for (auto r : rounds) {
      double v = 0;
      if (r.get_double().get(v) != simdjson::SUCCESS) throw bad("a round that is not a number");
      cm.rounds.push_back(v);
    }
    if (!cm.rounds.empty()) out.measurements.push_back(std::move(cm));
  }
  return out;
}

RoundSpread round_spread(const std::vector<double>& rounds) {
  std::vector<double> v = rounds;
  std::sort(v.begin(), v.end());
  RoundSpread s;
  if (v.empty()) return s;
  const std::size_t n = v.size();
  s.median = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  s.low = v.front();
  s.high = v.back();
  return s;
}

namespace {

std::pair<int, int> version_number(const std::string& python) {
  int major = 0, minor = 0;
  std::sscanf(python.c_str(), "%d.%d", &major, &minor);
  return {major, minor};
}

// The newest interpreter among the measurements ("3.12" over "3.9").
std::string newest_python(const std::vector<CalibrationMeasurement>& all) {
  std::string newest;
  for (const auto& m : all)
    if (newest.empty() || version_number(m.python) > version_number(newest)) newest = m.python;
  return newest;
}

bool version_counts(FitVersions versions, const std::string& python, const std::string& newest) {
  switch (versions) {
    case V::All: return true;
    case V::OldGil: return version_number(python).first == 2;
    case V::NewGil: return version_number(python).first >= 3;
    case V::Newest: return python == newest;
  }
  return false;
}

// The smallest value the loader accepts for the key (increment_time: 2 ns;
// tick and eval_breaker_granularity: above 0).
double least_value(const FitRow& row) {
  const std::string key = row.key;
  if (key == "runtime.increment_time") return 2;
  if (key == "runtime.tick" || key == "runtime.eval_breaker_granularity") return 1;
  return 0;
}

}  // namespace

namespace {

// The intercept or slope of one series' line (its measurements that `versions`
// takes), or nothing when it is not measured (or a slope has one size).
struct SeriesFit {
  double value = 0;
  int points = 0;
};
std::optional<SeriesFit> fit_series(const std::vector<CalibrationMeasurement>& measurements, const std::string& series,
                                    FitPart part, FitVersions versions, const std::string& newest) {
  std::vector<const CalibrationMeasurement*> points;
  for (const auto& m : measurements)
    if (m.name == series && version_counts(versions, m.python, newest)) points.push_back(&m);
  if (points.empty()) return std::nullopt;
  std::set<double> sizes;
  for (const auto* p : points) sizes.insert(p->x);
  const bool line = sizes.size() > 1;
  if (part == P::Slope && !line) return std::nullopt;  // a slope needs two sizes
  // Weighted least squares: each point's residual over its spread (half
  // its rounds' range, at least 2 % of its value and 1 ns, so that a
  // point whose rounds agree exactly does not take all the weight).
  const Eigen::Index n = Eigen::Index(points.size());
  Eigen::MatrixXd a(n, line ? 2 : 1);
  Eigen::VectorXd y(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    const RoundSpread s = round_spread(points[i]->rounds);
    const double sd = std::max({0.5 * (s.high - s.low), 0.02 * std::abs(s.median), 1.0});
    a(i, 0) = 1 / sd;
    if (line) a(i, 1) = points[i]->x / sd;
    y(i) = s.median / sd;
  }
  const Eigen::VectorXd p = a.colPivHouseholderQr().solve(y);
  return SeriesFit{part == P::Intercept ? p(0) : p(1), int(n)};
}

}  // namespace

std::vector<FittedValue> fit_profile(const std::vector<CalibrationMeasurement>& measurements) {
  std::vector<FittedValue> out;
  const std::string newest = newest_python(measurements);
  for (const FitRow& row : fit_table()) {
    const std::optional<SeriesFit> fit = fit_series(measurements, row.series, row.part, row.versions, newest);
    if (!fit) continue;
    FittedValue f;
    f.row = &row;
    f.value = row.scale * fit->value;
    f.points = fit->points;
    if (row.less)
      if (const auto less = fit_series(measurements, row.less, row.part, row.versions, newest))
        f.value -= less->value;  // its measurements are named in the comment, after "less"
    if (row.less_when_fork_exec_forks && models::fork_exec_forks(newest))
      if (const auto fork = fit_series(measurements, row.less_when_fork_exec_forks, row.part, row.versions, newest))
        f.value -= fork->value;
    const double least = least_value(row);
    if (!(f.value >= least)) {
      f.value = least;
      f.clamped = true;
    }
    out.push_back(f);
  }
  return out;
}

std::optional<ProfileValue> fit_scheduler(const std::vector<MeasuredOs>& oses) {
  std::set<std::string> policies, kernels;
  for (const MeasuredOs& os : oses) {
    if (os.system.empty()) continue;  // a recording from before calibrate.py reported it
    int major = 0, minor = 0;
    if (os.system != "Linux" || std::sscanf(os.kernel.c_str(), "%d.%d", &major, &minor) != 2) return std::nullopt;
    // Linux 6.6 replaced CFS's pick (and its wake-up granularity) with
    // EEVDF: kernel/sched/fair.c, "sched/fair: Implement an EEVDF-like
    // scheduling policy" (147f3efaa241, merged for 6.6).
    policies.insert(std::pair{major, minor} >= std::pair{6, 6} ? "eevdf" : "cfs");
    kernels.insert(os.kernel);
  }
  if (policies.size() != 1) return std::nullopt;
  std::string releases;
  for (const auto& k : kernels) releases += (releases.empty() ? "" : ", ") + k;
  const std::string policy = *policies.begin();
  return ProfileValue{"machine.scheduler", policy,
                      "the OS scheduler of the kernel the measurements ran on (Linux " + releases + "): " +
                          (policy == "eevdf" ? "EEVDF, Linux 6.6 and later" : "CFS, Linux before 6.6")};
}

std::string ns_text(double ns) {
  char buf[48];
  const double a = std::abs(ns);
  if (a >= 1e9) std::snprintf(buf, sizeof buf, "%.3gs", ns / 1e9);
  else if (a >= 1e6) std::snprintf(buf, sizeof buf, "%.3gms", ns / 1e6);
  else if (a >= 1e3) std::snprintf(buf, sizeof buf, "%.3gus", ns / 1e3);
  else std::snprintf(buf, sizeof buf, "%.3gns", ns);
  return buf;
}

namespace {

std::string value_text(const FittedValue& f) {
  if (f.row->unit == U::PerByte) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.3gns", f.value);
    return buf;
  }
  return loader::format_duration(sim::Time(std::llround(f.value)));
}

}  // namespace

std::string measured_text(const std::vector<CalibrationMeasurement>& all, const std::string& series, bool rate,
                          FitVersions versions) {
  std::string out;
  for (const auto& m : all) {
    if (m.name != series || !version_counts(versions, m.python, newest_python(all))) continue;
    const RoundSpread s = round_spread(m.rounds);
    auto text = [&](double v) {
      if (!rate) return ns_text(v);
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.3g/s", v);
      return std::string(buf);
    };
    if (!out.empty()) out += "; ";
    out += m.python;
    if (m.x != 0) {
      char buf[32];
      std::snprintf(buf, sizeof buf, " x=%.0f", m.x);
      out += buf;
    }
    out += ": " + text(s.median) + " (" + text(s.low) + ".." + text(s.high) + ", " +
           std::to_string(m.rounds.size()) + " rounds)";
  }
  return out;
}

namespace {

// A comment over several lines, each "  # " + a piece of at most ~96 columns.
void comment(std::ostringstream& out, const std::string& indent, const std::string& text) {
  std::istringstream words(text);
  std::string word, line;
  while (words >> word) {
    if (!line.empty() && line.size() + 1 + word.size() > 96) {
      out << indent << "# " << line << "\n";
      line.clear();
    }
    line += (line.empty() ? "" : " ") + word;
  }
  if (!line.empty()) out << indent << "# " << line << "\n";
}

std::string yaml_quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::vector<ProfileValue> profile_values(const std::vector<FittedValue>& fitted,
                                         const std::vector<CalibrationMeasurement>& measurements) {
  std::vector<ProfileValue> out;
  for (const auto& f : fitted)
    out.push_back({f.row->key, value_text(f),
                   f.row->how + std::string(f.points > 1 ? "; least squares over " + std::to_string(f.points) +
                                                                " measurements"
                                                          : "") +
                       (f.clamped ? "; the fit was below the least value, clamped" : "") + ": " +
                       measured_text(measurements, f.row->series, false, f.row->versions) +
                       (f.row->less && !measured_text(measurements, f.row->less, false, f.row->versions).empty()
                            ? "; less " + std::string(f.row->less) + ": " +
                                  measured_text(measurements, f.row->less, false, f.row->versions)
                            : "")});
  return out;
}

void set_value(std::vector<ProfileValue>& values, ProfileValue v) {
  for (auto& old : values)
    if (old.key == v.key) {
      old = std::move(v);
      return;
    }
  values.push_back(std::move(v));
}

const ProfileValue* find_value(const std::vector<ProfileValue>& values, const std::string& key) {
  for (const auto& v : values)
    if (v.key == key) return &v;
  return nullptr;
}

std::string write_profile(const ProfileHeader& header, const std::vector<FittedValue>& fitted,
                          const std::vector<CalibrationMeasurement>& measurements) {
  return write_profile(header, profile_values(fitted, measurements), measurements);
}

std::string write_profile(const ProfileHeader& header, const std::vector<ProfileValue>& values,
                          const std::vector<CalibrationMeasurement>& measurements) {
  std::ostringstream out;
  std::set<std::pair<std::pair<int, int>, std::string>> pythons;  // by version: 3.9 before 3.12
  for (const auto& m : measurements) pythons.insert({version_number(m.python), m.python});
  std::string versions;
  for (const auto& p : pythons) versions += (versions.empty() ? "" : ", ") + p.second;
  out << "# Written by `gilsim calibrate` (docs/profiles.md): each value is fitted to the\n"
         "# measurements in its comment (medians, with the range of the rounds).\n"
         "# Python " << versions << ".\n";
  out << "profile: " << yaml_quoted(header.name) << "\n";
  if (!header.description.empty()) out << "description: " << yaml_quoted(header.description) << "\n";
  if (!header.cpu.empty()) out << "cpu: " << yaml_quoted(header.cpu) << "\n";
  for (const char* section : {"machine", "runtime"}) {
    const std::string prefix = std::string(section) + ".";
    std::vector<const ProfileValue*> here;
    for (const auto& v : values)
      if (v.key.rfind(prefix, 0) == 0) here.push_back(&v);
    const bool cores = std::string(section) == "machine" && header.cores > 0;
    if (here.empty() && !cores) continue;
    out << section << ":\n";
    if (cores) out << "  cores: " << header.cores << "                  # the CPUs calibrate's process could use\n";
    // A key of a map in the section ("process_startup.fork") is written
    // under its map's key, with its map's other keys.
    std::vector<std::string> written_maps;
    for (const ProfileValue* v : here) {
      const std::string key = v->key.substr(prefix.size());
      const std::size_t dot = key.find('.');
      if (dot == std::string::npos) {
        comment(out, "  ", v->comment);
        out << "  " << key << ": " << v->text << "\n";
        continue;
      }
      const std::string map = key.substr(0, dot);
      if (std::find(written_maps.begin(), written_maps.end(), map) != written_maps.end()) continue;
      written_maps.push_back(map);
      out << "  " << map << ":\n";
      for (const ProfileValue* w : here)
        if (w->key.rfind(prefix + map + ".", 0) == 0) {
          comment(out, "    ", w->comment);
          out << "    " << w->key.substr(prefix.size() + dot + 1) << ": " << w->text << "\n";
        }
    }
  }
  // Series that no key takes (yet): the values, for the record.
  bool heading = false;
  for (const auto& u : unkeyed_series()) {
    const std::string text =
        measured_text(measurements, u.series, std::string(u.series).rfind("handoffs_per_s", 0) == 0);
    if (text.empty()) continue;
    if (!heading) out << "\n# Measured, no profile key yet:\n";
    heading = true;
    comment(out, "", std::string(u.series) + " (" + u.what + "): " + text);
  }
  return out.str();
}

}  // namespace analysis
