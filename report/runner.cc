#include "report/runner.h"

#include "models/config.h"

#include <algorithm>
#include <stdexcept>

#include "sim/chrome_trace.h"
#include "sim/svg_timeline.h"

namespace report {

namespace {

const VariantRun* find_run(const std::vector<VariantRun>& runs, const std::string& name) {
  for (const auto& r : runs)
    if (r.name == name) return &r;
  return nullptr;
}

// The first variant an expression reads that did not run, or empty.
std::string missing_variant(const loader::Expr& expr, const std::vector<VariantRun>& runs) {
  for (const auto& path : expr.paths()) {
    auto variant = split_path(path).first;
    if (!find_run(runs, variant)) return variant;
  }
  return {};
}

// The value of "VARIANT.METRIC" in the runs. The loader checked every path
// against the metric names of its variant, so a missing one is a model that
// did not report what metric_names() promised: a bug, not bad input.
double lookup(const std::vector<VariantRun>& runs, const std::string& path) {
  auto [variant, metric] = split_path(path);
  const VariantRun* run = find_run(runs, variant);
  if (!run) throw std::logic_error("expression reads variant '" + variant + "' that did not run");
  auto it = run->result.metrics.find(metric);
  if (it == run->result.metrics.end())
    throw std::logic_error("the run of variant '" + variant + "' did not report metric '" +
                           metric + "'");
  return it->second;
}

// The value of every path an expression reads, in order of first appearance:
// what a failed expectation is reported with.
std::vector<std::pair<std::string, double>> values_read(const loader::Expr& expr,
                                                         const std::vector<VariantRun>& runs) {
  std::vector<std::pair<std::string, double>> values;
  for (const auto& path : expr.paths()) {
    bool known = std::any_of(values.begin(), values.end(),
                             [&](const auto& p) { return p.first == path; });
    if (!known) values.emplace_back(path, lookup(runs, path));
  }
  return values;
}

double evaluate(const loader::Expr& expr, const std::vector<VariantRun>& runs) {
  return expr.evaluate([&](const std::string& path) { return lookup(runs, path); });
}

ExpectationResult check(const loader::Expectation& e, const std::vector<VariantRun>& runs) {
  ExpectationResult r;
  r.text = e.text;
  r.skipped_variant = missing_variant(e.expr, runs);
  if (!r.skipped_variant.empty()) {
    r.verdict = Verdict::Skipped;
    return r;
  }
  // A comparison gives 1 or 0; a bare number holds when non-zero, and NaN
  // (0/0) never holds.
  r.values = values_read(e.expr, runs);
  double v = evaluate(e.expr, runs);
  r.verdict = (v != 0 && v == v) ? Verdict::Holds : Verdict::Fails;
  return r;
}

FigureResult measure(const loader::Figure& f, const std::vector<VariantRun>& runs) {
  FigureResult r;
  r.label = f.label;
  r.text = f.text;
  if (missing_variant(f.expr, runs).empty()) r.value = evaluate(f.expr, runs);
  return r;
}

// A tee that owns both of its sinks.
class OwningTee final : public sim::TraceSink {
 public:
  OwningTee(std::unique_ptr<sim::TraceSink> a, std::unique_ptr<sim::TraceSink> b)
      : a_(std::move(a)), b_(std::move(b)), tee_(*a_, *b_) {}
  void process(std::uint32_t pid, std::string_view name, int s) override {
    tee_.process(pid, name, s);
  }
  void track(sim::TrackId id, std::uint32_t pid, std::string_view name, int s) override {
    tee_.track(id, pid, name, s);
  }
  void counter_track(sim::TrackId id, std::uint32_t pid, std::string_view name) override {
    tee_.counter_track(id, pid, name);
  }
  void slice(sim::TrackId t, sim::Time b, sim::Time e, const sim::SliceStyle& st) override {
    tee_.slice(t, b, e, st);
  }
  void labelled_slice(sim::TrackId t, sim::Time b, sim::Time e, const sim::SliceStyle& st,
                      std::string_view l) override {
    tee_.labelled_slice(t, b, e, st, l);
  }
  void counter(sim::TrackId id, sim::Time t, std::int64_t v) override { tee_.counter(id, t, v); }
  void instant(sim::TrackId tr, sim::Time t, const char* n) override { tee_.instant(tr, t, n); }
  void flow(sim::TrackId f, sim::Time tf, sim::TrackId to, sim::Time tt, const char* n) override {
    tee_.flow(f, tf, to, tt, n);
  }
  void finish(sim::Time end) override { tee_.finish(end); }

