#include <algorithm>
#include <filesystem>
#include <set>
#include <string>

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
  // share a file, and every file's directory exists.
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
          check_directory(p);
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

  static void check_directory(const std::string& path) {
    if (path == "-") return;
    fs::path dir = fs::path(path).parent_path();
    std::error_code ec;
    if (!dir.empty() && !fs::is_directory(dir, ec))
      throw request_error("cannot write " + path + ": no directory " + dir.string());
  }

  const Args& a_;
  bool several_files_ = false;
  int runs_ = 0;
};

// A file with sweep axes: every point of its sweep loaded and validated, as
// `gilsim sweep FILE` would before running (without command-line axes). The
// number of points, or nothing after printing why one does not load.
std::optional<std::size_t> check_sweep(const loader::Scenario& s, const Args& a, const Console& c) {
  analysis::SweepRequest request;
  request.file = s.file;
  request.profile = a.load.profile;
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
      const models::RunResult untraced = models::simulate(*v.plan, v.config.seed);
      const std::string problem = trace_too_large(estimated_trace_bytes(untraced.events, untraced.wall, window),
                                                  limit, "scenario " + s.name + ", variant " + v.name,
                                                  window.has_value());
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

  report::RunOptions options;
  options.variants = a.variants;
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
    report::print_summary(summary, results.back(), style);
    summary.flush();
  }
  if (json) json->write(report::results_json(results));
  if (csv) csv->write(report::results_csv(results));
  bool all_hold = std::all_of(results.begin(), results.end(),
                              [](const report::ScenarioResult& r) { return r.all_hold(); });
  return all_hold ? kExitOk : kExitExpectationFailed;
}

int cmd_claims(const Args& a, const Console& c) {
  auto json = open_results(a.json, c.out);
  auto csv = open_results(a.csv, c.out);
  std::function<void(const std::string&)> progress;
  if (c.err_is_tty && !a.quiet)
    progress = [&](const std::string& path) { c.err << "\r\033[Krunning " << path << std::flush; };
  report::ClaimsRun run = report::run_claims(a.load, progress);
  if (progress) c.err << "\r\033[K" << std::flush;

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
  return report::claims_hold(run.results) ? kExitOk : kExitExpectationFailed;
}

}  // namespace app
