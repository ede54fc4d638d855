#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "analysis/sweep.h"
#include "analysis/sweep_table.h"
#include "app/commands.h"
#include "app/fit_command.h"
#include "app/interrupt.h"
#include "app/progress_bar.h"
#include "app/saturation_command.h"
#include "report/report.h"

namespace app {

namespace {

namespace fs = std::filesystem;

// "4 points x 3 replications x 2 variants".
std::string sweep_size(std::size_t points, const analysis::SweepDefinition& d) {
  auto count = [](std::size_t n, const char* word) {
    return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
  };
  return count(points, "point") + " x " + count(static_cast<std::size_t>(d.replications), "replication") +
         " x " + count(d.variants.size(), "variant");
}

// The results of a sweep, or of a merge: where they go, whole or not at all.
void write_sweep_results(const analysis::SweepDefinition& d,
                         const std::vector<analysis::PointRecord>& records,
                         std::optional<ResultsOutput>& csv, std::optional<ResultsOutput>& json) {
  if (csv) {
    analysis::write_sweep_csv(d, records, [&](std::string_view s) { csv->append(s); });
    csv->commit();
  }
  if (json) {
    analysis::write_sweep_json(d, records, [&](std::string_view s) { json->append(s); });
    json->commit();
  }
}

// --metrics: every pattern must match a metric of the sweep's runs.
void check_metric_patterns(const analysis::MetricFilter& filter, const std::vector<std::string>& names) {
  const std::vector<std::string> unmatched = filter.unmatched(names);
  if (unmatched.empty()) return;
  std::string list;
  for (const auto& u : unmatched) list += (list.empty() ? "" : ", ") + u;
  throw request_error("--metrics: " + list + (unmatched.size() == 1 ? " matches" : " match") +
                      " no metric of the sweep's runs");
}

// A progress line on a terminal, redrawn at most ten times a second (a
// million points would otherwise write a million lines' worth).
class ProgressLine {
 public:
  // `shown` false (--quiet, or not a terminal): nothing is drawn.
  ProgressLine(const Console& c, bool shown)
      : c_(c), shown_on_(shown && c.err_is_tty), start_(std::chrono::steady_clock::now()) {}
  double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  // `done_now` of `done` were done by this process (the estimate's base).
  void show(std::size_t done, std::size_t total, std::size_t done_now, const std::string& unit) {
    if (!shown_on_) return;
    const double now = elapsed();
    if (done < total && now - shown_ < 0.1 && shown_ >= 0) return;
    shown_ = now;
    c_.err << "\r\033[K" << progress_line(done, total, now, done_now, unit) << std::flush;
  }
  void say(const std::string& what) {
    if (shown_on_) c_.err << "\r\033[K" << what << std::flush;
  }
  void clear() {
    if (shown_on_) c_.err << "\r\033[K" << std::flush;
  }