 private:
  std::unique_ptr<sim::TraceSink> a_;
  std::unique_ptr<sim::TraceSink> b_;
  sim::TeeSink tee_;
};

}  // namespace

std::unique_ptr<sim::TraceSink> make_trace_sink(const std::string& chrome_path,
                                                const std::string& svg_path,
                                                const std::string& title) {
  std::unique_ptr<sim::TraceSink> chrome, svg;
  if (!chrome_path.empty()) chrome = std::make_unique<sim::ChromeTraceWriter>(chrome_path);
  if (!svg_path.empty()) svg = std::make_unique<sim::SvgTimeline>(svg_path, title);
  if (chrome && svg) return std::make_unique<OwningTee>(std::move(chrome), std::move(svg));
  return chrome ? std::move(chrome) : std::move(svg);
}

std::pair<std::string, std::string> split_path(const std::string& path) {
  auto dot = path.find('.');
  if (dot == std::string::npos) return {path, {}};
  return {path.substr(0, dot), path.substr(dot + 1)};
}

bool selected(const RunOptions& options, const std::string& variant) {
  return options.variants.empty() ||
         std::find(options.variants.begin(), options.variants.end(), variant) !=
             options.variants.end();
}

bool ScenarioResult::all_hold() const {
  return failed_expectations() == 0 && unfinished_variants().empty();
}

int ScenarioResult::failed_expectations() const {
  return static_cast<int>(std::count_if(expectations.begin(), expectations.end(),
                                        [](const auto& e) { return e.verdict == Verdict::Fails; }));
}

std::vector<std::string> ScenarioResult::unfinished_variants() const {
  std::vector<std::string> names;
  for (const auto& r : runs)
    if (r.result.hit_time_limit) names.push_back(r.name);
  return names;
}

ScenarioResult run_scenario(const loader::Scenario& scenario, const RunOptions& options) {
  ScenarioResult out;
  out.file = scenario.file;
  out.name = scenario.name;
  out.description = scenario.description;
  out.claim = scenario.claim;
  out.seed = scenario.seed;
  for (const auto& variant : scenario.variants) {
    if (!selected(options, variant.name)) continue;
    if (options.on_variant_start) options.on_variant_start(scenario, variant);
    std::unique_ptr<sim::TraceSink> trace;
    if (options.trace) trace = options.trace(scenario, variant);
    VariantRun run;
    run.name = variant.name;
    run.seed = variant.config.seed;
    run.cores = variant.config.machine.cores;
    run.python = variant.config.runtime.python;
    run.time_limit = variant.config.time_limit;
    // Every thread group of the run: the main process's, child processes'
    // and pools' (workers, feeder and result threads), in layout order.
    for (const auto& t : variant.plan->layout().threads)
      if (run.groups.empty() || run.groups.back().first != t.group) run.groups.emplace_back(t.group, t.group_size);
    run.result = models::simulate(*variant.plan, variant.config.seed, trace.get(), options.watch);
    out.runs.push_back(std::move(run));
  }
  for (const auto& e : scenario.expect) out.expectations.push_back(check(e, out.runs));
  for (const auto& f : scenario.figures) out.figures.push_back(measure(f, out.runs));
  return out;
}

}  // namespace report
