#include "analysis/validation.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>
#include <stdexcept>

#include "analysis/sweep_axes.h"
#include "loader/yaml_source.h"
#include "report/runner.h"
#include "sim/parallel.h"
#include "sim/json.h"

namespace analysis {

namespace {

using Kind = Tolerance::Kind;

constexpr Tolerance kWithin25{Kind::Relative, 0.25};
constexpr Tolerance kWithin50{Kind::Relative, 0.5};
constexpr Tolerance kFactor2{Kind::Factor, 2.0};
constexpr Tolerance kFactor3{Kind::Factor, 3.0};
// A lost fraction is noisy and often near 0: within 3x, or 2 points.
constexpr Tolerance kLostFraction{Kind::Factor, 3.0, 0.02};

ValidationCase countdown(int threads, bool pinned) {
  const std::string n = std::to_string(threads);
  const std::string share = "{seq_ns/" + n + "}ns";
  return {"countdown-" + n + (pinned ? "-pinned" : "-all"),
          "count-down, " + n + " threads, " + (pinned ? "pinned to 1 CPU" : "all CPUs"),
          "countdown",
          {"--threads", n, "--pin", pinned ? "1" : "0", "--total", "3000000"},
          Interpreters::All,
          {{"threads.0.count", n},
           {"threads.0.run.0.cpu", share},
           {"variants.sequential.threads.0.run.0.repeat", n},
           {"variants.sequential.threads.0.run.0.run.0.cpu", share}},
          {{"threads / sequential", "ratio", "ratio", kWithin25},
           {"CPU / wall", "cpu_wall", "cpu/wall", kWithin25}}};
}

ValidationCase echo(int cpu_threads, const std::string& interval_ms, bool with_alone_row) {
  const std::string k = std::to_string(cpu_threads);
  ValidationCase c{"echo-" + k + "cpu-" + interval_ms + "ms",
                   "echo beside " + k + " CPU thread" + (cpu_threads > 1 ? "s" : "") + ", " + interval_ms + " ms",
                   "echo",
                   {"--cpu", k, "--interval-ms", interval_ms, "--seconds", "0.5"},
                   Interpreters::NewGil,
                   // sendall's own time, as echo.py measured it alone: whether the
                   // server gets the GIL back after it or a woken CPU thread takes it
                   // first (and the server waits another interval) turns on it. A
                   // recording from before send_ns: the twin's first guess, 3 us.
                   {{"runtime.switch_interval", interval_ms + "ms"},
                    {"threads.1.count", k},
                    {"requests.0.run.1.native", "{send_ns|3000}ns"}},
                   {{"throughput beside / alone", "ratio", "throughput beside over alone", kFactor3}}};
  if (with_alone_row)
    c.rows.insert(c.rows.begin(), {"requests/s alone", "alone_per_s", "requests per second alone", kFactor2});
  return c;
}

ValidationCase native(const std::string& kind, const std::string& mb) {
  return {"native-" + kind,
          kind + ", 2 threads",
          "native",
          {"--kind", kind, "--threads", "2", "--mb", mb},
          Interpreters::All,
          // The program's probe splits a call into its part with the GIL and
          // its part without: one of them is the whole call, the other 0 (1 ns).
          // A recording from before the probe reads as that program meant
          // it: the whole call without the GIL.
          {{"threads.0.run.0.native.time", "{gil_held_ns|0}ns"},
           {"threads.0.run.1.native", "{gil_free_ns|call_ns}ns"},
           {"variants.sequential.threads.0.run.0.run.0.native.time", "{gil_held_ns|0}ns"},
           {"variants.sequential.threads.0.run.0.run.1.native", "{gil_free_ns|call_ns}ns"}},
          {{"speed-up", "speedup", "speed-up", kWithin25}}};
}

ValidationCase lost(const std::string& kind, const std::string& n) {
  const bool call = kind == "call";
  return {"lost-" + kind,
          call ? "lost updates, x = x + f()" : "lost updates, x += 1",
          "lost",
          {"--kind", kind, "--n", n},
          Interpreters::All,
          // Half an iteration for the increment's read and write, half for
          // the loop (and f): what the program measured alone.
          {{"runtime.increment_time", "{iter_ns/2}ns"},
           {"threads.0.run.0.repeat", "{n}"},
           {"threads.0.run.0.run.1.cpu", "{iter_ns/2}ns"},
           {"variants.call.threads.0.run.0.run.0.run.0.cpu", "{iter_ns/2}ns"}},
          {{"fraction lost", "lost_fraction", call ? "lost, x = x + f()" : "lost, x += 1", kLostFraction}}};
}

ValidationCase pool(const std::string& method, int workers) {
  const std::string w = std::to_string(workers);
  return {"pool-" + method + "-" + w,
          "Pool(" + w + ") " + method + ", workers ready",
          "pool_start",
          {"--method", method, "--workers", w},
          method == "fork" ? Interpreters::All : Interpreters::Contexts,
          {{"pools.0.workers", w}, {"pools.0.start_method", method}, {"threads.0.run.0.tasks", w}},
          {{"ms", "ready_ms", "all workers ready (ms)", kWithin50}}};
}

// One Process started and joined: the parent's share of start() (its
// thread's CPU time, 3.7+) and the whole start + join.
ValidationCase process(const std::string& method) {
  return {"process-" + method,
          "Process " + method + ", start + join",
          "process_start",
          {"--method", method},
          Interpreters::Contexts,
          {{"processes.0.start_method", method}},
          {{"ms", "total_ms", "start and join (ms)", kWithin50},
           {"the parent's start(), CPU ms", "start_cpu_ms", "the parent's start() (CPU ms)", kWithin50}}};
}

// Short switch intervals: the timer slack decides whether the waiters' timed
// waits end on time (slack_ns 1: prctl(PR_SET_TIMERSLACK, 1), a machine
// without slack) or ~50 us late (0: Linux's default kept).
ValidationCase smallint(int threads, int interval_us, bool no_slack) {
  const std::string n = std::to_string(threads), us = std::to_string(interval_us);
  return {"smallint-" + n + "-" + us + "us" + (no_slack ? "-noslack" : ""),
          n + " CPU threads at " + us + " us, " + (no_slack ? "timer slack 1 ns" : "default timer slack"),
          "smallint",
          {"--threads", n, "--interval-us", us, "--slack-ns", no_slack ? "1" : "0", "--total", "2000000"},
          Interpreters::NewGil,
          {{"runtime.switch_interval", us + "us"},
           {"machine.timer_slack", "{slack_ns|50000}ns"},
           {"threads.0.count", n},
           {"threads.0.run.0.cpu", "{one_ns/" + n + "}ns"},
           {"variants.one.threads.0.run.0.cpu", "{one_ns}ns"}},
          {{"threads / one", "ratio", "ratio", kFactor2},
           {"GIL hand-offs/s", "handoffs_per_s", "hand-offs per second", kFactor2}}};
}

}  // namespace

bool Tolerance::agrees(double measured, double predicted) const {
  if (std::abs(predicted - measured) <= absolute) return true;
  if (kind == Kind::Relative) return measured != 0 && std::abs(predicted / measured - 1) <= value;
  if (measured <= 0 || predicted <= 0) return false;
  return std::max(predicted / measured, measured / predicted) <= value;
}

std::string Tolerance::describe() const {
  char buf[64];
  if (kind == Kind::Relative)
    std::snprintf(buf, sizeof buf, "±%g %%", value * 100);
  else
    std::snprintf(buf, sizeof buf, "%gx", value);
  std::string out = buf;
  if (absolute > 0) {
    std::snprintf(buf, sizeof buf, " or ±%g", absolute);
    out += buf;
  }
  return out;
}

const std::vector<ValidationCase>& validation_suite() {
  static const std::vector<ValidationCase> suite = [] {
    std::vector<ValidationCase> s;
    for (int threads : {2, 4})
      for (bool pinned : {false, true}) s.push_back(countdown(threads, pinned));
    s.push_back({"handoffs",
                 "2 CPU threads",
                 "handoffs",
                 {"--seconds", "0.5"},
                 Interpreters::All,
                 {{"threads.0.run.0.cpu", "{wall_ns/2}ns"}},
                 {{"GIL hand-offs/s", "handoffs_per_s", "hand-offs per second", kFactor2}}});
    for (const char* interval : {"0.5", "5", "50"})
      for (int cpu : {1, 2}) s.push_back(echo(cpu, interval, cpu == 1 && std::string(interval) == "5"));
    s.push_back({"overlap-threads",
                 "4 threads sleeping",
                 "overlap",
                 {"--threads", "4", "--sleep-ms", "20"},
                 Interpreters::All,
                 {},
                 {{"wall / serial", "threads_ratio", "threads, wall over serial", kWithin25}}});
    s.push_back({"overlap-asyncio",
                 "4 asyncio tasks sleeping",
                 "overlap",
                 {"--threads", "4", "--sleep-ms", "20"},
                 Interpreters::NewGil,
                 {},
                 {{"wall / serial", "asyncio_ratio", "asyncio, wall over serial", kWithin25}}});
    // Calls of ~40 ms or more: at 8 MiB (5 ms a call) the threads' start
    // decided the speed-up on this VM (a new thread sometimes started 3-5 ms
    // late, or shared its creator's vCPU for the whole call: 0.7-1.8 over
    // six runs), not whether the calls overlap.
    s.push_back(native("sha256", "64"));
    s.push_back(native("zlib", "16"));
    s.push_back(lost("plus", "1000000"));
    s.push_back(lost("call", "300000"));
    for (const char* method : {"fork", "spawn"})
      for (int w : {1, 2, 4}) s.push_back(pool(method, w));
    for (const char* method : {"fork", "spawn"}) s.push_back(process(method));
    for (bool no_slack : {true, false})
      for (int interval_us : {1, 10})
        for (int threads : {2, 8}) s.push_back(smallint(threads, interval_us, no_slack));
    return s;
  }();
  return suite;
}

bool applies(const ValidationCase& c, const std::string& python) {
  int major = 0, minor = 0;
  if (std::sscanf(python.c_str(), "%d.%d", &major, &minor) != 2) return false;
  switch (c.interpreters) {
    case Interpreters::All: return true;
    case Interpreters::NewGil: return major > 3 || (major == 3 && minor >= 2);
    case Interpreters::Contexts: return major > 3 || (major == 3 && minor >= 4);
  }
  return false;
}

ProgramOutput parse_program_output(const std::string& json_line) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json_line).get(root) != simdjson::SUCCESS || !root.is_object())
    throw std::runtime_error("not a JSON object: '" + json_line.substr(0, 200) + "'");
  ProgramOutput out;
  for (auto field : root.get_object()) {
    const std::string key(field.key);
    double number = 0;
    std::string_view text;
    if (field.value.is_number() && field.value.get_double().get(number) == simdjson::SUCCESS) {
      out.values[key] = number;
    } else if (key == "python" && field.value.get_string().get(text) == simdjson::SUCCESS) {
      out.python = std::string(text);
    }
  }
  if (out.python.empty()) throw std::runtime_error("no \"python\" in '" + json_line.substr(0, 200) + "'");
  return out;
}