 private:
  const Console& c_;
  bool shown_on_;
  std::chrono::steady_clock::time_point start_;
  double shown_ = -1;
};

// The command that does what a sweep's analysis does, for the merged CSV of
// its shards.
std::string fit_command_line(const loader::SweepFit& fit) {
  return "gilsim fit merged.csv --x " + fit.x + (fit.time ? " --time " : " --throughput ") + fit.y +
         (fit.by == "variant" ? "" : " --by " + fit.by);
}

std::string saturation_command_line(const loader::SaturationRequest& r) {
  std::string line = "gilsim saturation merged.csv --load " + r.load;
  for (const auto& o : r.objectives) line += " --slo " + o.metric + "=" + o.text;
  if (r.metrics != "requests") line += " --metrics " + r.metrics;
  if (r.goodput) line += " --goodput";
  if (r.tolerance != loader::SaturationRequest{}.tolerance) line += " --tolerance " + report::format_value(r.tolerance);
  if (r.by != "variant") line += " --by " + r.by;
  return line;
}

// A whole sweep's `fit` and `saturation` analyses of its results CSV: the
// tables (on standard output, unless the results go there), DIR/fits.json and
// DIR/saturation.json. When present, each file is the analysis of these
// results: a failed one leaves none. A shard holds part of the curve and
// merge does not analyse (the manifest it reads does not carry the
// analyses): for a shard, the commands to run on the merged CSV.
int analyse_sweep(const analysis::PreparedSweep& sweep, const Args& a, const analysis::Shard& shard,
                  const std::string& dir, const std::string& csv, const Console& c) {
  if (!shard.whole()) {
    if (sweep.fit)
      c.err << "gilsim: not fitted (a shard holds part of the points): fit the merged CSV with "
            << fit_command_line(*sweep.fit) << "\n";
    if (sweep.saturation)
      c.err << "gilsim: saturation not analysed (a shard holds part of the points): analyse the merged CSV with "
            << saturation_command_line(sweep.saturation->request) << "\n";
    return kExitOk;
  }
  std::ostream& table = summary_stream(a, c);
  const bool tty = summary_is_tty(a, c);
  std::error_code ec;
  int code = kExitOk;
  if (sweep.fit) {
    const loader::SweepFit& fit = *sweep.fit;
    fs::remove(dir + "/fits.json", ec);
    const FitRequest request{csv, fit.x, fit.y, fit.by,
                             fit.time ? analysis::YKind::Time : analysis::YKind::Throughput, "sweep.fit."};
    if (const std::optional<std::string> fits = fit_csv(request, table, tty, c.err))
      open_results(dir + "/fits.json", c.out)->write(*fits);
    else
      code = kExitBadInput;
  }
  if (sweep.saturation) {
    fs::remove(dir + "/saturation.json", ec);
    loader::SaturationRequest request = sweep.saturation->request;
    request.csv = csv;
    if (sweep.fit) table << "\n";
    if (const std::optional<std::string> json = saturation_csv(request, table, tty, c.err))
      open_results(dir + "/saturation.json", c.out)->write(*json);
    else
      code = kExitBadInput;
  }
  return code;
}

}  // namespace

int cmd_sweep(const Args& a, const Console& c) {
  analysis::SweepRequest request;
  request.file = a.files[0];
  for (std::size_t i = 1; i < a.files.size(); ++i) {
    auto axis = loader::parse_axis_argument(a.files[i]);
    if (!axis.ok()) throw usage_error(axis.problem);
    request.axes.push_back(std::move(axis.value));
  }
  request.replications = a.replications;
  if (a.load.override_seed) request.seed = a.load.seed;
  request.variants = a.variants;
  request.profile = a.load.profile;
  request.max_operations = a.load.max_operations;
  std::error_code ec;
  if (!fs::exists(request.file, ec)) throw request_error(request.file + ": no such file");

  ProgressLine progress(c, !a.quiet);
  const analysis::PreparedSweep sweep = analysis::define_sweep(request);
  const analysis::SweepDefinition& d = sweep.definition;
  const analysis::Shard shard = a.shard.value_or(analysis::Shard{});
  const std::string dir = a.out_dir.empty() ? "sweep-" + d.scenario : a.out_dir;
  // A shard's results hold only its points; named apart, so that shards
  // sharing DIR do not overwrite each other's.
  const std::string results =
      dir + "/results" +
      (shard.whole() ? "" : "-shard-" + std::to_string(shard.index) + "-of-" + std::to_string(shard.count));
  auto csv_copy = open_results(a.csv, c.out);
  auto json_copy = open_results(a.json, c.out);
  // The state directory appears at once; if the points do not validate, it
  // goes again (unless it was there before).
  const analysis::SweepState state = analysis::SweepState::create_or_resume(dir, d);
  const analysis::SweepLock lock(
      dir, shard.whole() ? "" : std::to_string(shard.index) + "-of-" + std::to_string(shard.count));
  const analysis::MetricFilter metrics(a.metrics);
  const unsigned jobs = a.jobs.value_or(std::max(1u, std::thread::hardware_concurrency()));
  try {
    const std::vector<std::string> names = analysis::validate_points(
        sweep, jobs, [&](std::size_t done, std::size_t total) { progress.show(done, total, done, "points checked"); },
        !a.metrics.empty());
    check_metric_patterns(metrics, names);
  } catch (...) {
    progress.clear();
    state.discard_if_new();
    throw;
  }
  auto csv = open_results(results + ".csv", c.out);
  auto json = open_results(results + ".json", c.out);

  std::string resume_command = "gilsim sweep";
  for (const auto& f : a.files) resume_command += " " + f;
  InterruptMessage on_interrupt("\ngilsim: sweep interrupted; the finished points are kept in " + dir +
                                "/points. To resume, run the same command again (" +
                                (a.out_dir.empty() ? "or any with the same sweep" : "with --out " + dir) +
                                ").\n");
  std::size_t found_done = 0;
  // --quiet: no progress and no summary line (warnings and errors stay).
  std::ostream& said = a.quiet ? summary_stream(a, c) : c.err;
  analysis::SweepRunOptions options;
  options.jobs = jobs;
  options.shard = shard;
  options.metrics = metrics;
  options.on_start = [&](std::size_t done, std::size_t total) {
    found_done = done;
    progress.clear();
    if (done > 0)
      said << "gilsim: resuming: " << done << " of " << total << " points already done\n";
  };
  options.on_read = [&](std::size_t done, std::size_t total) { progress.show(done, total, done, "points read"); };
  options.on_point = [&](std::size_t done, std::size_t total) {
    progress.show(done, total, done - found_done, "points");
  };
  const analysis::SweepOutcome outcome = analysis::run_sweep(sweep, state, options);
  progress.say("writing " + results + ".csv and .json");

  write_sweep_results(d, outcome.records, csv, json);
  write_sweep_results(d, outcome.records, csv_copy, json_copy);
  // Replications: each point's means and intervals, as run --replications
  // prints them (a shard's points are summarised once merged).
  if (d.replications > 1 && shard.whole()) {
    auto summary = open_results(dir + "/summary.csv", c.out);
    analysis::write_sweep_summary_csv(d, outcome.records, [&](std::string_view s) { summary->append(s); });
    summary->commit();
  }
  progress.clear();
  for (const auto& u : outcome.unfinished)
    c.err << "gilsim: warning: " << u << " stopped at the scenario's time_limit\n";
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.1f", progress.elapsed());
  said << "sweep: " << sweep_size(outcome.points, d) << (shard.whole() ? "" : " (shard " +
           std::to_string(shard.index) + "/" + std::to_string(shard.count) + ")")
        << ", " << outcome.ran << " run now, in " << seconds << " s " << (c.err_is_tty ? "\u2192" : "->")
        << " " << results << ".csv\n";
  if (shard.whole() && !outcome.records.empty()) {
    // The shape of the results at a glance; the numbers are the CSV's.
    analysis::SweepTableOptions table;
    if (!a.metrics.empty())  // the metrics --metrics kept, in the CSV's order
      for (const analysis::RunRecord& r : outcome.records.front().runs)
        for (std::size_t i = 0; i < r.metrics.size(); ++i)
          if (std::find(table.metrics.begin(), table.metrics.end(), r.metrics.name(i)) == table.metrics.end())
            table.metrics.push_back(r.metrics.name(i));
    table.rest_in = results + ".csv";
    analysis::print_sweep_table(summary_stream(a, c), d, outcome.records, table,
                                report::Style{summary_is_tty(a, c)});
  }
  return analyse_sweep(sweep, a, shard, dir, results + ".csv", c);
}

int cmd_merge(const Args& a, const Console& c) {
  auto csv = open_results(a.csv, c.out);
  auto json = open_results(a.json, c.out);
  const analysis::MetricFilter metrics(a.metrics);
  const analysis::Merged merged = analysis::merge_sweeps(a.files, metrics);
  if (!a.metrics.empty()) check_metric_patterns(metrics, merged.names);
  write_sweep_results(merged.definition, merged.records, csv, json);
  // On standard error, as sweep's summary: standard output may be the results.
  c.err << "merge: " << sweep_size(merged.records.size(), merged.definition) << " from "
        << a.files.size() << " director" << (a.files.size() == 1 ? "y" : "ies") << "\n";
  return kExitOk;
}

}  // namespace app
