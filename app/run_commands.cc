#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "app/commands.h"
#include "app/interrupt.h"
#include "app/progress_bar.h"
#include "app/trace_size.h"
#include "loader/input_error.h"
#include "report/claims.h"
#include "report/report.h"
#include "report/runner.h"

namespace app {

namespace {

namespace fs = std::filesystem;

// Where each run's trace and picture go (see --help, "Output files").
class TracePaths {
 public:
  TracePaths(const Args& a, const std::vector<loader::Scenario>& scenarios) : a_(a) {
    several_files_ = scenarios.size() > 1;
    for (const auto& s : scenarios)
      for (const auto& v : s.variants)
        if (selected_variant(v.name)) ++runs_;
  }

  std::string chrome(const loader::Scenario& s, const std::string& variant) const {
    return for_run(a_.trace, s, variant);
  }
  std::string svg(const loader::Scenario& s, const std::string& variant) const {
    return for_run(a_.svg, s, variant);
  }

  // Checked before anything runs: standard output takes one run, no two runs
  // share a file, and every file can be written (sim::output_target: its
  // folder exists and takes files, it is not a directory).
  void check(const std::vector<loader::Scenario>& scenarios) const {
    for (const auto* path : {&a_.trace, &a_.svg}) {
      if (path->empty()) continue;
      const char* option = path == &a_.trace ? "--trace" : "--svg";
      if (*path == "-" && runs_ > 1)
        throw request_error(std::string(option) +
                            " - (standard output) takes exactly one run; choose one with --variant");
      std::set<std::string> seen;
      for (const auto& s : scenarios)
        for (const auto& v : s.variants) {
          if (!selected_variant(v.name)) continue;
          std::string p = for_run(*path, s, v.name);
          if (!seen.insert(p).second)
            throw request_error(std::string(option) + ": two runs would write " + p +
                                " (two scenarios with the same name?)");
          sim::output_target(p);
        }
    }
  }

 private:
  bool selected_variant(const std::string& v) const {
    return a_.variants.empty() ||
           std::find(a_.variants.begin(), a_.variants.end(), v) != a_.variants.end();
  }

  std::string for_run(const std::string& path, const loader::Scenario& s, const std::string& variant) const {
    if (path.empty() || runs_ == 1) return path;
    return insert_before_extension(path, several_files_ ? s.name + "." + variant : variant);
  }

  const Args& a_;
  bool several_files_ = false;
  int runs_ = 0;
};

// What a long run shows, and how Ctrl-C stops it: the models::RunWatch of
// every run of `gilsim run`. Each look (every 2^16 events) checks for a
// signal; on a terminal, a run past its first second gets a progress line
// on standard error, redrawn at most five times a second and wiped when the
// run ends.
class RunMonitor {
 public:
  explicit RunMonitor(const Console& c) : c_(c) {
    watch_.look = [this](sim::Time now, std::uint64_t events) { look(now, events); };
  }
  ~RunMonitor() { wipe(); }
  RunMonitor(const RunMonitor&) = delete;
  RunMonitor& operator=(const RunMonitor&) = delete;

  const models::RunWatch* watch() const { return &watch_; }

  void start(const loader::Scenario& s, const loader::Variant& v) {
    wipe();
    what_ = s.name + " " + v.name;
    end_ = known_end(v.config);
    started_ = Clock::now();
    drawn_at_ = 0;
  }

  // Clears the line, if drawn: before the summary goes to the same terminal.
  void wipe() {
    if (drawn_) c_.err << "\r\033[K" << std::flush;
    drawn_ = false;
  }

 private:
  using Clock = std::chrono::steady_clock;

  // Where the run will end, in simulated seconds, if that is known: a
  // time_limit the scenario set, or the end of its requests' arrivals.
  static double known_end(const models::SimulationConfig& config) {
    sim::Time end = 0;
    if (config.time_limit != models::SimulationConfig{}.time_limit) end = config.time_limit;
    for (const auto& r : config.requests) end = std::max(end, std::min(r.duration, config.time_limit));
    return sim::to_seconds(end);
  }

  void look(sim::Time now, std::uint64_t events) {
    throw_if_stopped();
    if (!c_.err_is_tty) return;
    const double elapsed = std::chrono::duration<double>(Clock::now() - started_).count();
    if (elapsed < 1.0 || elapsed - drawn_at_ < 0.2) return;
    drawn_at_ = elapsed;
    drawn_ = true;
    c_.err << "\r\033[K"
           << run_progress_line(what_, sim::to_seconds(now), end_, static_cast<double>(events), elapsed)
           << std::flush;
  }