namespace {

Spread spread_of_values(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  Spread out;
  out.median = n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  out.low = v.front();
  out.high = v.back();
  out.n = int(n);
  return out;
}

}  // namespace

std::optional<Spread> spread_of(const Samples& s, const std::string& key) {
  std::vector<double> v;
  for (const auto& run : s.runs)
    if (auto it = run.values.find(key); it != run.values.end()) v.push_back(it->second);
  if (v.empty()) return std::nullopt;
  return spread_of_values(std::move(v));
}

namespace {

std::string format_value(double v) {
  char buf[64];
  if (std::abs(v - std::round(v)) < 1e-9 * std::max(1.0, std::abs(v)) || std::abs(v) >= 1e6)
    std::snprintf(buf, sizeof buf, "%.0f", std::round(v));
  else
    std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// "{KEY}" or "{KEY/N}" in `text`, filled from the medians.
std::string fill(const std::string& text, const Samples& s) {
  std::string out;
  for (std::size_t at = 0; at < text.size();) {
    const auto open = text.find('{', at);
    if (open == std::string::npos) {
      out += text.substr(at);
      break;
    }
    const auto close = text.find('}', open);
    if (close == std::string::npos) throw std::logic_error("unclosed '{' in twin setting '" + text + "'");
    out += text.substr(at, open - at);
    std::string key = text.substr(open + 1, close - open - 1);
    double divisor = 1;
    if (const auto slash = key.find('/'); slash != std::string::npos) {
      divisor = std::stod(key.substr(slash + 1));
      key = key.substr(0, slash);
    }
    // {KEY|OTHER}: OTHER's value when no run printed KEY (a recording made
    // before the program printed it); OTHER is a key or a number.
    std::string fallback;
    if (const auto bar = key.find('|'); bar != std::string::npos) {
      fallback = key.substr(bar + 1);
      key = key.substr(0, bar);
    }
    if (key == "python") {
      out += s.python;
    } else {
      auto spread = spread_of(s, key);
      if (!spread && !fallback.empty()) {
        spread = spread_of(s, fallback);
        if (!spread && fallback.find_first_not_of("0123456789.") == std::string::npos)
          spread = Spread{std::stod(fallback), std::stod(fallback), std::stod(fallback), 1};
      }
      if (!spread) throw std::runtime_error("the program printed no '" + key + "', which its twin needs");
      const double v = spread->median / divisor;
      // Durations are whole nanoseconds; a zero duration would mean nothing to run.
      out += format_value(text.compare(close + 1, 2, "ns") == 0 ? std::max(1.0, std::round(v)) : v);
    }
    at = close + 1;
  }
  return out;
}

}  // namespace

std::vector<TwinSetting> twin_settings(const ValidationCase& c, const Samples& s) {
  // Every twin runs the interpreter's version on the CPUs the program had.
  std::vector<TwinSetting> out = {{"runtime.python", "\"" + s.python + "\""}, {"machine.cores", "{cpus}"}};
  out.insert(out.end(), c.twin.begin(), c.twin.end());
  for (auto& setting : out) setting.value = fill(setting.value, s);
  return out;
}

TwinFigures predict(const std::string& file, const std::string& text, const std::vector<TwinSetting>& settings,
                    const loader::LoadOptions& load, int seeds, unsigned jobs) {
  const loader::YamlSource src(file, text);
  YAML::Node root = src.parse();
  for (const auto& setting : settings) {
    loader::SweepAxis axis;
    axis.path = setting.path;
    axis.from_command_line = true;
    apply_axis(src, root, axis, YAML::Load(setting.value));
  }
  // Loaded one after another (the loader merges the profile's YAML nodes,
  // which the runs share, into each), run side by side; the loader's seed
  // reaches every variant.
  std::vector<loader::Scenario> twins;
  for (int i = 0; i < std::max(seeds, 1); ++i) {
    loader::LoadOptions l = load;
    l.override_seed = true;
    l.seed = (load.override_seed ? load.seed : 1) + std::uint64_t(i);
    twins.push_back(loader::load_scenario_tree(src, YAML::Clone(root), l));
  }
  std::vector<std::map<std::string, double>> runs(twins.size());
  sim::parallel_for(jobs, runs.size(), [&](unsigned, std::size_t i) {
    for (const auto& f : report::run_scenario(twins[i]).figures)
      if (f.value) runs[i][f.label] = *f.value;
  });
  std::map<std::string, std::vector<double>> values;
  for (const auto& run : runs)
    for (const auto& [label, v] : run) values[label].push_back(v);
  TwinFigures out;
  for (auto& [label, v] : values) out[label] = spread_of_values(std::move(v));
  return out;
}

std::map<std::string, double> medians(const TwinFigures& figures) {
  std::map<std::string, double> out;
  for (const auto& [label, s] : figures) out[label] = s.median;
  return out;
}

std::vector<RowResult> compare(const ValidationCase& c, const Samples& s, const TwinFigures& figures) {
  std::vector<RowResult> out;
  for (const auto& row : c.rows) {
    RowResult r;
    r.case_id = c.id;
    r.label = c.label + ": " + row.label;
    r.python = s.python;
    r.tolerance = row.tolerance;
    if (auto m = spread_of(s, row.measured)) r.measured = *m;
    if (auto it = figures.find(row.figure); it != figures.end()) r.predicted = it->second;
    r.within = r.measured.n > 0 && r.predicted && row.tolerance.agrees(r.measured.median, r.predicted->median);
    out.push_back(r);
  }
  return out;
}

namespace {

std::string number(double v) {
  char buf[32];
  const double a = std::abs(v);
  if (a != 0 && (a < 0.01 || a >= 1e5))
    std::snprintf(buf, sizeof buf, "%.3g", v);
  else
    std::snprintf(buf, sizeof buf, a >= 100 ? "%.0f" : a >= 10 ? "%.1f" : "%.3f", v);
  return buf;
}

}  // namespace

std::string format_rows(const std::vector<RowResult>& rows) {
  std::vector<std::vector<std::string>> cells = {
      {"python", "what", "measured (min..max, n)", "predicted (min..max, seeds)", "tolerance", "verdict"}};
  int within = 0;
  for (const auto& r : rows) {
    within += r.within;
    cells.push_back({r.python, r.label,
                     r.measured.n ? number(r.measured.median) + " (" + number(r.measured.low) + ".." +
                                        number(r.measured.high) + ", " + std::to_string(r.measured.n) + ")"
                                  : "-",
                     !r.predicted          ? "-"
                     : r.predicted->n == 1 ? number(r.predicted->median)
                                           : number(r.predicted->median) + " (" + number(r.predicted->low) + ".." +
                                                 number(r.predicted->high) + ", " +
                                                 std::to_string(r.predicted->n) + ")",
                     r.tolerance.describe(),
                     r.within ? "within" : r.measured.n && r.predicted ? "MISS" : "no data"});
  }
  std::vector<std::size_t> width(cells[0].size(), 0);
  for (const auto& line : cells)
    for (std::size_t i = 0; i < line.size(); ++i) width[i] = std::max(width[i], line[i].size());
  std::ostringstream out;
  for (const auto& line : cells) {
    out << " ";
    for (std::size_t i = 0; i < line.size(); ++i)
      out << " " << line[i] << (i + 1 < line.size() ? std::string(width[i] - line[i].size() + 1, ' ') : "");
    out << "\n";
  }
  out << "\n  " << within << " of " << rows.size() << " rows within their tolerance\n";
  return out.str();
}

std::string rows_json(const std::vector<RowResult>& rows, const std::string& profile, const std::string& notes) {
  std::ostringstream out;
  out << "{\n  \"profile\": " << sim::json_string(profile) << ",\n  \"notes\": " << sim::json_string(notes)
      << ",\n  \"rows\": [";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    out << (i ? "," : "") << "\n    {\"case\": " << sim::json_string(r.case_id) << ", \"what\": "
        << sim::json_string(r.label) << ", \"python\": " << sim::json_string(r.python);
    if (r.measured.n)
      out << ", \"measured\": {\"median\": " << format_value(r.measured.median)
          << ", \"min\": " << format_value(r.measured.low) << ", \"max\": " << format_value(r.measured.high)
          << ", \"n\": " << r.measured.n << "}";
    // "predicted" stays the number it always was (the median over the seeds).
    if (r.predicted)
      out << ", \"predicted\": " << format_value(r.predicted->median) << ", \"predicted_spread\": {\"min\": "
          << format_value(r.predicted->low) << ", \"max\": " << format_value(r.predicted->high)
          << ", \"seeds\": " << r.predicted->n << "}";
    out << ", \"tolerance\": " << sim::json_string(r.tolerance.describe())
        << ", \"within\": " << (r.within ? "true" : "false") << "}";
  }
  out << "\n  ]\n}\n";
  return out.str();
}

}  // namespace analysis