  const Console& c_;
  models::RunWatch watch_;
  std::string what_;
  double end_ = 0;
  Clock::time_point started_ = Clock::now();
  double drawn_at_ = 0;
  bool drawn_ = false;
};

// A file with sweep axes: every point of its sweep loaded and validated, as
// `gilsim sweep FILE` would before running (without command-line axes). The
// number of points, or nothing after printing why one does not load.
std::optional<std::size_t> check_sweep(const loader::Scenario& s, const Args& a, const Console& c) {
  analysis::SweepRequest request;
  request.file = s.file;
  request.profile = a.load.profile;
  request.max_operations = a.load.max_operations;
  if (a.load.override_seed) request.seed = a.load.seed;
  try {
    return analysis::prepare_sweep(request).definition.points();
  } catch (const loader::InputError& e) {
    print_input_error(c.err, e.what());
  } catch (const analysis::SweepError& e) {
    c.err << "gilsim: " << s.file << ": " << e.what() << "\n";
  }
  return std::nullopt;
}

// The Chrome traces' sizes, estimated from untraced runs before any run is
// traced (trace_size.h): one above the limit stops the command before it
// writes anything.
void check_trace_sizes(const std::vector<loader::Scenario>& scenarios, const Args& a,
                       const std::optional<report::TraceWindow>& window) {
  const double limit = a.trace_limit_gb.value_or(kDefaultTraceLimitGb);
  for (const auto& s : scenarios)
    for (const auto& v : s.variants) {
      if (!a.variants.empty() && std::find(a.variants.begin(), a.variants.end(), v.name) == a.variants.end())
        continue;
      const std::string what = "scenario " + s.name + ", variant " + v.name;
      // The untraced run stops as soon as its events alone put the whole
      // trace over the limit (a window's share is known only at the end), and
      // at Ctrl-C: a long run is not simulated twice to be refused.
      struct OverLimit {
        std::uint64_t events;
        sim::Time now;
      };
      models::RunWatch watch;
      watch.look = [&](sim::Time now, std::uint64_t events) {
        throw_if_stopped();
        if (!window && !trace_too_large(estimated_trace_bytes(events, now, window), limit, what, false).empty())
          throw OverLimit{events, now};
      };
      std::string problem;
      try {
        const models::RunResult untraced = models::simulate(*v.plan, v.config.seed, nullptr, &watch);
        problem = trace_too_large(estimated_trace_bytes(untraced.events, untraced.wall, window), limit, what,
                                  window.has_value());
      } catch (const OverLimit& over) {
        problem = trace_too_large(estimated_trace_bytes(over.events, over.now, window), limit, what, false) +
                  " (that much in the first " + loader::format_duration(over.now) + " of the run alone: the whole run would write more)";
      }
      if (!problem.empty()) throw request_error(problem);
    }
}

}  // namespace

int cmd_check(const Args& a, const Console& c) {
  Loaded loaded = load_files(a.files, a.load, c.err);
  // A name may belong to a file that did not load: judge names only when all did.
  if (loaded.all_ok) check_variants(a.variants, loaded.scenarios);
  std::ostream& out = summary_stream(a, c);
  report::Style style{summary_is_tty(a, c)};
  bool all_ok = loaded.all_ok;
  for (const auto& s : loaded.scenarios) {
    std::optional<std::size_t> points;
    if (!s.sweep.axes.empty()) {
      points = check_sweep(s, a, c);
      if (!points) {
        all_ok = false;
        continue;
      }
    }
    std::string variants;
    for (const auto& v : s.variants) variants += (variants.empty() ? "" : ", ") + v.name;
    out << s.file << ": " << style.green("ok") << " " << style.dash() << " scenario " << s.name
          << "; variants: " << variants << "; " << s.expect.size() << " expectation"
          << (s.expect.size() == 1 ? "" : "s");
    if (!s.figures.empty()) out << ", " << s.figures.size() << " figure" << (s.figures.size() == 1 ? "" : "s");
    if (points) out << "; sweep: " << *points << " point" << (*points == 1 ? "" : "s") << ", each valid";
    out << "\n";
  }
  return all_ok ? kExitOk : kExitBadInput;
}

int cmd_run(const Args& a, const Console& c) {
  // From the start: a signal at any point leaves no temporary behind.
  StopOnSignal stop_on_signal;
  Loaded loaded = load_files(a.files, a.load, c.err);
  if (!loaded.all_ok) return kExitBadInput;
  check_variants(a.variants, loaded.scenarios);
  TracePaths traces(a, loaded.scenarios);
  traces.check(loaded.scenarios);
  auto json = open_results(a.json, c.out);
  auto csv = open_results(a.csv, c.out);

  std::optional<report::TraceWindow> window;
  if (!a.trace_window.empty()) {
    const auto w = parse_trace_window(a.trace_window);
    if (!w.ok()) throw usage_error(w.problem);
    window = w.value;
  }

  if (!a.trace.empty()) check_trace_sizes(loaded.scenarios, a, window);

  RunMonitor monitor(c);
  report::RunOptions options;
  options.variants = a.variants;
  options.watch = monitor.watch();
  options.on_variant_start = [&](const loader::Scenario& s, const loader::Variant& v) {
    throw_if_stopped();
    monitor.start(s, v);
  };
  if (!a.trace.empty() || !a.svg.empty()) {
    options.trace = [&](const loader::Scenario& s, const loader::Variant& v) {
      const std::string what = "scenario " + s.name + ", variant " + v.name;
      try {
        const sim::Time svg_from = a.svg_window ? a.svg_window->from : 0;
        const sim::Time svg_to = a.svg_window ? a.svg_window->to : std::numeric_limits<sim::Time>::max();
        return report::make_trace_sink(traces.chrome(s, v.name), traces.svg(s, v.name), what, svg_from, svg_to,
                                       window);
      } catch (const std::runtime_error& e) {
        throw request_error(std::string("cannot write the trace: ") + e.what());
      }
    };
  }

  options.replications = a.replications.value_or(1);
  std::ostream& summary = summary_stream(a, c);
  report::Style style{summary_is_tty(a, c)};
  std::vector<report::ScenarioResult> results;
  for (const auto& s : loaded.scenarios) {
    results.push_back(report::run_scenario(s, options));
    monitor.wipe();
    throw_if_stopped();
    report::print_summary(summary, results.back(), style);
    // A full stdout shows here, with its reason (errno is gone by the exit).
    if (!summary.flush())
      throw sim::OutputError(std::string("cannot write ") + (results_to_stdout(a) ? "standard error" : "standard output") +
                             ": " + std::strerror(errno));
  }
  throw_if_stopped();  // a signal during the last run: nothing is written
  if (json) json->write(report::results_json(results));
  if (csv) csv->write(report::results_csv(results));
  bool all_hold = std::all_of(results.begin(), results.end(),
                              [](const report::ScenarioResult& r) { return r.all_hold(); });
  return all_hold ? kExitOk : kExitExpectationFailed;
}

int cmd_claims(const Args& a, const Console& c) {
  // Ctrl-C stops the suite between two scenarios (each takes well under a
  // second): the results' temporaries are removed, nothing is written.
  StopOnSignal stop_on_signal;
  auto json = open_results(a.json, c.out);
  auto csv = open_results(a.csv, c.out);
  std::function<void(const std::string&)> progress = [&](const std::string& path) {
    throw_if_stopped();
    if (c.err_is_tty && !a.quiet) c.err << "\r\033[Krunning " << path << std::flush;
  };
  // On every core: the suite's scenarios are independent runs.
  report::ClaimsRun run =
      report::run_claims(a.load, progress, std::max(1u, std::thread::hardware_concurrency()));
  if (c.err_is_tty) c.err << "\r\033[K" << std::flush;
  throw_if_stopped();

  std::ostream& summary = summary_stream(a, c);
  report::Style style{summary_is_tty(a, c)};
  report::print_claims_table(summary, run.results, style);
  if (!run.load_errors.empty()) {
    // The suite is compiled into the binary: a scenario of it that does not
    // load is a broken build, not the user's input.
    for (const auto& e : run.load_errors) {
      c.err << "gilsim: internal error: a scenario of the claims suite does not load:\n";
      print_input_error(c.err, e);
    }
    return kExitInternalError;
  }
  if (json) json->write(report::results_json_array(run.results));
  if (csv) csv->write(report::results_csv(run.results));
  const bool hold = report::claims_hold(run.results);
  // The claims' thresholds are written in each run's own costs
  // (VARIANT.machine.KEY ...), but some lines state what the reference
  // machine's costs give (a waiter that loses every retry, three OS wake-ups
  // per GIL hand-off): on another machine such a line can fail
  // because the machine differs, not because the claim does.
  if (!hold && a.load.profile)
    c.err << "gilsim: note: under --profile (" << a.load.profile->name
          << ") some of the claims' expect lines state what the reference machine's costs give, so a "
             "claim that does not hold may mean this machine differs; read the figures (docs/profiles.md)\n";
  return hold ? kExitOk : kExitExpectationFailed;
}

}  // namespace app
